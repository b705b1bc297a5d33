import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { listScenarios } from '../sandbox/scenarios.ts';
import { parseFault, sandboxCommand } from './sandbox-command.ts';

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c) => out.push(String(c)));
  stderr.on('data', (c) => err.push(String(c)));
  return { io: { stdout, stderr }, out: () => out.join(''), err: () => err.join('') };
}

describe('netcheck sandbox list', () => {
  it('prints every scenario on one aligned line with a healthy/broken marker', async () => {
    const c = capture();
    expect(await sandboxCommand(['list'], c.io)).toBe(0);
    const lines = c.out().trimEnd().split('\n');
    const scenarios = await listScenarios();
    expect(lines).toHaveLength(scenarios.length);
    const markerColumn = lines.map((l) => l.search(/ (healthy|broken) /));
    expect(new Set(markerColumn).size).toBe(1);
    expect(lines.find((l) => l.startsWith('coredns-loop '))).toMatch(/ broken .*loop/);
    expect(lines.find((l) => l.startsWith('kubeadm-calico '))).toMatch(/ healthy /);
  });
});

describe('netcheck sandbox argument errors', () => {
  it.each([
    [['start', '--scenario', 'coredns-loop', '--write-kubeconfig', '/tmp/x', '--bogus'], /Unknown option '--bogus'/],
    [['start', '--write-kubeconfig', '/tmp/x'], /--scenario is required/],
    [['start', '--scenario', 'nope', '--write-kubeconfig', '/tmp/x'], /Unknown scenario "nope".*coredns-loop/],
    [['start', '--scenario', 'coredns-loop', '--write-kubeconfig', '/tmp/x', '--port', 'abc'], /--port must be/],
    [['start', '--scenario', 'coredns-loop', '--write-kubeconfig', '/tmp/x', '--user', 'root'], /--user must be/],
    [
      ['start', '--scenario', 'coredns-loop', '--write-kubeconfig', '/tmp/x', '--fault', 'GET:/api:teapot'],
      /Bad --fault/,
    ],
    [['frobnicate'], /Unknown sandbox command "frobnicate"/],
  ])('%j exits 2 with a one-sentence reason and the usage', async (argv, message) => {
    const c = capture();
    expect(await sandboxCommand(argv, c.io)).toBe(2);
    expect(c.err()).toMatch(message);
    expect(c.err()).toContain('Usage:');
    expect(c.out()).toBe('');
  });
});

describe('fault specs', () => {
  it('parses verb, path regex, status, Retry-After, hang/reset and times', () => {
    expect(parseFault('GET:/api/v1/namespaces/kube-system/pods:503')).toEqual({
      verb: 'GET',
      path: '/api/v1/namespaces/kube-system/pods',
      kind: 'status',
      status: 503,
    });
    expect(parseFault('*:/apis/apps.*:hang')).toEqual({ path: '/apis/apps.*', kind: 'hang' });
    expect(parseFault('list:*:429/2:3')).toEqual({
      verb: 'LIST',
      kind: 'status',
      status: 429,
      retryAfterSeconds: 2,
      times: 3,
    });
    expect(parseFault('DELETE:/api/v1/x:reset')).toEqual({ verb: 'DELETE', path: '/api/v1/x', kind: 'reset' });
    expect(() => parseFault('GET:/api')).toThrow(/too few parts/);
    expect(() => parseFault('FETCH:/api:503')).toThrow(/unknown verb/);
  });
});

describe('netcheck sandbox start', () => {
  it('serves the scenario over TLS and writes a kubeconfig whose CA verifies the server', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'netcheck-sandbox-'));
    const kubeconfigPath = join(dir, 'kubeconfig.yaml');
    const stop = new AbortController();
    const c = capture();
    let ready!: (url: string) => void;
    const readyUrl = new Promise<string>((r) => {
      ready = r;
    });
    const running = sandboxCommand(
      ['start', '--scenario', 'kubeadm-calico', '--write-kubeconfig', kubeconfigPath, '--port', '0', '--user', 'bot'],
      c.io,
      { signal: stop.signal, onReady: ({ url }) => ready(url) },
    );
    try {
      // If start fails before it is ready, surface that failure instead of waiting forever.
      const url = await Promise.race([readyUrl, running.then((code) => Promise.reject(new Error(`exited ${code}`)))]);
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(c.out()).toBe(`sandbox kubeadm-calico serving at ${url}; kubeconfig written to ${kubeconfigPath}\n`);
      const kubeconfig = parse(await readFile(kubeconfigPath, 'utf8'));
      const cluster = kubeconfig.clusters[0].cluster;
      expect(cluster.server).toBe(url);
      const ca = Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8');
      const headers = { authorization: `Bearer ${kubeconfig.users[0].user.token}` };
      const version = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(new URL('/version', url), { ca, headers }, (res) => {
          let body = '';
          res.on('data', (d) => {
            body += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(version.status).toBe(200);
      expect(JSON.parse(version.body).gitVersion).toMatch(/^v1\./);
    } finally {
      stop.abort();
      expect(await running).toBe(0);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
