// Every automated fix a check may offer, by id. Checks can only name an id from this list (a typo is a type error);
// the report's JSON still carries it as a plain string, so consumers need not know the list.
export const REMEDIATION_IDS = [
  'cni.calico.restart-node-agent',
  'cni.flannel.align-network',
  'cni.flannel.restart',
  'cni.restart-agent-on-node',
  'cni.weave.restart-router',
  'coredns.add-cluster-domain',
  'coredns.create-serviceaccount',
  'coredns.forward-upstream',
  'coredns.remove-obsolete-option',
  'coredns.replace-proxy-with-forward',
  'coredns.restore-configmap',
  'coredns.restore-configmap-key',
  'coredns.restore-rbac',
  'coredns.scale-up',
  'dns.recreate-service-clusterip',
  'dns.restore-service',
  'dns.restore-service-ports',
  'dns.restore-service-selector',
  'kube-proxy.create-serviceaccount',
  'kube-proxy.fix-config-path',
  'kube-proxy.recreate-node-proxier-binding',
  'kube-proxy.reset-mode',
  'kube-proxy.restore-configmap',
  'kube-proxy.switch-to-iptables',
  'kube-proxy.fix-apiserver-endpoint',
  'coredns.revert-image-to-kubeadm-default',
  'kube-proxy.conntrack-leave-max',
  'kube-proxy.restore-kubeconfig',
  'kube-proxy.restore-config',
] as const;

export type RemediationId = (typeof REMEDIATION_IDS)[number];

export function isRemediationId(id: string): id is RemediationId {
  return (REMEDIATION_IDS as readonly string[]).includes(id);
}
