import { describe, expect, it } from 'vitest';
import type { KubeObject } from './cluster-reader.ts';
import { fingerprint, resolveMountedFile } from './fingerprint.ts';
import { emptySnapshot } from './snapshot.ts';

function ds(
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
  extra: Partial<KubeObject> = {},
): KubeObject {
  return {
    metadata: { name, namespace, labels },
    spec: { selector: { matchLabels: labels }, template: { spec: { containers: [{ name }] } } },
    status: { desiredNumberScheduled: 3, numberReady: 3 },
    ...extra,
  };
}

function deploy(name: string, labels: Record<string, string>, containers: string[]): KubeObject {
  return {
    metadata: { name, namespace: 'kube-system', labels },
    spec: { template: { spec: { containers: containers.map((c) => ({ name: c })) } } },
  };
}

function cm(
  name: string,
  data: Record<string, string>,
  annotations?: Record<string, string>,
  namespace = 'kube-system',
): KubeObject {
  return { metadata: { name, namespace, annotations }, data };
}

const kubeProxyDs = ds(
  'kube-system',
  'kube-proxy',
  { 'k8s-app': 'kube-proxy' },
  {
    spec: {
      selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
      template: {
        spec: {
          containers: [
            {
              name: 'kube-proxy',
              command: [
                '/usr/local/bin/kube-proxy',
                '--config=/var/lib/kube-proxy/config.conf',
                '--hostname-override=$(NODE_NAME)',
              ],
              volumeMounts: [{ name: 'kube-proxy', mountPath: '/var/lib/kube-proxy' }],
            },
          ],
          volumes: [{ name: 'kube-proxy', configMap: { name: 'kube-proxy' } }],
        },
      },
    },
  },
);
const coredns = deploy('coredns', { 'k8s-app': 'kube-dns' }, ['coredns']);
const kubeadmConfig = cm('kubeadm-config', { ClusterConfiguration: 'kind: ClusterConfiguration' });

function fp(overrides: Parameters<typeof emptySnapshot>[0]) {
  const { fingerprint: _, ...data } = emptySnapshot(overrides);
  return fingerprint(data);
}

