// The messages of an incident thread: which cluster was checked and why, "re-checked at …" on a report updated in
// place, what changed since the last check, whether a resolution is verified, and contradictions with the alert.
import type { ComponentName, Lang, Scope } from '../engine/report.ts';
import { rerunButton } from './actions.ts';
import { componentName, context, type KnownBlock, section } from './blocks.ts';
import { labels } from './i18n.ts';
import { LIMITS, type SlackMessage } from './limits.ts';
import { safe } from './mrkdwn.ts';

/** Why the cluster was chosen (src/incidents ClusterReason, as carried by the job). */
export type ClusterReasonView =
  | { kind: 'label'; key: string; value: string }
  | { kind: 'channel-pattern'; value: string }
  | { kind: 'channel-mapping'; channel: string }
  | { kind: 'default'; ignored: string[] };

export function clusterChoiceNote(cluster: string, reason: ClusterReasonView, lang?: Lang): string {
  const t = labels(lang).clusterChosen;
  const c = safe(cluster, 100);
  switch (reason.kind) {
    case 'label':
      return t.label(c, safe(reason.key, 60), safe(reason.value, 100));
    case 'channel-pattern':
      return t.channelPattern(c);
    case 'channel-mapping':
      return t.channelMapping(c, safe(reason.channel, 80));
    default:
      return t.byDefault(
        c,
        reason.ignored.map((n) => safe(n, 60)),
      );
  }
}

/** "Re-checked at 03:12 UTC", for a report updated in place. */
export function recheckedNote(at: Date, lang?: Lang): string {
  return labels(lang).recheckedAt(`${at.toISOString().slice(11, 16)} UTC`);
}

/** The message with context lines appended, within Slack's block limit (the last blocks make room). */
export function withNotes(message: SlackMessage, notes: string[]): SlackMessage {
  if (notes.length === 0) return message;
  const blocks = message.blocks.slice(0, LIMITS.blocks - 1);
  return { ...message, blocks: [...blocks, context(notes) as KnownBlock] };
}

export interface FindingLine {
  id: string;
  title?: string;
}

/** A follow-up in the incident thread: what triggered it, then new and resolved findings (or "no change"). */
export function renderIncidentUpdate(input: {
  headline: string;
  added: FindingLine[];
  resolved: FindingLine[];
  lang?: Lang;
}): SlackMessage {
  const t = labels(input.lang);
  const line = (f: FindingLine) => `• ${f.title ? `${safe(f.title, 200)} ` : ''}\`${safe(f.id, 100)}\``;
  const parts = [input.headline];
  if (input.added.length) parts.push(`*${t.newFindings}*\n${input.added.map(line).join('\n')}`);
  if (input.resolved.length) parts.push(`*${t.resolvedFindings}*\n${input.resolved.map(line).join('\n')}`);
  if (!input.added.length && !input.resolved.length) parts.push(t.noChange);
  const text = parts.join('\n\n');
  return { text: text.slice(0, LIMITS.messageText), blocks: parts.map((p) => section(p.slice(0, LIMITS.sectionText))) };
}

/** After `[RESOLVED]`: verified, or what is still failing. */
export function renderResolution(input: {
  alert: string;
  cluster: string;
  failing: FindingLine[];
  lang?: Lang;
}): SlackMessage {
  const t = labels(input.lang);
  const name = safe(input.alert, 150);
  const text = input.failing.length
    ? t.resolvedButFailing(
        name,
        input.failing.map((f) => (f.title ? safe(f.title, 150) : `\`${safe(f.id, 100)}\``)).join(', '),
      )
    : t.resolvedVerified(name, safe(input.cluster, 100));
  return { text, blocks: [section(text.slice(0, LIMITS.sectionText))] };
}

/** The alert names a component netcheck finds healthy: say so, give the usual reasons, offer Re-run. */
export function renderContradiction(input: {
  alert: string;
  healthy: ComponentName[];
  reasons: ('target-down-dataplane-works' | 'unseen-nodes')[];
  cluster: string;
  scope: Scope;
  lang?: Lang;
  /** The Re-run offer's opaque id (recorded by the caller); without it, no Re-run button. */
  rerunId?: string;
}): SlackMessage {
  const L = labels(input.lang);
  const components = input.healthy.map((c) => componentName(L, c)).join(', ');
  const head = L.contradiction(safe(input.alert, 150), components, safe(input.cluster, 100));
  const reasons = input.reasons.map((r) => `• ${L.contradictionReasons[r]}`).join('\n');
  const blocks: KnownBlock[] = [section(head), section(reasons), context([L.contradictionRerun]) as KnownBlock];
  if (input.rerunId) blocks.push({ type: 'actions', elements: [rerunButton(input.rerunId, L)] });
  return { text: `${head}\n${reasons}`, blocks };
}
