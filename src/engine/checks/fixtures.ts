// Realistic healthy cluster objects for the DNS and CNI check tests, shaped after healthy-objects.md (kubeadm CoreDNS,
// Calico/Flannel/Canal/Cilium/Weave/aws-node, k3s, EKS, GKE kube-dns). Every builder returns fresh objects, so a
// test can break one without touching another test. The fingerprint is computed by the engine's own fingerprinter.

import { expect } from 'vitest';
import type { Check, Snapshot } from '../check.ts';
import type { KubeObject } from '../cluster-reader.ts';
import { fingerprint } from '../fingerprint.ts';
import { runCheck } from '../inspect.ts';
import { Finding } from '../report.ts';
import { emptySnapshot } from '../snapshot.ts';

type Parts = Omit<Snapshot, 'fingerprint'>;
const KS = 'kube-system';
const T0 = '2026-11-27T05:00:00Z';

// ---- primitives ------------------------------------------------------------------------------------------

export interface ContainerSpec {
  name: string;
  ready?: boolean;
  restarts?: number;
  /** Waiting reason, e.g. CrashLoopBackOff, ImagePullBackOff, ContainerCreating. */
  waiting?: string;
  lastExit?: { exitCode: number; reason: string };
  image?: string;
}

export interface PodSpec {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  node?: string;
  phase?: string;
  owner?: { kind: 'ReplicaSet' | 'DaemonSet'; name: string };
  containers: ContainerSpec[];
  init?: ContainerSpec[];
}

function status(c: ContainerSpec) {
  const running = !c.waiting && c.ready !== false;
  return {
    name: c.name,
    ready: c.ready ?? !c.waiting,
    restartCount: c.restarts ?? 0,
    image: c.image ?? `${c.name}:latest`,
    started: running,
    state: c.waiting
      ? { waiting: { reason: c.waiting, message: `back-off restarting failed container ${c.name}` } }
      : { running: { startedAt: T0 } },
    ...(c.lastExit
      ? { lastState: { terminated: { exitCode: c.lastExit.exitCode, reason: c.lastExit.reason, finishedAt: T0 } } }
      : {}),
  };
}

export function pod(spec: PodSpec): KubeObject {
  const ready = spec.containers.every((c) => c.ready ?? !c.waiting) && (spec.init ?? []).every((c) => !c.waiting);
  const phase = spec.phase ?? (spec.node ? 'Running' : 'Pending');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: spec.name,
      namespace: spec.namespace ?? KS,
      uid: `uid-${spec.name}`,
      labels: spec.labels ?? {},
      creationTimestamp: T0,
      ...(spec.owner
        ? {
            ownerReferences: [
              { apiVersion: 'apps/v1', kind: spec.owner.kind, name: spec.owner.name, controller: true },
            ],
          }
        : {}),
    },
    spec: {
      ...(spec.node ? { nodeName: spec.node } : {}),
      containers: spec.containers.map((c) => ({ name: c.name, image: c.image ?? `${c.name}:latest` })),
      ...(spec.init
        ? { initContainers: spec.init.map((c) => ({ name: c.name, image: c.image ?? `${c.name}:latest` })) }
        : {}),
    },
    status: {
      phase,
      conditions: [
        { type: 'PodScheduled', status: spec.node ? 'True' : 'False' },
        { type: 'Ready', status: phase === 'Running' && ready ? 'True' : 'False' },
      ],
      ...(spec.node ? { containerStatuses: spec.containers.map(status) } : {}),
      ...(spec.node && spec.init
        ? {
            initContainerStatuses: spec.init.map((c) =>
              c.waiting
                ? status(c)
                : {
                    name: c.name,
                    ready: true,
                    restartCount: 0,
                    state: { terminated: { exitCode: 0, reason: 'Completed' } },
                  },
            ),
          }
        : {}),
    },
  };
}

export interface NodeSpec {
  name: string;
  podCIDR?: string;
  ready?: boolean;
  /** Ready condition message when not ready. */
  message?: string;
  labels?: Record<string, string>;
  kubeletVersion?: string;
  controlPlane?: boolean;
}

export const NETWORK_NOT_READY_MESSAGE =
  'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