describe('fingerprint (docs/failure-catalog.md, fingerprinting)', () => {
  it('kubeadm + Calico manifest install', () => {
    const result = fp({
      deployments: [
        coredns,
        deploy('calico-kube-controllers', { 'k8s-app': 'calico-kube-controllers' }, ['calico-kube-controllers']),
      ],
      daemonSets: [kubeProxyDs, ds('kube-system', 'calico-node', { 'k8s-app': 'calico-node' })],
      configMaps: [kubeadmConfig, cm('kube-proxy', { 'config.conf': 'kind: KubeProxyConfiguration' })],
    });
    expect(result).toEqual({
      flavor: 'kubeadm',
      cni: 'calico',
      extraCnis: [],
      cniWorkload: { namespace: 'kube-system', daemonSet: 'calico-node', labelSelector: 'k8s-app=calico-node' },
      dns: 'coredns',
      dnsWorkload: { namespace: 'kube-system', deployment: 'coredns' },
      proxy: 'kube-proxy',
      proxyConfig: { configMap: 'kube-proxy', key: 'config.conf', mountPath: '/var/lib/kube-proxy' },
    });
  });

  it('kubeadm recognised by the component-config hash alone', () => {
    const result = fp({
      daemonSets: [kubeProxyDs],
      configMaps: [
        cm('kube-proxy', { 'config.conf': '' }, { 'kubeadm.kubernetes.io/component-config.hash': 'sha256:x' }),
      ],
    });
    expect(result.flavor).toBe('kubeadm');
  });

  it('Calico operator install lives in calico-system (trap.calico-operator-namespace)', () => {
    const result = fp({
      daemonSets: [kubeProxyDs, ds('calico-system', 'calico-node', { 'k8s-app': 'calico-node' })],
      configMaps: [kubeadmConfig],
    });
    expect(result.cni).toBe('calico-operator');
    expect(result.cniWorkload?.namespace).toBe('calico-system');
  });

  it('Flannel current (kube-flannel namespace) vs legacy per-arch in kube-system', () => {
    const current = fp({
      daemonSets: [kubeProxyDs, ds('kube-flannel', 'kube-flannel-ds', { app: 'flannel', tier: 'node' })],
    });
    expect(current.cni).toBe('flannel');
    expect(current.cniWorkload).toEqual({
      namespace: 'kube-flannel',
      daemonSet: 'kube-flannel-ds',
      labelSelector: 'app=flannel,tier=node',
    });
    const legacy = fp({
      daemonSets: [
        kubeProxyDs,
        ds('kube-system', 'kube-flannel-ds-arm64', { app: 'flannel' }, { status: { desiredNumberScheduled: 0 } }),
        ds('kube-system', 'kube-flannel-ds-amd64', { app: 'flannel' }),
      ],
    });
    expect(legacy.cni).toBe('flannel-legacy');
    expect(legacy.cniWorkload?.daemonSet).toBe('kube-flannel-ds-amd64');
    expect(legacy.extraCnis).toEqual([]);
  });

  it('Weave, Canal and kind', () => {
    expect(fp({ daemonSets: [kubeProxyDs, ds('kube-system', 'weave-net', { name: 'weave-net' })] }).cni).toBe('weave');
    const canal = fp({ daemonSets: [kubeProxyDs, ds('kube-system', 'canal', { 'k8s-app': 'canal' })] });
    expect([canal.cni, canal.extraCnis]).toEqual(['canal', []]);
    const kind = fp({
      daemonSets: [kubeProxyDs, ds('kube-system', 'kindnet', { app: 'kindnet', 'k8s-app': 'kindnet' })],
      configMaps: [kubeadmConfig],
    });
    expect([kind.flavor, kind.cni]).toEqual(['kind', 'kindnet']);
  });

  it('Cilium with and without kube-proxy replacement (trap.cilium-kube-proxy-replacement)', () => {
    const cilium = ds('kube-system', 'cilium', { 'k8s-app': 'cilium' });
    const kpr = fp({
      daemonSets: [cilium],
      configMaps: [kubeadmConfig, cm('cilium-config', { 'kube-proxy-replacement': 'true' })],
    });
    expect([kpr.cni, kpr.proxy]).toEqual(['cilium', 'cilium-kpr']);
    const strict = fp({
      daemonSets: [cilium],
      configMaps: [cm('cilium-config', { 'kube-proxy-replacement': 'strict' })],
    });
    expect(strict.proxy).toBe('cilium-kpr');
    const noKpr = fp({
      daemonSets: [cilium],
      configMaps: [cm('cilium-config', { 'kube-proxy-replacement': 'false' })],
    });
    expect(noKpr.proxy).toBe('missing');
    const withProxy = fp({
      daemonSets: [cilium, kubeProxyDs],
      configMaps: [cm('cilium-config', { 'kube-proxy-replacement': 'false' })],
    });
    expect(withProxy.proxy).toBe('kube-proxy');
  });

  it('Calico eBPF: kube-proxy parked on non-calico with nothing scheduled', () => {
    const parked = structuredClone(kubeProxyDs);
    parked.spec.template.spec.nodeSelector = { 'non-calico': 'true' };
    parked.status = { desiredNumberScheduled: 0 };
    expect(fp({ daemonSets: [parked, ds('calico-system', 'calico-node', { 'k8s-app': 'calico-node' })] }).proxy).toBe(
      'calico-ebpf',
    );
  });

  it('EKS: aws-node, EKS CoreDNS labels and the kube-proxy-config location (trap.eks-components)', () => {
    const eksProxy = structuredClone(kubeProxyDs);
    const container = eksProxy.spec.template.spec.containers[0];
    container.command = ['kube-proxy', '--v=2', '--config=/var/lib/kube-proxy-config/config'];
    container.volumeMounts = [
      { name: 'kubeconfig', mountPath: '/var/lib/kube-proxy/' },
      { name: 'config', mountPath: '/var/lib/kube-proxy-config/' },
    ];
    eksProxy.spec.template.spec.volumes = [
      { name: 'kubeconfig', configMap: { name: 'kube-proxy' } },
      { name: 'config', configMap: { name: 'kube-proxy-config' } },
    ];
    const result = fp({
      deployments: [
        deploy('coredns', { 'k8s-app': 'kube-dns', 'eks.amazonaws.com/component': 'coredns' }, ['coredns']),
      ],
      daemonSets: [eksProxy, ds('kube-system', 'aws-node', { 'k8s-app': 'aws-node' })],
      configMaps: [
        cm('kube-proxy', { kubeconfig: '' }),
        cm('kube-proxy-config', { config: 'kind: KubeProxyConfiguration' }),
      ],
    });
    expect(result.flavor).toBe('eks');
    expect(result.cni).toBe('aws-vpc-cni');
    expect(result.proxyConfig).toEqual({
      configMap: 'kube-proxy-config',
      key: 'config',
      mountPath: '/var/lib/kube-proxy-config',
    });
  });

  it('EKS with Calico for network policy only is not two CNIs', () => {
    const result = fp({
      daemonSets: [
        kubeProxyDs,
        ds('calico-system', 'calico-node', { 'k8s-app': 'calico-node' }),
        ds('kube-system', 'aws-node', { 'k8s-app': 'aws-node' }),
      ],
    });
    expect([result.flavor, result.cni, result.extraCnis]).toEqual(['eks', 'aws-vpc-cni', []]);
  });

  it('two real CNIs are reported as extra (evidence for cni.conflicting-plugins)', () => {
    const result = fp({
      daemonSets: [
        kubeProxyDs,
        ds('kube-system', 'calico-node', { 'k8s-app': 'calico-node' }),
        ds('kube-system', 'weave-net', { name: 'weave-net' }),
      ],
    });
    expect([result.cni, result.extraCnis]).toEqual(['calico', ['weave']]);
  });

  it('GKE: kube-dns add-on, and anetd pods meaning Dataplane V2 (trap.gke-*)', () => {
    const kubeDns = deploy('kube-dns', { 'k8s-app': 'kube-dns' }, [
      'kubedns',
      'dnsmasq',
      'sidecar',
      'prometheus-to-sd',
    ]);
    const standard = fp({ deployments: [kubeDns], daemonSets: [kubeProxyDs] });
    expect([standard.flavor, standard.dns, standard.dnsWorkload?.deployment, standard.proxy]).toEqual([
      'gke',
      'kube-dns',
      'kube-dns',
      'kube-proxy',
    ]);
    const dpv2 = fp({
      deployments: [kubeDns],
      daemonSets: [ds('kube-system', 'anetd', { 'k8s-app': 'cilium' })],
      pods: [{ metadata: { name: 'anetd-x7k2p', namespace: 'kube-system', labels: { 'k8s-app': 'cilium' } } }],
    });
    expect([dpv2.flavor, dpv2.cni, dpv2.proxy]).toEqual(['gke', 'gke-dataplane-v2', 'gke-dataplane-v2']);
  });

  it('k3s: NodeHosts in the CoreDNS ConfigMap, embedded flannel and kube-proxy (trap.k3s-embedded)', () => {
    const result = fp({
      deployments: [deploy('coredns', { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' }, ['coredns'])],
      configMaps: [
        cm('coredns', {
          Corefile:
            '.:53 {\n    errors\n    hosts /etc/coredns/NodeHosts {\n      ttl 60\n      reload 15s\n      fallthrough\n    }\n}',
          NodeHosts: '10.0.0.2 server-1',
        }),
      ],
    });
    expect([result.flavor, result.cni, result.proxy, result.dns]).toEqual([
      'k3s',
      'k3s-flannel',
      'k3s-embedded',
      'coredns',
    ]);
  });

  it('nothing installed: no CNI, no kube-proxy', () => {
    const result = fp({ daemonSets: [], configMaps: [kubeadmConfig] });
    expect([result.flavor, result.cni, result.proxy, result.dns]).toEqual(['kubeadm', 'none', 'missing', 'none']);
  });

  it('static kube-proxy pods count as kube-proxy', () => {
    const result = fp({
      pods: [
        { metadata: { name: 'kube-proxy-node-1', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } } },
      ],
    });
    expect(result.proxy).toBe('kube-proxy');
    const gke = fp({
      pods: [
        {
          metadata: {
            name: 'kube-proxy-gke-pool-1-abcd',
            namespace: 'kube-system',
            labels: { component: 'kube-proxy', tier: 'node' },
          },
        },
      ],
    });
    expect(gke.proxy).toBe('kube-proxy');
  });

  it('names the DNS Deployment from its pods when Deployments could not be listed', () => {
    const result = fp({
      pods: [
        {
          metadata: {
            name: 'coredns-7db6d8ff4d-2xk9p',
            namespace: 'kube-system',
            labels: { 'k8s-app': 'kube-dns', 'pod-template-hash': '7db6d8ff4d' },
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'coredns-7db6d8ff4d' }],
          },
        },
      ],
    });
    expect(result.dnsWorkload).toEqual({ namespace: 'kube-system', deployment: 'coredns' });
  });
});

describe('resolveMountedFile', () => {
  const spec = {
    containers: [
      {
        name: 'c',
        volumeMounts: [
          { name: 'whole', mountPath: '/var/lib/kube-proxy' },
          { name: 'picked', mountPath: '/etc/coredns' },
        ],
      },
    ],
    volumes: [
      { name: 'whole', configMap: { name: 'kube-proxy' } },
      { name: 'picked', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile.conf' }] } },
    ],
  };

  it('maps a path to the ConfigMap key, following items', () => {
    expect(resolveMountedFile(spec, 'c', '/var/lib/kube-proxy/config.conf')).toMatchObject({
      configMap: 'kube-proxy',
      key: 'config.conf',
    });
    expect(resolveMountedFile(spec, 'c', '/etc/coredns/Corefile.conf')).toMatchObject({
      configMap: 'coredns',
      key: 'Corefile',
    });
    expect(resolveMountedFile(spec, 'c', '/var/lib/kube-proxy-config/config')).toBeUndefined();
  });
});
