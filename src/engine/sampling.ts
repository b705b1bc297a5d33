// Which healthy-looking agent pods get their current log read. Agents can be Running and Ready and still fail on every
// sync (kube-proxy rule restores, CoreDNS upstream timeouts, CNI dataplane errors), so the logs wave reads a few of
// them too. The budget is flat in cluster size (at most HEALTHY_SAMPLE per agent workload), and the sample starts
// with nodes where anything else is off, so one bad node among thousands is never sampled away when any other signal
// shows it. Pure: the plan is decided from the objects of wave 1 alone.
import type { Snapshot } from './check.ts';
import type { KubeObject } from './cluster-reader.ts';
import { eventNode } from './objects/events.ts';
import { nodeCondition } from './objects/nodes.ts';
import { podUnhealthy } from './objects/pods.ts';
import { eventIsCurrent, snapshotNow } from './recency.ts';

/** Healthy-looking pods read per agent workload (DaemonSet or Deployment), whatever the number of nodes. */
export const HEALTHY_SAMPLE = 3;
/** At most this many of them on suspect nodes: more than HEALTHY_SAMPLE, so several bad nodes are all read. */
export const SUSPECT_SAMPLE = 10;

/** How many healthy-looking pods to read per workload: in all, and at most on suspect nodes. */
export interface SampleBudget {
  healthy: number;
  suspect: number;
}
export const DEFAULT_SAMPLE: SampleBudget = { healthy: HEALTHY_SAMPLE, suspect: SUSPECT_SAMPLE };

/** Node conditions that mean trouble when True (Ready is the opposite). */
const BAD_WHEN_TRUE = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

/**
 * Nodes where something is off, each with a weight (how many independent signals point at it): the node is not
 * Ready or under pressure, a component pod on it is unhealthy, or a current Warning event happened on it.
 */
export function suspectNodes(snapshot: Pick<Snapshot, 'nodes' | 'pods' | 'events' | 'now'>): Map<string, number> {
  const weight = new Map<string, number>();
  const add = (node: string | undefined) => {
    if (node) weight.set(node, (weight.get(node) ?? 0) + 1);
  };
  for (const node of snapshot.nodes) {
    const ready = nodeCondition(node, 'Ready');
    if (ready && ready.status !== 'True') add(node.metadata.name);
    for (const type of BAD_WHEN_TRUE) if (nodeCondition(node, type)?.status === 'True') add(node.metadata.name);
    if (node.spec?.unschedulable === true) add(node.metadata.name);
  }
  const now = snapshotNow(snapshot);
  for (const pod of snapshot.pods) if (podUnhealthy(pod, now)) add(pod.spec?.nodeName);
  for (const ev of snapshot.events) {
    if (ev.type !== 'Warning' || !eventIsCurrent(ev, now)) continue;
    add(eventNode(ev));
  }
  return weight;
}

/** A stable spread over the cluster for the pods no signal points at (the same pods are read on every run). */
function spread(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Healthy-looking, scheduled pods of one workload: those on suspect nodes (most signals first, at most
 * `budget.suspect`), then a stable spread of the rest up to `budget.healthy` in all.
 */
export function sampleHealthy(
  pods: readonly KubeObject[],
  suspects: ReadonlyMap<string, number>,
  now?: number,
  budget: SampleBudget = DEFAULT_SAMPLE,
): KubeObject[] {
  const ranked = pods
    .filter((p) => !podUnhealthy(p, now) && p.spec?.nodeName)
    .map((pod) => ({ pod, score: suspects.get(pod.spec.nodeName) ?? 0, spread: spread(pod.metadata.name) }))
    .sort((a, b) => b.score - a.score || a.spread - b.spread || a.pod.metadata.name.localeCompare(b.pod.metadata.name));
  const onSuspects = ranked.filter((c) => c.score > 0).slice(0, budget.suspect);
  const rest = ranked.filter((c) => c.score === 0).slice(0, Math.max(0, budget.healthy - onSuspects.length));
  return [...onSuspects, ...rest].map((c) => c.pod);
}