export function node(spec: NodeSpec): KubeObject {
  const ready = spec.ready ?? true;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels: {
        'kubernetes.io/hostname': spec.name,
        'kubernetes.io/os': 'linux',
        ...(spec.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
        ...spec.labels,
      },
      creationTimestamp: T0,
    },
    spec: {
      ...(spec.podCIDR ? { podCIDR: spec.podCIDR, podCIDRs: [spec.podCIDR] } : {}),
      taints: [
        ...(spec.controlPlane ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] : []),
        ...(ready ? [] : [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]),
      ],
    },
    status: {
      conditions: [
        ready
          ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
          : {
              type: 'Ready',
              status: 'False',
              reason: 'KubeletNotReady',
              message: spec.message ?? NETWORK_NOT_READY_MESSAGE,
            },
      ],
      nodeInfo: { kubeletVersion: spec.kubeletVersion ?? 'v1.31.2', containerRuntimeVersion: 'containerd://1.7.22' },
    },
  };
}

export interface EventSpec {
  reason: string;
  message: string;
  kind?: string;
  name: string;
  namespace?: string;
  type?: 'Warning' | 'Normal';
  count?: number;
  node?: string;
}

let eventSeq = 0;
export function event(spec: EventSpec): KubeObject {
  eventSeq += 1;
  const ns = spec.namespace ?? KS;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${spec.name}.${(1_800_000_000 + eventSeq).toString(16)}`, namespace: ns },
    involvedObject: { kind: spec.kind ?? 'Pod', name: spec.name, namespace: ns },
    reason: spec.reason,
    message: spec.message,
    type: spec.type ?? 'Warning',
    count: spec.count ?? 1,
    ...(spec.node ? { source: { component: 'kubelet', host: spec.node } } : {}),
    lastTimestamp: T0,
  };
}

function daemonSet(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  selector: Record<string, string>,
  containers: { name: string; image: string; command?: string[] }[],
  scheduled: number,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace, labels, uid: `uid-ds-${name}` },
    spec: {
      selector: { matchLabels: selector },
      template: { metadata: { labels: selector }, spec: { containers } },
    },
    status: { desiredNumberScheduled: scheduled, numberReady: scheduled, numberAvailable: scheduled },
  };
}

function agentPods(
  namespace: string,
  ds: string,
  hashes: string[],
  nodes: string[],
  labels: Record<string, string>,
  containers: string[],
  init?: string[],
): KubeObject[] {
  return nodes.map((n, i) =>
    pod({
      name: `${ds}-${hashes[i] ?? `x${i}`}`,
      namespace,
      labels: { ...labels, 'controller-revision-hash': '6d4b9c7f8d' },
      node: n,
      owner: { kind: 'DaemonSet', name: ds },
      containers: containers.map((c) => ({ name: c })),
      ...(init ? { init: init.map((c) => ({ name: c })) } : {}),
    }),
  );
}

// ---- nodes -----------------------------------------------------------------------------------------------

export const NODES = ['control-plane-1', 'worker-1', 'worker-2'];

export function kubeadmNodes(podCidrBase = '10.244'): KubeObject[] {
  return NODES.map((name, i) => node({ name, podCIDR: `${podCidrBase}.${i}.0/24`, controlPlane: i === 0 }));
}

// ---- CoreDNS (kubeadm) -----------------------------------------------------------------------------------

export const COREDNS_RS = 'coredns-7db6d8ff4d';
export const COREDNS_PODS = ['coredns-7db6d8ff4d-2xk9p', 'coredns-7db6d8ff4d-8hmtx'];

export function kubeadmCorefile(domain = 'cluster.local'): string {
  return `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${domain} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success ${domain}
       disable denial ${domain}
    }
    loop
    reload
    loadbalance
}
`;
}

export function corednsDeployment(
  opts: { image?: string; replicas?: number; extraLabels?: Record<string, string>; keys?: string[] } = {},
): KubeObject {
  const labels = { 'k8s-app': 'kube-dns', ...opts.extraLabels };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: KS, labels, uid: 'uid-deploy-coredns' },
    spec: {
      replicas: opts.replicas ?? 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      template: {
        metadata: { labels },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          dnsPolicy: 'Default',
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [
            {
              name: 'coredns',
              image: opts.image ?? 'registry.k8s.io/coredns/coredns:v1.11.3',
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
                readOnlyRootFilesystem: true,
              },
              volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
            },
          ],
          volumes: [
            {
              name: 'config-volume',
              configMap: { name: 'coredns', items: (opts.keys ?? ['Corefile']).map((k) => ({ key: k, path: k })) },
            },
          ],
        },
      },
    },
    status: { replicas: opts.replicas ?? 2, readyReplicas: opts.replicas ?? 2, availableReplicas: opts.replicas ?? 2 },
  };
}

function corednsReplicaSet(labels: Record<string, string> = { 'k8s-app': 'kube-dns' }): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: COREDNS_RS,
      namespace: KS,
      labels: { ...labels, 'pod-template-hash': '7db6d8ff4d' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'coredns', controller: true }],
    },
    spec: { replicas: 2, selector: { matchLabels: { 'k8s-app': 'kube-dns', 'pod-template-hash': '7db6d8ff4d' } } },
  };
}

export function corednsPods(
  nodes = ['worker-1', 'worker-2'],
  labels: Record<string, string> = { 'k8s-app': 'kube-dns' },
): KubeObject[] {
  return COREDNS_PODS.map((name, i) =>
    pod({
      name,
      labels: { ...labels, 'pod-template-hash': '7db6d8ff4d' },
      node: nodes[i % nodes.length],
      owner: { kind: 'ReplicaSet', name: COREDNS_RS },
      containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.3' }],
    }),
  );
}

export function kubeDnsService(clusterIP = '10.96.0.10', metrics = true): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: KS,
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
    },
    spec: {
      clusterIP,
      clusterIPs: [clusterIP],
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        ...(metrics ? [{ name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 }] : []),
      ],
    },
  };
}

export function kubeDnsEndpointSlice(ips = ['10.244.1.2', '10.244.2.3'], ready = true): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kube-dns-x7l9q', namespace: KS, labels: { 'kubernetes.io/service-name': 'kube-dns' } },
    addressType: 'IPv4',
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready, serving: ready, terminating: false } })),
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
    ],
  };
}

export function corednsRbac(): { clusterRoles: KubeObject[]; clusterRoleBindings: KubeObject[] } {
  return {
    clusterRoles: [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'system:coredns' },
        rules: [
          { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
          { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
        ],
      },
    ],
    clusterRoleBindings: [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'system:coredns' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:coredns' },
        subjects: [{ kind: 'ServiceAccount', name: 'coredns', namespace: KS }],
      },
    ],
  };
}

function configMap(
  namespace: string,
  name: string,
  data: Record<string, string>,
  annotations?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    data,
  };
}

export function kubeletConfig(clusterDNS = '10.96.0.10', clusterDomain = 'cluster.local'): KubeObject {
  return configMap(KS, 'kubelet-config', {
    kubelet: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
cgroupDriver: systemd
clusterDNS:
- ${clusterDNS}
clusterDomain: ${clusterDomain}
resolvConf: /run/systemd/resolve/resolv.conf
`,
  });
}

