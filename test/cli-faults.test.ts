// The real CLI against a degraded API server: the sandbox's fault injection (its test API, and `--fault` on the
// command line) makes single reads fail, throttle, hang or lie. Whatever happens, a report is printed, each
// component is judged with what could be read or is `unknown` naming what it lacked, the exit code follows the
// documented rule, and the run ends within the deadline (bounded by each test's own timeout, never a timed assertion).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ComponentReport, Report } from '../src/engine/report.ts';
import { loadScenario } from '../src/sandbox/scenarios.ts';
import { type Sandbox, startSandbox } from '../src/sandbox/server.ts';
import { BIN, runCli } from './support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'netcheck-faults-'));
let healthy: Sandbox;
let broken: Sandbox;
let healthyConfig: string;
let brokenConfig: string;

beforeAll(async () => {
  [healthy, broken] = await Promise.all([
    startSandbox({ scenario: await loadScenario('kubeadm-calico') }),
    startSandbox({ scenario: await loadScenario('coredns-loop') }),
  ]);
  healthyConfig = join(dir, 'healthy.kubeconfig');
  brokenConfig = join(dir, 'broken.kubeconfig');
  writeFileSync(healthyConfig, healthy.kubeconfig('bot'));
  writeFileSync(brokenConfig, broken.kubeconfig('bot'));
});
afterAll(async () => {
  await Promise.all([healthy?.close(), broken?.close()]);
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  for (const s of [healthy, broken]) {
    s.setFaults([]);
    s.setLatency(undefined);
    s.resetRequests();
  }
});

async function diagnoseJson(config: string, ...flags: string[]) {
  const result = await runCli(['all', '--kubeconfig', config, '--output', 'json', ...flags]);
  const report = Report.parse(JSON.parse(result.stdout));
  const component = (name: string) => report.components.find((c) => c.component === name) as ComponentReport;
  const statuses = Object.fromEntries(report.components.map((c) => [c.component, c.status]));
  return { ...result, report, component, statuses };
}

const requestsTo = (s: Sandbox, path: RegExp) => s.requests.filter((r) => path.test(r.path));

describe('the clean runs the faults are measured against', () => {
  it('a healthy cluster: every component judged ok, exit 0, nothing on stderr', async () => {
    const run = await diagnoseJson(healthyConfig);
    expect(run.statuses).toEqual({ cni: 'ok', 'kube-proxy': 'ok', dns: 'ok' });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });
});

describe('503', () => {
  it('once: the read is retried and the report is whole', async () => {
    healthy.setFaults([{ kind: 'status', status: 503, path: '^/api/v1/nodes$', times: 1 }]);
    const run = await diagnoseJson(healthyConfig);
    expect(requestsTo(healthy, /^\/api\/v1\/nodes$/).map((r) => r.status)).toEqual([503, 200]);
    expect(run.statuses).toEqual({ cni: 'ok', 'kube-proxy': 'ok', dns: 'ok' });
    expect(run.code).toBe(0);
  });

  it('always, on one list: retried once, then the components that need it are unknown and the rest judged', async () => {
    // DaemonSets are one list across namespaces (the CNI agents live in several).
    healthy.setFaults([{ kind: 'status', status: 503, path: '^/apis/apps/v1/daemonsets$' }]);
    const run = await diagnoseJson(healthyConfig);
    expect(requestsTo(healthy, /^\/apis\/apps\/v1\/daemonsets$/)).toHaveLength(2);
    expect(run.statuses).toEqual({ cni: 'unknown', 'kube-proxy': 'unknown', dns: 'ok' });
    expect(run.component('cni').errors).toContain(
      'failed to list daemonsets (503): injected fault: 503 ServiceUnavailable',
    );
    expect(run.component('cni').summary).toMatch(/could not be fully checked: failed to list daemonsets/);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'netcheck: cni, kube-proxy on sandbox could not be judged: failed to list daemonsets (503): injected fault: 503 ServiceUnavailable (and 1 more failed read)\n',
    );
  });

  it('on the shared Warning events: still a judged report, each component naming what it was judged without', async () => {
    broken.setFaults([{ kind: 'status', status: 503, path: '/events$' }]);
    const run = await diagnoseJson(brokenConfig);
    expect(run.statuses.dns).toBe('critical');
    expect(run.component('dns').findings.map((f) => f.id)).toContain('coredns.loop-detected');
    expect(run.component('cni').status).toBe('ok');
    expect(run.component('cni').summary).toMatch(/judged without: failed to list events/);
    expect(run.component('cni').errors?.some((e) => /list events/.test(e))).toBe(true);
    expect(run.code).toBe(1);
  });
});

