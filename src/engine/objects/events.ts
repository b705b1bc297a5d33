// Warning events in the Snapshot: who they are about, and one-line quotes of them.
import type { Snapshot } from '../check.ts';
import type { KubeObject } from '../cluster-reader.ts';
import { truncate } from '../findings.ts';

export function eventsFor(
  snapshot: Snapshot,
  target: { kind?: string; name?: string; namePrefix?: string; namespace?: string },
): KubeObject[] {
  return snapshot.events.filter((e) => {
    const io = e.involvedObject ?? e.regarding ?? {};
    if (target.kind && io.kind !== target.kind) return false;
    if (target.namespace && (io.namespace ?? e.metadata.namespace) !== target.namespace) return false;
    if (target.name && io.name !== target.name) return false;
    if (target.namePrefix && !String(io.name ?? '').startsWith(target.namePrefix)) return false;
    return true;
  });
}

export function eventMessage(event: KubeObject): string {
  return String(event.message ?? event.note ?? '');
}

export function eventsMatching(snapshot: Snapshot, pattern: string | RegExp, events = snapshot.events): KubeObject[] {
  return events.filter((e) => {
    const message = eventMessage(e);
    return typeof pattern === 'string' ? message.includes(pattern) : pattern.test(message);
  });
}

/** `Warning FailedMount pod/kube-proxy-abcde: MountVolume.SetUp failed ...` (trimmed). */
export function eventLine(event: KubeObject): string {
  const io = event.involvedObject ?? event.regarding ?? {};
  const who = io.kind && io.name ? `${String(io.kind).toLowerCase()}/${io.name}` : event.metadata.name;
  const count = Number(event.count ?? event.series?.count ?? 0);
  const times = count > 1 ? ` (x${count})` : '';
  return truncate(`${event.type ?? 'Warning'} ${event.reason ?? ''} ${who}${times}: ${eventMessage(event)}`);
}

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