export function kubeadmConfig(podSubnet = '10.244.0.0/16', dnsDomain = 'cluster.local'): KubeObject {
  return configMap(KS, 'kubeadm-config', {
    ClusterConfiguration: `apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.31.2
controlPlaneEndpoint: 10.0.0.10:6443
dns: {}
networking:
  dnsDomain: ${dnsDomain}
  podSubnet: ${podSubnet}
  serviceSubnet: 10.96.0.0/12
`,
  });
}

function kubeProxy(nodes: string[]): Pick<Parts, 'daemonSets' | 'pods' | 'configMaps'> {
  return {
    daemonSets: [
      daemonSet(
        KS,
        'kube-proxy',
        { 'k8s-app': 'kube-proxy' },
        { 'k8s-app': 'kube-proxy' },
        [
          {
            name: 'kube-proxy',
            image: 'registry.k8s.io/kube-proxy:v1.31.2',
            command: [
              '/usr/local/bin/kube-proxy',
              '--config=/var/lib/kube-proxy/config.conf',
              '--hostname-override=$(NODE_NAME)',
            ],
          },
        ],
        nodes.length,
      ),
    ],
    pods: agentPods(KS, 'kube-proxy', ['4xw9k', 'b7q2m', 'zt8nd'], nodes, { 'k8s-app': 'kube-proxy' }, ['kube-proxy']),
    configMaps: [
      configMap(
        KS,
        'kube-proxy',
        {
          'config.conf': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ""\n',
          'kubeconfig.conf': 'apiVersion: v1\nkind: Config\n',
        },
        { 'kubeadm.kubernetes.io/component-config.hash': 'sha256:2f1c0e0ab2d7' },
      ),
    ],
  };
}

function serviceAccount(namespace: string, name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } };
}

/** kubeadm CoreDNS and everything it relies on (no CNI). */
export function kubeadmBase(podSubnet = '10.244.0.0/16'): Parts {
  const base = podSubnet.split('.').slice(0, 2).join('.');
  const proxy = kubeProxy(NODES);
  return {
    ...emptyParts(),
    nodes: kubeadmNodes(base),
    deployments: [corednsDeployment()],
    replicaSets: [corednsReplicaSet()],
    daemonSets: proxy.daemonSets,
    pods: [...corednsPods(), ...proxy.pods],
    services: [kubeDnsService()],
    endpointSlices: [kubeDnsEndpointSlice()],
    configMaps: [
      configMap(KS, 'coredns', { Corefile: kubeadmCorefile() }),
      kubeletConfig(),
      kubeadmConfig(podSubnet),
      ...proxy.configMaps,
    ],
    serviceAccounts: [serviceAccount(KS, 'coredns'), serviceAccount(KS, 'kube-proxy')],
    ...corednsRbac(),
  };
}