describe('429 with Retry-After', () => {
  it('within the deadline: waits as asked, retries once, and the report is whole', async () => {
    healthy.setFaults([{ kind: 'status', status: 429, retryAfterSeconds: 1, path: '^/api/v1/nodes$', times: 1 }]);
    const run = await diagnoseJson(healthyConfig);
    const [first, second] = requestsTo(healthy, /^\/api\/v1\/nodes$/);
    expect([first?.status, second?.status]).toEqual([429, 200]);
    expect(Number(second?.receivedAt) - Number(first?.receivedAt)).toBeGreaterThanOrEqual(950);
    expect(run.code).toBe(0);
  });

  it('beyond the deadline: no retry; the throttled read is named and the run ends by the deadline', async () => {
    healthy.setFaults([{ kind: 'status', status: 429, retryAfterSeconds: 60, path: '^/api/v1/nodes$' }]);
    const run = await diagnoseJson(healthyConfig, '--timeout', '5');
    expect(requestsTo(healthy, /^\/api\/v1\/nodes$/)).toHaveLength(1);
    expect(run.statuses).toEqual({ cni: 'unknown', 'kube-proxy': 'unknown', dns: 'ok' });
    expect(run.component('cni').errors?.[0]).toMatch(/^failed to list nodes \(429\): Too many requests/);
    expect(run.code).toBe(2);
  });
});

