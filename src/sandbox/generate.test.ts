import { describe, expect, it } from 'vitest';
import { FakeReader } from '#test/fakes/cluster-reader.ts';
import { RESOURCE_OF_KIND } from '#test/support/scenario-reports.ts';
import type { KubeObject, Resource } from '../engine/cluster-reader.ts';
import { diagnose } from '../engine/diagnose.ts';
import { generateLargeCluster } from './generate.ts';

const count = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind).length;

describe('generateLargeCluster', () => {
  const cluster = generateLargeCluster({ nodes: 300, podsPerNode: 10 });
  const pods = cluster.objects.filter((o) => o.kind === 'Pod');

  it('builds the requested number of nodes and app pods plus one kube-proxy and one CNI pod per node', () => {
    expect(count(cluster.objects, 'Node')).toBe(300);
    const appPods = pods.filter((p) => p.metadata.namespace?.startsWith('team-'));
    expect(appPods).toHaveLength(3000);
    expect(pods.filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-proxy')).toHaveLength(300);
    expect(pods.filter((p) => p.metadata.labels?.['k8s-app'] === 'calico-node')).toHaveLength(300);
    expect(cluster.expect).toEqual({ critical: [], warning: [] });
    expect(cluster.fingerprint).toEqual({ flavor: 'kubeadm', cni: 'calico' });
  });

  it('gives every object a unique identity and uid', () => {
    const keys = cluster.objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    const uids = cluster.objects.map((o) => o.metadata.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('places every pod on an existing node, with unique pod IPs inside that node podCIDR', () => {
    const nodes = new Map(cluster.objects.filter((o) => o.kind === 'Node').map((n) => [n.metadata.name, n]));
    const podIps = new Set<string>();
    for (const pod of pods) {
      const node = nodes.get(pod.spec.nodeName);
      expect(node, pod.metadata.name).toBeDefined();
      if (pod.spec.hostNetwork) continue;
      const cidrPrefix = (node!.spec.podCIDR as string).replace(/0\/24$/, '');
      expect(pod.status.podIP.startsWith(cidrPrefix), `${pod.metadata.name} ${pod.status.podIP}`).toBe(true);
      expect(podIps.has(pod.status.podIP)).toBe(false);
      podIps.add(pod.status.podIP);
    }
  });

  it('keeps workload counters consistent with the pods and ownerReferences pointing at real owners', () => {
    const byName = new Map(cluster.objects.map((o) => [`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, o]));
    const owned = new Map<string, number>();
    for (const pod of pods) {
      const ref = pod.metadata.ownerReferences![0]!;
      const ns = ref.kind === 'Node' ? undefined : pod.metadata.namespace;
      const owner = byName.get(`${ref.kind}/${ns}/${ref.name}`);
      expect(owner?.metadata.uid, pod.metadata.name).toBe(ref.uid);
      const k = `${ref.kind}/${ns}/${ref.name}`;
      owned.set(k, (owned.get(k) ?? 0) + 1);
    }
    for (const ds of cluster.objects.filter((o) => o.kind === 'DaemonSet')) {
      expect(ds.status.desiredNumberScheduled).toBe(owned.get(`DaemonSet/kube-system/${ds.metadata.name}`));
      expect(ds.status.numberReady).toBe(300);
    }
    for (const rs of cluster.objects.filter(
      (o) => o.kind === 'ReplicaSet' && o.metadata.namespace?.startsWith('team-'),
    )) {
      expect(rs.status.replicas).toBe(owned.get(`ReplicaSet/${rs.metadata.namespace}/${rs.metadata.name}`) ?? 0);
    }
  });

  it('re-addresses the pod network so thousands of node /24s fit, consistently in kubeadm and kube-proxy config', () => {
    const cm = (name: string) => cluster.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name)!;
    expect(cm('kubeadm-config').data.ClusterConfiguration).toContain('podSubnet: 100.64.0.0/10');
    expect(cm('kube-proxy').data['config.conf']).toContain('clusterCIDR: 100.64.0.0/10');
  });

  it('includes the bot RBAC and logs for the component pods only, sharing strings', () => {
    expect(cluster.objects.some((o) => o.kind === 'ClusterRole' && o.metadata.name === 'netcheck-reader')).toBe(true);
    const keys = Object.keys(cluster.logs);
    expect(keys.every((k) => k.startsWith('kube-system/'))).toBe(true);
    const proxyLogs = keys.filter((k) => k.includes('/kube-proxy-')).map((k) => cluster.logs[k]);
    expect(proxyLogs).toHaveLength(300);
    expect(new Set(proxyLogs).size).toBe(1);
  });

  it('builds the coredns-loop variant with crash-looping CoreDNS and its expected finding', () => {
    const broken = generateLargeCluster({ nodes: 50, broken: 'coredns-loop', cni: 'flannel' });
    expect(broken.expect.critical).toContain('coredns.loop-detected');
    const coredns = broken.objects.filter((o) => o.kind === 'Pod' && o.metadata.name.startsWith('coredns-'));
    expect(coredns).toHaveLength(2);
    for (const pod of coredns) expect(pod.status.containerStatuses[0].state.waiting.reason).toBe('CrashLoopBackOff');
    const deploy = broken.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'coredns')!;
    expect(deploy.status.readyReplicas ?? 0).toBe(0);
    expect(Object.values(broken.logs).some((l) => l.previous?.includes('[FATAL] plugin/loop: Loop'))).toBe(true);
    expect(broken.objects.filter((o) => o.metadata.labels?.app === 'flannel' && o.kind === 'Pod')).toHaveLength(50);
  });

  it('rejects sizes it cannot address', () => {
    expect(() => generateLargeCluster({ nodes: 2 })).toThrow(RangeError);
    expect(() => generateLargeCluster({ nodes: 20_000 })).toThrow(RangeError);
  });
});

describe('generateLargeCluster app Services', () => {
  const cluster = generateLargeCluster({ nodes: 60, podsPerNode: 40 });

  it('gives every app Deployment a Service whose EndpointSlices (max 100 endpoints each) list exactly its pods', () => {
    const services = cluster.objects.filter((o) => o.kind === 'Service' && o.metadata.namespace?.startsWith('team-'));
    const deployments = cluster.objects.filter(
      (o) => o.kind === 'Deployment' && o.metadata.namespace?.startsWith('team-'),
    );
    expect(services).toHaveLength(deployments.length);
    const clusterIPs = cluster.objects.filter((o) => o.kind === 'Service').map((s) => s.spec.clusterIP);
    expect(new Set(clusterIPs).size).toBe(clusterIPs.length);
    for (const svc of services) {
      const pods = cluster.objects.filter(
        (o) =>
          o.kind === 'Pod' &&
          o.metadata.namespace === svc.metadata.namespace &&
          o.metadata.labels?.app === svc.spec.selector.app,
      );
      const slices = cluster.objects.filter(
        (o) =>
          o.kind === 'EndpointSlice' &&
          o.metadata.namespace === svc.metadata.namespace &&
          o.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name,
      );
      for (const slice of slices) expect(slice.endpoints.length).toBeLessThanOrEqual(100);
      const ips = slices.flatMap((s) => s.endpoints.map((e: { addresses: string[] }) => e.addresses[0])).sort();
      expect(ips).toEqual(pods.map((p) => p.status.podIP).sort());
    }
    expect(cluster.objects.filter((o) => o.kind === 'EndpointSlice').length).toBeGreaterThan(services.length);
  });
});

describe('the generated broken cluster, diagnosed', () => {
  it('reports the current CoreDNS loop and no "recovered" note for the same component', async () => {
    const scenario = generateLargeCluster({ nodes: 20, podsPerNode: 2, broken: 'coredns-loop' });
    const objects: Partial<Record<Resource, KubeObject[]>> = {};
    for (const o of scenario.objects) {
      const resource = RESOURCE_OF_KIND[o.kind ?? ''];
      if (resource) objects[resource] = [...(objects[resource] ?? []), o];
    }
    const reader = new FakeReader(objects, scenario.logs);
    const report = await diagnose(reader, { scope: 'all', cluster: { name: 'large', server: 'https://127.0.0.1' } });
    const dns = report.components.find((c) => c.component === 'dns')!.findings.map((f) => f.id);
    expect(dns).toContain('coredns.loop-detected');
    expect(dns).not.toContain('dns.recovered');
  });
});
