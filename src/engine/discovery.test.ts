// Components are found by what they are, not by one distribution's names: one rule per test, each with the smallest
// fixture that shows it (RKE2's chart names, AKS's extra ConfigMap, static kube-proxy pods, CNI agents).
import { describe, expect, it } from 'vitest';
import { FakeReader } from '#test/fakes/cluster-reader.ts';
import { withChanges } from '#test/fixtures/changes.ts';
import { kubeadmCalico } from '#test/fixtures/clusters.ts';
import { expectFinding, runCheck } from '#test/support/checks.ts';
import type { Snapshot } from './check.ts';
import { rbacCheck } from './checks/dns/rbac.ts';
import { corefile, corefileConfigMapName, dnsWorkload } from './checks/dns/workload.ts';
import { proxyPods } from './checks/kube-proxy/view.ts';
import type { KubeObject } from './cluster-reader.ts';
import { collect, dnsRbacPlan } from './collect.ts';
import { fingerprint, isStaticProxyPod } from './fingerprint.ts';
import { emptySnapshot } from './snapshot.ts';

const KS = 'kube-system';
const RKE2 = 'rke2-coredns-rke2-coredns';
const SELECTOR = { 'app.kubernetes.io/instance': 'rke2-coredns', 'k8s-app': 'kube-dns' };

const obj = (kind: string, name: string, extra: Partial<KubeObject> = {}, namespace: string | undefined = KS) =>
  ({ kind, metadata: { name, namespace, ...(extra.metadata ?? {}) }, ...extra }) as KubeObject;
const svc = (name: string, selector: Record<string, string>, clusterIP = '10.43.0.10') =>
  obj('Service', name, { spec: { clusterIP, selector } });
const deploy = (name: string, labels: Record<string, string>, podSpec: object = {}, metaLabels = {}) =>
  obj('Deployment', name, {
    metadata: { name, namespace: KS, labels: metaLabels },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
  });
const ds = (name: string, labels: Record<string, string>, namespace = KS) =>
  obj(
    'DaemonSet',
    name,
    { spec: { selector: { matchLabels: labels }, template: { metadata: { labels } } } },
    namespace,
  );
const node = (kubeletVersion: string, labels: Record<string, string> = {}) =>
  obj('Node', 'n1', { metadata: { name: 'n1', labels }, status: { nodeInfo: { kubeletVersion } } }, undefined);
const corednsSpec = (volumes: object[]) => ({
  serviceAccountName: RKE2,
  containers: [
    {
      name: 'coredns',
      args: ['-conf', '/etc/coredns/Corefile'],
      volumeMounts: [
        { name: 'custom', mountPath: '/etc/coredns/custom' },
        { name: 'config-volume', mountPath: '/etc/coredns' },
      ],
    },
  ],
  volumes,
});
const snap = (parts: Partial<Snapshot>): Snapshot => {
  const s = emptySnapshot(parts);
  return { ...s, fingerprint: fingerprint(s) };
};

describe('cluster DNS is whatever the DNS Service selects', () => {
  it('finds the Deployment the Service selects, whatever both are called and without k8s-app on the Deployment', () => {
    const s = snap({
      services: [svc(RKE2, SELECTOR)],
      deployments: [deploy('other', { app: 'x' }), deploy(RKE2, SELECTOR)],
    });
    expect(s.fingerprint.dnsWorkload).toEqual({ namespace: KS, deployment: RKE2 });
    expect(s.fingerprint.dns).toBe('coredns');
  });

  it('prefers the Service at kubelet clusterDNS over one that is merely named kube-dns', () => {
    const kubelet = obj('ConfigMap', 'kubelet-config', { data: { kubelet: 'clusterDNS:\n- 10.43.0.10\n' } });
    const s = snap({
      configMaps: [kubelet],
      services: [svc('kube-dns', { 'k8s-app': 'legacy' }, '10.96.0.99'), svc(RKE2, SELECTOR)],
      deployments: [deploy('legacy-dns', { 'k8s-app': 'legacy' }), deploy(RKE2, SELECTOR)],
    });
    expect(s.fingerprint.dnsWorkload?.deployment).toBe(RKE2);
  });

  it('reads the Corefile from the ConfigMap mounted where -conf points, not the first ConfigMap volume (AKS coredns-custom)', () => {
    const volumes = [
      { name: 'custom', configMap: { name: 'coredns-custom', optional: true } },
      { name: 'config-volume', configMap: { name: RKE2, items: [{ key: 'Corefile', path: 'Corefile' }] } },
    ];
    const s = snap({
      services: [svc(RKE2, SELECTOR)],
      deployments: [deploy(RKE2, SELECTOR, corednsSpec(volumes))],
      configMaps: [obj('ConfigMap', RKE2, { data: { Corefile: '.:53 {\n    forward . /etc/resolv.conf\n}\n' } })],
    });
    const w = dnsWorkload(s)!;
    expect(corefileConfigMapName(w)).toBe(RKE2);
    expect(corefile(s, w)?.lines[1]).toContain('forward . /etc/resolv.conf');
  });

  it('follows `items` to the key the Corefile is projected from', () => {
    const volumes = [{ name: 'config-volume', configMap: { name: 'dns', items: [{ key: 'main', path: 'Corefile' }] } }];
    const s = snap({
      services: [svc('kube-dns', SELECTOR)],
      deployments: [deploy('dns', SELECTOR, corednsSpec(volumes))],
      configMaps: [obj('ConfigMap', 'dns', { data: { main: '.:53 {\n    errors\n}\n' } })],
    });
    expect(corefile(s, dnsWorkload(s)!)?.text).toContain('errors');
  });
});