function emptyParts(): Parts {
  const { fingerprint: _fp, ...rest } = emptySnapshot();
  return { ...rest, absent: [] };
}

// ---- CNIs ------------------------------------------------------------------------------------------------

export const CALICO_PODS = ['calico-node-7xk2p', 'calico-node-m4n8v', 'calico-node-q9w3z'];

export function calicoManifest(namespace = KS): Pick<Parts, 'daemonSets' | 'pods' | 'configMaps' | 'deployments'> {
  const labels = { 'k8s-app': 'calico-node' };
  return {
    daemonSets: [
      daemonSet(
        namespace,
        'calico-node',
        labels,
        labels,
        [{ name: 'calico-node', image: 'docker.io/calico/node:v3.25.2' }],
        NODES.length,
      ),
    ],
    pods: agentPods(
      namespace,
      'calico-node',
      ['7xk2p', 'm4n8v', 'q9w3z'],
      NODES,
      labels,
      ['calico-node'],
      ['upgrade-ipam', 'install-cni', 'mount-bpffs'],
    ),
    configMaps:
      namespace === KS
        ? [configMap(KS, 'calico-config', { typha_service_name: 'none', calico_backend: 'bird', veth_mtu: '0' })]
        : [],
    deployments: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'calico-kube-controllers', namespace, labels: { 'k8s-app': 'calico-kube-controllers' } },
        spec: { replicas: 1, selector: { matchLabels: { 'k8s-app': 'calico-kube-controllers' } } },
        status: { readyReplicas: 1 },
      },
    ],
  };
}

export const FLANNEL_PODS = ['kube-flannel-ds-5lq8x', 'kube-flannel-ds-c2tvn', 'kube-flannel-ds-x9hbk'];

export function flannelNetConf(network = '10.244.0.0/16'): string {
  return JSON.stringify({ Network: network, EnableNFTables: false, Backend: { Type: 'vxlan' } }, null, 2);
}

export function flannelManifest(
  namespace = 'kube-flannel',
  network = '10.244.0.0/16',
): Pick<Parts, 'daemonSets' | 'pods' | 'configMaps'> {
  const podLabels = { app: 'flannel', tier: 'node' };
  const image = namespace === KS ? 'quay.io/coreos/flannel:v0.15.1' : 'ghcr.io/flannel-io/flannel:v0.28.9';
  return {
    daemonSets: [
      daemonSet(
        namespace,
        'kube-flannel-ds',
        { ...podLabels, 'k8s-app': 'flannel' },
        { app: 'flannel' },
        [
          {
            name: 'kube-flannel',
            image,
            command: ['/opt/bin/flanneld', '--ip-masq', '--kube-subnet-mgr', '--healthz-port=8081'],
          },
        ],
        NODES.length,
      ),
    ],
    pods: agentPods(
      namespace,
      'kube-flannel-ds',
      ['5lq8x', 'c2tvn', 'x9hbk'],
      NODES,
      podLabels,
      ['kube-flannel'],
      ['install-cni-plugin', 'install-cni'],
    ),
    configMaps: [
      configMap(namespace, 'kube-flannel-cfg', {
        'cni-conf.json':
          '{"name":"cbr0","cniVersion":"0.3.1","plugins":[{"type":"flannel","delegate":{"hairpinMode":true,"isDefaultGateway":true}},{"type":"portmap","capabilities":{"portMappings":true}}]}',
        'net-conf.json': flannelNetConf(network),
      }),
    ],
  };
}

/** Flannel ≤ v0.12.0: one DaemonSet per architecture in kube-system (trap.flannel-namespace-and-names). */
export function legacyFlannel(): Pick<Parts, 'daemonSets' | 'pods' | 'configMaps'> {
  const podLabels = { app: 'flannel', tier: 'node' };
  const arches = ['amd64', 'arm64', 'arm', 'ppc64le', 's390x'];
  return {
    daemonSets: arches.map((arch) =>
      daemonSet(
        KS,
        `kube-flannel-ds-${arch}`,
        podLabels,
        podLabels,
        [
          {
            name: 'kube-flannel',
            image: `quay.io/coreos/flannel:v0.11.0-${arch}`,
            command: ['/opt/bin/flanneld', '--ip-masq', '--kube-subnet-mgr'],
          },
        ],
        arch === 'amd64' ? NODES.length : 0,
      ),
    ),
    pods: agentPods(
      KS,
      'kube-flannel-ds-amd64',
      ['4ml2d', 'qq7wr', 'vz5xk'],
      NODES,
      podLabels,
      ['kube-flannel'],
      ['install-cni'],
    ),
    configMaps: [configMap(KS, 'kube-flannel-cfg', { 'net-conf.json': flannelNetConf() })],
  };
}

