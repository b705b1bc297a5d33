// The approver's diff: YAML without server-owned fields, changed lines with three lines of context.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../engine/cluster-reader.ts';
import { objectDiff, objectYaml, unifiedDiff } from './diff.ts';

const cm = (corefile: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'coredns',
    namespace: 'kube-system',
    uid: 'u-1',
    resourceVersion: '42',
    creationTimestamp: '2026-01-01T00:00:00Z',
    generation: 3,
    managedFields: [{ manager: 'kubectl' }],
  },
  data: { Corefile: corefile },
});

const lines = (n: number, change?: [number, string]) =>
  Array.from({ length: n }, (_, i) => (change && change[0] === i ? change[1] : `line ${i}`)).join('\n');

describe('diff', () => {
  it('drops managedFields, resourceVersion, uid, creationTimestamp and generation', () => {
    const y = objectYaml(cm('x'));
    for (const f of ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation']) {
      expect(y).not.toContain(f);
    }
    expect(y).toContain('name: coredns');
  });

  it('shows only the changed line with three lines of context each side', () => {
    const d = unifiedDiff(lines(20), lines(20, [10, 'changed']));
    expect(d).toBe(
      [
        '--- before',
        '+++ after',
        '@@ -8,7 +8,7 @@',
        ' line 7',
        ' line 8',
        ' line 9',
        '-line 10',
        '+changed',
        ' line 11',
        ' line 12',
        ' line 13',
        '',
      ].join('\n'),
    );
  });

  it('is empty for equal objects, even when only server fields differ', () => {
    const a = cm('same');
    const b = { ...cm('same'), metadata: { ...cm('same').metadata, resourceVersion: '43' } };
    expect(objectDiff(a, b, 'configmaps/kube-system/coredns')).toBe('');
  });

  it('renders a created object against /dev/null', () => {
    const d = objectDiff(null, cm('new'), 'configmaps/kube-system/coredns');
    expect(d.split('\n').slice(0, 2)).toEqual(['--- /dev/null', '+++ b/configmaps/kube-system/coredns']);
    expect(d).toContain('+kind: ConfigMap');
  });
});
