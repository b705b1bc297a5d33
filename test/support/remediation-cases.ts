// Which sandbox scenario breaks what each remediation fixes: the end-to-end and RBAC tests share this table.

/** remediation id → the scenario that breaks what it fixes (and the human input it asks for). */
export const CASES: Record<string, { scenario: string; finding: string; args?: string[] }> = {
  'coredns.replace-proxy-with-forward': {
    scenario: 'coredns-proxy-plugin',
    finding: 'coredns.corefile-removed-plugin',
  },
  'coredns.remove-obsolete-option': {
    scenario: 'coredns-corefile-removed-option',
    finding: 'coredns.corefile-removed-option',
  },
  'coredns.forward-upstream': {
    scenario: 'coredns-loop',
    finding: 'coredns.loop-detected',
    args: ['--upstream', '10.0.0.2,10.0.0.3'],
  },
  'coredns.restore-configmap': { scenario: 'coredns-configmap-missing', finding: 'coredns.configmap-missing' },
  'coredns.restore-configmap-key': {
    scenario: 'coredns-configmap-key-missing',
    finding: 'coredns.configmap-key-missing',
  },
  'coredns.restore-rbac': { scenario: 'coredns-rbac-missing', finding: 'coredns.rbac-forbidden' },
  'coredns.create-serviceaccount': {
    scenario: 'coredns-serviceaccount-missing',
    finding: 'coredns.serviceaccount-missing',
  },
  'coredns.scale-up': { scenario: 'coredns-scaled-to-zero', finding: 'coredns.no-replicas' },
  'coredns.add-cluster-domain': { scenario: 'dns-cluster-domain-mismatch', finding: 'dns.cluster-domain-mismatch' },
  'dns.restore-service': { scenario: 'dns-service-missing', finding: 'dns.service-missing' },
  'dns.restore-service-selector': { scenario: 'dns-service-no-endpoints', finding: 'dns.service-no-endpoints' },
  'dns.restore-service-ports': { scenario: 'dns-service-port-mismatch', finding: 'dns.service-port-mismatch' },
  'dns.recreate-service-clusterip': { scenario: 'dns-clusterip-mismatch', finding: 'dns.clusterip-mismatch' },
  'kube-proxy.fix-config-path': { scenario: 'kube-proxy-config-path', finding: 'kube-proxy.config-path-mismatch' },
  'kube-proxy.reset-mode': { scenario: 'kube-proxy-invalid-mode', finding: 'kube-proxy.config-validation-error' },
  'kube-proxy.recreate-node-proxier-binding': {
    scenario: 'kube-proxy-rbac-missing',
    finding: 'kube-proxy.rbac-forbidden',
  },
  'kube-proxy.create-serviceaccount': {
    scenario: 'kube-proxy-serviceaccount-missing',
    finding: 'kube-proxy.serviceaccount-missing',
  },
  'cni.restart-agent-on-node': { scenario: 'cilium-agent-down', finding: 'cni.cilium.agent-unreachable' },
  'cni.weave.restart-router': { scenario: 'weave-router-down', finding: 'cni.weave.router-unreachable' },
  'cni.flannel.align-network': { scenario: 'flannel-network-mismatch', finding: 'cni.flannel.network-mismatch' },
  'kube-proxy.restore-configmap': { scenario: 'kube-proxy-configmap-missing', finding: 'kube-proxy.configmap-missing' },
  'cni.calico.restart-node-agent': { scenario: 'cni-crashloop', finding: 'cni.calico.node-agent-down' },
  'kube-proxy.switch-to-iptables': { scenario: 'kube-proxy-ipvs-unavailable', finding: 'kube-proxy.ipvs-unavailable' },
  'kube-proxy.fix-apiserver-endpoint': {
    scenario: 'kube-proxy-wrong-apiserver',
    finding: 'kube-proxy.apiserver-unreachable',
  },
  'coredns.revert-image-to-kubeadm-default': { scenario: 'coredns-image-pull', finding: 'coredns.image-pull' },
  'kube-proxy.conntrack-leave-max': {
    scenario: 'kube-proxy-conntrack-permission',
    finding: 'kube-proxy.conntrack-sysctl-permission',
  },
  'cni.flannel.restart': { scenario: 'flannel-agent-stuck', finding: 'cni.flannel.subnet-env-missing' },
  'kube-proxy.restore-kubeconfig': {
    scenario: 'kube-proxy-kubeconfig-invalid',
    finding: 'kube-proxy.kubeconfig-missing-or-invalid',
  },
  'kube-proxy.restore-config': { scenario: 'kube-proxy-config-decode', finding: 'kube-proxy.config-decode-error' },
};

/** Remediations without a broken sandbox scenario yet (no scenario models the failure). */
export const NO_SCENARIO: string[] = [];
