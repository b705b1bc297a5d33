// Log sampling of healthy-looking agents: a flat budget in cluster size, suspect nodes first, so one bad node among
// thousands is read whenever any other signal points at it.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from './cluster-reader.ts';
import { planLogs } from './collect.ts';
import { HEALTHY_SAMPLE, SUSPECT_SAMPLE, sampleHealthy, suspectNodes } from './sampling.ts';
import { emptyFingerprint, emptySnapshot } from './snapshot.ts';

const NOW = '2026-11-27T09:00:00Z';

function node(name: string, ready = true): KubeObject {
  return {
    kind: 'Node',
    metadata: { name },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', reason: 'KubeletNotReady' }] },
  };
}

function proxyPod(nodeName: string, healthy = true): KubeObject {
  return {
    kind: 'Pod',
    metadata: {
      name: `kube-proxy-${nodeName}`,
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-proxy' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kube-proxy' }],
    },
    spec: { nodeName, containers: [{ name: 'kube-proxy' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: healthy ? 'True' : 'False' }],
      containerStatuses: [{ name: 'kube-proxy', ready: healthy, restartCount: 0, state: { running: {} } }],
    },
  };
}

function cluster(size: number, change: (nodes: KubeObject[], pods: KubeObject[], events: KubeObject[]) => void) {
  const nodes = Array.from({ length: size }, (_, i) => node(`node-${String(i).padStart(4, '0')}`));
  const pods = nodes.map((n) => proxyPod(n.metadata.name));
  const events: KubeObject[] = [];
  change(nodes, pods, events);
  return emptySnapshot({
    now: NOW,
    fingerprint: emptyFingerprint({ proxy: 'kube-proxy' }),
    nodes,
    pods,
    events,
    daemonSets: [{ kind: 'DaemonSet', metadata: { name: 'kube-proxy', namespace: 'kube-system' } }],
  });
}

const sandboxEvent = (host: string, lastTimestamp: string): KubeObject => ({
  kind: 'Event',
  metadata: { name: 'e', namespace: 'default' },
  type: 'Warning',
  reason: 'FailedCreatePodSandBox',
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1' },
  message: 'Failed to create pod sandbox: …',
  lastTimestamp,
  source: { component: 'kubelet', host },
});

describe('log sampling of healthy-looking agents', () => {
  it('reads the same number of kube-proxy logs at 10, 1,000 and 5,000 nodes', () => {
    const sizes = [10, 1000, 5000].map(
      (n) =>
        planLogs(
          cluster(n, () => {}),
          'all',
        ).length,
    );
    expect(sizes).toEqual([HEALTHY_SAMPLE, HEALTHY_SAMPLE, HEALTHY_SAMPLE]);
  });

  it('never samples away the one node that is NotReady among 5,000', () => {
    const snap = cluster(5000, (nodes) => {
      nodes[3217] = node('node-3217', false);
    });
    expect(planLogs(snap, 'all').map((t) => t.pod)).toContain('kube-proxy-node-3217');
  });

  it('never samples away the one node with a current sandbox failure among 1,000, but ignores a stale one', () => {
    const current = cluster(1000, (_n, _p, events) => events.push(sandboxEvent('node-0777', '2026-11-27T08:55:00Z')));
    expect(planLogs(current, 'all').map((t) => t.pod)).toContain('kube-proxy-node-0777');
    const stale = cluster(1000, (_n, _p, events) => events.push(sandboxEvent('node-0777', '2026-11-20T08:55:00Z')));
    expect(suspectNodes(stale).has('node-0777')).toBe(false);
  });

  it("puts the nodes with most signals first and reads an unhealthy agent's node's other agents too", () => {
    const snap = cluster(100, (nodes, pods) => {
      nodes[10] = node('node-0010', false);
      pods.push({ ...proxyPod('node-0042', false), metadata: { ...proxyPod('x').metadata, name: 'calico-node-x' } });
    });
    const suspects = suspectNodes(snap);
    expect([...suspects.keys()].sort()).toEqual(['node-0010', 'node-0042']);
    const sample = sampleHealthy(snap.pods.slice(0, 100), suspects).map((p) => p.spec.nodeName);
    expect(sample.slice(0, 2).sort()).toEqual(['node-0010', 'node-0042']);
    expect(sample).toHaveLength(HEALTHY_SAMPLE);
  });

  it('reads every suspect node up to its own cap, and never more, however many nodes are off', () => {
    const few = cluster(1000, (nodes) => {
      for (const i of [5, 400, 800, 999]) nodes[i] = node(nodes[i]!.metadata.name, false);
    });
    expect(planLogs(few, 'all').map((t) => t.pod)).toEqual(
      expect.arrayContaining([
        'kube-proxy-node-0005',
        'kube-proxy-node-0400',
        'kube-proxy-node-0800',
        'kube-proxy-node-0999',
      ]),
    );
    const many = cluster(5000, (nodes) => {
      for (let i = 0; i < 300; i++) nodes[i * 10] = node(nodes[i * 10]!.metadata.name, false);
    });
    expect(planLogs(many, 'all')).toHaveLength(SUSPECT_SAMPLE);
  });

  it('never counts an unhealthy or unscheduled pod as a healthy sample, and is stable from run to run', () => {
    const pods = [proxyPod('a', false), { ...proxyPod('b'), spec: { containers: [] } }, proxyPod('c'), proxyPod('d')];
    const once = sampleHealthy(pods, new Map()).map((p) => p.metadata.name);
    expect(once.sort()).toEqual(['kube-proxy-c', 'kube-proxy-d']);
    expect(sampleHealthy([...pods].reverse(), new Map()).map((p) => p.metadata.name)).toEqual(
      sampleHealthy(pods, new Map()).map((p) => p.metadata.name),
    );
  });
});
