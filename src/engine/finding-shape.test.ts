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
  runbook: [{ text: 'Read the log.', command: 'kubectl logs x' }, { text: 'Fix it.' }],
  causedBy: 'cni.not-installed',
  remediation: { id: 'restart-coredns', title: 'Restart CoreDNS' },
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
