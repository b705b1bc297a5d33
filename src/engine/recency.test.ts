// "Now, not history": the snapshot is judged at its own time; what stopped long ago is a dated note, never a finding.
import { describe, expect, it } from 'vitest';
import { FakeReader } from '#test/fakes/cluster-reader.ts';
import { loadScenarioSync } from '../sandbox/scenarios.ts';
import type { KubeObject, Resource } from './cluster-reader.ts';
import { diagnose } from './diagnose.ts';
import { podUnhealthy, restartedRecently } from './objects/pods.ts';
import {
  EVENT_WINDOW_MS,
  eventCountInWindow,
  eventIsCurrent,
  eventLastSeen,
  presentTense,
  recoveredContainers,
  replacedPod,
} from './recency.ts';
import { emptySnapshot } from './snapshot.ts';

const NOW = Date.parse('2026-11-27T09:00:00Z');

function event(lastTimestamp: string, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    kind: 'Event',
    metadata: { name: 'e', namespace: 'kube-system' },
    involvedObject: { kind: 'Pod', namespace: 'kube-system', name: 'coredns-a' },
    reason: 'BackOff',
    message: 'Back-off restarting failed container coredns',
    count: 5,
    lastTimestamp,
    ...extra,
  };
}

function readyPod(finishedAt: string, readySince: string): KubeObject {
  return {
    kind: 'Pod',
    metadata: { name: 'coredns-a', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: { nodeName: 'worker-1', containers: [{ name: 'coredns' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: readySince }],
      containerStatuses: [
        {
          name: 'coredns',
          ready: true,
          restartCount: 4,
          state: { running: { startedAt: readySince } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt } },
        },
      ],
    },
  };
}

describe('event recency', () => {
  it('reads the last time from series, lastTimestamp or eventTime, newest field first', () => {
    expect(eventLastSeen(event('2026-11-27T08:00:00Z'))).toBe(Date.parse('2026-11-27T08:00:00Z'));
    expect(
      eventLastSeen(event('2026-11-27T08:00:00Z', { series: { count: 9, lastObservedTime: '2026-11-27T08:59:00Z' } })),
    ).toBe(Date.parse('2026-11-27T08:59:00Z'));
  });

  it('keeps events seen within the window and drops older ones; without a clock or a time, keeps everything', () => {
    expect(eventIsCurrent(event(new Date(NOW - EVENT_WINDOW_MS + 1000).toISOString()), NOW)).toBe(true);
    expect(eventIsCurrent(event(new Date(NOW - EVENT_WINDOW_MS - 1000).toISOString()), NOW)).toBe(false);
    expect(eventIsCurrent(event('2026-11-01T00:00:00Z'), undefined)).toBe(true);
    expect(eventIsCurrent({ kind: 'Event', metadata: { name: 'e' } }, NOW)).toBe(true);
  });
});

describe('presentTense', () => {
  it('turns a stale event about a component pod into a dated history note', () => {
    const snap = presentTense(
      emptySnapshot({
        now: new Date(NOW).toISOString(),
        pods: [readyPod('2026-11-20T11:35:04Z', '2026-11-20T11:42:19Z')],
        events: [event('2026-11-20T11:36:20Z'), event('2026-11-27T08:59:00Z', { reason: 'Unhealthy' })],
      }),
    );
    expect(snap.events.map((e) => e.reason)).toEqual(['Unhealthy']);
    expect(snap.history?.find((n) => n.what.includes('BackOff'))).toMatchObject({
      component: 'dns',
      subject: 'pod/coredns-a',
      lastSeen: '2026-11-20T11:36:20Z',
    });
  });

  it("drops a recovered container's previous log, but keeps a recent crash's", () => {
    const logs = { 'kube-system/coredns-a/coredns': { current: 'ok', previous: '[FATAL] plugin/loop: Loop' } };
    const old = presentTense(
      emptySnapshot({
        now: new Date(NOW).toISOString(),
        pods: [readyPod('2026-11-20T11:35:04Z', '2026-11-20T11:42:19Z')],
        logs,
      }),
    );
    expect(old.logs['kube-system/coredns-a/coredns']).toEqual({ current: 'ok' });
    expect(old.history?.[0]?.what).toContain('ended (Error, exit 1)');

    const recent = presentTense(
      emptySnapshot({
        now: new Date(NOW).toISOString(),
        pods: [readyPod('2026-11-27T08:40:00Z', '2026-11-27T08:41:00Z')],
        logs,
      }),
    );
    expect(recent.logs['kube-system/coredns-a/coredns']?.previous).toContain('plugin/loop');
    expect(recent.history).toEqual([]);
  });

  it('never treats a crash-looping or not-Ready pod as recovered, however old its last exit', () => {
    const pod = readyPod('2026-11-20T11:35:04Z', '2026-11-20T11:42:19Z');
    pod.status.conditions[0].status = 'False';
    expect(recoveredContainers(pod, NOW)).toEqual([]);
  });

  it('without a clock, changes nothing', () => {
    const snap = emptySnapshot({ events: [event('2020-01-01T00:00:00Z')] });
    expect(presentTense(snap)).toBe(snap);
  });
});

