// An alert bot's message read as an alert: firing or resolved, its name, its labels and how many alerts its group
// holds. Alertmanager writes "[FIRING:2] KubeProxyDown …" / "[RESOLVED] …" with the labels in the text;
// PagerDuty- and Opsgenie-style bots write a title and put the details in attachment fields or Block Kit fields;
// templated bots (Grafana, Alertmanager) may write rich_text blocks: sections, label lists, preformatted selectors.
import type { Scope } from '../engine/report.ts';
import { scopeFromAlert } from './alert.ts';

export type AlertStatus = 'firing' | 'resolved';

export interface Alert {
  status: AlertStatus;
  /** `alertname`, or the title without its status prefix. */
  name: string;
  title: string;
  /** Lower-cased label keys → values, from `key: value`, `key=value` and field title/value pairs. */
  labels: Record<string, string>;
  /** Alerts in the group ("[FIRING:3]" → 3); 1 when the bot does not say. */
  count: number;
  /** The same alert across repeats: its name and the labels that identify where it fires. */
  fingerprint: string;
  scope: Scope;
}

interface TextField {
  title?: string;
  value?: string;
}
interface BlockText {
  type?: string;
  text?: string | { text?: string };
}

/** What a message event carries, as far as alert bots use it. */
export interface AlertBotMessage {
  text?: string;
  attachments?: readonly {
    title?: string;
    pretext?: string;
    text?: string;
    fallback?: string;
    fields?: readonly TextField[];
  }[];
  blocks?: readonly {
    type?: string;
    block_id?: string;
    text?: BlockText;
    fields?: readonly BlockText[];
    /** A context block's texts, or a rich_text block's sections, lists, quotes and preformatted runs. */
    elements?: readonly unknown[];
  }[];
}

type Node = {
  type?: unknown;
  text?: unknown;
  url?: unknown;
  user_id?: unknown;
  channel_id?: unknown;
  elements?: unknown;
};

/** An inline run of rich text as plain words: links by their text, mentions by id; emoji carry no words. */
function inlineText(elements: unknown): string {
  if (!Array.isArray(elements)) return '';
  return elements
    .map((e: Node) => {
      if (!e || typeof e !== 'object') return '';
      if (e.type === 'text') return typeof e.text === 'string' ? e.text : '';
      if (e.type === 'link') return typeof e.text === 'string' && e.text ? e.text : String(e.url ?? '');
      if (e.type === 'user') return `<@${String(e.user_id ?? '')}>`;
      if (e.type === 'channel') return `#${String(e.channel_id ?? '')}`;
      return '';
    })
    .join('');
}

/** The lines of a rich_text block: one per line of a section, quote or preformatted run, one per list item. */
function richTextLines(elements: readonly unknown[]): string[] {
  const lines: string[] = [];
  for (const el of elements as Node[]) {
    if (!el || typeof el !== 'object') continue;
    if (el.type === 'rich_text_list' && Array.isArray(el.elements)) {
      // "- cluster: prod-eu", as Alertmanager's text template lists labels.
      for (const item of el.elements as Node[]) lines.push(`- ${inlineText(item?.elements)}`);
    } else if (typeof el.type === 'string' && el.type.startsWith('rich_text_')) {
      lines.push(...inlineText(el.elements).split('\n'));
    }
  }
  return lines;
}

