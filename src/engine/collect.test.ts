import { describe, expect, it } from 'vitest';
import { clusterOf, FakeReader, forbidden } from '#test/fakes/cluster-reader.ts';
import { crashAll, withChanges } from '#test/fixtures/changes.ts';
import { kubeadmFlannel } from '#test/fixtures/clusters.ts';
import { kubeadmProxyCluster } from '#test/fixtures/kube-proxy.ts';
import type { Snapshot } from './check.ts';
import { proxyChecks } from './checks/kube-proxy/index.ts';
import { ClusterError } from './cluster-reader.ts';
import { COMPONENT_POD_SELECTORS, collect, LOG_LIMIT_BYTES, LOG_TAIL_LINES } from './collect.ts';
import { diagnose } from './diagnose.ts';

function readerFor(s: Snapshot): FakeReader {
  // The fake keys logs by namespace/pod/container, exactly like the snapshot.
  return new FakeReader(clusterOf(s), s.logs);
}

describe('collect', () => {
  it('reads pods only in their namespaces and by component label, never cluster-wide', async () => {
    const reader = readerFor(kubeadmProxyCluster());
    await collect(reader, { scope: 'all' });
    const podLists = reader.calls.filter((c) => c.verb === 'list' && c.resource === 'pods');
    expect(podLists.every((c) => c.namespace !== undefined)).toBe(true);
    const kubeSystem = podLists
      .filter((c) => c.namespace === 'kube-system')
      .map((c) => (c.options as { labelSelector?: string }).labelSelector);
    expect(kubeSystem).toEqual(COMPONENT_POD_SELECTORS);
    // The CNI lives in kube-system: no CNI namespace is read.
    expect(podLists.filter((c) => c.namespace !== 'kube-system')).toEqual([]);
  });

  it('reads a CNI namespace (pods, warnings, its ConfigMap) only when a DaemonSet lives there', async () => {
    const reader = readerFor(kubeadmFlannel());
    const snapshot = await collect(reader, { scope: 'all' });
    const daemonSetLists = reader.calls.filter((c) => c.verb === 'list' && c.resource === 'daemonsets');
    expect(daemonSetLists.map((c) => c.namespace)).toEqual([undefined]);
    const elsewhere = reader.calls
      .filter((c) => c.namespace !== undefined && c.namespace !== 'kube-system' && c.namespace !== 'default')
      .map((c) => `${c.verb} ${c.resource} ${c.namespace}${c.name ? `/${c.name}` : ''}`);
    expect(elsewhere.filter((c) => !c.startsWith('logs'))).toEqual([
      'list pods kube-flannel',
      'list events kube-flannel',
      'get configmaps kube-flannel/kube-flannel-cfg',
    ]);
    expect(snapshot.pods.some((p) => p.metadata.namespace === 'kube-flannel')).toBe(true);
    expect(snapshot.configMaps.map((c) => `${c.metadata.namespace}/${c.metadata.name}`)).toContain(
      'kube-flannel/kube-flannel-cfg',
    );
  });

  it('narrows events, EndpointSlices and NetworkPolicies with selectors and first-page limits', async () => {
    const reader = readerFor(kubeadmProxyCluster());
    await collect(reader, { scope: 'all' });
    const lists = reader.calls.filter((c) => c.verb === 'list');
    const events = lists
      .filter((c) => c.resource === 'events')
      .map((c) => ({ ns: c.namespace, ...(c.options as object) }));
    expect(events).toContainEqual({ ns: 'kube-system', namespace: 'kube-system', fieldSelector: 'type=Warning' });
    expect(events).toContainEqual({ ns: undefined, fieldSelector: 'reason=FailedCreatePodSandBox', limit: 50 });
    for (const e of events) expect((e as { fieldSelector?: string }).fieldSelector).toBeDefined();
    expect(lists.find((c) => c.resource === 'networkpolicies')?.options).toEqual({ limit: 5 });
    // kube-system's slices whatever the DNS Service is called (rke2-coredns-rke2-coredns…); default's by name.
    const slices = lists
      .filter((c) => c.resource === 'endpointslices')
      .map((c) => c.options as { namespace?: string; labelSelector?: string });
    expect(slices).toEqual([
      { namespace: 'kube-system' },
      { namespace: 'default', labelSelector: 'kubernetes.io/service-name=kubernetes' },
    ]);
  });

  it("lists kube-system's ConfigMaps once and gets RBAC objects by name, recording what is missing as absent", async () => {
    const reader = readerFor(kubeadmProxyCluster());
    const snapshot = await collect(reader, { scope: 'all' });
    const gets = reader.calls
      .filter((c) => c.verb === 'get')
      .map((c) => `${c.resource}/${c.namespace ?? ''}/${c.name}`);
    expect(gets.filter((g) => g.startsWith('configmaps/'))).toEqual([]);
    expect(reader.calls.filter((c) => c.resource === 'configmaps').map((c) => `${c.verb} ${c.namespace}`)).toEqual([
      'list kube-system',
    ]);
    expect(gets).toContain('clusterrolebindings//kubeadm:node-proxier');
    expect(snapshot.absent).toContain('configmaps/kube-system/coredns');
    expect(snapshot.absent).not.toContain('configmaps/kube-system/kube-proxy');
    expect(snapshot.configMaps.map((c) => c.metadata.name).sort()).toEqual(['kube-proxy', 'kubeadm-config']);
    expect(snapshot.fingerprint).toMatchObject({ flavor: 'kubeadm', cni: 'calico', proxy: 'kube-proxy' });
  });

  it('reads the current logs of a bounded sample of healthy pods per workload (here all three)', async () => {
    const reader = readerFor(kubeadmProxyCluster());
    const snapshot = await collect(reader, { scope: 'proxy' });
    const logs = reader.calls.filter((c) => c.verb === 'logs');
    expect(logs.map((c) => `${c.name}/${(c.options as { container?: string }).container}`).sort()).toEqual([
      'kube-proxy-2kx9v/kube-proxy',
      'kube-proxy-7qpdl/kube-proxy',
      'kube-proxy-hz5ln/kube-proxy',
    ]);
    for (const call of logs)
      expect(call.options).toMatchObject({ previous: false, tailLines: LOG_TAIL_LINES, limitBytes: LOG_LIMIT_BYTES });
    expect(Object.keys(snapshot.logs)).toContain('kube-system/kube-proxy-2kx9v/kube-proxy');
  });

  it('reads current and previous logs of at most three failing pods per workload', async () => {
    const base = withChanges(kubeadmProxyCluster(), (s) => {
      const extra = structuredClone(s.pods[0]!);
      extra.metadata.name = 'kube-proxy-zz9zz';
      s.pods.push(extra);
      crashAll(s, 'boom');
    });
    const reader = readerFor(base);
    await collect(reader, { scope: 'proxy' });
    const logs = reader.calls.filter((c) => c.verb === 'logs');
    expect(new Set(logs.map((c) => c.name)).size).toBe(3);
    expect(logs.filter((c) => (c.options as { previous?: boolean }).previous)).toHaveLength(3);
  });

  it('does not ask for logs of containers that never started', async () => {
    const creating = withChanges(kubeadmProxyCluster(), (s) => {
      for (const pod of s.pods) {
        pod.status = {
          phase: 'Pending',
          containerStatuses: [
            { name: 'kube-proxy', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
          ],
        };
      }
    });
    const reader = readerFor(creating);
    await collect(reader, { scope: 'proxy' });
    expect(reader.calls.filter((c) => c.verb === 'logs')).toEqual([]);
  });

  it('scope cni skips what only DNS or kube-proxy need', async () => {
    const reader = readerFor(kubeadmProxyCluster());
    await collect(reader, { scope: 'cni' });
    expect(reader.calls.some((c) => c.resource === 'replicasets')).toBe(false);
    expect(reader.calls.some((c) => c.verb === 'logs' && c.name?.startsWith('kube-proxy'))).toBe(false);
  });

  it('takes at most three sequential waves whatever the cluster size', async () => {
    const reader = readerFor(kubeadmProxyCluster());
    let inFlight = 0;
    let waves = 0;
    const list = reader.list.bind(reader);
    const logs = reader.logs.bind(reader);
    const track = async <T>(fn: () => Promise<T>) => {
      if (inFlight++ === 0) waves++;
      try {
        return await fn();
      } finally {
        await Promise.resolve();
        inFlight--;
      }
    };
    reader.list = (r, o) => track(() => list(r, o));
    reader.logs = (n, p, o) => track(() => logs(n, p, o));
    await collect(reader, { scope: 'all' });
    expect(waves).toBeLessThanOrEqual(3);
  });
});

describe('collection failures', () => {
  it('a 403 on kube-system pods makes kube-proxy unknown, naming verb, resource and identity', async () => {
    const reader = readerFor(kubeadmProxyCluster());
    reader.failWith = (call) => (call.resource === 'pods' && call.verb === 'list' ? forbidden(call) : undefined);
    const report = await diagnose(reader, {
      scope: 'proxy',
      cluster: { name: 'lab', server: 'https://127.0.0.1:6443' },
      checks: proxyChecks,
    });
    const proxy = report.components.find((c) => c.component === 'kube-proxy')!;
    expect(proxy.status).toBe('unknown');
    expect(proxy.errors).toContain(
      'cannot list pods in kube-system as system:serviceaccount:netcheck:netcheck-bot (403)',
    );
    expect(report.status).toBe('unknown');
  });

  it('a missing CNI namespace is not an error', async () => {
    const reader = readerFor(kubeadmProxyCluster());
    reader.failWith = (call) =>
      call.namespace === 'tigera-operator'
        ? new ClusterError({
            kind: 'not-found',
            status: 404,
            message: 'namespaces "tigera-operator" not found',
            verb: 'list',
            resource: call.resource,
            namespace: call.namespace,
          })
        : undefined;
    const snapshot = await collect(reader, { scope: 'all' });
    expect(snapshot.failures).toEqual([]);
  });

  it('a timeout never sinks the run; a critical finding still wins over unknown', async () => {
    const broken = withChanges(kubeadmProxyCluster(), (s) => {
      s.serviceAccounts = [];
    });
    const reader = readerFor(broken);
    reader.failWith = (call) =>
      call.resource === 'nodes'
        ? new ClusterError({ kind: 'timeout', message: 'timed out', verb: 'list', resource: 'nodes' })
        : undefined;
    const report = await diagnose(reader, {
      scope: 'proxy',
      cluster: { name: 'lab', server: 'https://127.0.0.1:6443' },
      checks: proxyChecks,
    });
    const proxy = report.components[0]!;
    expect(proxy.status).toBe('critical');
    expect(proxy.errors).toEqual(['timed out trying to list nodes']);
    expect(proxy.findings[0]!.id).toBe('kube-proxy.serviceaccount-missing');
  });
});
