// Hand-built healthy kube-proxy clusters (kubeadm v1.31 and EKS shapes from healthy-objects.md §2) for unit tests.
// Tests break one thing at a time with `withChanges`.
import type { Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { fingerprint } from '../../fingerprint.ts';
import { absentKey, emptySnapshot } from '../../snapshot.ts';

export const KUBEADM_PROXY_CONFIG = `apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
clientConnection:
  acceptContentTypes: ""
  burst: 0
  contentType: ""
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
  qps: 0
clusterCIDR: 10.244.0.0/16
configSyncPeriod: 0s
conntrack:
  maxPerCore: null
  min: null
iptables:
  masqueradeAll: false
ipvs:
  scheduler: ""
kind: KubeProxyConfiguration
mode: ""
nodePortAddresses: null
`;

export const KUBEADM_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: https://controlplane:6443
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
`;

/** kube-proxy logs from a healthy node, benign warnings included (catalog trap.kube-proxy-benign-warnings). */
export const HEALTHY_PROXY_LOG = `I1127 06:00:01.100000       1 server_linux.go:66] "Using iptables proxy"
E1127 06:00:01.100100       1 server.go:234] "Kube-proxy configuration may be incomplete or incorrect" err="nodePortAddresses is unset; NodePort connections will be accepted on all local IPs. Consider using \`--nodeport-addresses primary\`"
W1127 06:00:01.100200       1 options.go:300] Using lenient decoding as strict decoding failed
I1127 06:00:01.200000       1 server.go:483] "Version info" version="v1.31.4"
I1127 06:00:01.300000       1 config.go:199] "Starting service config controller"
I1127 06:00:01.400000       1 shared_informer.go:320] Caches are synced for service config`;

const NODES = ['cp-1', 'worker-1', 'worker-2'];
const POD_SUFFIX = ['2kx9v', '7qpdl', 'hz5ln'];

function node(name: string, i: number, podCidr?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: podCidr ? { podCIDR: podCidr, podCIDRs: [podCidr] } : {},
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
      addresses: [{ type: 'InternalIP', address: `192.168.0.${10 + i}` }],
      nodeInfo: { kubeletVersion: 'v1.31.4' },
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: container spec fixtures.
function proxyPod(i: number, container: any, volumes: any[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `kube-proxy-${POD_SUFFIX[i]}`,
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-proxy', 'controller-revision-hash': '6b8c7d9f5' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kube-proxy', controller: true }],
    },
    spec: { nodeName: NODES[i], serviceAccountName: 'kube-proxy', hostNetwork: true, containers: [container], volumes },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        { name: 'kube-proxy', ready: true, restartCount: 0, state: { running: { startedAt: '2026-11-27T06:00:00Z' } } },
      ],
    },
  };
}

function daemonSet(container: unknown, volumes: unknown[]): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-proxy' } },
        spec: {
          priorityClassName: 'system-node-critical',
          hostNetwork: true,
          serviceAccountName: 'kube-proxy',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ operator: 'Exists' }],
          containers: [container],
          volumes,
        },
      },
    },
    status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3, numberAvailable: 3 },
  };
}

function cm(name: string, data: Record<string, string>, annotations?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'kube-system', annotations }, data };
}

function withFingerprint(data: Omit<Snapshot, 'fingerprint'>): Snapshot {
  return { ...data, fingerprint: fingerprint(data) };
}

/** A healthy kubeadm cluster with Calico, as far as kube-proxy is concerned. */
export function kubeadmProxyCluster(): Snapshot {
  const container = {
    name: 'kube-proxy',
    image: 'registry.k8s.io/kube-proxy:v1.31.4',
    command: [
      '/usr/local/bin/kube-proxy',
      '--config=/var/lib/kube-proxy/config.conf',
      '--hostname-override=$(NODE_NAME)',
    ],
    env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
    securityContext: { privileged: true },
    volumeMounts: [
      { name: 'kube-proxy', mountPath: '/var/lib/kube-proxy' },
      { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
      { name: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
    ],
  };
  const volumes = [
    { name: 'kube-proxy', configMap: { name: 'kube-proxy' } },
    { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
    { name: 'lib-modules', hostPath: { path: '/lib/modules' } },
  ];
  const pods = [0, 1, 2].map((i) => proxyPod(i, container, volumes));
  const snapshot = emptySnapshot({
    nodes: NODES.map((n, i) => node(n, i, `10.244.${i}.0/24`)),
    pods,
    daemonSets: [
      daemonSet(container, volumes),
      {
        metadata: { name: 'calico-node', namespace: 'kube-system', labels: { 'k8s-app': 'calico-node' } },
        spec: { selector: { matchLabels: { 'k8s-app': 'calico-node' } } },
        status: { desiredNumberScheduled: 3, numberReady: 3 },
      },
    ],
    configMaps: [
      cm(
        'kube-proxy',
        { 'config.conf': KUBEADM_PROXY_CONFIG, 'kubeconfig.conf': KUBEADM_KUBECONFIG },
        { 'kubeadm.kubernetes.io/component-config.hash': 'sha256:0f3b' },
      ),
      cm('kubeadm-config', {
        ClusterConfiguration:
          'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\ncontrolPlaneEndpoint: controlplane:6443\nnetworking:\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12\n',
      }),
    ],
    serviceAccounts: [{ metadata: { name: 'kube-proxy', namespace: 'kube-system' } }],
    services: [{ metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1' } }],
    endpointSlices: [
      {
        metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['192.168.0.10'] }],
        ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
      },
    ],
    clusterRoles: [{ metadata: { name: 'system:node-proxier' } }],
    clusterRoleBindings: [
      {
        metadata: { name: 'kubeadm:node-proxier' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node-proxier' },
        subjects: [{ kind: 'ServiceAccount', name: 'kube-proxy', namespace: 'kube-system' }],
      },
    ],
    logs: Object.fromEntries(
      pods.map((p) => [`kube-system/${p.metadata.name}/kube-proxy`, { current: HEALTHY_PROXY_LOG }]),
    ),
    absent: [
      absentKey('configmaps', 'kube-system', 'kube-proxy-config'),
      absentKey('configmaps', 'kube-system', 'cilium-config'),
    ],
  });
  const { fingerprint: _, ...data } = snapshot;
  return withFingerprint(data);
}

/** A healthy EKS cluster: kube-proxy-config/config at /var/lib/kube-proxy-config, aws-node, no kubeadm objects. */
export function eksProxyCluster(): Snapshot {
  const container = {
    name: 'kube-proxy',
    image: '602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/kube-proxy:v1.31.2-eksbuild.3',
    command: ['kube-proxy', '--v=2', '--config=/var/lib/kube-proxy-config/config', '--hostname-override=$(NODE_NAME)'],
    securityContext: { privileged: true },
    volumeMounts: [
      { name: 'varlog', mountPath: '/var/log' },
      { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
      { name: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
      { name: 'kubeconfig', mountPath: '/var/lib/kube-proxy/' },
      { name: 'config', mountPath: '/var/lib/kube-proxy-config/' },
    ],
  };
  const volumes = [
    { name: 'varlog', hostPath: { path: '/var/log' } },
    { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
    { name: 'lib-modules', hostPath: { path: '/lib/modules' } },
    { name: 'kubeconfig', configMap: { name: 'kube-proxy', defaultMode: 420 } },
    { name: 'config', configMap: { name: 'kube-proxy-config', defaultMode: 420 } },
  ];
  const pods = [0, 1, 2].map((i) => proxyPod(i, container, volumes));
  const snapshot = emptySnapshot({
    nodes: NODES.map((_n, i) => {
      const obj = node(`ip-192-168-0-${10 + i}.us-west-2.compute.internal`, i);
      obj.status.nodeInfo.kubeletVersion = 'v1.31.2-eks-94953ac';
      return obj;
    }),
    pods,
    daemonSets: [
      daemonSet(container, volumes),
      {
        metadata: { name: 'aws-node', namespace: 'kube-system', labels: { 'k8s-app': 'aws-node' } },
        spec: { selector: { matchLabels: { 'k8s-app': 'aws-node' } } },
        status: { desiredNumberScheduled: 3, numberReady: 3 },
      },
    ],
    configMaps: [
      cm('kube-proxy', {
        kubeconfig: KUBEADM_KUBECONFIG.replace(
          'https://controlplane:6443',
          'https://0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com',
        ),
      }),
      cm('kube-proxy-config', {
        config: `apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
