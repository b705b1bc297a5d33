// In-memory object store, indexed by resource and namespace, kept sorted lazily for stable paginated lists.
import { randomUUID } from 'node:crypto';
import type { KubeObject } from './types.ts';

/** Sort key: NUL between namespace and name so ("a", …) sorts before ("a-b", …). */
export const objectKey = (namespace: string | undefined, name: string): string => `${namespace ?? ''}\u0000${name}`;

export interface SortedView {
  keys: string[];
  objects: KubeObject[];
}

class Bucket {
  readonly byName = new Map<string, KubeObject>();
  private view: SortedView | undefined;
  invalidate(): void {
    this.view = undefined;
  }
  /** Same key, new object: patch the cached view in place instead of re-sorting. */
  replace(key: string, obj: KubeObject): void {
    if (this.view) replaceInView(this.view, key, obj);
  }
  sorted(): SortedView {
    if (!this.view) {
      const entries = [...this.byName.values()].map(
        (o) => [objectKey(o.metadata.namespace, o.metadata.name), o] as const,
      );
      entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      this.view = { keys: entries.map((e) => e[0]), objects: entries.map((e) => e[1]) };
    }
    return this.view;
  }
}

class ResourceIndex {
  readonly namespaces = new Map<string, Bucket>();
  private all: SortedView | undefined;
  bucket(namespace: string): Bucket {
    let b = this.namespaces.get(namespace);
    if (!b) {
      b = new Bucket();
      this.namespaces.set(namespace, b);
    }
    return b;
  }
  replaced(namespace: string, key: string, obj: KubeObject): void {
    this.bucket(namespace).replace(key, obj);
    if (this.all) replaceInView(this.all, key, obj);
  }
  changed(namespace: string): void {
    this.bucket(namespace).invalidate();
    this.all = undefined;
  }
  sortedAll(): SortedView {
    if (!this.all) {
      // Namespaces in order, each already sorted by name: concatenation is sorted by (namespace, name).
      const names = [...this.namespaces.keys()].sort();
      const keys: string[] = [];
      const objects: KubeObject[] = [];
      for (const ns of names) {
        const v = this.namespaces.get(ns)!.sorted();
        for (let i = 0; i < v.keys.length; i++) {
          keys.push(v.keys[i]!);
          objects.push(v.objects[i]!);
        }
      }
      this.all = { keys, objects };
    }
    return this.all;
  }
}

export class ObjectStore {
  private readonly resources = new Map<string, ResourceIndex>();
  /** Store-wide counter, bumped on every write, like etcd's revision. */
  revision = 1;

  private index(storage: string): ResourceIndex {
    let idx = this.resources.get(storage);
    if (!idx) {
      idx = new ResourceIndex();
      this.resources.set(storage, idx);
    }
    return idx;
  }

  get(storage: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.resources
      .get(storage)
      ?.namespaces.get(namespace ?? '')
      ?.byName.get(name);
  }

  /** Stores `obj` as given (callers pass their own copy), filling uid, timestamps and resourceVersion. */
  put(storage: string, obj: KubeObject): KubeObject {
    const ns = obj.metadata.namespace ?? '';
    obj.metadata.uid ??= randomUUID();
    obj.metadata.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    obj.metadata.resourceVersion = String(++this.revision);
    const idx = this.index(storage);
    const bucket = idx.bucket(ns);
    const existed = bucket.byName.has(obj.metadata.name);
    bucket.byName.set(obj.metadata.name, obj);
    // Replacing a known key keeps the sort order; only membership changes need a re-sort.
    if (existed) idx.replaced(ns, objectKey(obj.metadata.namespace, obj.metadata.name), obj);
    else idx.changed(ns);
    return obj;
  }

  delete(storage: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const idx = this.resources.get(storage);
    const ns = namespace ?? '';
    const bucket = idx?.namespaces.get(ns);
    const obj = bucket?.byName.get(name);
    if (!idx || !bucket || !obj) return undefined;
    bucket.byName.delete(name);
    idx.changed(ns);
    this.revision++;
    return obj;
  }

  /** Sorted by (namespace, name); the arrays are shared caches: never mutate them. */
  list(storage: string, namespace?: string): SortedView {
    const idx = this.resources.get(storage);
    if (!idx) return { keys: [], objects: [] };
    if (namespace === undefined) return idx.sortedAll();
    return idx.namespaces.get(namespace)?.sorted() ?? { keys: [], objects: [] };
  }

  /** Every namespace any stored object lives in. */
  namespacesInUse(): Set<string> {
    const out = new Set<string>();
    for (const idx of this.resources.values()) {
      for (const [ns, b] of idx.namespaces) if (ns && b.byName.size > 0) out.add(ns);
    }
    return out;
  }
}

function replaceInView(view: SortedView, key: string, obj: KubeObject): void {
  const i = firstAfter(view.keys, key) - 1;
  if (i >= 0 && view.keys[i] === key) view.objects[i] = obj;
}

/** Index of the first key strictly greater than `after` (binary search). */
export function firstAfter(keys: string[], after: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