// Bold, code and strike marks; `_` stays (label keys like k8s_cluster), except as italics around a word.
const STRIP = /[*`~]|(?<=^|\s)_|_(?=\s|$)/g;
const FIRING = /\[\s*FIRING(?::\s*(\d+))?\s*\]/i;
const RESOLVED = /\[\s*RESOLVED(?::\s*(\d+))?\s*\]/i;
// PagerDuty/Opsgenie title prefixes and status words.
const RESOLVED_WORD = /^(resolved|closed|recovered|ok)$/i;
const FIRING_WORD = /^(triggered|open|opened|created|firing|alert|critical|warning)$/i;
const STATUS_PREFIX = /^\s*(resolved|closed|recovered|triggered|open(?:ed)?|created|acknowledged)\s*[:\-–]\s*/i;
const ACKNOWLEDGED = /^\s*acknowledged\b|\bstatus\s*:\s*acknowledged\b/i;

// Labels that say where an alert fires; the rest (severity, runbook_url, summary …) do not make it another alert.
const IDENTIFYING = ['alertname', 'cluster', 'cluster_name', 'k8s_cluster', 'namespace', 'job', 'service', 'node'];

/** `<https://…|#4711 CoreDNS down>` → `#4711 CoreDNS down`: a mrkdwn link reads as its text. */
function unlink(line: string): string {
  return line.replace(/<(?:https?|mailto):[^|>]*\|([^>]*)>/g, '$1');
}

function textOf(t: BlockText | undefined): string {
  if (!t) return '';
  return typeof t.text === 'string' ? t.text : (t.text?.text ?? '');
}

/** Every line the bot wrote, in reading order, with title/value pairs kept apart as fields. */
function linesAndFields(message: AlertBotMessage): { title: string; lines: string[]; fields: [string, string][] } {
  const lines: string[] = [];
  const fields: [string, string][] = [];
  let title = '';
  const add = (s: string | undefined) => {
    if (!s) return;
    for (const line of s.split('\n')) if (line.trim()) lines.push(unlink(line).replace(STRIP, '').trim());
  };
  const firstLine = (s: string | undefined) =>
    s
      ?.split('\n')
      .find((l) => l.trim())
      ?.replace(STRIP, '')
      .trim() ?? '';
  add(message.text);
  title = firstLine(message.text);
  for (const a of message.attachments ?? []) {
    if (a.title) title = title && !FIRING.test(title) && !RESOLVED.test(title) ? title : firstLine(a.title) || title;
    add(a.pretext);
    add(a.title);
    add(a.text);
    for (const f of a.fields ?? []) {
      if (f.title && f.value) fields.push([f.title.replace(STRIP, '').trim(), f.value.replace(STRIP, '').trim()]);
    }
    if (!message.text && !a.title) add(a.fallback);
  }
  for (const b of message.blocks ?? []) {
    const heading = textOf(b.text);
    if (b.type === 'header' && heading) title = firstLine(heading);
    add(heading);
    for (const f of b.fields ?? []) {
      // "*Cluster:*\nprod-eu" is one field: a key line and a value line.
      const [key, ...rest] = textOf(f).split('\n');
      const value = rest.join(' ').replace(STRIP, '').trim();
      if (key && value) fields.push([key.replace(STRIP, '').replace(/:\s*$/, '').trim(), value]);
      else add(textOf(f));
    }
    if (b.type === 'rich_text') for (const line of richTextLines(b.elements ?? [])) add(line);
    else for (const e of b.elements ?? []) add(textOf(e as BlockText));
  }
  if (!title) title = lines[0] ?? '';
  return { title, lines, fields };
}

function labelsOf(lines: string[], fields: [string, string][]): Record<string, string> {
  const labels: Record<string, string> = {};
  const put = (key: string, value: string) => {
    const k = key.trim().toLowerCase().replace(/\s+/g, '_');
    const v = value.trim().replace(/^["']|["'],?$/g, '');
    if (/^[a-z_][a-z0-9_.-]*$/.test(k) && v && !(k in labels)) labels[k] = v;
  };
  for (const [k, v] of fields) put(k.replace(/:$/, ''), v);
  for (const line of lines) {
    // `cluster="prod-eu", namespace="kube-system"` (Prometheus selectors) or `cluster=prod-eu`.
    for (const m of line.matchAll(/([A-Za-z_][\w.]*)\s*=\s*"?([\w./:-]+)"?/g)) put(m[1]!, m[2]!);
    // "- cluster: prod-eu" (Alertmanager's default Slack template lists labels like this).
    const pair = /^[-•]?\s*([A-Za-z_][\w. ]{0,40}?)\s*:\s+(\S.*)$/.exec(line);
    if (pair) put(pair[1]!, pair[2]!);
  }
  return labels;
}

/** The alert a bot's message reports, or undefined when it is not about cluster networking (or only acknowledges). */
export function readAlert(message: AlertBotMessage): Alert | undefined {
  const { title, lines, fields } = linesAndFields(message);
  const all = [title, ...lines, ...fields.map(([k, v]) => `${k}: ${v}`)].join('\n');
  // Alert names are CamelCase (KubeProxyDown, CoreDNSErrorsHigh): read them as words too.
  const scope = scopeFromAlert(`${all}\n${splitCamel(all)}`);
  if (!scope) return undefined;
  const labels = labelsOf(lines, fields);
  const statusField = labels.status ?? labels.state;
  if (ACKNOWLEDGED.test(title) || (statusField && /^acknowledged$/i.test(statusField))) return undefined;
  const resolved = RESOLVED.exec(all);
  const firing = FIRING.exec(all);
  let status: AlertStatus = 'firing';
  if (resolved && (!firing || all.indexOf(resolved[0]) < all.indexOf(firing[0]))) status = 'resolved';
  else if (!firing) {
    const word = statusField ?? STATUS_PREFIX.exec(title)?.[1] ?? '';
    if (RESOLVED_WORD.test(word)) status = 'resolved';
    else if (word && !FIRING_WORD.test(word)) status = 'firing';
  }
  const count = Number((status === 'resolved' ? resolved?.[1] : firing?.[1]) ?? 1) || 1;
  const bare = title
    .replace(FIRING, '')
    .replace(RESOLVED, '')
    .replace(STATUS_PREFIX, '')
    .replace(/^#\d+\s*/, '')
    .trim();
  const name = labels.alertname ?? bare.split(/[\s(:]/)[0] ?? bare;
  const fingerprint = [
    name,
    ...IDENTIFYING.filter((k) => k !== 'alertname' && labels[k]).map((k) => `${k}=${labels[k]}`),
  ].join('|');
  return { status, name: name || 'alert', title: bare || title, labels, count, fingerprint, scope };
}

/** `CoreDNSErrorsHigh` → `Core DNS Errors High`. */
function splitCamel(text: string): string {
  return text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
}