export function canal(): Pick<Parts, 'daemonSets' | 'pods' | 'configMaps'> {
  const labels = { 'k8s-app': 'canal' };
  return {
    daemonSets: [
      daemonSet(
        KS,
        'canal',
        labels,
        labels,
        [
          { name: 'calico-node', image: 'docker.io/calico/node:v3.25.2' },
          {
            name: 'kube-flannel',
            image: 'docker.io/flannelcni/flannel:v0.16.3',
            command: ['/opt/bin/flanneld', '--ip-masq', '--kube-subnet-mgr'],
          },
        ],
        NODES.length,
      ),
    ],
    pods: agentPods(
      KS,
      'canal',
      ['2jd8s', 'h7f4k', 'r9p2m'],
      NODES,
      labels,
      ['calico-node', 'kube-flannel'],
      ['install-cni'],
    ),
    configMaps: [
      configMap(KS, 'canal-config', {
        typha_service_name: 'none',
        canal_iface: '',
        masquerade: 'true',
        'net-conf.json': flannelNetConf(),
      }),
    ],
  };
}

export function cilium(kubeProxyReplacement = 'false'): Pick<Parts, 'daemonSets' | 'pods' | 'configMaps'> {
  const labels = { 'k8s-app': 'cilium' };
  return {
    daemonSets: [
      daemonSet(
        KS,
        'cilium',
        labels,
        labels,
        [{ name: 'cilium-agent', image: 'quay.io/cilium/cilium:v1.16.3' }],
        NODES.length,
      ),
    ],
    pods: agentPods(KS, 'cilium', ['5f7bx', 'kq2n9', 'w8d4t'], NODES, labels, ['cilium-agent']),
    configMaps: [
      configMap(KS, 'cilium-config', {
        'kube-proxy-replacement': kubeProxyReplacement,
        'cluster-pool-ipv4-cidr': '10.0.0.0/8',
      }),
    ],
  };
}

export function weave(): Pick<Parts, 'daemonSets' | 'pods'> {
  const labels = { name: 'weave-net' };
  return {
    daemonSets: [
      daemonSet(
        KS,
        'weave-net',
        labels,
        labels,
        [
          { name: 'weave', image: 'weaveworks/weave-kube:2.8.1' },
          { name: 'weave-npc', image: 'weaveworks/weave-npc:2.8.1' },
        ],
        NODES.length,
      ),
    ],
    pods: agentPods(
      KS,
      'weave-net',
      ['6xk2d', 'bq9tz', 'n4m7r'],
      NODES,
      labels,
      ['weave', 'weave-npc'],
      ['weave-init'],
    ),
  };
}

// ---- whole clusters --------------------------------------------------------------------------------------

function merge(base: Parts, add: Partial<Parts>): Parts {
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(add)) {
    const cur = out[k];
    out[k] = Array.isArray(cur) && Array.isArray(v) ? [...cur, ...v] : v;
  }
  return out as Parts;
}

/** Builds a Snapshot and fingerprints it with the engine's own fingerprinter. */
export function snapshotOf(parts: Parts): Snapshot {
  return emptySnapshot({ ...parts, fingerprint: fingerprint(parts) });
}

/** Re-fingerprint after a test changed objects the fingerprint depends on (e.g. deleted a DaemonSet). */
export function refingerprint(snapshot: Snapshot): Snapshot {
  const { fingerprint: _fp, ...parts } = snapshot;
  return snapshotOf(parts);
}

export const kubeadmCalico = () => snapshotOf(merge(kubeadmBase('192.168.0.0/16'), calicoManifest()));
export const kubeadmFlannel = () => snapshotOf(merge(kubeadmBase(), flannelManifest()));
export const kubeadmLegacyFlannel = () => snapshotOf(merge(kubeadmBase(), legacyFlannel()));
export const kubeadmCanal = () => snapshotOf(merge(kubeadmBase(), canal()));
export const kubeadmCilium = () => snapshotOf(merge(kubeadmBase('10.0.0.0/8'), cilium()));
export const kubeadmWeave = () => snapshotOf(merge(kubeadmBase('10.32.0.0/12'), weave()));
/** kubeadm without any CNI, nodes NotReady (the state right after `kubeadm init`). */
export function kubeadmNoCni(): Snapshot {
  const parts = kubeadmBase();
  parts.nodes = NODES.map((name, i) =>
    node({ name, podCIDR: `10.244.${i}.0/24`, ready: false, controlPlane: i === 0 }),
  );
  parts.pods = parts.pods.map((p) =>
    p.metadata.labels?.['k8s-app'] === 'kube-dns'
      ? pod({
          name: p.metadata.name,
          labels: p.metadata.labels,
          owner: { kind: 'ReplicaSet', name: COREDNS_RS },
          containers: [{ name: 'coredns' }],
        })
      : p,
  );
  parts.endpointSlices = [kubeDnsEndpointSlice([], false)];
  return snapshotOf(parts);
}

