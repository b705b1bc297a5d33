// The minimal evidence each DNS finding needs before the linker may name it as another finding's cause
// (docs/failure-catalog.md, "A root cause needs its own evidence"). The checks in this folder emit a finding only
// when its condition holds, and every such finding quotes that evidence; link.ts refuses causes without evidence.
export const DNS_ROOT_CAUSE_EVIDENCE: Readonly<Record<string, string>> = {
  'coredns.no-replicas':
    'The cluster DNS Deployment has spec.replicas 0, or no Deployment selected by the DNS Service exists.',
  'coredns.pending': 'A DNS pod is Pending with a FailedScheduling event seen in the last hour.',
  'coredns.unschedulable-node-not-ready':
    'A DNS pod is Pending and its current FailedScheduling event names the taint node.kubernetes.io/not-ready.',
  'coredns.serviceaccount-missing':
    'A current ReplicaSet FailedCreate event: error looking up service account <ns>/<sa>: serviceaccount not found.',
  'coredns.configmap-missing': 'A current FailedMount event on a DNS pod: configmap "<name>" not found.',
  'coredns.configmap-key-missing':
    'A current FailedMount event: configmap references non-existent config key: Corefile (k3s: NodeHosts).',
  'coredns.image-pull': 'A DNS container waiting in ErrImagePull or ImagePullBackOff now.',
  'coredns.loop-detected':
    'A "[FATAL] plugin/loop: Loop (… -> :53) detected" line from a container that is crash-looping or ended in the last hour.',
  'coredns.corefile-removed-plugin':
    '"Error during parsing: Unknown directive" for a removed plugin (proxy) in a current log.',
  'coredns.corefile-removed-option':
    '"Error during parsing: unknown property" (upstream, resyncperiod) in a current log.',
  'coredns.corefile-parse-error': '"/etc/coredns/Corefile:<n> - Error during parsing:" in a current log.',
  'coredns.rbac-forbidden':
    '"is forbidden: User system:serviceaccount:<ns>:<sa> cannot list resource" lines from a pod that is not Ready.',
  'coredns.api-unreachable':
    'Failed list or watch calls ("Failed to watch"/"failed to list" … dial tcp <kubernetes VIP>:443: i/o timeout or refused) from a pod that is Running and not Ready. "Still waiting on: kubernetes" and "waiting for Kubernetes API" start-up lines alone are not enough.',
  'coredns.permission-denied': '"listen tcp :53: bind: permission denied" from a crash-looping DNS container.',
  'coredns.crashloop': 'A DNS container in CrashLoopBackOff now.',
  'coredns.not-ready': 'A DNS pod Running but not Ready now, with no more specific cause recognised.',
  'dns.nodelocal-down':
    'A node-local-dns pod not Ready now, or a schedulable Ready node without one while the DaemonSet reports fewer ready than desired.',
  'coredns.forward-loopback':
    'A Corefile forward line to 127.0.0.0/8, ::1 or 169.254.0.0/16 that is not a NodeLocal DNSCache address, on CoreDNS pods off the host network.',
};
