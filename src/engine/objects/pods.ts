// Small pure readers over Pod wire objects. They never throw on missing fields: snapshots come from real clusters
// (and hand-built tests) where any field may be absent.
import type { KubeObject } from '../cluster-reader.ts';
import { conditionOf } from './conditions.ts';

// biome-ignore lint/suspicious/noExplicitAny: container statuses are open-ended wire objects.
type ContainerStatus = any;

export function allStatuses(pod: KubeObject): { init: ContainerStatus[]; main: ContainerStatus[] } {
  return {
    init: Array.isArray(pod.status?.initContainerStatuses) ? pod.status.initContainerStatuses : [],
    main: Array.isArray(pod.status?.containerStatuses) ? pod.status.containerStatuses : [],
  };
}

export function podReady(pod: KubeObject): boolean {
  return conditionOf(pod, 'Ready')?.status === 'True';
}

/** Status of the named container (init containers included), or undefined. */
export function containerStatus(pod: KubeObject, name: string): ContainerStatus | undefined {
  const { init, main } = allStatuses(pod);
  return main.find((s) => s?.name === name) ?? init.find((s) => s?.name === name);
}

/** The first waiting reason, kubectl style: init containers first, prefixed "Init:". */
export function waitingReason(pod: KubeObject): string | undefined {
  const { init, main } = allStatuses(pod);
  for (const s of init) {
    const reason = s?.state?.waiting?.reason;
    if (reason && reason !== 'PodInitializing') return `Init:${reason}`;
  }
  for (const s of main) {
    const reason = s?.state?.waiting?.reason;
    if (reason) return reason;
  }
  return undefined;
}

export function isCrashLooping(pod: KubeObject): boolean {
  return /CrashLoopBackOff/.test(waitingReason(pod) ?? '');
}

/** Total restarts across containers (init containers included). */
export function restarts(pod: KubeObject): number {
  const { init, main } = allStatuses(pod);
  return [...init, ...main].reduce((sum, s) => sum + (Number(s?.restartCount) || 0), 0);
}

/** kubectl's STATUS column, approximately. */
export function podStatusText(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  const waiting = waitingReason(pod);
  if (waiting) return waiting;
  const { main } = allStatuses(pod);
  const terminated = main.find((s) => s?.state?.terminated)?.state?.terminated;
  if (terminated?.reason && pod.status?.phase !== 'Running') return terminated.reason;
  return pod.status?.phase ?? 'Unknown';
}

/** A kubectl-like one-liner: `coredns-7db6d8ff4d-2xk9p 0/1 CrashLoopBackOff (restarts 7) on worker-1`. */
export function podState(pod: KubeObject): string {
  const { main } = allStatuses(pod);
  const total = Array.isArray(pod.spec?.containers) ? pod.spec.containers.length : main.length;
  const ready = main.filter((s) => s?.ready === true).length;
  const count = restarts(pod);
  const parts = [pod.metadata.name, `${ready}/${total}`, podStatusText(pod)];
  if (count > 0) parts.push(`(restarts ${count})`);
  const node = pod.spec?.nodeName;
  parts.push(node ? `on ${node}` : '(not scheduled)');
  return parts.join(' ');
}

/** How long after its last exit a restarted container still counts as restarting (matches recency.ts). */
export const RESTART_WINDOW_MS = 60 * 60_000;

/**
 * Restarted within the window before `now`: judged from the last exit (lastState.terminated.finishedAt), not from the
 * lifetime restartCount, so a container that crashed days ago and has run since is not "restarting". A restart
 * without a known exit time, or without a clock, counts as recent (nothing proves it is old).
 */
export function restartedRecently(pod: KubeObject, now: number | undefined, windowMs = RESTART_WINDOW_MS): boolean {
  const { init, main } = allStatuses(pod);
  return [...init, ...main].some((s) => {
    if (!(Number(s?.restartCount) > 0) && !s?.lastState?.terminated) return false;
    const finished = Date.parse(s?.lastState?.terminated?.finishedAt ?? '');
    if (now === undefined || !Number.isFinite(finished)) return Number(s?.restartCount) > 0;
    return now - finished <= windowMs;
  });
}

/**
 * A pod that deserves attention: not Ready, crash-looping, waiting, or restarted recently (with `now`; without it,
 * restarted at all).
 */
export function podUnhealthy(pod: KubeObject, now?: number): boolean {
  if (pod.status?.phase === 'Succeeded') return false;
  if (!podReady(pod) || isCrashLooping(pod) || waitingReason(pod) !== undefined) return true;
  return now === undefined ? restarts(pod) > 0 : restartedRecently(pod, now);
}

/** Container names of a pod spec (or a workload's pod template spec). */
export function containerNames(podSpec: KubeObject['spec'] | undefined): string[] {
  return Array.isArray(podSpec?.containers) ? podSpec.containers.map((c: { name: string }) => c.name) : [];
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