/** Calico operator install: calico-node in calico-system, operator in tigera-operator (trap.calico-operator-namespace). */
export function kubeadmOperatorCalico(): Snapshot {
  const parts = merge(kubeadmBase('192.168.0.0/16'), calicoManifest('calico-system'));
  parts.deployments.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'tigera-operator', namespace: 'tigera-operator', labels: { 'k8s-app': 'tigera-operator' } },
    spec: { replicas: 1, selector: { matchLabels: { name: 'tigera-operator' } } },
  });
  return snapshotOf(parts);
}

/** k3s: CoreDNS with NodeHosts, no flannel or kube-proxy pods (trap.k3s-embedded). */
export function k3s(): Snapshot {
  const nodes = ['k3s-server', 'k3s-agent-1'].map((name, i) =>
    node({ name, podCIDR: `10.42.${i}.0/24`, kubeletVersion: 'v1.31.2+k3s1', controlPlane: i === 0 }),
  );
  const deployment = corednsDeployment({
    image: 'rancher/mirrored-coredns-coredns:1.11.3',
    replicas: 1,
    keys: ['Corefile', 'NodeHosts'],
    extraLabels: { 'kubernetes.io/name': 'CoreDNS' },
  });
  const corefile = `.:53 {
    errors
    health
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
      pods insecure
      fallthrough in-addr.arpa ip6.arpa
    }
    hosts /etc/coredns/NodeHosts {
      ttl 60
      reload 15s
      fallthrough
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    loop
    reload
    loadbalance
}
`;
  return snapshotOf({
    ...emptyParts(),
    nodes,
    deployments: [deployment],
    replicaSets: [corednsReplicaSet()],
    pods: corednsPods(['k3s-server']).slice(0, 1),
    services: [kubeDnsService('10.43.0.10')],
    endpointSlices: [kubeDnsEndpointSlice(['10.42.0.4'])],
    configMaps: [
      configMap(KS, 'coredns', { Corefile: corefile, NodeHosts: '10.0.0.5 k3s-server\n10.0.0.6 k3s-agent-1\n' }),
    ],
    serviceAccounts: [serviceAccount(KS, 'coredns')],
    ...corednsRbac(),
  });
}

/** EKS: aws-node, EKS CoreDNS labels, kube-proxy-config, plus one Fargate node without aws-node (trap.eks-components). */
export function eks(): Snapshot {
  const ec2 = ['ip-10-0-1-23.ec2.internal', 'ip-10-0-2-45.ec2.internal'];
  const nodes = [
    ...ec2.map((name) => node({ name, kubeletVersion: 'v1.31.2-eks-7f9249a' })),
    node({
      name: 'fargate-ip-10-0-3-77.ec2.internal',
      kubeletVersion: 'v1.31.2-eks-7f9249a',
      labels: { 'eks.amazonaws.com/compute-type': 'fargate' },
    }),
  ];
  const labels = { 'k8s-app': 'aws-node' };
  const dnsLabels = { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' };
  return snapshotOf({
    ...emptyParts(),
    nodes,
    daemonSets: [
      daemonSet(
        KS,
        'aws-node',
        { ...labels, 'app.kubernetes.io/name': 'aws-node' },
        labels,
        [{ name: 'aws-node', image: '602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon-k8s-cni:v1.18.5' }],
        2,
      ),
      daemonSet(
        KS,
        'kube-proxy',
        { 'k8s-app': 'kube-proxy' },
        { 'k8s-app': 'kube-proxy' },
        [
          {
            name: 'kube-proxy',
            image: 'kube-proxy:v1.31.2-eksbuild.3',
            command: ['kube-proxy', '--v=2', '--config=/var/lib/kube-proxy-config/config'],
          },
        ],
        2,
      ),
    ],
    deployments: [
      corednsDeployment({
        image: '602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/coredns:v1.11.3-eksbuild.1',
        extraLabels: { 'eks.amazonaws.com/component': 'coredns' },
      }),
    ],
    replicaSets: [corednsReplicaSet(dnsLabels)],
    pods: [
      ...agentPods(KS, 'aws-node', ['4hx8q', 'tm2zc'], ec2, labels, ['aws-node', 'aws-eks-nodeagent']),
      ...corednsPods(ec2, dnsLabels),
    ],
    services: [kubeDnsService('172.20.0.10')],
    endpointSlices: [kubeDnsEndpointSlice(['10.0.1.50', '10.0.2.61'])],
    configMaps: [
      configMap(KS, 'coredns', { Corefile: kubeadmCorefile().replace(/ {4}cache 30 \{[^}]*\}\n/, '    cache 30\n') }),
      configMap(KS, 'kube-proxy-config', {
        config: 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: iptables\n',
      }),
    ],
    serviceAccounts: [serviceAccount(KS, 'coredns'), serviceAccount(KS, 'aws-node')],
    ...corednsRbac(),
  });
}

