// Big clusters list thousands of near-identical objects: every calico-node and kube-proxy pod repeats its
// DaemonSet's containers, probes, env and volumes; every node repeats the same condition texts and image lists.
// Each listed object is compared with a template (the first object of a list with the same owner) and every
// equal part, down to single strings, is replaced by the template's, so memory follows the distinct content rather
// than the cluster size. One comparison pass, no serialising; nothing observable changes for readers (the engine
// never mutates wire objects).
import type { KubeObject } from '../engine/cluster-reader.ts';

// biome-ignore lint/suspicious/noExplicitAny: wire JSON is open-ended.
type Json = any;

/**
 * Returns `template` when `value` equals it; otherwise `value`, with its equal parts swapped for the template's.
 * Only `value` is modified, never the template.
 */
export function shareWith(value: Json, template: Json): Json {
  if (value === template) return template;
  if (typeof value !== 'object' || value === null || typeof template !== 'object' || template === null) {
    return value === template ? template : value;
  }
  if (Array.isArray(value)) {
    if (!Array.isArray(template)) return value;
    let same = value.length === template.length;
    for (let i = 0; i < value.length; i++) {
      if (i >= template.length) break;
      const shared = shareWith(value[i], template[i]);
      if (shared !== template[i]) same = false;
      value[i] = shared;
    }
    return same ? template : value;
  }
  if (Array.isArray(template)) return value;
  let same = true;
  let count = 0;
  for (const key in value) {
    count++;
    const t = template[key];
    if (t === undefined) {
      same = false;
      continue;
    }
    const shared = shareWith(value[key], t);
    if (shared !== t) same = false;
    value[key] = shared;
  }
  // Equal so far: equal only if the template has no keys beyond these (counted without allocating).
  if (same) {
    for (const _ in template) if (--count < 0) return value;
  }
  return same && count === 0 ? template : value;
}

/** Per list: one template per owner (pods of one DaemonSet share a template; unowned objects share another). */
export class Interner {
  private readonly templates = new Map<string, KubeObject>();

  /** Shares the parts `obj` has in common with earlier objects of the same owner, in place. */
  object(obj: KubeObject): void {
    const owner = obj.metadata?.ownerReferences?.[0]?.uid ?? '';
    const template = this.templates.get(owner);
    if (!template) {
      this.templates.set(owner, obj);
      return;
    }
    // Never swap the object itself or its metadata container: callers hold and index by them.
    for (const key in obj) {
      if (key === 'metadata') {
        for (const field in obj.metadata) {
          obj.metadata[field] = shareWith(obj.metadata[field], template.metadata[field]);
        }
      } else obj[key] = shareWith(obj[key], template[key]);
    }
  }
}
