// A small kubeadm-shaped cluster for the sandbox's own tests: one node, CoreDNS stuck in a forwarding loop.
import type { KubeObject, Scenario } from '../../src/sandbox/types.ts';

const T0 = '2026-11-20T08:00:00Z';

function corednsPod(name: string, ready: boolean): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'pod-template-hash': '668d6bf9bc' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'coredns-668d6bf9bc', controller: true }],
      creationTimestamp: T0,
    },
    spec: {
      nodeName: 'cp-1',
      serviceAccountName: 'coredns',
      containers: [
        {
          name: 'coredns',
          image: 'registry.k8s.io/coredns/coredns:v1.11.3',
          ports: [{ containerPort: 53, name: 'dns', protocol: 'UDP' }],
        },
      ],
    },
    status: {
      phase: 'Running',
      podIP: name.endsWith('a') ? '10.244.0.2' : '10.244.0.3',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [
        {
          name: 'coredns',
          ready,
          restartCount: ready ? 0 : 12,
          image: 'registry.k8s.io/coredns/coredns:v1.11.3',
          state: ready
            ? { running: { startedAt: T0 } }
            : { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } },
          lastState: ready ? {} : { terminated: { exitCode: 1, reason: 'Error' } },
        },
      ],
    },
  };
}

export const LOOP_LOG =
  '.:53\n[INFO] plugin/reload: Running configuration SHA512 = 1b2c3d\nCoreDNS-1.11.3\n[FATAL] plugin/loop: Loop (127.0.0.1:53870 -> :53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting. Query: "HINFO 4547991504243258144.3688648895315093531."\n';

