// Wire data as the checks may assume it: every list item an object with a string name, and no JSON nulls. In the
// Kubernetes API a null field means the same as an absent one (omitempty), so dropping nulls once here lets every
// check treat "missing" one way (`?.`, `??`) instead of each guarding against null separately.
import type { KubeObject } from '../cluster-reader.ts';

function withoutNulls(value: unknown, depth: number): unknown {
  if (depth > 64) return undefined; // deeper than any Kubernetes object: not data we judge
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) if (item !== null && item !== undefined) out.push(withoutNulls(item, depth + 1));
    return out;
  }
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (v === null || v === undefined) delete record[key];
    else if (typeof v === 'object') record[key] = withoutNulls(v, depth + 1);
  }
  return record;
}

/** The items of a list that are Kubernetes objects, nulls removed in place; anything else is dropped. */
export function sanitizeObjects(items: readonly unknown[]): KubeObject[] {
  const out: KubeObject[] = [];
  for (const item of items) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    const metadata = (item as { metadata?: unknown }).metadata;
    if (metadata === null || typeof metadata !== 'object') continue;
    const name = (metadata as { name?: unknown }).name;
    if (typeof name !== 'string' || name === '') continue;
    out.push(withoutNulls(item, 0) as KubeObject);
  }
  return out;
}

/** Log text as a string (a missing or mistyped body is no log at all). */
export function sanitizeLog(text: unknown): string {
  return typeof text === 'string' ? text : '';
}