/** GKE Standard with kube-dns (kubedns/dnsmasq/sidecar) and Dataplane V2 anetd pods (trap.gke-*). */
export function gkeKubeDns(): Snapshot {
  const nodes = ['gke-prod-default-pool-1a2b3c4d-x1yz', 'gke-prod-default-pool-1a2b3c4d-q9rs'].map((name, i) =>
    node({ name, podCIDR: `10.8.${i}.0/24`, kubeletVersion: 'v1.31.2-gke.1200000' }),
  );
  const names = nodes.map((n) => n.metadata.name);
  const dnsLabels = { 'k8s-app': 'kube-dns' };
  const kubeDns: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'kube-dns', namespace: KS, labels: dnsLabels },
    spec: {
      replicas: 2,
      selector: { matchLabels: dnsLabels },
      template: {
        metadata: { labels: dnsLabels },
        spec: {
          serviceAccountName: 'kube-dns',
          dnsPolicy: 'Default',
          containers: [
            {
              name: 'kubedns',
              image: 'gke.gcr.io/k8s-dns-kube-dns:1.23.0-gke.9',
              ports: [{ name: 'dns-local', containerPort: 10053, protocol: 'UDP' }],
            },
            {
              name: 'dnsmasq',
              image: 'gke.gcr.io/k8s-dns-dnsmasq-nanny:1.23.0-gke.9',
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
              ],
            },
            { name: 'sidecar', image: 'gke.gcr.io/k8s-dns-sidecar:1.23.0-gke.9' },
          ],
          volumes: [{ name: 'kube-dns-config', configMap: { name: 'kube-dns', optional: true } }],
        },
      },
    },
    status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 },
  };
  const rs: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'kube-dns-5c9f8d7b6d',
      namespace: KS,
      labels: { ...dnsLabels, 'pod-template-hash': '5c9f8d7b6d' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'kube-dns', controller: true }],
    },
    spec: { replicas: 2 },
  };
  const dnsPods = ['kube-dns-5c9f8d7b6d-4kq7t', 'kube-dns-5c9f8d7b6d-h2v9x'].map((name, i) =>
    pod({
      name,
      labels: { ...dnsLabels, 'pod-template-hash': '5c9f8d7b6d' },
      node: names[i],
      owner: { kind: 'ReplicaSet', name: rs.metadata.name },
      containers: [{ name: 'kubedns' }, { name: 'dnsmasq' }, { name: 'sidecar' }],
    }),
  );
  const anetd = { 'k8s-app': 'cilium' };
  const svc = kubeDnsService('34.118.224.10', false);
  svc.metadata.labels = {
    'k8s-app': 'kube-dns',
    'kubernetes.io/cluster-service': 'true',
    'kubernetes.io/name': 'KubeDNS',
  };
  return snapshotOf({
    ...emptyParts(),
    nodes,
    deployments: [kubeDns],
    replicaSets: [rs],
    daemonSets: [
      daemonSet(
        KS,
        'anetd',
        anetd,
        anetd,
        [{ name: 'cilium-agent', image: 'gke.gcr.io/cilium/cilium:v1.14.12-gke.4' }],
        2,
      ),
    ],
    pods: [...dnsPods, ...agentPods(KS, 'anetd', ['7jq2x', 'p5k9d'], names, anetd, ['cilium-agent'])],
    services: [svc],
    endpointSlices: [kubeDnsEndpointSlice(['10.8.0.5', '10.8.1.7'])],
    serviceAccounts: [serviceAccount(KS, 'kube-dns')],
  });
}

// ---- breaking things -------------------------------------------------------------------------------------

