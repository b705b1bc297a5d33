// The package as a new user gets it: `npm pack` (which builds dist/cli/ in prepack), installed with npm into an
// empty prefix without any registry, then the installed `netcheck` and `kubectl netcheck` run against the sandbox
// on Node 24 (first on PATH, as a user's Node would be).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Report } from '../src/engine/report.ts';
import { loadScenario } from '../src/sandbox/scenarios.ts';
import { type Sandbox, startSandbox } from '../src/sandbox/server.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'netcheck-install-'));
const prefix = join(dir, 'prefix');
const kubeconfig = join(dir, 'sandbox.kubeconfig');
// The Node that runs the tests (node@24) first, then the installed bins, then the rest (kubectl, npm).
const PATH = [dirname(process.execPath), join(prefix, 'bin'), process.env.PATH].join(':');
const env = { ...process.env, PATH, HOME: dir, NO_COLOR: '1', npm_config_cache: process.env.npm_config_cache };

interface Packed {
  filename: string;
  files: { path: string }[];
}

let packed: Packed;
let sandbox: Sandbox;

async function installed(command: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(command, args, { env: { ...env, ...extraEnv }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout: string; stderr: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  // npm pack prints lifecycle output before its JSON: the JSON is the last top-level array.
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: root,
    env,
    maxBuffer: 16 * 1024 * 1024,
    timeout: 120_000,
  });
  packed = (JSON.parse(stdout.slice(stdout.lastIndexOf('\n[') + 1)) as Packed[])[0]!;
  await run(
    'npm',
    ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', join(dir, packed.filename)],
    { env, timeout: 120_000 },
  );
  sandbox = await startSandbox({ scenario: await loadScenario('coredns-loop') });
  writeFileSync(kubeconfig, sandbox.kubeconfig('bot'));
}, 240_000);

afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the published package', () => {
  it('ships what runs, the sandbox scenarios and the schema; no tests, benchmarks, CI or sources', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain('dist/cli/netcheck.mjs');
    expect(paths).toContain('dist/cli/kubectl-netcheck.mjs');
    expect(paths).toContain('dist/cli/scenarios/coredns-loop.yaml');
    expect(paths).toContain('schema/report.schema.json');
    expect(paths).toContain('infra/k8s/netcheck-rbac.yaml');
    const unwanted = paths.filter((p) => /^(test|bench|\.ci|src|scripts)\/|\.test\.|\.ts$|(^|\/)\./.test(p));
    expect(unwanted).toEqual([]);
    // Self-contained: the bundle inlines everything, so installing needs no registry.
    expect(paths.filter((p) => p.startsWith('node_modules/'))).toEqual([]);
  });

  it('installed, `netcheck --version` prints the package version', async () => {
    const { version } = (await import('../package.json', { with: { type: 'json' } })).default;
    const result = await installed('netcheck', ['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `netcheck ${version}\n` });
  });

  it('installed, `netcheck dns` diagnoses the sandbox: exit 1 for the critical finding, the report as JSON', async () => {
    const result = await installed('netcheck', ['dns', '--kubeconfig', kubeconfig, '-o', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = Report.parse(JSON.parse(result.stdout));
    expect(report.components.flatMap((c) => c.findings.map((f) => f.id))).toContain('coredns.loop-detected');
  });

  it('installed, `netcheck proxy` reads a KubeProxyConfiguration with a flow sequence through the bundled yaml', async () => {
    // The engine's block subset declines flow collections; the bundle then requires its copy of `yaml` on first use.
    const scenario = await loadScenario('kube-proxy-cluster-cidr-mismatch');
    const cm = scenario.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'kube-proxy')!;
    const data = (cm as unknown as { data: Record<string, string> }).data;
    data['config.conf'] = data['config.conf']!.replace('nodePortAddresses: null', 'nodePortAddresses: [ ]');
    expect(data['config.conf']).toContain('nodePortAddresses: [ ]');
    const flow = await startSandbox({ scenario });
    try {
      const config = join(dir, 'flow.kubeconfig');
      writeFileSync(config, flow.kubeconfig('bot'));
      const result = await installed('netcheck', ['proxy', '--kubeconfig', config, '-o', 'json']);
      expect(result.stderr).toBe('');
      const report = Report.parse(JSON.parse(result.stdout));
      expect(report.components.flatMap((c) => c.findings.map((f) => f.id))).toEqual([
        'kube-proxy.cluster-cidr-mismatch',
      ]);
    } finally {
      await flow.close();
    }
  });

  it('`kubectl netcheck dns` runs the plugin through the real kubectl, honouring KUBECONFIG and --context', async () => {
    const viaEnv = await installed('kubectl', ['netcheck', 'dns', '-o', 'json'], { KUBECONFIG: kubeconfig });
    expect(viaEnv.stderr).toBe('');
    expect(viaEnv.code).toBe(1);
    expect(Report.parse(JSON.parse(viaEnv.stdout)).status).toBe('critical');
    const viaFlags = await installed('kubectl', [
      'netcheck',
      'dns',
      '--kubeconfig',
      kubeconfig,
      '--context',
      'sandbox',
    ]);
    expect(viaFlags.code).toBe(1);
    expect(viaFlags.stdout).toMatch(/^netcheck dns .* CRITICAL$/m);
    const wrongContext = await installed('kubectl', [
      'netcheck',
      'dns',
      '--kubeconfig',
      kubeconfig,
      '--context',
      'prod',
    ]);
    expect(wrongContext.code).toBe(2);
    expect(wrongContext.stderr).toMatch(/context "prod" not found/);
  });

  it('the krew manifest template, filled in for this tarball, installs files the tarball has and links the plugin', async () => {
    const tarball = join(dir, packed.filename);
    const { version } = (await import('../package.json', { with: { type: 'json' } })).default;
    const template = readFileSync(new URL('../infra/krew/netcheck.yaml', import.meta.url), 'utf8');
    const manifest = parse(
      template
        .replaceAll('{{VERSION}}', version)
        .replaceAll('{{URI}}', `file://${tarball}`)
        .replaceAll('{{SHA256}}', createHash('sha256').update(readFileSync(tarball)).digest('hex')),
    );
    expect(manifest).toMatchObject({
      kind: 'Plugin',
      metadata: { name: 'netcheck' },
      spec: { version: `v${version}` },
    });
    const paths = packed.files.map((f) => `package/${f.path}`);
    for (const platform of manifest.spec.platforms) {
      expect(platform.sha256).toMatch(/^[0-9a-f]{64}$/);
      const installed: string[] = [];
      for (const { from, to } of platform.files as { from: string; to: string }[]) {
        const prefix = from.replace(/\*$/, '');
        const matched = paths.filter((p) => (from.endsWith('*') ? p.startsWith(prefix) : p === from));
        expect(matched.length, from).toBeGreaterThan(0);
        const base = from.endsWith('*') ? prefix : `${dirname(from)}/`;
        installed.push(...matched.map((p) => join(to, p.slice(base.length))));
      }
      expect(installed).toContain(platform.bin);
      // The bundle reads the RBAC manifest two levels above itself, as in the npm package.
      expect(installed).toContain('infra/k8s/netcheck-rbac.yaml');
    }
  });
});
