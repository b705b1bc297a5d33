// Big pod lists read as server-side Table rows (src/cluster/pod-rows.ts) against the sandbox over HTTPS: the
// diagnosis must be exactly the one full objects give, and no failing pod may be represented by a row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeReader } from '../src/cluster/k8s-reader.ts';
import { parseLiteKubeConfig } from '../src/cluster/kubeconfig-lite.ts';
import { diagnose } from '../src/engine/diagnose.ts';
import { podUnhealthy } from '../src/engine/objects/pods.ts';
import type { Report } from '../src/engine/report.ts';
import { generateLargeCluster } from '../src/sandbox/generate.ts';
import { type Sandbox, startSandbox } from '../src/sandbox/server.ts';

const NODES = 300; // 600 DaemonSet pods: more than one 500-pod page, so the rest comes as rows
let broken: Sandbox;
let healthy: Sandbox;

const reader = (sandbox: Sandbox, options: Parameters<typeof createKubeReader>[1] = {}) =>
  createKubeReader(parseLiteKubeConfig(sandbox.kubeconfig('bot'), '/dev/null')!, { timeoutMs: 20_000, ...options });

/** The report without what differs between two runs of the same diagnosis: clocks, durations, request counts. */
function comparable(report: Report): unknown {
  return JSON.parse(
    JSON.stringify(report, (key, value) =>
      ['observedAt', 'requests', 'durationMs', 'startedAt'].includes(key) ? undefined : value,
    ),
  );
}

const run = (sandbox: Sandbox, rowsAfter: number) =>
  diagnose(reader(sandbox, { rowsAfter }), { scope: 'all', cluster: { name: 'big', server: sandbox.url } });

beforeAll(async () => {
  broken = await startSandbox({ scenario: generateLargeCluster({ nodes: NODES, broken: 'coredns-loop' }) });
  healthy = await startSandbox({ scenario: generateLargeCluster({ nodes: NODES }) });
});

afterAll(async () => {
  await broken.close();
  await healthy.close();
});

describe('pod lists as Table rows', () => {
  it('diagnoses a broken big cluster exactly as from full objects', async () => {
    const full = await run(broken, 0);
    const rows = await run(broken, 500);
    expect(full.components.find((c) => c.component === 'dns')?.status).toBe('critical');
    expect(comparable(rows)).toEqual(comparable(full));
  });

  it('diagnoses a healthy big cluster exactly as from full objects', async () => {
    const full = await run(healthy, 0);
    const rows = await run(healthy, 500);
    expect(full.components.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
    expect(comparable(rows)).toEqual(comparable(full));
  });

  it('reads the rest of a big list as rows with metadata, and fetches in full every pod that is not plainly healthy', async () => {
    broken.resetRequests();
    const pods = await reader(broken, { pageSize: 100, rowsAfter: 100 }).list('pods', {
      namespace: 'kube-system',
      labelSelector: 'k8s-app in (kube-dns,kube-proxy,calico-node)',
    });
    const lists = broken.requests.filter((q) => q.path === '/api/v1/namespaces/kube-system/pods');
    expect(lists.map((q) => new URLSearchParams(q.query).get('includeObject'))).toEqual([null, 'Metadata']);
    expect(new URLSearchParams(lists[1]!.query).get('limit')).toBe('5000');
    const gets = broken.requests
      .filter((q) => q.path.startsWith('/api/v1/namespaces/kube-system/pods/'))
      .map((q) => q.path.split('/').pop());
    // The crash-looping CoreDNS pods, and one kube-proxy pod as the template no full page held.
    expect(gets.filter((name) => name!.startsWith('coredns-')).sort()).toEqual(
      pods
        .filter((p) => p.metadata.name.startsWith('coredns-'))
        .map((p) => p.metadata.name)
        .sort(),
    );
    expect(gets.filter((name) => name!.startsWith('kube-proxy-'))).toHaveLength(1);
    const unhealthy = pods.filter(podUnhealthy).map((p) => p.metadata.name);
    expect(unhealthy.length).toBeGreaterThan(0);
    expect(unhealthy.every((name) => gets.includes(name))).toBe(true);
  });

  it('rebuilds a healthy pod with its own metadata, node and IP, and its template’s containers', async () => {
    const selector = { namespace: 'kube-system', labelSelector: 'k8s-app=kube-proxy' };
    const full = await reader(healthy, { rowsAfter: 0, pageSize: 100 }).list('pods', selector);
    const rows = await reader(healthy, { rowsAfter: 100, pageSize: 100 }).list('pods', selector);
    expect(rows.map((p) => p.metadata.name)).toEqual(full.map((p) => p.metadata.name));
    rows.forEach((pod, i) => {
      const real = full[i]!;
      expect(pod.metadata).toEqual(real.metadata);
      expect(pod.spec.nodeName).toBe(real.spec.nodeName);
      expect(pod.spec.containers).toEqual(real.spec.containers);
      expect(pod.status.podIP).toBe(real.status.podIP);
      expect(podUnhealthy(pod)).toBe(false);
    });
  });

  it('lists nodes from the watch cache in one answer (resourceVersion=0), whatever the page size', async () => {
    healthy.resetRequests();
    const nodes = await reader(healthy, { pageSize: 50 }).list('nodes');
    expect(nodes).toHaveLength(NODES);
    const lists = healthy.requests.filter((q) => q.path === '/api/v1/nodes');
    expect(lists).toHaveLength(1);
    expect(new URLSearchParams(lists[0]!.query).get('resourceVersion')).toBe('0');
  });
});