describe('the DNS RBAC is whatever binds the DNS ServiceAccount', () => {
  function rke2Rbac(rules: object[]): Snapshot {
    return withChanges(kubeadmCalico(), (s) => {
      const d = s.deployments.find((x) => x.metadata.name === 'coredns')!;
      d.spec.template.spec.serviceAccountName = RKE2;
      s.clusterRoles = [obj('ClusterRole', RKE2, { rules }, undefined)];
      s.clusterRoleBindings = [
        obj(
          'ClusterRoleBinding',
          RKE2,
          {
            roleRef: { kind: 'ClusterRole', name: RKE2 },
            subjects: [{ kind: 'ServiceAccount', name: RKE2, namespace: KS }],
          },
          undefined,
        ),
      ];
      s.absent = ['clusterroles//system:coredns', 'clusterrolebindings//system:coredns'];
    });
  }
  const complete = [
    { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
  ];

  it('does not call a missing system:coredns a problem when the chart binds its own ClusterRole', () => {
    expect(runCheck(rbacCheck, rke2Rbac(complete))).toEqual([]);
  });

  it('accepts the coredns/helm chart binding `coredns` for ServiceAccount coredns in place of system:coredns', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      for (const o of [...s.clusterRoles, ...s.clusterRoleBindings]) o.metadata.name = 'coredns';
      s.clusterRoleBindings[0]!.roleRef = { kind: 'ClusterRole', name: 'coredns' };
      s.absent = ['clusterroles//system:coredns', 'clusterrolebindings//system:coredns'];
    });
    expect(runCheck(rbacCheck, s)).toEqual([]);
  });

  it('judges the bound ClusterRole and names it in the runbook, with no automated kubeadm restore', () => {
    const f = expectFinding(rbacCheck, rke2Rbac(complete.slice(0, 1)), 'coredns.rbac-forbidden');
    expect(f.evidence).toContain(`clusterrole/${RKE2} lacks list/watch on endpointslices.discovery.k8s.io`);
    expect(f.runbook.map((s) => s.command ?? '').join('\n')).toContain(`kubectl create clusterrole ${RKE2} `);
    expect(f.remediation).toBeUndefined();
  });

  it('asks for the chart-named ClusterRole and binding beside the logs, only when DNS is in scope', () => {
    const rke2 = rke2Rbac(complete);
    rke2.fingerprint = { ...rke2.fingerprint, dnsWorkload: { namespace: KS, deployment: RKE2 } };
    rke2.deployments.find((x) => x.metadata.name === 'coredns')!.metadata.name = RKE2;
    const asked = (s: Snapshot, scope: 'dns' | 'proxy' | 'all') =>
      dnsRbacPlan(s, scope).map((r) => `${r.bucket}/${r.absent}`);
    expect(asked(rke2, 'dns')).toEqual([
      `clusterRoles/clusterroles//${RKE2}`,
      `clusterRoleBindings/clusterrolebindings//${RKE2}`,
    ]);
    expect(asked(rke2, 'proxy')).toEqual([]);
    // kubeadm's system:coredns, read in the first wave, binds the pods: nothing more is asked.
    expect(asked(kubeadmCalico(), 'all')).toEqual([]);
    // Without it, `coredns` (the coredns/helm chart's name for ServiceAccount coredns) is asked for.
    const helm = withChanges(kubeadmCalico(), (s) => {
      s.clusterRoleBindings = [];
    });
    expect(asked(helm, 'all')).toEqual([
      'clusterRoles/clusterroles//coredns',
      'clusterRoleBindings/clusterrolebindings//coredns',
    ]);
  });
});

