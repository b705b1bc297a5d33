import { describe, expect, it } from 'vitest';
import type { KubeObject } from './cluster-reader.ts';
import { cidrContains } from './objects/cidr.ts';
import { eventLine, eventsFor, eventsMatching } from './objects/events.ts';
import { findLogLine, lastLogLine, logsFor } from './objects/logs.ts';
import { nodeReady } from './objects/nodes.ts';
import { isCrashLooping, podReady, podState, restarts, waitingReason } from './objects/pods.ts';
import { labelSelectorString, ownedBy, podsOf } from './objects/workloads.ts';
import { emptySnapshot } from './snapshot.ts';

const crashingCoreDns: KubeObject = {
  metadata: {
    name: 'coredns-7db6d8ff4d-2xk9p',
    namespace: 'kube-system',
    labels: { 'k8s-app': 'kube-dns', 'pod-template-hash': '7db6d8ff4d' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'coredns-7db6d8ff4d' }],
  },
  spec: { nodeName: 'worker-1', containers: [{ name: 'coredns' }] },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'False' }],
    containerStatuses: [
      { name: 'coredns', ready: false, restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff' } } },
    ],
  },
};

const proxyPod: KubeObject = {
  metadata: {
    name: 'kube-proxy-abcde',
    namespace: 'kube-system',
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kube-proxy' }],
  },
  spec: { nodeName: 'cp-1', containers: [{ name: 'kube-proxy' }] },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: 'kube-proxy', ready: true, restartCount: 0, state: { running: {} } }],
  },
};

