// The minimal evidence each kube-proxy finding needs before the linker may name it as another finding's cause
// (docs/failure-catalog.md, "A root cause needs its own evidence"). The checks in this folder emit a finding only
// when its condition holds, and every such finding quotes that evidence; link.ts refuses causes without evidence.
export const PROXY_ROOT_CAUSE_EVIDENCE: Readonly<Record<string, string>> = {
  'kube-proxy.daemonset-missing':
    'No kube-proxy DaemonSet or static pod, and no replacement (Cilium KPR, Calico eBPF, k3s, GKE DPv2).',
  'kube-proxy.serviceaccount-missing': 'A current DaemonSet FailedCreate event: serviceaccount "kube-proxy" not found.',
  'kube-proxy.configmap-missing':
    'A current FailedMount event: configmap "<name>" not found, or a 404 for the mounted ConfigMap.',
  'kube-proxy.config-path-mismatch':
    'A "failed complete: open /var/lib/kube-proxy/<file>: no such file or directory" line and --config naming a key the ConfigMap lacks.',
  'kube-proxy.config-decode-error':
    'A "failed complete:" decode error line (no kind "Config" is registered, field type errors).',
  'kube-proxy.config-validation-error': 'A "failed validate:" line, e.g. ProxyMode: Invalid value.',
  'kube-proxy.kubeconfig-missing-or-invalid':
    'A kubeconfig error line (stat …: no such file or directory, is a directory, no configuration has been provided, no server found).',
  'kube-proxy.apiserver-unreachable':
    'Failed calls to the API server in a current log: Failed to retrieve node info … dial tcp, or failed to list *v1.Node … dial tcp.',
  'kube-proxy.rbac-forbidden':
    '"is forbidden: User system:serviceaccount:kube-system:kube-proxy cannot list resource" lines.',
  'kube-proxy.ipvs-unavailable': 'A "can\'t use the IPVS proxier" line while the configured mode is ipvs.',
  'kube-proxy.conntrack-sysctl-permission':
    '"open /proc/sys/net/netfilter/nf_conntrack_max: permission denied" in a current log.',
  'kube-proxy.inotify-exhausted': '"failed complete: too many open files" in a current log.',
  'kube-proxy.crashloop': 'A kube-proxy container in CrashLoopBackOff now.',
  'kube-proxy.pods-not-ready': 'A kube-proxy pod not Ready now.',
  'kube-proxy.sync-failing':
    'Repeated "Failed to execute iptables-restore" / "nftables sync failed" and "Sync failed" lines in a Running pod\'s current log, with no successful sync after them.',
};