describe('the noisy-recovered-crash scenario', () => {
  function readerFor(name: string) {
    const scenario = loadScenarioSync(name);
    const byKind: Record<string, Resource> = {
      Pod: 'pods',
      Event: 'events',
      Deployment: 'deployments',
      DaemonSet: 'daemonsets',
      ReplicaSet: 'replicasets',
      Service: 'services',
      EndpointSlice: 'endpointslices',
      ConfigMap: 'configmaps',
      ServiceAccount: 'serviceaccounts',
      Node: 'nodes',
      ClusterRole: 'clusterroles',
      ClusterRoleBinding: 'clusterrolebindings',
    };
    const objects: Partial<Record<Resource, KubeObject[]>> = {};
    for (const o of scenario.objects) {
      const r = byKind[o.kind ?? ''];
      if (r) objects[r] = [...(objects[r] ?? []), o];
    }
    return { scenario, reader: new FakeReader(objects, scenario.logs) };
  }

  it("judged at the cluster's time, reports the week-old loop only as a dated info note", async () => {
    const { scenario, reader } = readerFor('noisy-recovered-crash');
    reader.serverTime = Date.parse(scenario.now!);
    const report = await diagnose(reader, { scope: 'all', cluster: { name: 'x', server: 'https://127.0.0.1' } });
    const findings = report.components.flatMap((c) => c.findings);
    expect(findings.map((f) => `${f.severity} ${f.id}`)).toEqual(['info dns.recovered']);
    expect(findings[0]!.observedAt).toBe('2026-11-20T11:36:20Z');
    expect(findings[0]!.evidence.join('\n')).toContain('pod/coredns-7c65d6cfc9-4xkzq');
  });

  it('judged at the time of the crash, the same objects are the loop (so the note is not a blind spot)', async () => {
    const { reader } = readerFor('noisy-recovered-crash');
    reader.serverTime = Date.parse('2026-11-20T11:36:30Z');
    const report = await diagnose(reader, { scope: 'all', cluster: { name: 'x', server: 'https://127.0.0.1' } });
    const ids = report.components.flatMap((c) => c.findings).map((f) => f.id);
    expect(ids).toContain('coredns.loop-detected');
  });
});

describe('pods their controller replaced', () => {
  const owned = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'coredns-6f6b679f8f', controller: true }];
  const pod = (extra: Partial<KubeObject['metadata']>, phase: string): KubeObject => ({
    kind: 'Pod',
    metadata: { name: 'coredns-6f6b679f8f-9wl2c', namespace: 'kube-system', ownerReferences: owned, ...extra },
    status: { phase, conditions: [{ type: 'Ready', status: 'False' }] },
  });

  it('are a Terminating replica, or an Evicted / Completed controller-owned pod', () => {
    expect(replacedPod(pod({ deletionTimestamp: '2026-11-27T08:59:30Z' }, 'Running'))).toBe(true);
    expect(replacedPod(pod({}, 'Failed'))).toBe(true);
    expect(replacedPod(pod({}, 'Succeeded'))).toBe(true);
  });

  it('are never a live not-Ready replica, nor an ownerless or static pod that ended', () => {
    expect(replacedPod(pod({}, 'Running'))).toBe(false);
    expect(replacedPod(pod({ ownerReferences: [] }, 'Failed'))).toBe(false);
    expect(
      replacedPod(
        pod({ ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'cp-1', controller: true }] }, 'Failed'),
      ),
    ).toBe(false);
  });

  it('are left out of what the checks judge, with or without a clock', () => {
    const snap = emptySnapshot({ pods: [pod({ deletionTimestamp: '2026-11-27T08:59:30Z' }, 'Running')] });
    expect(presentTense(snap).pods).toEqual([]);
  });
});

describe('restarts by recent rate, not lifetime count', () => {
  const pod = (restartCount: number, finishedAt?: string): KubeObject => ({
    kind: 'Pod',
    metadata: { name: 'kube-proxy-7qpdl', namespace: 'kube-system' },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        {
          name: 'kube-proxy',
          ready: true,
          restartCount,
          state: { running: {} },
          lastState: finishedAt ? { terminated: { exitCode: 1, finishedAt } } : {},
        },
      ],
    },
  });

  it('a Ready pod whose last exit was days ago is healthy now, whatever its restartCount', () => {
    expect(restartedRecently(pod(40, '2026-11-20T11:35:04Z'), NOW)).toBe(false);
    expect(podUnhealthy(pod(40, '2026-11-20T11:35:04Z'), NOW)).toBe(false);
  });

  it('a Ready pod that exited minutes ago is restarting now', () => {
    expect(restartedRecently(pod(1, '2026-11-27T08:50:00Z'), NOW)).toBe(true);
    expect(podUnhealthy(pod(1, '2026-11-27T08:50:00Z'), NOW)).toBe(true);
  });

  it('without an exit time or a clock, any restart counts (nothing proves it is old)', () => {
    expect(restartedRecently(pod(2), NOW)).toBe(true);
    expect(podUnhealthy(pod(2, '2026-11-20T11:35:04Z'))).toBe(true);
    expect(podUnhealthy(pod(0), NOW)).toBe(false);
  });
});

describe('events by count within the window', () => {
  it('counts all of a series that started inside the window', () => {
    const ev = event('2026-11-27T08:59:00Z', { firstTimestamp: '2026-11-27T08:30:00Z', count: 12 });
    expect(eventCountInWindow(ev, NOW)).toBe(12);
  });

  it('counts only the share of a long series that falls inside the window, and nothing of a stale one', () => {
    // 240 occurrences spread over 4 days, the last a minute ago: about 2.5 an hour.
    const long = event('2026-11-27T08:59:00Z', { firstTimestamp: '2026-11-23T08:59:00Z', count: 240 });
    expect(eventCountInWindow(long, NOW)).toBe(3);
    const sparse = event('2026-11-27T08:59:00Z', { firstTimestamp: '2026-11-20T08:59:00Z', count: 3 });
    expect(eventCountInWindow(sparse, NOW)).toBe(1);
    expect(eventCountInWindow(event('2026-11-20T11:36:20Z', { count: 31 }), NOW)).toBe(0);
  });

  it('without a clock, counts the whole series', () => {
    expect(eventCountInWindow(event('2026-11-20T11:36:20Z', { count: 31 }), undefined)).toBe(31);
  });
});
