// Server-side printing and metadata-only lists, as the apiserver serves them: the real kubectl v1.32 prints the
// sandbox's Tables, and raw requests with the apiserver's Accept headers get the apiserver's shapes.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/sandbox/server.ts';
import { humanDuration } from '../src/sandbox/table.ts';
import { corednsLoopScenario } from './fakes/sandbox.ts';

const KUBECTL = '/usr/bin/kubectl';
const NS = 'printing';
let sandbox: Sandbox;
let dir: string;

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const common = ['--kubeconfig', join(dir, 'admin.yaml'), '--cache-dir', join(dir, 'cache'), '--request-timeout=10s'];
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      [...common, ...args],
      { env: { PATH: process.env.PATH ?? '', HOME: dir, KUBECACHEDIR: join(dir, 'cache') }, timeout: 20_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

const rows = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));

/** One GET as the admin with the given Accept header; the parsed body and the Content-Type. */
// biome-ignore lint/suspicious/noExplicitAny: the answers are open-ended wire JSON the tests narrow.
function raw(path: string, accept: string): Promise<{ status: number; type: string; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${sandbox.url}${path}`,
      { ca: sandbox.caPem, headers: { Accept: accept, Authorization: `Bearer ${sandbox.tokens.admin}` } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => {
          text += c;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: JSON.parse(text) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const MIN = 60_000;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: corednsLoopScenario() });
  dir = mkdtempSync(join(tmpdir(), 'sandbox-tables-'));
  writeFileSync(join(dir, 'admin.yaml'), sandbox.kubeconfig('admin'));
  const pod = (name: string, spec: object, status: object, extra: object = {}) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, creationTimestamp: ago(3 * 24 * 60 * MIN + 4 * 60 * MIN), ...extra },
    spec: { nodeName: 'cp-1', ...spec },
    status,
  });
  const running = { running: { startedAt: ago(MIN) } };
  sandbox.apply([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
    // A sidecar (restartable init container) counts as a container; restarts show when the last one ended.
    pod(
      'with-sidecar',
      {
        initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }],
        containers: [{ name: 'app', image: 'app' }],
      },
      {
        phase: 'Running',
        podIP: '10.244.0.9',
        podIPs: [{ ip: '10.244.0.9' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 1, state: running }],
        containerStatuses: [
          {
            name: 'app',
            ready: true,
            restartCount: 2,
            state: running,
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(5 * MIN) } },
          },
        ],
      },
    ),
    pod(
      'init-failing',
      { initContainers: [{ name: 'wait', image: 'busybox' }], containers: [{ name: 'app', image: 'app' }] },
      {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'wait', ready: false, restartCount: 3, state: { terminated: { exitCode: 2 } } },
        ],
        containerStatuses: [
          { name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
        ],
      },
    ),
    pod(
      'gated',
      { readinessGates: [{ conditionType: 'example.com/lb' }], containers: [{ name: 'app', image: 'app' }] },
      {
        phase: 'Running',
        podIP: '10.244.0.10',
        conditions: [
          { type: 'Ready', status: 'False' },
          { type: 'example.com/lb', status: 'False' },
        ],
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }],
      },
    ),
  ]);
});

afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('server-side Tables as the apiserver prints them', () => {
  it('pods -o wide: every column of kube 1.32, sidecars counted, restarts with when the last one was', async () => {
    const r = await kubectl('-n', NS, 'get', 'pods', '-o', 'wide');
    expect(r.stderr).toBe('');
    const [header, ...pods] = rows(r.stdout);
    expect(header).toEqual([
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
      'IP',
      'NODE',
      'NOMINATED NODE',
      'READINESS GATES',
    ]);
    expect(pods).toEqual([
      ['gated', '1/1', 'Running', '0', '3d4h', '10.244.0.10', 'cp-1', '<none>', '0/1'],
      ['init-failing', '0/1', 'Init:ExitCode:2', '3', '3d4h', '<none>', 'cp-1', '<none>', '<none>'],
      ['with-sidecar', '2/2', 'Running', '3 (5m ago)', '3d4h', '10.244.0.9', 'cp-1', '<none>', '<none>'],
    ]);
  });

  it('nodes -o wide: status, roles, addresses and the node info columns', async () => {
    const r = await kubectl('get', 'nodes', '-o', 'wide');
    expect(r.stderr).toBe('');
    const [header, node] = rows(r.stdout);
    expect(header).toEqual([
      'NAME',
      'STATUS',
      'ROLES',
      'AGE',
      'VERSION',
      'INTERNAL-IP',
      'EXTERNAL-IP',
      'OS-IMAGE',
      'KERNEL-VERSION',
      'CONTAINER-RUNTIME',
    ]);
    expect(node?.slice(0, 3)).toEqual(['cp-1', 'Ready', 'control-plane']);
    expect(node).toHaveLength(10);
  });

  it('answers a Table with the column definitions and includeObject=None|Metadata|Object', async () => {
    const accept = 'application/json;as=Table;g=meta.k8s.io;v=v1';
    const none = await raw(`/api/v1/namespaces/${NS}/pods?includeObject=None`, accept);
    expect(none.type).toBe('application/json;as=Table;g=meta.k8s.io;v=v1');
    expect(none.body.kind).toBe('Table');
    expect(none.body.columnDefinitions.map((c: { name: string; type: string; priority: number }) => c)).toMatchObject([
      { name: 'Name', type: 'string', format: 'name', priority: 0 },
      { name: 'Ready', type: 'string', priority: 0 },
      { name: 'Status', type: 'string', priority: 0 },
      { name: 'Restarts', type: 'string', priority: 0 },
      { name: 'Age', type: 'string', priority: 0 },
      { name: 'IP', priority: 1 },
      { name: 'Node', priority: 1 },
      { name: 'Nominated Node', priority: 1 },
      { name: 'Readiness Gates', priority: 1 },
    ]);
    expect(none.body.rows[0].object).toBeUndefined();
    const meta = await raw(`/api/v1/namespaces/${NS}/pods`, accept);
    expect(meta.body.rows[0].object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: expect.objectContaining({ name: 'gated', namespace: NS }),
    });
    const full = await raw(`/api/v1/namespaces/${NS}/pods?includeObject=Object`, accept);
    expect(full.body.rows[0].object).toMatchObject({ kind: 'Pod', spec: { nodeName: 'cp-1' } });
  });

  it('answers metadata-only lists and gets (as=PartialObjectMetadataList / PartialObjectMetadata), paged', async () => {
    const accept = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
    const first = await raw(`/api/v1/namespaces/${NS}/pods?limit=2`, accept);
    expect(first.type).toBe('application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1');
    expect(first.body.kind).toBe('PartialObjectMetadataList');
    expect(first.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual([
      'gated',
      'init-failing',
    ]);
    expect(Object.keys(first.body.items[0]).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
    const rest = await raw(
      `/api/v1/namespaces/${NS}/pods?limit=2&continue=${encodeURIComponent(first.body.metadata.continue)}`,
      accept,
    );
    expect(rest.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['with-sidecar']);
    const one = await raw(
      `/api/v1/namespaces/${NS}/pods/gated`,
      'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
    );
    expect(one.body).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: expect.objectContaining({ name: 'gated' }),
    });
    // An Accept the server cannot serve in that form falls through to the next choice: the object itself.
    const plain = await raw(`/api/v1/namespaces/${NS}/pods/gated`, 'application/json;as=Table;g=example.com;v=v9');
    expect(plain.body.kind).toBe('Pod');
  });

  it('prints ages as the apiserver does', () => {
    expect(
      [30, 150, 599, 600, 3 * 3600 + 60, 9 * 3600, 3 * 86400 + 4 * 3600, 20 * 86400, 800 * 86400].map((s) =>
        humanDuration(s * 1000),
      ),
    ).toEqual(['30s', '2m30s', '9m59s', '10m', '3h1m', '9h', '3d4h', '20d', '2y70d']);
  });

  it('serves resourceVersion=0 from the watch cache: one answer whatever the limit; no other version with continue', async () => {
    const cached = await raw(`/api/v1/namespaces/${NS}/pods?limit=1&resourceVersion=0`, 'application/json');
    expect(cached.body.items).toHaveLength(3);
    expect(cached.body.metadata.continue).toBeUndefined();
    const first = await raw(`/api/v1/namespaces/${NS}/pods?limit=1`, 'application/json');
    const token = encodeURIComponent(first.body.metadata.continue);
    const bad = await raw(
      `/api/v1/namespaces/${NS}/pods?limit=1&continue=${token}&resourceVersion=5`,
      'application/json',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('specifying resource version is not allowed when using continue');
    const paged = await raw(
      `/api/v1/namespaces/${NS}/pods?limit=1&continue=${token}&resourceVersion=0`,
      'application/json',
    );
    expect(paged.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['init-failing']);
  });
});
