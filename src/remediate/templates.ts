// The kubeadm defaults the AUTO-SAFE fixes put back (kubeadm v1.31 phases/addons dns and proxy), and the
// well-known names they live under.
import type { KubeObject } from '../engine/cluster-reader.ts';

export { defaultCorefile } from '../engine/checks/dns/configmap.ts';

export const COREDNS_ROLE = 'system:coredns';
export const NODE_PROXIER_BINDING = 'kubeadm:node-proxier';
export const NODE_PROXIER_ROLE = 'system:node-proxier';
export const KUBE_PROXY_CONFIG = '/var/lib/kube-proxy/config.conf';

export function serviceAccount(namespace: string, name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } };
}

export const COREDNS_RULES = [
  { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
];

export function corednsClusterRole(): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: COREDNS_ROLE },
    rules: COREDNS_RULES,
  };
}

export function clusterRoleBinding(name: string, role: string, namespace: string, sa: string): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ kind: 'ServiceAccount', name: sa, namespace }],
  };
}

export const KUBE_DNS_SELECTOR = { 'k8s-app': 'kube-dns' };

export const KUBE_DNS_PORTS = [
  { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
  { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
  { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
];

export function kubeDnsService(namespace: string, clusterIP: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace,
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: { type: 'ClusterIP', clusterIP, clusterIPs: [clusterIP], selector: KUBE_DNS_SELECTOR, ports: KUBE_DNS_PORTS },
  };
}