export function corednsLoopScenario(): Scenario {
  const objects: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: 'cp-1',
        labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/os': 'linux' },
        creationTimestamp: T0,
      },
      spec: { podCIDR: '10.244.0.0/24' },
      status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
        nodeInfo: { kubeletVersion: 'v1.32.4', containerRuntimeVersion: 'containerd://1.7.24' },
      },
    },
    corednsPod('coredns-668d6bf9bc-a', false),
    corednsPod('coredns-668d6bf9bc-b', false),
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'kube-proxy-x7k2p',
        namespace: 'kube-system',
        labels: { 'k8s-app': 'kube-proxy' },
        creationTimestamp: T0,
      },
      spec: {
        nodeName: 'cp-1',
        containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.32.4' }],
        initContainers: [],
      },
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'kube-proxy', ready: true, restartCount: 0, state: { running: { startedAt: T0 } } },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-0', namespace: 'shop', labels: { app: 'web', tier: 'frontend' }, creationTimestamp: T0 },
      spec: {
        nodeName: 'cp-1',
        containers: [
          { name: 'web', image: 'nginx:1.27' },
          { name: 'sidecar', image: 'envoy:1.31' },
        ],
      },
      status: { phase: 'Pending' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, uid: 'd-coredns' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        template: {
          metadata: { labels: { 'k8s-app': 'kube-dns' } },
          spec: {
            containers: [
              {
                name: 'coredns',
                image: 'registry.k8s.io/coredns/coredns:v1.11.3',
                args: ['-conf', '/etc/coredns/Corefile'],
              },
            ],
          },
        },
      },
      status: { replicas: 2, readyReplicas: 0, updatedReplicas: 2, availableReplicas: 0 },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'coredns-668d6bf9bc',
        namespace: 'kube-system',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'coredns', uid: 'd-coredns', controller: true },
        ],
      },
      spec: { replicas: 2, selector: { matchLabels: { 'k8s-app': 'kube-dns' } }, template: { metadata: {}, spec: {} } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } },
      spec: {
        selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
        template: { metadata: {}, spec: { nodeSelector: { 'kubernetes.io/os': 'linux' } } },
      },
      status: {
        desiredNumberScheduled: 1,
        currentNumberScheduled: 1,
        numberReady: 1,
        updatedNumberScheduled: 1,
        numberAvailable: 1,
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
      spec: {
        clusterIP: '10.96.0.10',
        selector: { 'k8s-app': 'kube-dns' },
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kube-dns', namespace: 'kube-system' },
      subsets: [
        {
          notReadyAddresses: [{ ip: '10.244.0.2' }, { ip: '10.244.0.3' }],
          ports: [{ name: 'dns', port: 53, protocol: 'UDP' }],
        },
      ],
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'coredns', namespace: 'kube-system' },
      data: {
        Corefile:
          '.:53 {\n    errors\n    health\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n    proxy . /etc/resolv.conf\n    cache 30\n    loop\n}\n',
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'coredns-668d6bf9bc-a.1800a', namespace: 'kube-system' },
      involvedObject: { kind: 'Pod', name: 'coredns-668d6bf9bc-a', namespace: 'kube-system' },
      reason: 'BackOff',
      type: 'Warning',
      message: 'Back-off restarting failed container coredns in pod coredns-668d6bf9bc-a_kube-system',
      source: { component: 'kubelet', host: 'cp-1' },
      count: 40,
      firstTimestamp: T0,
      lastTimestamp: T0,
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'cp-1.1800b', namespace: 'default' },
      involvedObject: { kind: 'Node', name: 'cp-1' },
      reason: 'NodeReady',
      type: 'Normal',
      message: 'Node cp-1 status is now: NodeReady',
      source: { component: 'kubelet', host: 'cp-1' },
      firstTimestamp: T0,
      lastTimestamp: T0,
    },
  ];
  const healedPod = (name: string) => ({
    kind: 'Pod',
    namespace: 'kube-system',
    name,
    merge: {
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'coredns', ready: true, restartCount: 12, state: { running: { startedAt: T0 } } }],
      },
    },
  });
  return {
    name: 'sandbox-test-coredns-loop',
    description: 'CoreDNS forwards to /etc/resolv.conf, which points back at itself',
    expect: { critical: ['coredns-loop'], warning: [] },
    objects,
    logs: {
      'kube-system/coredns-668d6bf9bc-a/coredns': { current: LOOP_LOG, previous: LOOP_LOG },
      'kube-system/coredns-668d6bf9bc-b/coredns': { current: LOOP_LOG },
      'kube-system/kube-proxy-x7k2p/kube-proxy': { current: 'I1120 08:00:01 server.go:484] "Using iptables proxy"\n' },
      'shop/web-0/web': { current: 'line 1\nline 2\nline 3\n' },
    },
    reactions: [
      {
        description: 'CoreDNS stops looping once the proxy line is gone and the pods restart',
        when: [
          {
            ref: { kind: 'ConfigMap', namespace: 'kube-system', name: 'coredns' },
            path: 'data.Corefile',
            notContains: 'proxy .',
          },
          { restarted: { kind: 'Deployment', namespace: 'kube-system', name: 'coredns' } },
        ],
        // biome-ignore lint/suspicious/noThenProperty: `then` is the Scenario format's field name.
        then: {
          patch: [healedPod('coredns-668d6bf9bc-a'), healedPod('coredns-668d6bf9bc-b')],
          logs: {
            'kube-system/coredns-668d6bf9bc-a/coredns': { current: '.:53\nCoreDNS-1.11.3\n' },
            'kube-system/coredns-668d6bf9bc-b/coredns': { current: '.:53\nCoreDNS-1.11.3\n' },
          },
        },
      },
    ],
  };
}

/** A ClusterRole + binding granting the bot read access to everything netcheck lists (and pod logs). */
export function botReaderRbac(): KubeObject[] {
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'netcheck-reader' },
      rules: [
        {
          apiGroups: [''],
          resources: ['pods', 'pods/log', 'nodes', 'services', 'endpoints', 'configmaps', 'events'],
          verbs: ['get', 'list'],
        },
        { apiGroups: ['apps'], resources: ['*'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'netcheck-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'netcheck-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'netcheck-bot', namespace: 'netcheck' }],
    },
  ];
}
