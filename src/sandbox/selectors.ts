// Label and field selectors with the apiserver's syntax and error wording.
import type { KubeObject } from './types.ts';

export class SelectorError extends Error {}

type LabelRequirement =
  | { key: string; op: 'exists' | '!' }
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] };

export type LabelSelector = LabelRequirement[];

const KEY = `[A-Za-z0-9](?:[-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const VALUE = `(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const RE_NOT_EXISTS = new RegExp(`^!\\s*(${KEY})$`);
const RE_EXISTS = new RegExp(`^(${KEY})$`);
const RE_EQUALITY = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`);
const RE_SET = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^)]*)\\)$`);

/** Splits on commas outside parentheses: `a in (x,y),b` → [`a in (x,y)`, `b`]. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

export function parseLabelSelector(text: string | undefined): LabelSelector {
  if (!text?.trim()) return [];
  return splitTopLevel(text.trim()).map((part) => {
    let m = RE_NOT_EXISTS.exec(part);
    if (m) return { key: m[1]!, op: '!' };
    m = RE_SET.exec(part);
    if (m) {
      const values = m[3]!
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      if (values.length === 0) throw new SelectorError(`unable to parse requirement: found ')', expected: identifier`);
      return { key: m[1]!, op: m[2] as 'in' | 'notin', values };
    }
    m = RE_EQUALITY.exec(part);
    if (m) return { key: m[1]!, op: m[2] === '!=' ? '!=' : '=', value: m[3]! };
    m = RE_EXISTS.exec(part);
    if (m) return { key: m[1]!, op: 'exists' };
    throw new SelectorError(`unable to parse requirement: invalid label selector "${part}"`);
  });
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  for (const req of selector) {
    const value = labels?.[req.key];
    switch (req.op) {
      case 'exists':
        if (value === undefined) return false;
        break;
      case '!':
        if (value !== undefined) return false;
        break;
      case '=':
        if (value !== req.value) return false;
        break;
      case '!=':
        if (value === req.value) return false;
        break;
      case 'in':
        if (value === undefined || !req.values.includes(value)) return false;
        break;
      case 'notin':
        if (value !== undefined && req.values.includes(value)) return false;
        break;
    }
  }
  return true;
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

type FieldGetter = (o: KubeObject) => unknown;

const COMMON: Record<string, FieldGetter> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

// Events are stored in the core shape; events.k8s.io's `regarding` is the core `involvedObject`.
const involved = (prefix: 'involvedObject' | 'regarding'): Record<string, FieldGetter> =>
  Object.fromEntries(
    ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].map((k) => [
      `${prefix}.${k}`,
      (o: KubeObject) => o.involvedObject?.[k] ?? '',
    ]),
  );

/** Supported field labels per resource storage key, as the real apiserver registers them. */
const FIELDS: Record<string, Record<string, FieldGetter>> = {
  'pods.': {
    'spec.nodeName': (o) => o.spec?.nodeName ?? '',
    'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? '',
    'spec.schedulerName': (o) => o.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (o) => o.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (o) => String(o.spec?.hostNetwork ?? false),
    'status.phase': (o) => o.status?.phase ?? '',
    'status.podIP': (o) => o.status?.podIP ?? '',
    'status.nominatedNodeName': (o) => o.status?.nominatedNodeName ?? '',
  },
  events: {
    ...involved('involvedObject'),
    ...involved('regarding'),
    reason: (o) => o.reason ?? '',
    type: (o) => o.type ?? '',
    source: (o) => o.source?.component ?? '',
    reportingComponent: (o) => o.reportingComponent ?? '',
    reportingController: (o) => o.reportingComponent ?? '',
  },
  'nodes.': { 'spec.unschedulable': (o) => String(o.spec?.unschedulable ?? false) },
  'namespaces.': { 'status.phase': (o) => o.status?.phase ?? '' },
  'secrets.': { type: (o) => o.type ?? '' },
  'replicasets.apps': { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
};

export function parseFieldSelector(text: string | undefined, storage: string): FieldRequirement[] {
  if (!text?.trim()) return [];
  const supported = { ...COMMON, ...FIELDS[storage] };
  return text.split(',').map((part) => {
    const m = /^\s*([^!=\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
    if (!m) throw new SelectorError(`invalid selector: '${text}'; can't understand '${part}'`);
    const field = m[1]!;
    if (!supported[field]) throw new SelectorError(`field label not supported: ${field}`);
    return { field, op: m[2] === '!=' ? '!=' : '=', value: m[3]! };
  });
}

export function fieldGetter(storage: string, field: string): FieldGetter {
  return (COMMON[field] ?? FIELDS[storage]?.[field])!;
}

export function matchesFields(storage: string, reqs: FieldRequirement[], o: KubeObject): boolean {
  for (const req of reqs) {
    const actual = String(fieldGetter(storage, req.field)(o));
    if ((actual === req.value) !== (req.op === '=')) return false;
  }
  return true;
}
