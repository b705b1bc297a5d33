// "Now, not history": a check judges what is true at the snapshot's time. Events that stopped long ago and the last
// words of a container that ended long ago on a pod Ready since are history; they are taken out of what the checks
// see and kept as dated notes, which the `recovered` checks report as `info` at most.
import type { HistoryNote, Snapshot } from './check.ts';
import type { KubeObject } from './cluster-reader.ts';
import { eventCount, eventLine } from './objects/events.ts';
import { logKey } from './objects/logs.ts';
import { allStatuses, isCrashLooping, podReady } from './objects/pods.ts';
import type { ComponentName } from './report.ts';

/** An event whose last occurrence is older than this is no longer happening (kubelet refreshes repeating ones). */
export const EVENT_WINDOW_MS = 60 * 60_000;
/** A container that ended this long ago, on a pod Ready since, has recovered: its exit is history. */
export const RECOVERED_AFTER_MS = 60 * 60_000;

function time(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}

/** When an event last happened (core/v1 and events.k8s.io/v1 fields), or undefined when it carries no time. */
export function eventLastSeen(ev: KubeObject): number | undefined {
  return (
    time(ev.series?.lastObservedTime) ??
    time(ev.lastTimestamp) ??
    time(ev.deprecatedLastTimestamp) ??
    time(ev.eventTime) ??
    time(ev.firstTimestamp) ??
    time(ev.metadata?.creationTimestamp)
  );
}

/** The snapshot's clock (server Date header, else the collector's), or undefined when unknown. */
export function snapshotNow(snapshot: Pick<Snapshot, 'now'>): number | undefined {
  return time(snapshot.now);
}

/** True when the event still happens at the snapshot's time; without a clock or a time, it counts as current. */
export function eventIsCurrent(ev: KubeObject, now: number | undefined, windowMs = EVENT_WINDOW_MS): boolean {
  if (now === undefined) return true;
  const seen = eventLastSeen(ev);
  return seen === undefined || now - seen <= windowMs;
}

/**
 * How many times an event happened within the window before `now`. `count` covers the whole series since
 * firstTimestamp; when the series is older than the window, only the share of it that falls inside is counted
 * (spread evenly), at least 1 when it was last seen inside. Without a clock, the whole count.
 */
export function eventCountInWindow(ev: KubeObject, now: number | undefined, windowMs = EVENT_WINDOW_MS): number {
  const count = Math.max(1, Number(ev.count ?? ev.series?.count ?? 1) || 1);
  if (now === undefined) return count;
  const last = eventLastSeen(ev);
  if (last === undefined) return count;
  if (now - last > windowMs) return 0;
  const first = time(ev.firstTimestamp) ?? time(ev.eventTime) ?? last;
  const start = now - windowMs;
  if (first >= start || last <= first) return count;
  return Math.max(1, Math.ceil((count * (last - start)) / (last - first)));
}

/** When the pod became Ready (its Ready condition's last transition), if it is Ready. */
function readySince(pod: KubeObject): number | undefined {
  if (!podReady(pod)) return undefined;
  const ready = (pod.status?.conditions ?? []).find((c: { type?: string }) => c?.type === 'Ready');
  return time(ready?.lastTransitionTime);
}

/**
 * The containers of a pod whose previous instance ended long before `now` while the pod has been Ready since:
 * their previous logs and exit codes describe the past.
 */
export function recoveredContainers(
  pod: KubeObject,
  now: number | undefined,
): { name: string; finishedAt: number; reason: string }[] {
  if (now === undefined || isCrashLooping(pod)) return [];
  const since = readySince(pod);
  if (since === undefined) return [];
  const out: { name: string; finishedAt: number; reason: string }[] = [];
  for (const s of allStatuses(pod).main) {
    const last = s?.lastState?.terminated;
    const finished = time(last?.finishedAt);
    if (!last || finished === undefined || s?.state?.waiting) continue;
    if (now - finished < RECOVERED_AFTER_MS || since < finished) continue;
    out.push({
      name: s.name,
      finishedAt: finished,
      reason: `${last.reason ?? 'Terminated'}, exit ${last.exitCode ?? '?'}`,
    });
  }
  return out;
}

