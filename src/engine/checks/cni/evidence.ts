// The minimal evidence each CNI finding needs before the linker may name it as another finding's cause
// (docs/failure-catalog.md, "A root cause needs its own evidence"). The checks in this folder emit a finding only
// when its condition holds, and every such finding quotes that evidence; link.ts refuses causes without evidence.
export const CNI_ROOT_CAUSE_EVIDENCE: Readonly<Record<string, string>> = {
  'cni.not-installed':
    'A node Ready=False now whose message says NetworkPluginNotReady / cni plugin not initialized, and no CNI agent.',
  'cni.plugin-binary-missing':
    'A current FailedCreatePodSandBox event: failed to find plugin "<name>" in path [/opt/cni/bin].',
  'cni.flannel.subnet-env-missing':
    'A current FailedCreatePodSandBox event: open /run/flannel/subnet.env: no such file or directory.',
  'cni.flannel.podcidr-not-assigned':
    'A flannel log line "failed to acquire lease: node … pod cidr not assigned" and an empty node spec.podCIDR.',
  'cni.flannel.network-mismatch':
    'A flannel log line: subnet "<net>" specified in the flannel net config doesn\'t contain "<podCIDR>".',
  'cni.calico.node-agent-down':
    'A current FailedCreatePodSandBox event: stat /var/lib/calico/nodename: no such file or directory.',
  'cni.calico.bgp-peering-down':
    'A current Unhealthy event: calico/node is not ready: BIRD is not ready: BGP not established.',
  'cni.weave.router-unreachable':
    'A current FailedCreatePodSandBox event naming weave-net and 127.0.0.1:6784 connection refused.',
  'cni.weave.ipalloc-overlap': 'A weave log line "Network <cidr> overlaps with existing route <cidr> on host".',
  'cni.cilium.agent-unreachable': 'A current FailedCreatePodSandBox event: unable to connect to Cilium agent/daemon.',
  'cni.aws.ipamd-unavailable-or-ip-exhausted':
    'A current FailedCreatePodSandBox event from plugin type="aws-cni": failed to assign an IP address to container.',
  'cni.conflicting-plugins':
    'Two CNI agent DaemonSets with pods, or a current FailedCreatePodSandBox naming a plugin type that is not the installed CNI.',
  'cni.agent-crashloop': 'A CNI agent container in CrashLoopBackOff now.',
  'cni.agent-not-ready': 'A CNI agent pod not Ready now, or a NotReady node with a network message and no agent pod.',
  'cni.sandbox-failed': 'A FailedCreatePodSandBox event seen in the last hour that no specific check explains.',
  'cni.calico.kube-controllers-down': 'Every calico-kube-controllers pod not Ready now.',
  'cni.aws.network-policy-agent-failing':
    'The aws-eks-nodeagent container not ready while aws-node (ipamd) is, or agent error lines (Reconcile error, failed to update map) in its current log.',
  'cni.aws.network-policy-disabled':
    'NetworkPolicy objects and --enable-network-policy=false (or no aws-eks-nodeagent container), with no other policy engine.',
};