describe('collection keeps what the workloads mount', () => {
  it('keeps a kube-system ConfigMap the DNS Deployment mounts under a chart name, and drops unrelated ones', async () => {
    const volumes = [{ name: 'config-volume', configMap: { name: RKE2 } }];
    const reader = new FakeReader(
      {
        services: [svc(RKE2, SELECTOR)],
        deployments: [deploy(RKE2, SELECTOR, corednsSpec(volumes))],
        configmaps: [obj('ConfigMap', RKE2, { data: { Corefile: '.:53 {}' } }), obj('ConfigMap', 'unrelated-app')],
        clusterroles: [obj('ClusterRole', RKE2, { rules: [] }, undefined)],
      },
      {},
    );
    const s = await collect(reader, { scope: 'dns' });
    expect(s.configMaps.map((c) => c.metadata.name)).toEqual([RKE2]);
    expect(s.clusterRoles.map((c) => c.metadata.name)).toEqual([RKE2]);
  });
});

describe('kube-proxy as DaemonSet or static pods', () => {
  const mirror = (name: string, labels: Record<string, string> = {}) =>
    obj('Pod', name, {
      metadata: { name, namespace: KS, labels, annotations: { 'kubernetes.io/config.mirror': 'abc' } },
      spec: { containers: [{ name: 'kube-proxy' }] },
    });

  it('recognises RKE2 static pods by component=kube-proxy', () => {
    expect(
      isStaticProxyPod(mirror('kube-proxy-rke2-agent-1', { component: 'kube-proxy', tier: 'control-plane' })),
    ).toBe(true);
  });

  it('recognises an unlabelled mirror pod named kube-proxy-<node> running kube-proxy, and nothing else', () => {
    expect(isStaticProxyPod(mirror('kube-proxy-node-1'))).toBe(true);
    expect(isStaticProxyPod(mirror('etcd-node-1'))).toBe(false);
    expect(
      isStaticProxyPod({ ...mirror('kube-proxy-node-1'), metadata: { name: 'kube-proxy-node-1', namespace: KS } }),
    ).toBe(false);
  });

  it('judges static pods as kube-proxy when there is no DaemonSet', () => {
    const s = snap({ pods: [mirror('kube-proxy-rke2-server-1', { component: 'kube-proxy' })] });
    expect(s.fingerprint.proxy).toBe('kube-proxy');
    expect(proxyPods(s).map((p) => p.metadata.name)).toEqual(['kube-proxy-rke2-server-1']);
  });
});

describe('flavours and CNI agents by fingerprint', () => {
  it('RKE2 from the kubelet version, with rke2-canal as Canal', () => {
    const s = snap({ nodes: [node('v1.31.4+rke2r1')], daemonSets: [ds('rke2-canal', { 'k8s-app': 'canal' })] });
    expect([s.fingerprint.flavor, s.fingerprint.cni, s.fingerprint.cniWorkload?.daemonSet]).toEqual([
      'rke2',
      'canal',
      'rke2-canal',
    ]);
  });

  it('AKS from the node labels, with azure-cns as Azure CNI', () => {
    const s = snap({
      nodes: [node('v1.31.2', { 'kubernetes.azure.com/cluster': 'MC_rg_aks_eastus' })],
      daemonSets: [
        ds('azure-cns', { 'k8s-app': 'azure-cns' }),
        ds('azure-ip-masq-agent', { 'k8s-app': 'azure-ip-masq-agent' }),
      ],
    });
    expect([s.fingerprint.flavor, s.fingerprint.cni, s.fingerprint.extraCnis]).toEqual(['aks', 'azure-cni', []]);
  });

  it('kind from kindnet, even on top of kubeadm', () => {
    const s = snap({
      configMaps: [obj('ConfigMap', 'kubeadm-config')],
      daemonSets: [ds('kindnet', { app: 'kindnet', 'k8s-app': 'kindnet' })],
    });
    expect([s.fingerprint.flavor, s.fingerprint.cni]).toEqual(['kind', 'kindnet']);
  });

  it('Calico 3.30 operator extras in calico-system are not CNIs', () => {
    const s = snap({
      daemonSets: [
        ds('calico-node', { 'k8s-app': 'calico-node' }, 'calico-system'),
        ds('csi-node-driver', { 'k8s-app': 'csi-node-driver' }, 'calico-system'),
      ],
    });
    expect([s.fingerprint.cni, s.fingerprint.extraCnis]).toEqual(['calico-operator', []]);
  });

  it('Cilium without kube-proxy replacement keeps kube-proxy expected', () => {
    const s = snap({
      daemonSets: [ds('cilium', { 'k8s-app': 'cilium' })],
      configMaps: [obj('ConfigMap', 'cilium-config', { data: { 'kube-proxy-replacement': 'false' } })],
    });
    expect([s.fingerprint.cni, s.fingerprint.proxy]).toEqual(['cilium', 'missing']);
  });
});
