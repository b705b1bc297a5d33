import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch, PatchError, strategicMergePatch } from './patch.ts';

const deployment = {
  metadata: { name: 'coredns', labels: { a: '1', b: '2' } },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'coredns', image: 'coredns:1.11', env: [{ name: 'A', value: '1' }] },
          { name: 'sidecar', image: 'envoy' },
        ],
      },
    },
  },
};

describe('JSON merge patch', () => {
  it('merges objects, deletes on null and replaces lists wholesale', () => {
    const out = mergePatch(deployment, {
      metadata: { labels: { b: null, c: '3' } },
      spec: { template: { spec: { containers: [{ name: 'only' }] } } },
    });
    expect(out).toMatchObject({
      metadata: { labels: { a: '1', c: '3' } },
      spec: { template: { spec: { containers: [{ name: 'only' }] } } },
    });
    expect(deployment.metadata.labels.b).toBe('2'); // input untouched
  });
});

describe('strategic merge patch', () => {
  it('merges containers and env by name, keeping untouched elements', () => {
    const out = strategicMergePatch(deployment, {
      spec: { template: { spec: { containers: [{ name: 'coredns', env: [{ name: 'B', value: '2' }] }] } } },
    }) as typeof deployment;
    const [coredns, sidecar] = out.spec.template.spec.containers;
    expect(coredns).toEqual({
      name: 'coredns',
      image: 'coredns:1.11',
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    });
    expect(sidecar).toEqual({ name: 'sidecar', image: 'envoy' });
  });

  it('removes list elements marked $patch: delete and ignores ordering directives', () => {
    const out = strategicMergePatch(deployment, {
      spec: {
        template: {
          spec: { $setElementOrder: [{ name: 'coredns' }], containers: [{ name: 'sidecar', $patch: 'delete' }] },
        },
      },
    }) as typeof deployment;
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(['coredns']);
    expect(out.spec.template.spec).not.toHaveProperty('$setElementOrder');
  });
});

describe('JSON patch', () => {
  it('applies add, replace, remove and test in order', () => {
    const out = jsonPatch(deployment, [
      { op: 'test', path: '/metadata/name', value: 'coredns' },
      { op: 'add', path: '/metadata/labels/c', value: '3' },
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'coredns:1.12' },
      { op: 'remove', path: '/spec/template/spec/containers/1' },
      { op: 'add', path: '/metadata/annotations', value: { 'kubectl.kubernetes.io/restartedAt': 'now' } },
    ]) as typeof deployment & { metadata: { annotations: Record<string, string> } };
    expect(out.metadata.labels).toEqual({ a: '1', b: '2', c: '3' });
    expect(out.spec.template.spec.containers).toEqual([
      { name: 'coredns', image: 'coredns:1.12', env: [{ name: 'A', value: '1' }] },
    ]);
    expect(out.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBe('now');
  });

  it('fails on a missing path or a failed test', () => {
    expect(() => jsonPatch(deployment, [{ op: 'remove', path: '/spec/nope' }])).toThrow(PatchError);
    expect(() => jsonPatch(deployment, [{ op: 'test', path: '/metadata/name', value: 'x' }])).toThrow(PatchError);
  });
});
