// Sharing equal parts of listed objects: memory at 5,000 nodes depends on it, and readers must not see a difference.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../engine/cluster-reader.ts';
import { Interner, shareWith } from './intern.ts';

const agentPod = (name: string, node: string, restarts = 0): KubeObject => ({
  metadata: {
    name,
    namespace: 'kube-system',
    labels: { 'k8s-app': 'calico-node' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'calico-node', uid: 'ds-1' }],
  },
  spec: {
    nodeName: node,
    containers: [{ name: 'calico-node', image: 'calico/node:v3.25.2', env: [{ name: 'IP', value: 'autodetect' }] }],
    volumes: [{ name: 'lib-modules', hostPath: { path: '/lib/modules' } }, { name: `kube-api-access-${name}` }],
  },
  status: {
    phase: 'Running',
    containerStatuses: [{ name: 'calico-node', ready: restarts === 0, restartCount: restarts }],
  },
});

describe('shareWith', () => {
  it('returns the template for an equal value and keeps a different one', () => {
    const template = { a: [1, { b: 'x' }] };
    expect(shareWith({ a: [1, { b: 'x' }] }, template)).toBe(template);
    const other = { a: [1, { b: 'y' }] };
    expect(shareWith(other, template)).toBe(other);
    expect(other).toEqual({ a: [1, { b: 'y' }] });
  });

  it('treats extra or missing keys and longer arrays as differences', () => {
    const template = { a: 1, list: [1, 2] };
    expect(shareWith({ a: 1, list: [1, 2], b: 2 }, template)).not.toBe(template);
    expect(shareWith({ list: [1, 2] }, template)).not.toBe(template);
    expect(shareWith({ a: 1, list: [1, 2, 3] }, template)).not.toBe(template);
  });
});

describe('Interner', () => {
  it('shares the DaemonSet template parts between agent pods and keeps what differs per pod', () => {
    const interner = new Interner();
    const first = agentPod('calico-node-a', 'node-a');
    const second = agentPod('calico-node-b', 'node-b', 3);
    const expected = structuredClone(second);
    interner.object(first);
    interner.object(second);

    expect(second).toEqual(expected);
    expect(second.spec.containers).toBe(first.spec.containers);
    expect(second.spec.volumes[0]).toBe(first.spec.volumes[0]);
    expect(second.spec.volumes[1]).toEqual({ name: 'kube-api-access-calico-node-b' });
    expect(second.metadata.labels).toBe(first.metadata.labels);
    expect(second.status.containerStatuses[0].restartCount).toBe(3);
    expect(first).toEqual(agentPod('calico-node-a', 'node-a'));
  });

  it('never shares between pods of different owners', () => {
    const interner = new Interner();
    const calico = agentPod('calico-node-a', 'node-a');
    const other = agentPod('other-a', 'node-a');
    other.metadata.ownerReferences![0]!.uid = 'ds-2';
    interner.object(calico);
    interner.object(other);
    expect(other.spec.containers).not.toBe(calico.spec.containers);
  });
});
