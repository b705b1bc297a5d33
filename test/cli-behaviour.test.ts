// The CLI as an SRE meets it: least privilege, clear failures with exit code 2, text for people, JSON for machines.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Report } from '../src/engine/report.ts';
import { loadScenario } from '../src/sandbox/scenarios.ts';
import { type Sandbox, startSandbox } from '../src/sandbox/server.ts';
import { runCli } from './support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'netcheck-cli-'));
let sandbox: Sandbox;
let botConfig: string;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: await loadScenario('kube-proxy-config-path') });
  botConfig = join(dir, 'bot.kubeconfig');
  writeFileSync(botConfig, sandbox.kubeconfig('bot'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('least privilege', () => {
  it('the shipped ClusterRole only reads: get/list, plus get on pods/log, never secrets', async () => {
    const { parseAllDocuments } = await import('yaml');
    const { readFileSync } = await import('node:fs');
    const docs = parseAllDocuments(readFileSync(new URL('../infra/k8s/netcheck-rbac.yaml', import.meta.url), 'utf8'));
    const role = docs.map((d) => d.toJS()).find((o) => o?.kind === 'ClusterRole');
    const verbs = new Set(role.rules.flatMap((r: { verbs: string[] }) => r.verbs));
    expect([...verbs].sort()).toEqual(['get', 'list']);
    const resources = role.rules.flatMap((r: { resources: string[] }) => r.resources);
    expect(resources).not.toContain('secrets');
    expect(resources).not.toContain('*');
    expect(role.rules.find((r: { resources: string[] }) => r.resources.includes('pods/log')).verbs).toEqual(['get']);
  });

  it('a diagnosis under that role needs nothing more: no request was denied', async () => {
    sandbox.resetRequests();
    const result = await runCli(['all', '--kubeconfig', botConfig, '--output', 'json']);
    expect(result.code).toBe(1);
    const botRequests = sandbox.requests.filter((r) => r.user === sandbox.identities.bot);
    expect(botRequests.length).toBeGreaterThan(10);
    expect(botRequests.filter((r) => r.status === 403)).toEqual([]);
  });

  it('without list on pods the affected components are unknown, naming what was denied and to whom', async () => {
    const scenario = await loadScenario('kubeadm-calico');
    const role = scenario.objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'netcheck-reader')!;
    const limited = structuredClone(role);
    limited.rules = [
      ...limited.rules.map((r: { resources: string[] }) => ({
        ...r,
        resources: r.resources.filter((x) => x !== 'pods'),
      })),
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
    ];
    const own = await startSandbox({
      scenario: { ...scenario, objects: scenario.objects.map((o) => (o === role ? limited : o)) },
    });
    const config = join(dir, 'limited.kubeconfig');
    writeFileSync(config, own.kubeconfig('bot'));
    try {
      const result = await runCli(['all', '--kubeconfig', config, '--output', 'json']);
      const report = Report.parse(JSON.parse(result.stdout));
      const unknown = report.components.filter((c) => c.status === 'unknown');
      expect(unknown.length).toBeGreaterThan(0);
      expect(unknown[0]!.errors).toContain(
        'cannot list pods in kube-system as system:serviceaccount:netcheck:netcheck-bot (403)',
      );
      // Unreadable pods are not evidence of a fault: a healthy cluster gets no critical finding from them.
      expect(report.components.flatMap((c) => c.findings).filter((f) => f.severity === 'critical')).toEqual([]);
      // Nothing could be judged, so the CLI says it could not run, and why, in one sentence.
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/cannot list pods in kube-system as system:serviceaccount:netcheck:netcheck-bot/);
    } finally {
      await own.close();
    }
  });
});

describe('could not run: exit code 2 and one clear sentence', () => {
  it('a token the API server rejects', async () => {
    const config = join(dir, 'bad-token.kubeconfig');
    writeFileSync(config, sandbox.kubeconfig('bot').replace(sandbox.tokens.bot, 'not-a-valid-token'));
    const result = await runCli(['dns', '--kubeconfig', config]);
    expect(result.code).toBe(2);
    // The report is still printed: every component unknown, naming the refused credentials.
    expect(result.stdout).toMatch(/^netcheck dns .* UNKNOWN$/m);
    expect(result.stdout).toMatch(/unreadable \(dns\): the API server rejected the credentials/);
    expect(result.stderr).toMatch(/^netcheck: could not diagnose .*(credentials|401)/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('an API server nobody listens on', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const config = join(dir, 'closed.kubeconfig');
    writeFileSync(config, sandbox.kubeconfig('bot').replace(new URL(sandbox.url).port, String(port)));
    const result = await runCli(['all', '--kubeconfig', config, '--timeout', '3']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/could not reach the API server/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown context, a missing kubeconfig, a mistyped scope or flag', async () => {
    const context = await runCli(['--kubeconfig', botConfig, '--context', 'prod']);
    expect(context.code).toBe(2);
    expect(context.stderr).toMatch(/context "prod" not found/);
    const missing = await runCli(['--kubeconfig', join(dir, 'nope.kubeconfig')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.kubeconfig/);
    const scope = await runCli(['dsn', '--kubeconfig', botConfig]);
    expect(scope.code).toBe(2);
    expect(scope.stderr).toMatch(/unknown scope "dsn"/);
    expect(scope.stderr).toMatch(/usage: netcheck/);
    const flag = await runCli(['--outptu', 'json']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--outptu/);
  });
});

describe('output', () => {
  it('text: a status line per component, then the root cause and its runbook with the real names', async () => {
    const result = await runCli(['all', '--kubeconfig', botConfig]);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^netcheck all .* CRITICAL$/);
    expect(result.stdout).toMatch(/CRITICAL\s+kube-proxy/);
    expect(result.stdout).toContain('[kube-proxy.config-path-mismatch]');
    expect(result.stdout).toContain('/var/lib/kube-proxy/configuration.conf');
    expect(result.stdout).toMatch(/\$ kubectl -n kube-system /);
    expect(result.stdout).not.toContain('\x1b[');
  });

  it('Korean runbooks with --lang ko', async () => {
    const en = await runCli(['proxy', '--kubeconfig', botConfig, '--output', 'json']);
    const ko = await runCli(['proxy', '--kubeconfig', botConfig, '--output', 'json', '--lang', 'ko']);
    const title = (out: string) => Report.parse(JSON.parse(out)).components[0]!.findings[0]!.title;
    expect(title(ko.stdout)).not.toEqual(title(en.stdout));
    expect(title(ko.stdout)).toMatch(/[가-힣]/);
  });

  it('schema: prints the JSON Schema of the report', async () => {
    const result = await runCli(['schema']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).properties.schemaVersion).toBeDefined();
  });
});
