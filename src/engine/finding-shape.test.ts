import { describe, expect, it } from 'vitest';
import { findingOf, isFinding } from './finding-shape.ts';
import { Finding } from './report.ts';

const valid: Finding = {
  id: 'coredns.loop-detected',
  severity: 'critical',
  title: 'CoreDNS detected a forwarding loop',
  detail: 'CoreDNS forwards queries back to itself.',
  impact: 'Cluster DNS is down.',
  evidence: ['coredns-1 0/1 CrashLoopBackOff'],
  runbook: [
    { text: 'Read the log.', command: 'kubectl logs x', where: 'kubectl', changes: false },
    { text: 'Fix the node.', option: { id: 'A', title: 'Node resolver', recommended: true } },
    {
      text: 'Pin upstreams.',
      command: 'kubectl edit cm coredns',
      where: 'cluster-admin',
      changes: true,
      option: { id: 'B', title: 'Corefile' },
    },
    { text: 'Verify.' },
  ],
  causedBy: 'cni.not-installed',
  remediation: { id: 'restart-coredns', title: 'Restart CoreDNS', params: { namespace: 'kube-system' } },
};

/** One broken field at a time: the plain check must refuse exactly what the zod contract refuses. */
const variants: [string, unknown][] = [
  ['valid', valid],
  ['minimal', { id: 'a.b', severity: 'info', title: 't', detail: 'd', evidence: [], runbook: [] }],
  ['extra keys', { ...valid, internal: 1 }],
  ['id without a dot', { ...valid, id: 'coredns' }],
  ['id in capitals', { ...valid, id: 'CoreDNS.loop' }],
  ['unknown severity', { ...valid, severity: 'fatal' }],
  ['empty title', { ...valid, title: '' }],
  ['missing detail', { ...valid, detail: undefined }],
  ['empty impact', { ...valid, impact: '' }],
  ['evidence not strings', { ...valid, evidence: [1] }],
  ['evidence missing', { ...valid, evidence: undefined }],
  ['runbook step without text', { ...valid, runbook: [{ command: 'x' }] }],
  ['runbook step with empty command', { ...valid, runbook: [{ text: 'x', command: '' }] }],
  ['a command that does not say where it runs', { ...valid, runbook: [{ text: 'x', command: 'kubectl get pods' }] }],
  ['an unknown place to run', { ...valid, runbook: [{ text: 'x', command: 'y', where: 'laptop', changes: false }] }],
  [
    'an option split in two',
    {
      ...valid,
      runbook: [
        { text: 'a', option: { id: 'A', title: 'One' } },
        { text: 'b', option: { id: 'B', title: 'Two' } },
        { text: 'c', option: { id: 'A', title: 'One' } },
      ],
    },
  ],
  ['an option id in lower case', { ...valid, runbook: [{ text: 'a', option: { id: 'a', title: 'One' } }] }],
  ['observed at a time', { ...valid, observedAt: '2026-11-27T05:00:00Z' }],
  ['observedAt not a date', { ...valid, observedAt: 'yesterday' }],
  ['remediation params not strings', { ...valid, remediation: { id: 'x', title: 'y', params: { replicas: 2 } } }],
  ['causedBy a number', { ...valid, causedBy: 3 }],
  ['remediation without title', { ...valid, remediation: { id: 'x' } }],
  ['null', null],
  ['an array', [valid]],
];

describe('isFinding', () => {
  it.each(variants)('%s: same verdict as the zod Finding schema', (_name, value) => {
    expect(isFinding(value)).toBe(Finding.safeParse(value).success);
  });

  it('findingOf returns what Finding.parse returns: the schema keys, in order, without extras', () => {
    const withExtra = { ...valid, internal: 1, runbook: [{ text: 'a', extra: true }] } as unknown as Finding;
    expect(JSON.stringify(findingOf(withExtra))).toBe(JSON.stringify(Finding.parse(withExtra)));
    expect(JSON.stringify(findingOf(valid))).toBe(JSON.stringify(Finding.parse(valid)));
  });
});
