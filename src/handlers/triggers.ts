// Pure decisions about Slack traffic: which deliveries are duplicates of each other, which messages
// look like a networking incident, what a mention asks for. No I/O, so they are unit-tested directly.
import type { Scope } from '../engine/report.ts';

/**
 * The key under which a delivery is claimed exactly once. Slack retries reuse it: the trigger_id of a
 * command, the event_id of an event, action_ts + trigger_id of a button click.
 */
// biome-ignore lint/suspicious/noExplicitAny: Slack bodies are open-ended; we read a few known fields.
export function dedupeKey(body: any): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  if (typeof body.command === 'string' && body.trigger_id) return `command:${body.trigger_id}`;
  if (body.type === 'event_callback' && body.event_id) return `event:${body.event_id}`;
  if (body.type === 'block_actions') {
    const actionTs = body.actions?.[0]?.action_ts;
    if (actionTs && body.trigger_id) return `action:${actionTs}:${body.trigger_id}`;
  }
  return undefined;
}

/** Removes `<@U123>` mentions so "@netcheck dns prod-eu" parses like "/netcheck dns prod-eu". */
export function mentionText(text: string): string {
  return text
    .replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function isIncidentChannel(name: string | undefined, pattern: RegExp): boolean {
  return typeof name === 'string' && pattern.test(name);
}

const KEYWORDS: { scope: Exclude<Scope, 'all'>; re: RegExp }[] = [
  { scope: 'dns', re: /\b(core-?dns|kube-dns|dns|nxdomain|servfail|name resolution)\b/i },
  { scope: 'proxy', re: /\b(kube-?proxy|iptables|ipvs|conntrack)\b/i },
  { scope: 'cni', re: /\b(cni|calico|flannel|cilium|weave|aws-node|pod network)\b/i },
];

/**
 * The scope an alert's text points at, or undefined when it is not about cluster networking.
 * Several areas at once → `all`.
 */
export function scopeFromAlert(text: string | undefined): Scope | undefined {
  if (!text) return undefined;
  const hits = KEYWORDS.filter((k) => k.re.test(text)).map((k) => k.scope);
  if (hits.length === 0) return undefined;
  return hits.length === 1 ? hits[0] : 'all';
}
