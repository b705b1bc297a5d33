// Readers over the Snapshot shared by the DNS and CNI checks (the CNI checks import them too): the engine core's
// inspect.ts helpers, plus the few multi-container / multi-line ones the checks here need.
import type { Snapshot } from '../../check.ts';
import type { KubeObject, Resource } from '../../cluster-reader.ts';
import { eventsFor, labelsMatch, podState, podStatusText, truncate } from '../../inspect.ts';

export {
  cidrContains,
  configMapData,
  containerStatus,
  eventLine,
  eventMessage,
  findObject,
  isAbsent,
  isCrashLooping,
  nodeCondition,
  nodePodCidrs,
  nodeReady,
  podReady,
  restarts,
  waitingReason,
} from '../../inspect.ts';

export type Labels = Record<string, string>;

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

/** False when the collector could not list this resource, so its absence proves nothing. */
export function collected(snapshot: Snapshot, resource: Resource): boolean {
  return !snapshot.failures.some((f) => f.error.resource === resource);
}

// ---- pods ------------------------------------------------------------------------------------------------

/** `coredns-7db6d8ff4d-2xk9p 0/1 CrashLoopBackOff (restarts 7) on worker-1`. */
export const podLine = podState;
export const podStatusReason = podStatusText;

// ---- logs ------------------------------------------------------------------------------------------------

/** Current then previous log text of a pod (all containers, or one), for pattern matching. */
export function podLogs(snapshot: Snapshot, pod: KubeObject, container?: string): string[] {
  const prefix = `${pod.metadata.namespace}/${pod.metadata.name}/`;
  const out: string[] = [];
  for (const [key, value] of Object.entries(snapshot.logs)) {
    if (!key.startsWith(prefix)) continue;
    if (container && key !== prefix + container) continue;
    if (value.previous) out.push(value.previous);
    if (value.current) out.push(value.current);
  }
  return out;
}

export function logLines(texts: string[]): string[] {
  return texts.flatMap((t) => t.split('\n')).filter((l) => l.trim() !== '');
}

/** Long lines are cut so evidence stays readable in Slack. */
export const trimLine = (line: string) => truncate(line);

export function findLine(texts: string[], pattern: RegExp): string | undefined {
  const line = logLines(texts).find((l) => pattern.test(l));
  return line === undefined ? undefined : trimLine(line);
}

export function countLines(texts: string[], pattern: RegExp): number {
  return logLines(texts).filter((l) => pattern.test(l)).length;
}

export function lastLines(texts: string[], n: number): string[] {
  return logLines(texts)
    .slice(-n)
    .map((l) => trimLine(l));
}

// ---- events ----------------------------------------------------------------------------------------------

export function eventCount(ev: KubeObject): number {
  return Number(ev.count ?? ev.series?.count ?? 1);
}

/** The node an event happened on (kubelet events carry it as the source host). */
export function eventNode(ev: KubeObject): string | undefined {
  return ev.source?.host ?? ev.reportingInstance ?? ev.deprecatedSource?.host ?? undefined;
}

/** Events about one pod. */
export function podEvents(snapshot: Snapshot, pod: KubeObject, reason?: string): KubeObject[] {
  return eventsFor(snapshot, { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name }).filter(
    (e) => reason === undefined || e.reason === reason,
  );
}

export function eventsWithReason(snapshot: Snapshot, reason: string): KubeObject[] {
  return snapshot.events.filter((ev) => ev.reason === reason);
}

function eventTarget(ev: KubeObject): { kind?: string; name?: string; namespace?: string } {
  return (ev.involvedObject ?? ev.regarding ?? {}) as { kind?: string; name?: string; namespace?: string };
}

export function eventPodName(ev: KubeObject): string | undefined {
  const t = eventTarget(ev);
  return t.kind === 'Pod' ? t.name : undefined;
}

export function eventNamespace(ev: KubeObject): string | undefined {
  return eventTarget(ev).namespace ?? ev.metadata.namespace;
}

/** The container that is failing (crash-looping first, then any not ready), for log commands that name it. */
export function failingContainer(pod: KubeObject): string | undefined {
  const statuses: { name: string; ready?: boolean; state?: { waiting?: { reason?: string } } }[] =
    pod.status?.containerStatuses ?? [];
  return (
    statuses.find((s) => s.state?.waiting?.reason === 'CrashLoopBackOff')?.name ??
    statuses.find((s) => s.ready === false)?.name
  );
}