clientConnection:
  kubeconfig: /var/lib/kube-proxy/kubeconfig
  qps: 5
clusterCIDR: ""
conntrack:
  maxPerCore: 32768
  min: 131072
kind: KubeProxyConfiguration
metricsBindAddress: 0.0.0.0:10249
mode: "iptables"
`,
      }),
    ],
    serviceAccounts: [{ metadata: { name: 'kube-proxy', namespace: 'kube-system' } }],
    services: [{ metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.100.0.1' } }],
    endpointSlices: [
      {
        metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
        endpoints: [{ addresses: ['10.0.12.34'] }, { addresses: ['10.0.56.78'] }],
        ports: [{ name: 'https', port: 443 }],
      },
    ],
    clusterRoleBindings: [],
    logs: Object.fromEntries(
      pods.map((p) => [`kube-system/${p.metadata.name}/kube-proxy`, { current: HEALTHY_PROXY_LOG }]),
    ),
    absent: [
      absentKey('configmaps', 'kube-system', 'kubeadm-config'),
      absentKey('clusterrolebindings', undefined, 'kubeadm:node-proxier'),
      absentKey('clusterroles', undefined, 'system:node-proxier'),
    ],
  });
  const { fingerprint: _, ...data } = snapshot;
  return withFingerprint(data);
}

/** Applies `change` to a deep copy and recomputes the fingerprint. */
export function withChanges(base: Snapshot, change: (s: Snapshot) => void): Snapshot {
  const copy = structuredClone(base);
  change(copy);
  const { fingerprint: _, ...data } = copy;
  return withFingerprint(data);
}

export function proxyConfigMap(s: Snapshot, name = 'kube-proxy'): KubeObject {
  return s.configMaps.find((c) => c.metadata.name === name)!;
}

export function proxyDs(s: Snapshot): KubeObject {
  return s.daemonSets.find((d) => d.metadata.name === 'kube-proxy')!;
}

/** Makes every kube-proxy pod crash-loop with `previous` as its last log. */
export function crashAll(s: Snapshot, previous: string): void {
  for (const pod of s.pods.filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-proxy')) {
    pod.status = {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [
        {
          name: 'kube-proxy',
          ready: false,
          restartCount: 7,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error' } },
        },
      ],
    };
    s.logs[`kube-system/${pod.metadata.name}/kube-proxy`] = { current: '', previous };
  }
}

/** Sets the current log of every kube-proxy pod (pods stay Running). */
export function logAll(s: Snapshot, current: string): void {
  for (const pod of s.pods.filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-proxy')) {
    s.logs[`kube-system/${pod.metadata.name}/kube-proxy`] = { current };
  }
}
