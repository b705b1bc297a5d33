// The real kubectl v1.32 against the sandbox: discovery, printing, logs and auth can-i must behave as on a cluster.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/sandbox/server.ts';
import { botReaderRbac, corednsLoopScenario, LOOP_LOG } from './fakes/sandbox.ts';

const KUBECTL = '/usr/bin/kubectl';
let sandbox: Sandbox;
let dir: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function kubectl(user: 'admin' | 'bot', ...args: string[]): Promise<Run> {
  const kubeconfig = join(dir, `${user}.yaml`);
  const common = ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), '--request-timeout=10s'];
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      [...common, ...args],
      // HOME and KUBECACHEDIR inside the temp dir: kubectl never writes into the real home.
      { env: { PATH: process.env.PATH ?? '', HOME: dir, KUBECACHEDIR: join(dir, 'cache') }, timeout: 20_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Rows of kubectl's table output as arrays of cells. */
const rows = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: corednsLoopScenario() });
  dir = mkdtempSync(join(tmpdir(), 'sandbox-kubectl-'));
  writeFileSync(join(dir, 'admin.yaml'), sandbox.kubeconfig('admin'));
  writeFileSync(join(dir, 'bot.yaml'), sandbox.kubeconfig('bot'));
});

afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('kubectl get', () => {
  it('lists nodes with status, roles and version', async () => {
    const r = await kubectl('admin', 'get', 'nodes');
    expect(r.stderr).toBe('');
    const [header, node] = rows(r.stdout);
    expect(header).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(node).toEqual(['cp-1', 'Ready', 'control-plane', expect.stringMatching(/^\d+[smhd]$/), 'v1.32.4']);
  });

  it('resolves short names across groups: po,svc,ep,cm,ds,deploy', async () => {
    const r = await kubectl('admin', '-n', 'kube-system', 'get', 'po,svc,ep,cm,ds,deploy');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/pod\/coredns-668d6bf9bc-a\s+0\/1\s+CrashLoopBackOff\s+12/);
    expect(r.stdout).toMatch(/pod\/kube-proxy-x7k2p\s+1\/1\s+Running\s+0/);
    expect(r.stdout).toMatch(/service\/kube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP/);
    expect(r.stdout).toMatch(/endpoints\/kube-dns\s+<none>/);
    expect(r.stdout).toMatch(/configmap\/coredns\s+1/);
    expect(r.stdout).toMatch(/daemonset\.apps\/kube-proxy\s+1\s+1\s+1\s+1\s+1\s+kubernetes\.io\/os=linux/);
    expect(r.stdout).toMatch(/deployment\.apps\/coredns\s+0\/2\s+2\s+0/);
  });

  it('lists events across namespaces with a NAMESPACE column', async () => {
    const r = await kubectl('admin', 'get', 'events', '-A');
    expect(r.stderr).toBe('');
    const [header, ...events] = rows(r.stdout);
    expect(header).toEqual(['NAMESPACE', 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(events.map((e) => [e[0], e[2], e[3], e[4]])).toEqual([
      ['default', 'Normal', 'NodeReady', 'node/cp-1'],
      ['kube-system', 'Warning', 'BackOff', 'pod/coredns-668d6bf9bc-a'],
    ]);
  });

  it('prints the stored objects with -o json', async () => {
    const r = await kubectl('admin', '-n', 'kube-system', 'get', 'pods', '-l', 'k8s-app=kube-dns', '-o', 'json');
    const list = JSON.parse(r.stdout) as {
      kind: string;
      items: { metadata: { name: string }; status: { phase: string } }[];
    };
    expect(list.kind).toBe('List');
    expect(list.items.map((p) => [p.metadata.name, p.status.phase])).toEqual([
      ['coredns-668d6bf9bc-a', 'Running'],
      ['coredns-668d6bf9bc-b', 'Running'],
    ]);
  });

  it('does not hang on --watch: the list prints and the empty watch stream ends', async () => {
    const r = await kubectl('admin', '-n', 'shop', 'get', 'pods', '--watch');
    expect(r.code).toBe(0);
    expect(rows(r.stdout)[1]?.slice(0, 3)).toEqual(['web-0', '0/2', 'Pending']);
  });

  it('shows events of a pod in kubectl describe', async () => {
    const r = await kubectl('admin', '-n', 'kube-system', 'describe', 'pod', 'coredns-668d6bf9bc-a');
    expect(r.stdout).toMatch(/Warning\s+BackOff\s+.*kubelet\s+Back-off restarting failed container coredns/);
  });

  it('pages through lists with --chunk-size', async () => {
    const r = await kubectl('admin', 'get', 'pods', '-A', '--chunk-size=1', '-o', 'name');
    expect(r.stdout.trim().split('\n')).toEqual([
      'pod/coredns-668d6bf9bc-a',
      'pod/coredns-668d6bf9bc-b',
      'pod/kube-proxy-x7k2p',
      'pod/web-0',
    ]);
  });
});

describe('kubectl logs', () => {
  it('prints current and previous container logs', async () => {
    const current = await kubectl('admin', '-n', 'kube-system', 'logs', 'coredns-668d6bf9bc-a', '-c', 'coredns');
    expect(current.stdout).toBe(LOOP_LOG);
    const previous = await kubectl('admin', '-n', 'kube-system', 'logs', 'coredns-668d6bf9bc-a', '--previous');
    expect(previous.stdout).toContain('[FATAL] plugin/loop: Loop');
    const tail = await kubectl('admin', '-n', 'shop', 'logs', 'web-0', '-c', 'web', '--tail=1');
    expect(tail.stdout).toBe('line 3\n');
  });

  it('reports a missing previous instance as the server said it', async () => {
    const r = await kubectl('admin', '-n', 'kube-system', 'logs', 'coredns-668d6bf9bc-b', '--previous');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('previous terminated container "coredns" in pod "coredns-668d6bf9bc-b" not found');
  });
});

describe('kubectl auth and writes', () => {
  it('answers auth can-i for the admin and for the bot before and after RBAC', async () => {
    expect((await kubectl('admin', 'auth', 'can-i', 'list', 'pods', '-n', 'kube-system')).stdout.trim()).toBe('yes');
    const denied = await kubectl('bot', 'auth', 'can-i', 'list', 'pods', '-n', 'kube-system');
    expect([denied.stdout.trim(), denied.code]).toEqual(['no', 1]);
    const get = await kubectl('bot', '-n', 'kube-system', 'get', 'pods');
    expect(get.stderr).toContain(
      'pods is forbidden: User "system:serviceaccount:netcheck:netcheck-bot" cannot list resource "pods" in API group "" in the namespace "kube-system"',
    );

    sandbox.apply(botReaderRbac());
    expect((await kubectl('bot', 'auth', 'can-i', 'list', 'pods', '-n', 'kube-system')).stdout.trim()).toBe('yes');
    expect((await kubectl('bot', 'auth', 'can-i', 'delete', 'pods', '-n', 'kube-system')).stdout.trim()).toBe('no');
    expect((await kubectl('bot', '-n', 'kube-system', 'get', 'pods', '-o', 'name')).stdout).toContain(
      'pod/kube-proxy-x7k2p',
    );
  });

  it('restarts a deployment with rollout restart', async () => {
    const r = await kubectl('admin', '-n', 'kube-system', 'rollout', 'restart', 'deployment/coredns');
    expect(r.stdout.trim()).toBe('deployment.apps/coredns restarted');
    const annotations = await kubectl(
      'admin',
      '-n',
      'kube-system',
      'get',
      'deploy',
      'coredns',
      '-o',
      'jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}',
    );
    expect(annotations.stdout).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('honours server dry runs and resourceVersion conflicts the way remediation relies on', async () => {
    const dry = await kubectl(
      'admin',
      '-n',
      'kube-system',
      'delete',
      'pod',
      'coredns-668d6bf9bc-a',
      '--dry-run=server',
    );
    expect(dry.stdout.trim()).toBe('pod "coredns-668d6bf9bc-a" deleted (server dry run)');
    expect(
      (await kubectl('admin', '-n', 'kube-system', 'get', 'pod', 'coredns-668d6bf9bc-a', '-o', 'name')).stdout.trim(),
    ).toBe('pod/coredns-668d6bf9bc-a');
    const stale = await kubectl(
      'admin',
      '-n',
      'kube-system',
      'patch',
      'configmap',
      'coredns',
      '--type=merge',
      '-p',
      '{"metadata":{"resourceVersion":"1"},"data":{"x":"y"}}',
    );
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  });
});
