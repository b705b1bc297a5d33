// Data-driven cluster behaviour: once a fix lands (conditions hold after a write), the scenario's `then` is applied.

import { mergePatch } from './patch.ts';
import { resourceForKind } from './resources.ts';
import type { ObjectStore } from './store.ts';
import type { Condition, ContainerLogs, KubeObject, ObjectRef, Reaction } from './types.ts';

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

const refKey = (kind: string, namespace: string | undefined, name: string): string =>
  `${kind}/${namespace ?? ''}/${name}`;

/** Dot path lookup that tolerates dotted keys such as `kubectl.kubernetes.io/restartedAt` (longest key wins). */
export function valueAtPath(obj: unknown, path: string): unknown {
  const walk = (node: unknown, parts: string[]): unknown => {
    if (parts.length === 0) return node;
    if (node === null || typeof node !== 'object') return undefined;
    for (let j = parts.length; j >= 1; j--) {
      const key = parts.slice(0, j).join('.');
      if (key in (node as Record<string, unknown>)) {
        const found = walk((node as Record<string, unknown>)[key], parts.slice(j));
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  return walk(obj, path.split('.'));
}

export class ReactionEngine {
  private readonly pending: Reaction[];
  private readonly baseline = new Map<string, unknown>();
  private readonly podsDeletedFrom = new Set<string>();
  readonly fired: string[] = [];
  private readonly store: ObjectStore;
  private readonly logs: ContainerLogs;

  /** Call after the scenario is loaded: restarts are measured against that state. */
  constructor(reactions: Reaction[], store: ObjectStore, logs: ContainerLogs) {
    this.pending = [...reactions];
    this.store = store;
    this.logs = logs;
    for (const ref of this.restartRefs()) {
      this.baseline.set(refKey(ref.kind, ref.namespace, ref.name), this.restartedAt(ref));
    }
  }

  private restartRefs(): ObjectRef[] {
    return this.pending.flatMap((r) => r.when.flatMap((c) => ('restarted' in c ? [c.restarted] : [])));
  }

  private lookup(ref: ObjectRef): KubeObject | undefined {
    const type = resourceForKind(ref.kind);
    return type && this.store.get(type.storage, type.namespaced ? ref.namespace : undefined, ref.name);
  }

  private restartedAt(ref: ObjectRef): unknown {
    return this.lookup(ref)?.spec?.template?.metadata?.annotations?.[RESTARTED_AT];
  }

  /** Remembers which workloads lost a pod: deleting pods is the other way to restart them. */
  notePodDeleted(pod: KubeObject): void {
    const ns = pod.metadata.namespace;
    for (const owner of pod.metadata.ownerReferences ?? []) {
      this.podsDeletedFrom.add(refKey(owner.kind, ns, owner.name));
      if (owner.kind === 'ReplicaSet') {
        const rs = this.store.get('replicasets.apps', ns, owner.name);
        for (const o of rs?.metadata.ownerReferences ?? []) this.podsDeletedFrom.add(refKey(o.kind, ns, o.name));
      }
    }
  }

  private holds(c: Condition): boolean {
    if ('restarted' in c) {
      const key = refKey(c.restarted.kind, c.restarted.namespace, c.restarted.name);
      return this.podsDeletedFrom.has(key) || this.restartedAt(c.restarted) !== this.baseline.get(key);
    }
    const obj = this.lookup(c.ref);
    const value = obj ? valueAtPath(obj, c.path) : undefined;
    if (c.exists !== undefined && (value !== undefined) !== c.exists) return false;
    if (c.equals !== undefined && JSON.stringify(value) !== JSON.stringify(c.equals)) return false;
    // Strings match as text; lists and objects (rules, ports, command lines) by their JSON.
    const text = typeof value === 'string' ? value : value === undefined ? undefined : JSON.stringify(value);
    if (c.contains !== undefined && !text?.includes(c.contains)) return false;
    if (c.notContains !== undefined && !(text !== undefined && !text.includes(c.notContains))) return false;
    return true;
  }

  /** Fires every reaction whose conditions now hold, repeating so that one reaction can enable the next. */
  evaluate(): void {
    let progress = true;
    while (progress) {
      progress = false;
      for (const reaction of [...this.pending]) {
        if (!reaction.when.every((c) => this.holds(c))) continue;
        this.pending.splice(this.pending.indexOf(reaction), 1);
        this.fire(reaction);
        this.fired.push(reaction.description);
        progress = true;
      }
    }
  }

  private fire({ then }: Reaction): void {
    for (const obj of then.apply ?? []) {
      const type = resourceForKind(obj.kind ?? '', obj.apiVersion);
      if (type) this.store.put(type.storage, structuredClone(obj));
    }
    for (const p of then.patch ?? []) {
      const type = resourceForKind(p.kind);
      const current = this.lookup(p);
      if (type && current) this.store.put(type.storage, mergePatch(current, p.merge) as KubeObject);
    }
    for (const ref of then.delete ?? []) {
      const type = resourceForKind(ref.kind);
      if (type) this.store.delete(type.storage, type.namespaced ? ref.namespace : undefined, ref.name);
    }
    Object.assign(this.logs, structuredClone(then.logs ?? {}));
  }
}
