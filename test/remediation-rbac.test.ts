// Least privilege, proven against the sandbox's RBAC over HTTPS: the diagnosing identity (netcheck-bot) gets 403 on
// every write any plan makes; the remediator (group netcheck-remediators, infra/k8s/netcheck-remediation-rbac.yaml)
// may make exactly those writes (server dry run) and nothing beside them.
import { describe, expect, it } from 'vitest';
import { createKubeReader } from '../src/cluster/k8s-reader.ts';
import { createKubeWriter } from '../src/cluster/k8s-writer.ts';
import { parseLiteKubeConfig } from '../src/cluster/kubeconfig-lite.ts';
import { ClusterError } from '../src/engine/cluster-reader.ts';
import { diagnose } from '../src/engine/index.ts';
import { dryRunPlan, readTargets } from '../src/remediate/apply.ts';
import { target } from '../src/remediate/objects.ts';
import { planFix, remediationFor } from '../src/remediate/registry.ts';
import type { Change } from '../src/remediate/types.ts';
import { loadScenario } from '../src/sandbox/scenarios.ts';
import { startSandbox } from '../src/sandbox/server.ts';
import { CASES } from './support/remediation-cases.ts';

async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (error) {
    if (error instanceof ClusterError) return error.status ?? 0;
    throw error;
  }
}

describe.each(Object.entries(CASES))('RBAC for %s', (id, c) => {
  it(`the bot may not make its writes; the remediator may (${c.scenario})`, async () => {
    const sandbox = await startSandbox({ scenario: await loadScenario(c.scenario) });
    try {
      const kc = (who: 'bot' | 'remediator') => parseLiteKubeConfig(sandbox.kubeconfig(who), '/nowhere/config')!;
      const report = await diagnose(createKubeReader(kc('bot'), { timeoutMs: 30_000 }), {
        scope: 'all',
        lang: 'en',
        cluster: { name: 's', server: sandbox.url },
      });
      const finding = report.components.flatMap((x) => x.findings).find((f) => f.id === c.finding)!;
      const fix = remediationFor(finding)!;
      expect(fix.id).toBe(id);
      const remediator = createKubeWriter(kc('remediator'), { identity: sandbox.identities.remediator });
      const bot = createKubeWriter(kc('bot'), { identity: sandbox.identities.bot });
      const objects = await readTargets(remediator, fix.reads(finding));
      const upstreams = c.args?.[1]?.split(',');
      const planned = planFix(fix, { finding, objects, ...(upstreams ? { inputs: { upstreams } } : {}) });
      if (!planned.ok) throw new Error(planned.reason);
      for (const change of planned.plan.changes) {
        expect(await statusOf(bot.apply(change, { dryRun: true })), `bot ${change.verb} ${change.target.name}`).toBe(
          403,
        );
      }
      const dry = await dryRunPlan(planned.plan, { reader: remediator, writer: remediator });
      expect(dry.ok ? 'allowed' : dry.reason).toBe('allowed');
    } finally {
      await sandbox.close();
    }
  }, 120_000);
});

describe('the remediator is allowed nothing beside its plans', () => {
  it('403 on other objects in kube-system, other verbs, secrets and other namespaces', async () => {
    const sandbox = await startSandbox({ scenario: await loadScenario('coredns-proxy-plugin') });
    try {
      const w = createKubeWriter(parseLiteKubeConfig(sandbox.kubeconfig('remediator'), '/nowhere/config')!);
      const patch = (resource: string, name: string, namespace?: string): Change => ({
        verb: 'patch',
        target: target(resource, name, namespace),
        patchType: 'merge',
        body: { metadata: { labels: { probe: 'x' } } },
        precondition: { resourceVersion: '1' },
      });
      const denied = [
        patch('configmaps', 'kubeadm-config', 'kube-system'),
        patch('configmaps', 'kubelet-config', 'kube-system'),
        patch('deployments', 'calico-kube-controllers', 'kube-system'),
        patch('clusterroles', 'cluster-admin'),
        patch('clusterrolebindings', 'cluster-admin'),
        patch('configmaps', 'coredns', 'default'),
        {
          verb: 'delete',
          target: target('pods', 'anything', 'default'),
          precondition: { resourceVersion: '1' },
        } as Change,
      ];
      for (const change of denied) {
        expect(
          await statusOf(w.apply(change, { dryRun: true })),
          `${change.target.resource}/${change.target.name}`,
        ).toBe(403);
      }
      // Reads too: it gets the single objects its fixes name; it lists nothing and reads no other configuration.
      const reader = createKubeReader(parseLiteKubeConfig(sandbox.kubeconfig('remediator'), '/nowhere/config')!);
      expect(await statusOf(reader.list('pods', { namespace: 'kube-system' }))).toBe(403);
      expect(await statusOf(w.get({ resource: 'configmaps', namespace: 'kube-system', name: 'kubelet-config' }))).toBe(
        403,
      );
    } finally {
      await sandbox.close();
    }
  });
});
