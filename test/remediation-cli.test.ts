// Every implemented remediation, end to end against the sandbox over HTTPS: diagnose (the bot's read-only identity)
// → `netcheck fix <id> --yes` with the user's own credentials → verified → the finding is gone in a fresh diagnosis.
// The scenario's reactions heal the cluster only once the fix really landed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../src/cli/io.ts';
import { main } from '../src/cli/main.ts';
import { Report } from '../src/engine/report.ts';
import { REMEDIATIONS } from '../src/remediate/registry.ts';
import { loadScenario } from '../src/sandbox/scenarios.ts';
import { startSandbox } from '../src/sandbox/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'netcheck-fix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** remediation id → the scenario that breaks what it fixes (and the human input it asks for). */
const CASES: Record<string, { scenario: string; finding: string; args?: string[] }> = {
  'coredns.replace-proxy-with-forward': {
    scenario: 'coredns-proxy-plugin',
    finding: 'coredns.corefile-removed-plugin',
  },
  'coredns.remove-obsolete-option': {
    scenario: 'coredns-corefile-removed-option',
    finding: 'coredns.corefile-removed-option',
  },
  'coredns.forward-upstream': {
    scenario: 'coredns-loop',
    finding: 'coredns.loop-detected',
    args: ['--upstream', '10.0.0.2,10.0.0.3'],
  },
  'coredns.restore-configmap': { scenario: 'coredns-configmap-missing', finding: 'coredns.configmap-missing' },
  'coredns.restore-configmap-key': {
    scenario: 'coredns-configmap-key-missing',
    finding: 'coredns.configmap-key-missing',
  },
  'coredns.restore-rbac': { scenario: 'coredns-rbac-missing', finding: 'coredns.rbac-forbidden' },
  'coredns.create-serviceaccount': {
    scenario: 'coredns-serviceaccount-missing',
    finding: 'coredns.serviceaccount-missing',
  },
  'coredns.scale-up': { scenario: 'coredns-scaled-to-zero', finding: 'coredns.no-replicas' },
  'coredns.add-cluster-domain': { scenario: 'dns-cluster-domain-mismatch', finding: 'dns.cluster-domain-mismatch' },
  'dns.restore-service': { scenario: 'dns-service-missing', finding: 'dns.service-missing' },
  'dns.restore-service-selector': { scenario: 'dns-service-no-endpoints', finding: 'dns.service-no-endpoints' },
  'dns.restore-service-ports': { scenario: 'dns-service-port-mismatch', finding: 'dns.service-port-mismatch' },
  'dns.recreate-service-clusterip': { scenario: 'dns-clusterip-mismatch', finding: 'dns.clusterip-mismatch' },
  'kube-proxy.fix-config-path': { scenario: 'kube-proxy-config-path', finding: 'kube-proxy.config-path-mismatch' },
  'kube-proxy.reset-mode': { scenario: 'kube-proxy-invalid-mode', finding: 'kube-proxy.config-validation-error' },
  'kube-proxy.recreate-node-proxier-binding': {
    scenario: 'kube-proxy-rbac-missing',
    finding: 'kube-proxy.rbac-forbidden',
  },
  'kube-proxy.create-serviceaccount': {
    scenario: 'kube-proxy-serviceaccount-missing',
    finding: 'kube-proxy.serviceaccount-missing',
  },
  'cni.restart-agent-on-node': { scenario: 'cilium-agent-down', finding: 'cni.cilium.agent-unreachable' },
  'cni.weave.restart-router': { scenario: 'weave-router-down', finding: 'cni.weave.router-unreachable' },
  'cni.flannel.align-network': { scenario: 'flannel-network-mismatch', finding: 'cni.flannel.network-mismatch' },
  'cni.calico.restart-node-agent': { scenario: 'cni-crashloop', finding: 'cni.calico.node-agent-down' },
};

/** Remediations without a broken sandbox scenario yet (no scenario models the failure). */
const NO_SCENARIO = ['cni.flannel.restart'];

function capture(): { io: Io; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c) => {
    o += c;
  });
  stderr.on('data', (c) => {
    e += c;
  });
  return { io: { stdout, stderr, env: { NO_COLOR: '1' } }, out: () => o, err: () => e };
}

async function findingIds(kubeconfig: string): Promise<string[]> {
  const c = capture();
  await main(['all', '--kubeconfig', kubeconfig, '--output', 'json'], c.io);
  return Report.parse(JSON.parse(c.out())).components.flatMap((x) => x.findings.map((f) => f.id));
}

describe('the catalogue has an end-to-end case for every remediation', () => {
  it('lists every implemented remediation exactly once (or says why not)', () => {
    expect([...Object.keys(CASES), ...NO_SCENARIO].sort()).toEqual(REMEDIATIONS.map((r) => r.id).sort());
  });
});

describe.concurrent.each(Object.entries(CASES))('netcheck fix %s', (id, c) => {
  it(`heals ${c.scenario}: diagnose → fix --yes → verified → gone in a fresh diagnosis`, async () => {
    const sandbox = await startSandbox({ scenario: await loadScenario(c.scenario) });
    const bot = join(dir, `${id}.bot.kubeconfig`);
    const user = join(dir, `${id}.user.kubeconfig`);
    writeFileSync(bot, sandbox.kubeconfig('bot'));
    writeFileSync(user, sandbox.kubeconfig('admin'));
    try {
      expect(await findingIds(bot)).toContain(c.finding);
      const fix = capture();
      const code = await main(['fix', id, '--kubeconfig', user, '--yes', '--wait', '2', ...(c.args ?? [])], fix.io);
      expect({ code, err: fix.err() }).toEqual({ code: 0, err: '' });
      expect(fix.out()).toContain(`Fix ${c.finding} with ${id} as admin:`);
      expect(fix.out()).toContain('✅ Fixed and verified');
      expect(await findingIds(bot)).not.toContain(c.finding);
    } finally {
      await sandbox.close();
    }
  });
});
