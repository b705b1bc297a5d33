import { describe, expect, it } from 'vitest';
import { upgradeReport } from './report-upgrade.ts';

const v1 = {
  schemaVersion: 1,
  cluster: { name: 'prod', server: 'https://127.0.0.1:6443', flavor: 'kubeadm', cni: 'calico' },
  scope: 'dns',
  startedAt: '2026-11-27T06:40:00.000Z',
  durationMs: 1,
  status: 'critical',
  requests: 1,
  components: [
    {
      component: 'dns',
      status: 'critical',
      summary: 's',
      detected: 'd',
      findings: [
        {
          id: 'coredns.loop-detected',
          severity: 'critical',
          title: 't',
          detail: 'd',
          evidence: ['e'],
          runbook: [
            { text: 'read', command: 'kubectl -n kube-system logs coredns-1 --previous' },
            { text: 'fix', command: 'sudo systemctl restart kubelet' },
            { text: 'think' },
          ],
        },
      ],
    },
  ],
};

describe('reading a version-1 report', () => {
  it('becomes version 2 with every command saying where it runs and whether it changes something', () => {
    const report = upgradeReport(v1);
    expect(report.schemaVersion).toBe(2);
    expect(report.components[0]!.findings[0]!.runbook).toEqual([
      { text: 'read', command: 'kubectl -n kube-system logs coredns-1 --previous', where: 'kubectl', changes: false },
      { text: 'fix', command: 'sudo systemctl restart kubelet', where: 'node', changes: true },
      { text: 'think' },
    ]);
    expect(v1.schemaVersion).toBe(1);
  });

  it('refuses what is not a report', () => {
    expect(() => upgradeReport({ schemaVersion: 3 })).toThrow();
    expect(() => upgradeReport('nope')).toThrow();
  });
});
