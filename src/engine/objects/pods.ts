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

/** When the pod's most recent container exit happened (lastState.terminated.finishedAt), or undefined. */
export function lastExitAt(pod: KubeObject): number | undefined {
  const { init, main } = allStatuses(pod);
  const times = [...init, ...main]
    .map((s) => Date.parse(s?.lastState?.terminated?.finishedAt ?? ''))
    .filter((t) => Number.isFinite(t));
  return times.length > 0 ? Math.max(...times) : undefined;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** `02:51 UTC` on the snapshot's day, `2026-11-27 06:20 UTC` otherwise. */
function clock(at: number, now: number | undefined): string {
  const iso = new Date(at).toISOString();
  const sameDay = now !== undefined && new Date(now).toISOString().slice(0, 10) === iso.slice(0, 10);
  return `${sameDay ? iso.slice(11, 16) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`} UTC`;
}

/**
 * "restarts 9, last exit 3m ago (02:51 UTC)": a restart count alone cannot tell a crash now from one last week, so
 * it carries the time of the last exit, relative to the snapshot's clock when there is one.
 */
export function restartText(pod: KubeObject, now: number | undefined): string {
  const text = `restarts ${restarts(pod)}`;
  const at = lastExitAt(pod);
  if (at === undefined) return text;
  // No clock, or one behind the exit (skew): the time alone, never a made-up "0s ago".
  if (now === undefined || at > now) return `${text}, last exit ${clock(at, now)}`;
  return `${text}, last exit ${ago(now - at)} ago (${clock(at, now)})`;
}

/**
 * Dates the restart counts that podState lines put in evidence. Checks build evidence without the snapshot's clock
 * (podState is mapped over pod lists), so the diagnosis adds the time here, once, for every check.
 */
export function datePodStates(lines: string[], pods: readonly KubeObject[], now: number | undefined): string[] {
  if (!lines.some((l) => l.includes('(restarts '))) return lines;
  return lines.map((line) => {
    const match = /^(\S+) \d+\/\d+ .*?\(restarts \d+\)/.exec(line);
    if (!match) return line;
    const pod = pods.find((p) => p.metadata.name === match[1]);
    if (!pod) return line;
    return line.replace(/\(restarts \d+\)/, `(${restartText(pod, now)})`);
  });
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