export function findPod(snapshot: Snapshot, name: string): KubeObject {
  const p = snapshot.pods.find((x) => x.metadata.name === name);
  if (!p) throw new Error(`fixture has no pod ${name}`);
  return p;
}

/** Replace a pod in place with a rebuilt one (keeps name, namespace, labels, owner and node). */
export function replacePod(snapshot: Snapshot, name: string, change: Partial<PodSpec>): KubeObject {
  const old = findPod(snapshot, name);
  const owner = old.metadata.ownerReferences?.[0];
  const rebuilt = pod({
    name,
    namespace: old.metadata.namespace,
    labels: old.metadata.labels,
    node: old.spec?.nodeName,
    ...(owner ? { owner: { kind: owner.kind as 'ReplicaSet' | 'DaemonSet', name: owner.name } } : {}),
    containers: (old.spec?.containers ?? []).map((c: { name: string; image?: string }) => ({
      name: c.name,
      image: c.image,
    })),
    ...change,
  });
  snapshot.pods[snapshot.pods.indexOf(old)] = rebuilt;
  return rebuilt;
}

export function crashLoop(snapshot: Snapshot, name: string, container: string, restarts = 7): KubeObject {
  const old = findPod(snapshot, name);
  const containers = (old.spec?.containers ?? []).map((c: { name: string; image?: string }) =>
    c.name === container
      ? {
          name: c.name,
          image: c.image,
          ready: false,
          waiting: 'CrashLoopBackOff',
          restarts,
          lastExit: { exitCode: 1, reason: 'Error' },
        }
      : { name: c.name, image: c.image },
  );
  return replacePod(snapshot, name, { containers });
}

export function notReady(snapshot: Snapshot, name: string, container: string, restarts = 0): KubeObject {
  const old = findPod(snapshot, name);
  const containers = (old.spec?.containers ?? []).map((c: { name: string; image?: string }) =>
    c.name === container ? { name: c.name, image: c.image, ready: false, restarts } : { name: c.name, image: c.image },
  );
  return replacePod(snapshot, name, { containers });
}

export function setLogs(
  snapshot: Snapshot,
  namespace: string,
  podName: string,
  container: string,
  logs: { current?: string; previous?: string },
) {
  snapshot.logs[`${namespace}/${podName}/${container}`] = logs;
}

export function configMapOf(snapshot: Snapshot, namespace: string, name: string): KubeObject {
  const cm = snapshot.configMaps.find((c) => c.metadata.namespace === namespace && c.metadata.name === name);
  if (!cm) throw new Error(`fixture has no configmap ${namespace}/${name}`);
  return cm;
}

// ---- running checks in tests -----------------------------------------------------------------------------

/** Runs a check in English and Korean and returns the finding with `id` from both runs (undefined when absent). */
export function bilingual(check: Check, snapshot: Snapshot, id: string): { en?: Finding; ko?: Finding } {
  const en = runCheck(check, snapshot, 'en').find((f) => f.id === id);
  const ko = runCheck(check, snapshot, 'ko').find((f) => f.id === id);
  return { en, ko };
}

/** Every command of a runbook, joined, for "names the real pod/namespace" assertions. */
export function commands(finding: Finding | undefined): string {
  return (finding?.runbook ?? []).map((s) => s.command ?? '').join('\n');
}

/**
 * Asserts the contract every DNS/CNI finding keeps, in both languages: schema-valid, same id/severity/commands,
 * Korean prose different from English, a runbook that ends with a verification step. Returns the English finding.
 */
export function expectFinding(check: Check, snapshot: Snapshot, id: string): Finding {
  const { en, ko } = bilingual(check, snapshot, id);
  expect(en, `${check.name} should emit ${id}`).toBeDefined();
  expect(ko).toBeDefined();
  Finding.parse(en);
  Finding.parse(ko);
  expect(check.emits).toContain(id);
  expect(ko!.severity).toBe(en!.severity);
  expect(ko!.evidence).toEqual(en!.evidence);
  expect(ko!.runbook.map((s) => s.command)).toEqual(en!.runbook.map((s) => s.command));
  expect(ko!.runbook.map((s) => s.text)).not.toEqual(en!.runbook.map((s) => s.text));
  expect(ko!.detail).not.toBe(en!.detail);
  expect(/[\uac00-\ud7a3]/.test(ko!.detail + ko!.runbook[0]!.text)).toBe(true);
  expect(en!.evidence.length).toBeGreaterThan(0);
  expect(en!.runbook.length).toBeGreaterThan(1);
  expect(en!.runbook.at(-1)!.command ?? en!.runbook.at(-1)!.text).toMatch(
    /nslookup|rollout status|get events|get nodes/,
  );
  return en!;
}
