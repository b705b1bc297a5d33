// After apply: rollout status as kubectl computes it, and whether the plan's findings are gone.
import { describe, expect, it } from 'vitest';
import type { Report } from '../engine/report.ts';
import type { Plan } from './types.ts';
import { componentsToRecheck, rolloutComplete, verifyCleared } from './verify.ts';

const deploy = (generation: number, status: Record<string, number>) => ({
  kind: 'Deployment',
  metadata: { name: 'coredns', generation },
  spec: { replicas: 2 },
  status,
});

const plan: Plan = {
  remediation: 'coredns.replace-proxy-with-forward',
  finding: 'coredns.corefile-removed-plugin',
  title: 't',
  risk: 'r.',
  rollback: 'b.',
  changes: [],
  clears: ['coredns.corefile-removed-plugin'],
};

const report = (ids: string[], status: 'ok' | 'critical' | 'unknown' = ids.length ? 'critical' : 'ok'): Report =>
  ({
    components: [{ component: 'dns', status, summary: '', detected: '', findings: ids.map((id) => ({ id })) }],
  }) as unknown as Report;

describe('verify', () => {
  it('a rollout is complete once the new generation is observed and every replica is updated and available', () => {
    expect(
      rolloutComplete(deploy(2, { observedGeneration: 1, updatedReplicas: 2, replicas: 2, availableReplicas: 2 })),
    ).toMatchObject({ done: false });
    expect(
      rolloutComplete(deploy(2, { observedGeneration: 2, updatedReplicas: 1, replicas: 2, availableReplicas: 2 })),
    ).toMatchObject({ done: false });
    expect(
      rolloutComplete(deploy(2, { observedGeneration: 2, updatedReplicas: 2, replicas: 3, availableReplicas: 2 })),
    ).toMatchObject({ done: false });
    expect(
      rolloutComplete(deploy(2, { observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 2 })),
    ).toEqual({ done: true });
  });

  it('re-checks the components of the plan findings', () => {
    expect(componentsToRecheck({ ...plan, clears: ['kube-proxy.config-path-mismatch'] })).toEqual([
      'dns',
      'kube-proxy',
    ]);
  });

  it('verified only when the findings are gone, never when the component could not be read', () => {
    expect(verifyCleared(plan, report([]))).toEqual({ verified: true, cleared: ['coredns.corefile-removed-plugin'] });
    expect(verifyCleared(plan, report(['coredns.corefile-removed-plugin']))).toMatchObject({
      verified: false,
      remaining: ['coredns.corefile-removed-plugin'],
    });
    expect(verifyCleared(plan, report([], 'unknown'))).toMatchObject({ verified: false, unknown: ['dns'] });
  });
});