/** Which component a kube-system/CNI pod belongs to, from its labels and namespace; undefined for other pods. */
export function componentOfPod(snapshot: Snapshot, pod: KubeObject): ComponentName | undefined {
  const labels = pod.metadata.labels ?? {};
  const app = labels['k8s-app'];
  const ownerName = pod.metadata.ownerReferences?.[0]?.name ?? '';
  const dns = snapshot.fingerprint.dnsWorkload;
  if (
    app === 'kube-dns' ||
    (dns && pod.metadata.namespace === dns.namespace && ownerName.startsWith(`${dns.deployment}-`))
  )
    return 'dns';
  if (app === 'kube-proxy' || labels.component === 'kube-proxy') return 'kube-proxy';
  const cni = snapshot.fingerprint.cniWorkload;
  if (cni && pod.metadata.namespace === cni.namespace && ownerName === cni.daemonSet) return 'cni';
  if (['kube-flannel', 'calico-system'].includes(pod.metadata.namespace ?? '')) return 'cni';
  if (app && /^(calico-node|calico-kube-controllers|cilium|aws-node|canal|kindnet)$/.test(app)) return 'cni';
  if (labels.name === 'weave-net' || labels.app === 'flannel') return 'cni';
  return undefined;
}

function iso(t: number): string {
  return new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * A pod its controller has already replaced or is removing: Terminating (deletionTimestamp set, e.g. the old replica
 * of a rollout draining), or a controller-owned pod that ended (Evicted, Completed). It says nothing about the
 * workload now; its live replicas do. Static and ownerless pods are kept (nothing replaces them).
 */
export function replacedPod(pod: KubeObject): boolean {
  if (pod.metadata.deletionTimestamp) return true;
  const phase = pod.status?.phase;
  if (phase !== 'Failed' && phase !== 'Succeeded') return false;
  return (pod.metadata.ownerReferences ?? []).some((o) => o.controller === true && o.kind !== 'Node');
}

/**
 * The snapshot as of its own time: pods their controller replaced dropped; stale events and recovered containers'
 * previous logs removed, each kept as a HistoryNote. Without a clock no event or log is removed (we cannot prove
 * anything is old).
 */
export function presentTense(input: Snapshot): Snapshot {
  const live = input.pods.filter((p) => !replacedPod(p));
  const snapshot = live.length === input.pods.length ? input : { ...input, pods: live };
  const now = snapshotNow(snapshot);
  if (now === undefined) return snapshot;
  const history: HistoryNote[] = [...(snapshot.history ?? [])];
  const podsByKey = new Map(snapshot.pods.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
  const events = snapshot.events.filter((ev) => {
    if (eventIsCurrent(ev, now)) return true;
    const io = ev.involvedObject ?? ev.regarding ?? {};
    const pod = io.kind === 'Pod' ? podsByKey.get(`${io.namespace ?? ev.metadata.namespace}/${io.name}`) : undefined;
    const component = pod ? componentOfPod(snapshot, pod) : undefined;
    const seen = eventLastSeen(ev)!;
    if (component)
      history.push({
        component,
        subject: `pod/${io.name}`,
        what: `${eventLine(ev)} (count ${eventCount(ev)})`,
        lastSeen: iso(seen),
      });
    return false;
  });
  const logs = { ...snapshot.logs };
  for (const pod of snapshot.pods) {
    const component = componentOfPod(snapshot, pod);
    for (const c of recoveredContainers(pod, now)) {
      const key = logKey(pod.metadata.namespace ?? '', pod.metadata.name, c.name);
      if (logs[key]?.previous !== undefined) {
        const { previous: _old, ...rest } = logs[key]!;
        logs[key] = rest;
      }
      if (component)
        history.push({
          component,
          subject: `pod/${pod.metadata.name}`,
          what: `container ${c.name} ended (${c.reason}) and the pod has been Ready since`,
          lastSeen: iso(c.finishedAt),
        });
    }
  }
  return { ...snapshot, events, logs, history };
}
