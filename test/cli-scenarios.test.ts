// Every shipped scenario, diagnosed end to end: the real CLI process, real HTTPS to the sandbox, the bot's
// least-privilege identity (infra/k8s/netcheck-rbac.yaml), and the exact set of findings the scenario promises.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Report } from '../src/engine/report.ts';
import { listScenarios, loadScenario } from '../src/sandbox/scenarios.ts';
import { startSandbox } from '../src/sandbox/server.ts';
import type { Scenario } from '../src/sandbox/types.ts';
import { runCli } from './support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'netcheck-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenarios = await listScenarios();

/** Everything a finding may quote: object names, log lines, event messages, Corefile lines. */
function quotable(scenario: Scenario): { names: Set<string>; text: string } {
  const names = new Set(scenario.objects.map((o) => o.metadata.name).filter((n) => n.length >= 4));
  const logs = Object.values(scenario.logs).flatMap((l) => [l.current ?? '', l.previous ?? '']);
  const events = scenario.objects.filter((o) => o.kind === 'Event').map((o) => String(o.message ?? ''));
  const configs = scenario.objects.filter((o) => o.kind === 'ConfigMap').flatMap((o) => Object.values(o.data ?? {}));
  return { names, text: [...logs, ...events, ...configs.map(String)].join('\n') };
}

function quotesTheCluster(evidence: string, q: { names: Set<string>; text: string }): boolean {
  for (const name of q.names) if (evidence.includes(name)) return true;
  // A quoted log line or event may be trimmed or prefixed ("Warning FailedMount pod/x: …"); look for a long run of it.
  const core = evidence.replace(/^.*?: /, '').slice(0, 60);
  return core.length >= 20 && q.text.includes(core);
}

describe.concurrent.each(scenarios.map((s) => [s.name, s] as const))('scenario %s', (name) => {
  it('is diagnosed by the CLI with exactly the promised findings, quoting the real objects', async () => {
    const scenario = await loadScenario(name);
    const sandbox = await startSandbox({ scenario });
    const kubeconfig = join(dir, `${name}.kubeconfig`);
    writeFileSync(kubeconfig, sandbox.kubeconfig('bot'));
    try {
      const result = await runCli(['all', '--kubeconfig', kubeconfig, '--output', 'json']);
      expect(result.stderr).toBe('');
      const report = Report.parse(JSON.parse(result.stdout));
      const findings = report.components.flatMap((c) => c.findings);
      const ids = (severity: string) =>
        [...new Set(findings.filter((f) => f.severity === severity).map((f) => f.id))].sort();
      expect({ critical: ids('critical'), warning: ids('warning') }).toEqual({
        critical: [...scenario.expect.critical].sort(),
        warning: [...scenario.expect.warning].sort(),
      });
      // Scenarios that promise their info notes (history, not-covered) get them checked exactly too.
      if (scenario.expect.info) expect(ids('info')).toEqual([...scenario.expect.info].sort());
      // Evidence has a time: every finding says when it was observed, in the cluster's clock.
      for (const f of findings) expect(f.observedAt, `${f.id} observedAt`).toBeDefined();
      expect(result.code).toBe(scenario.expect.critical.length > 0 ? 1 : 0);
      if (scenario.fingerprint) {
        expect({ flavor: report.cluster.flavor, cni: report.cluster.cni }).toEqual(scenario.fingerprint);
      }
      expect(report.components.every((c) => c.status !== 'unknown')).toBe(true);
      const q = quotable(scenario);
      for (const finding of findings) {
        expect(finding.evidence.length, `${finding.id} has evidence`).toBeGreaterThan(0);
        expect(
          finding.evidence.some((e) => quotesTheCluster(e, q)),
          `${finding.id} quotes the scenario: ${finding.evidence.join(' | ')}`,
        ).toBe(true);
        expect(finding.runbook.length, `${finding.id} has a runbook`).toBeGreaterThan(0);
      }
    } finally {
      await sandbox.close();
    }
  });
});

describe('scenario rke2-kube-proxy-invalid-mode, the runbook', () => {
  it('sends the reader to the nodes for static kube-proxy pods, in English and Korean, with dated restarts', async () => {
    const sandbox = await startSandbox({ scenario: await loadScenario('rke2-kube-proxy-invalid-mode') });
    const kubeconfig = join(dir, 'rke2-kube-proxy-runbook.kubeconfig');
    writeFileSync(kubeconfig, sandbox.kubeconfig('bot'));
    try {
      for (const lang of ['en', 'ko'] as const) {
        const result = await runCli(['all', '--kubeconfig', kubeconfig, '--output', 'json', '--lang', lang]);
        const report = Report.parse(JSON.parse(result.stdout));
        const f = report.components
          .flatMap((c) => c.findings)
          .find((x) => x.id === 'kube-proxy.config-validation-error')!;
        expect(f, lang).toBeDefined();
        const commands = f.runbook.map((s) => s.command ?? '');
        expect(commands).toContain('sudoedit /etc/rancher/rke2/config.yaml');
        expect(commands).toContain('sudo systemctl restart rke2-agent');
        expect(commands.join('\n')).not.toMatch(/ds\/kube-proxy|edit configmap|get configmap/);
        const onNodes = f.runbook.filter((s) => s.command?.startsWith('sudo'));
        expect(onNodes.every((s) => s.where === 'node' && s.changes === true)).toBe(true);
        expect(f.runbook.map((s) => s.text).join(' ')).toContain('kube-proxy-arg');
        if (lang === 'ko') expect(f.runbook.map((s) => s.text).join(' ')).toContain('스태틱 파드 매니페스트');
        expect(f.evidence).toContain(
          'kube-proxy-rke2-agent-1 0/1 CrashLoopBackOff (restarts 9, last exit 2m ago (06:20 UTC)) on rke2-agent-1',
        );
        expect(f.evidence.join('\n')).toContain('KubeProxyConfiguration.Mode: Invalid value: \\"ipvss\\"');
      }
    } finally {
      await sandbox.close();
    }
  });
});
