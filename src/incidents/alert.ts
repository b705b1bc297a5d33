// Alert classification: whether a bot's message is about cluster networking, and which part of it.
import type { Scope } from '../engine/report.ts';

const KEYWORDS: { scope: Exclude<Scope, 'all'>; re: RegExp }[] = [
  { scope: 'dns', re: /\b(core-?dns|kube-dns|dns|nxdomain|servfail|name resolution)\b/i },
  { scope: 'proxy', re: /\b(kube[- ]?proxy|iptables|ipvs|conntrack)\b/i },
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

/** The parts of a chat message an alert bot writes its words into. */
export interface AlertMessage {
  text?: string;
  attachments?: readonly { title?: string; text?: string; fallback?: string }[];
}

/** Alert bots put their words in the text or in legacy attachments (title, text, fallback): read them all. */
export function alertText(message: AlertMessage): string {
  const parts: string[] = [message.text ?? ''];
  for (const a of message.attachments ?? []) parts.push(a.title ?? '', a.text ?? '', a.fallback ?? '');
  return parts.join('\n');
}
