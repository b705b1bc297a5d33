// Which pods belong to which workload, and label selectors.
import type { Snapshot } from '../check.ts';
import type { KubeObject } from '../cluster-reader.ts';

export type Labels = Record<string, string>;

export interface WorkloadRef {
  kind: 'Deployment' | 'DaemonSet' | 'ReplicaSet' | 'StatefulSet';
  namespace: string;
  name: string;
}

/** True when `pod` belongs to the workload: pod→DaemonSet directly, pod→ReplicaSet→Deployment via the snapshot. */
export function ownedBy(pod: KubeObject, kind: WorkloadRef['kind'], name: string, snapshot?: Snapshot): boolean {
  const refs = pod.metadata.ownerReferences ?? [];
  if (kind !== 'Deployment') return refs.some((r) => r.kind === kind && r.name === name);
  for (const ref of refs) {
    if (ref.kind !== 'ReplicaSet') continue;
    const rs = snapshot?.replicaSets.find(
      (r) => r.metadata.name === ref.name && r.metadata.namespace === pod.metadata.namespace,
    );
    if (rs) {
      if ((rs.metadata.ownerReferences ?? []).some((o) => o.kind === 'Deployment' && o.name === name)) return true;
      continue;
    }
    // ReplicaSet not collected: Deployment-owned ReplicaSets are named <deployment>-<pod-template-hash>.
    const hash = pod.metadata.labels?.['pod-template-hash'];
    if (hash ? ref.name === `${name}-${hash}` : ref.name.startsWith(`${name}-`)) return true;
  }
  return false;
}

export function findObject(list: readonly KubeObject[], namespace: string | undefined, name: string) {
  return list.find((o) => o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
}

export function workloadObject(snapshot: Snapshot, ref: WorkloadRef): KubeObject | undefined {
  const list =
    ref.kind === 'Deployment'
      ? snapshot.deployments
      : ref.kind === 'DaemonSet'
        ? snapshot.daemonSets
        : ref.kind === 'ReplicaSet'
          ? snapshot.replicaSets
          : [];
  return findObject(list, ref.namespace, ref.name);
}

/** Pods of a workload: by owner reference, or (for ownerless hand-built pods) by the workload's selector. */
export function podsOf(snapshot: Snapshot, ref: WorkloadRef): KubeObject[] {
  const selector = workloadObject(snapshot, ref)?.spec?.selector?.matchLabels as Record<string, string> | undefined;
  return snapshot.pods.filter((pod) => {
    if (pod.metadata.namespace !== ref.namespace) return false;
    if (ownedBy(pod, ref.kind, ref.name, snapshot)) return true;
    const owners = pod.metadata.ownerReferences ?? [];
    return owners.length === 0 && selector !== undefined && labelsMatch(selector, pod.metadata.labels);
  });
}

export function labelsMatch(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export function labelSelectorString(matchLabels: Record<string, string> | undefined): string {
  return Object.entries(matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** "k8s-app=calico-node,tier=node" → { 'k8s-app': 'calico-node', tier: 'node' } (equality selectors only). */
export function parseSelector(selector: string): Labels {
  const out: Labels = {};
  for (const part of selector.split(',')) {
    const [key, value] = part.split('=').map((x) => x.trim());
    if (key) out[key] = value ?? '';
  }
  return out;
}

export function podsMatching(snapshot: Snapshot, namespace: string, selector: Labels): KubeObject[] {
  return snapshot.pods.filter((p) => p.metadata.namespace === namespace && labelsMatch(selector, p.metadata.labels));
}