describe('pod readers', () => {
  it('describes a crash-looping pod the way kubectl does', () => {
    expect(podState(crashingCoreDns)).toBe('coredns-7db6d8ff4d-2xk9p 0/1 CrashLoopBackOff (restarts 7) on worker-1');
    expect(podReady(crashingCoreDns)).toBe(false);
    expect(isCrashLooping(crashingCoreDns)).toBe(true);
    expect(restarts(crashingCoreDns)).toBe(7);
  });

  it('describes a healthy and an unscheduled pod', () => {
    expect(podState(proxyPod)).toBe('kube-proxy-abcde 1/1 Running on cp-1');
    const pending: KubeObject = {
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c' }] },
      status: { phase: 'Pending' },
    };
    expect(podState(pending)).toBe('p 0/1 Pending (not scheduled)');
  });

  it('prefixes init-container waiting reasons', () => {
    const pod: KubeObject = {
      metadata: { name: 'calico-node-x' },
      status: { initContainerStatuses: [{ name: 'install-cni', state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
    };
    expect(waitingReason(pod)).toBe('Init:CrashLoopBackOff');
    expect(isCrashLooping(pod)).toBe(true);
  });
});

describe('ownership', () => {
  const rs: KubeObject = {
    metadata: {
      name: 'coredns-7db6d8ff4d',
      namespace: 'kube-system',
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'coredns' }],
    },
  };

  it('follows pod → ReplicaSet → Deployment through the snapshot', () => {
    const snapshot = emptySnapshot({ replicaSets: [rs], pods: [crashingCoreDns, proxyPod] });
    expect(ownedBy(crashingCoreDns, 'Deployment', 'coredns', snapshot)).toBe(true);
    expect(ownedBy(crashingCoreDns, 'Deployment', 'other', snapshot)).toBe(false);
    expect(podsOf(snapshot, { kind: 'Deployment', namespace: 'kube-system', name: 'coredns' })).toEqual([
      crashingCoreDns,
    ]);
  });

  it('falls back to the pod-template-hash naming when the ReplicaSet was not collected', () => {
    expect(ownedBy(crashingCoreDns, 'Deployment', 'coredns', emptySnapshot())).toBe(true);
  });

  it('matches DaemonSet pods directly', () => {
    const snapshot = emptySnapshot({ pods: [crashingCoreDns, proxyPod] });
    expect(podsOf(snapshot, { kind: 'DaemonSet', namespace: 'kube-system', name: 'kube-proxy' })).toEqual([proxyPod]);
  });
});

describe('logs and events', () => {
  it('finds the whole line containing a substring or pattern, trimmed', () => {
    const text =
      'I1007 first\nE1007 21:05:58.635373       1 run.go:74] "command failed" err="failed complete: open /x"\n';
    expect(findLogLine(text, 'failed complete')).toBe(
      'E1007 21:05:58.635373       1 run.go:74] "command failed" err="failed complete: open /x"',
    );
    expect(findLogLine(text, /run\.go:\d+/)).toContain('command failed');
    expect(findLogLine(text, 'absent')).toBeUndefined();
    expect(findLogLine(`${'x'.repeat(1000)}needle`, 'needle')!.length).toBeLessThanOrEqual(300);
    expect(lastLogLine(text)).toContain('failed complete');
  });

  it('reads logs by namespace/pod/container, defaulting to the first container', () => {
    const snapshot = emptySnapshot({ logs: { 'kube-system/kube-proxy-abcde/kube-proxy': { previous: 'boom' } } });
    expect(logsFor(snapshot, proxyPod)).toEqual({ previous: 'boom' });
    expect(logsFor(snapshot, proxyPod, 'other')).toEqual({});
  });

  it('selects events by involved object and by message', () => {
    const event: KubeObject = {
      metadata: { name: 'e1', namespace: 'kube-system' },
      type: 'Warning',
      reason: 'FailedMount',
      count: 3,
      involvedObject: { kind: 'Pod', name: 'kube-proxy-abcde', namespace: 'kube-system' },
      message: 'MountVolume.SetUp failed for volume "kube-proxy" : configmap "kube-proxy" not found',
    };
    const snapshot = emptySnapshot({ events: [event] });
    expect(eventsFor(snapshot, { kind: 'Pod', namePrefix: 'kube-proxy-' })).toHaveLength(1);
    expect(eventsFor(snapshot, { kind: 'DaemonSet' })).toHaveLength(0);
    expect(eventsMatching(snapshot, 'configmap "kube-proxy" not found')).toHaveLength(1);
    expect(eventLine(event)).toBe(
      'Warning FailedMount pod/kube-proxy-abcde (x3): MountVolume.SetUp failed for volume "kube-proxy" : configmap "kube-proxy" not found',
    );
  });
});

describe('nodes, selectors and CIDRs', () => {
  it('reads the Ready condition', () => {
    expect(nodeReady({ metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } })).toBe(
      true,
    );
    expect(nodeReady({ metadata: { name: 'n' } })).toBe(false);
  });

  it('renders a label selector', () => {
    expect(labelSelectorString({ 'k8s-app': 'kube-dns', tier: 'node' })).toBe('k8s-app=kube-dns,tier=node');
  });

  it('contains IPv4 CIDRs and addresses', () => {
    expect(cidrContains('10.244.0.0/16', '10.244.3.0/24')).toBe(true);
    expect(cidrContains('10.244.0.0/16', '10.245.0.0/24')).toBe(false);
    expect(cidrContains('10.244.0.0/16', '10.0.0.0/8')).toBe(false);
    expect(cidrContains('192.168.0.0/16', '192.168.77.5')).toBe(true);
    expect(cidrContains('0.0.0.0/0', '8.8.8.8')).toBe(true);
  });

  it('contains IPv6 CIDRs and never mixes families', () => {
    expect(cidrContains('fd00:10:244::/56', 'fd00:10:244:1::/64')).toBe(true);
    expect(cidrContains('fd00:10:244::/56', 'fd00:10:245::/64')).toBe(false);
    expect(cidrContains('::ffff:0:0/96', '::ffff:10.0.0.1')).toBe(true);
    expect(cidrContains('10.0.0.0/8', 'fd00::1')).toBe(false);
    expect(cidrContains('not-a-cidr', '10.0.0.1')).toBe(false);
  });
});