describe('hang', () => {
  it('every request hangs: `--timeout 3` returns a report of unknowns naming the deadline, exit 2', async () => {
    healthy.setFaults([{ kind: 'hang' }]);
    const run = await diagnoseJson(healthyConfig, '--timeout', '3');
    expect(run.statuses).toEqual({ cni: 'unknown', 'kube-proxy': 'unknown', dns: 'unknown' });
    expect(run.report.components.flatMap((c) => c.errors ?? []).join('\n')).toMatch(/timed out trying to list/);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^netcheck: could not diagnose sandbox: timed out trying to/);
  });

  it('one list hangs: the others and the logs are still read, the component that needs it is unknown', async () => {
    broken.setFaults([{ kind: 'hang', path: '^/api/v1/nodes$' }]);
    const run = await diagnoseJson(brokenConfig, '--timeout', '4');
    expect(run.component('dns').findings.map((f) => f.id)).toContain('coredns.loop-detected');
    expect(run.component('cni').status).toBe('unknown');
    expect(run.component('cni').errors).toContain('timed out trying to list nodes');
    expect(run.code).toBe(1);
  });

  it('through `netcheck sandbox start --fault`: the real server hangs every list, `--timeout 5` still reports', async () => {
    const config = join(dir, 'cli-sandbox.kubeconfig');
    const server = spawn(
      process.execPath,
      [BIN, 'sandbox', 'start', '--scenario', 'kubeadm-flannel', '--user', 'bot', '--write-kubeconfig', config],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    // Faults are given at start, so the hang is armed after the kubeconfig exists: a second server with the fault.
    const faulty = spawn(
      process.execPath,
      [
        BIN,
        'sandbox',
        'start',
        '--scenario',
        'kubeadm-flannel',
        '--user',
        'bot',
        '--write-kubeconfig',
        `${config}.hang`,
        '--fault',
        'LIST:*:hang',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    try {
      await Promise.all([waitForFile(config), waitForFile(`${config}.hang`)]);
      const clean = await diagnoseJson(config);
      expect(clean.code).toBe(0);
      const run = await diagnoseJson(`${config}.hang`, '--timeout', '5');
      expect(Object.values(run.statuses)).toEqual(['unknown', 'unknown', 'unknown']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/could not diagnose .*timed out/);
    } finally {
      server.kill();
      faulty.kill();
    }
  });
});

async function waitForFile(path: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if (readFileSync(path, 'utf8').includes('server:')) return;
    } catch {
      // not written yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${path} was never written`);
}

describe('reset', () => {
  it('once: the dropped connection is retried and the report is whole', async () => {
    healthy.setFaults([{ kind: 'reset', path: '^/apis/apps/v1/namespaces/kube-system/deployments$', times: 1 }]);
    const run = await diagnoseJson(healthyConfig);
    expect(requestsTo(healthy, /^\/apis\/apps\/v1\/namespaces\/kube-system\/deployments$/).length).toBe(2);
    expect(run.code).toBe(0);
  });

  it('always: retried once, then unreachable, and only the components that need it are unknown', async () => {
    healthy.setFaults([{ kind: 'reset', path: '^/apis/apps/v1/namespaces/kube-system/replicasets$' }]);
    const run = await diagnoseJson(healthyConfig);
    expect(run.statuses).toEqual({ cni: 'ok', 'kube-proxy': 'ok', dns: 'unknown' });
    expect(run.component('dns').errors?.[0]).toMatch(
      /^could not reach the API server to list replicasets in kube-system/,
    );
    expect(run.code).toBe(2);
  });
});

describe('401 mid-run', () => {
  it('the credentials are refused once the logs are read: the objects still judge the cluster, exit 1', async () => {
    broken.setFaults([{ kind: 'status', status: 401, path: '/log$' }]);
    const run = await diagnoseJson(brokenConfig);
    const dns = run.component('dns');
    // Without the log line the loop itself is not provable; the crash-looping CoreDNS still is.
    expect(dns.status).toBe('critical');
    expect(dns.findings.map((f) => f.id)).toContain('coredns.crashloop');
    expect(dns.findings.map((f) => f.id)).not.toContain('coredns.loop-detected');
    expect(dns.errors?.[0]).toMatch(/^the API server rejected the credentials as .* while trying to get pods\/log/);
    expect(run.code).toBe(1);
  });
});

describe('403 on one resource', () => {
  it('NetworkPolicies forbidden: CNI is unknown naming the denial, the others are judged', async () => {
    healthy.setFaults([{ kind: 'status', status: 403, path: '/networkpolicies$' }]);
    const run = await diagnoseJson(healthyConfig);
    expect(run.statuses).toEqual({ cni: 'unknown', 'kube-proxy': 'ok', dns: 'ok' });
    expect(run.component('cni').errors?.[0]).toMatch(/^cannot list networkpolicies .*\(403\)$/);
    expect(run.code).toBe(2);
  });
});

describe('404 for an API group the server does not serve', () => {
  it('no discovery.k8s.io/v1: EndpointSlices are read from v1 Endpoints, and a healthy DNS is judged ok', async () => {
    healthy.setFaults([{ kind: 'status', status: 404, path: '^/apis/discovery.k8s.io/' }]);
    const run = await diagnoseJson(healthyConfig);
    expect(requestsTo(healthy, /^\/api\/v1\/namespaces\/kube-system\/endpoints$/).length).toBe(1);
    expect(run.statuses).toEqual({ cni: 'ok', 'kube-proxy': 'ok', dns: 'ok' });
    expect(run.code).toBe(0);
  });

  it('no discovery.k8s.io/v1: a kube-dns Service without endpoints is still found through v1 Endpoints', async () => {
    const own = await startSandbox({
      scenario: await loadScenario('dns-service-no-endpoints'),
      faults: [{ kind: 'status', status: 404, path: '^/apis/discovery.k8s.io/' }],
    });
    const config = join(dir, 'no-endpoints.kubeconfig');
    writeFileSync(config, own.kubeconfig('bot'));
    try {
      const run = await diagnoseJson(config);
      expect(run.component('dns').findings.map((f) => f.id)).toContain('dns.service-no-endpoints');
      expect(run.code).toBe(1);
    } finally {
      await own.close();
    }
  });

  it('no networking.k8s.io/v1: no fallback exists, so CNI is unknown, never a silent ok', async () => {
    healthy.setFaults([{ kind: 'status', status: 404, path: '^/apis/networking.k8s.io/' }]);
    const run = await diagnoseJson(healthyConfig);
    expect(run.component('cni').status).toBe('unknown');
    expect(run.component('cni').errors?.[0]).toMatch(
      /^failed to list networkpolicies \(404\): the API server does not serve/,
    );
    expect(run.code).toBe(2);
  });
});

describe('bodies that are not what was asked for', () => {
  it('truncated JSON on a 200: that read failed, named as cut off; the rest is judged', async () => {
    healthy.setFaults([{ kind: 'truncate', path: '^/apis/apps/v1/namespaces/kube-system/replicasets$' }]);
    const run = await diagnoseJson(healthyConfig);
    expect(run.statuses).toEqual({ cni: 'ok', 'kube-proxy': 'ok', dns: 'unknown' });
    expect(run.component('dns').errors?.[0]).toMatch(/list replicasets in kube-system.*not complete JSON.*cut off/);
    expect(run.code).toBe(2);
  });

  it("a proxy's HTML error page: summarised as its status and <title>, never quoted whole", async () => {
    healthy.setFaults([{ kind: 'html', path: '^/apis/apps/v1/namespaces/kube-system/deployments$' }]);
    const run = await diagnoseJson(healthyConfig);
    const text = await runCli(['all', '--kubeconfig', healthyConfig]);
    const error = run.component('dns').errors?.[0] ?? '';
    expect(error).toBe(
      'failed to list deployments in kube-system (502): HTTP 502: an HTML page titled "502 Bad Gateway"',
    );
    expect(`${run.stdout}${run.stderr}${text.stdout}${text.stderr}`).not.toMatch(/<html|<title|padding/i);
    expect(run.statuses.dns).toBe('unknown');
    expect(run.code).toBe(2);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/UNKNOWN\s+dns/);
  });
});

describe('slow but answering on every call', () => {
  it('700 ms per request, ~50 requests over 12 sockets: queueing is no request’s timeout, everything is judged', async () => {
    healthy.setLatency({ fixedMs: 700 });
    const run = await diagnoseJson(healthyConfig, '--timeout', '15');
    expect(run.report.requests).toBeGreaterThan(24);
    expect(run.statuses).toEqual({ cni: 'ok', 'kube-proxy': 'ok', dns: 'ok' });
    expect(run.code).toBe(0);
  });
});

describe('bad kubeconfigs: the right one sentence, exit 2, no stack or code frame', () => {
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const config = (currentContext: string, user: string) => `apiVersion: v1
kind: Config
current-context: ${currentContext}
contexts:
- name: dev
  context: {cluster: c, user: u}
- name: staging
  context: {cluster: c, user: u}
clusters:
- name: c
  cluster: {server: ${healthy.url}, certificate-authority-data: ${Buffer.from(healthy.caPem).toString('base64')}}
users:
- name: u
  user:
${user}
`;
  const oneSentence = (stderr: string) => {
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at |\^|\|/);
  };

  it('current-context names a context that does not exist: which, and the known ones', async () => {
    const path = write('missing-context.kubeconfig', config('prod', `    token: ${healthy.tokens.bot}`));
    const result = await runCli(['dns', '--kubeconfig', path]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `netcheck: current-context "prod" in ${path} names a context that does not exist; known contexts: dev, staging (pass --context NAME or fix current-context)\n`,
    );
    // The same file works once a known context is chosen.
    expect((await runCli(['dns', '--kubeconfig', path, '--context', 'dev'])).code).toBe(0);
  });

  it('a file that is not YAML: one line saying so and where', async () => {
    const path = write('not-yaml.kubeconfig', 'apiVersion: v1\nclusters:\n  - name: [oops\n  bad: : :\n\tfoo\n');
    const result = await runCli(['dns', '--kubeconfig', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(`^netcheck: cannot read kubeconfig ${path}: not valid YAML: .* at line \\d+, column \\d+\n$`),
    );
    oneSentence(result.stderr);
  });

  it('an exec plugin that is not installed: which binary, and that it is an auth plugin, not the network', async () => {
    const path = write(
      'exec.kubeconfig',
      config(
        'dev',
        '    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: netcheck-no-such-auth-plugin\n      args: [token]',
      ),
    );
    const result = await runCli(['dns', '--kubeconfig', path]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /exec plugin "netcheck-no-such-auth-plugin", which is not installed \(not found on PATH\)/,
    );
    expect(result.stderr).toMatch(/it is an auth plugin, not a network failure/);
    expect(result.stderr).not.toMatch(/could not reach|ENOENT/);
    oneSentence(result.stderr);
    expect(healthy.requests).toEqual([]);
  });
});
