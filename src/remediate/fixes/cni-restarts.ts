// CNI agents: restart the agent pod on the one node that needs it (its DaemonSet re-creates it), or roll the whole
// DaemonSet where the catalogue says so (Flannel, Calico), and align Flannel's Network with the kubeadm podSubnet.
import type { Finding } from '../../engine/report.ts';
import { mergePatch, objectAt, param, read, ref, refuse, restart, target, unchanged } from '../objects.ts';
import type { Remediation } from '../types.ts';

function deleteAgentPod(id: string, answers: readonly string[], agent: string): Remediation {
  const podRead = (f: Finding) => {
    const pod = param(f, 'pod');
    return pod ? [read('pods', pod, param(f, 'namespace') ?? 'kube-system')] : [];
  };
  return {
    id,
    answers,
    safety: 'auto-safe',
    reads: podRead,
    plan(ctx) {
      const [r] = podRead(ctx.finding);
      if (!r)
        return refuse(
          `No ${agent} pod runs on ${param(ctx.finding, 'node') ?? 'that node'}; there is nothing to restart.`,
        );
      const pod = objectAt(ctx, r);
      if (!pod) return refuse(`Pod ${ref(r)} is gone already; its DaemonSet re-creates it.`);
      const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
      const ds = param(ctx.finding, 'daemonSet');
      // Only a pod its DaemonSet re-creates: deleting anything else would be an outage, not a restart.
      if (owner?.kind !== 'DaemonSet' || (ds && owner.name !== ds)) {
        return refuse(`Pod ${ref(r)} is not managed by the ${agent} DaemonSet; it would not come back.`);
      }
      const node = pod.spec?.nodeName ?? param(ctx.finding, 'node') ?? '?';
      return {
        ok: true,
        plan: {
          remediation: id,
          finding: ctx.finding.id,
          title: `Restart the ${agent} agent on ${node} (delete pod ${ref(r)})`,
          risk: `New pods on ${node} wait for a network until the re-created agent is Ready; running pods keep theirs.`,
          rollback: `Nothing to undo: DaemonSet ${owner.name} re-creates the pod from the same template.`,
          changes: [
            {
              verb: 'delete',
              target: target('pods', pod.metadata.name, pod.metadata.namespace),
              precondition: unchanged(pod),
            },
          ],
          clears: [...answers],
        },
      };
    },
  };
}

export const restartAgentOnNode = deleteAgentPod(
  'cni.restart-agent-on-node',
  ['cni.cilium.agent-unreachable', 'cni.plugin-binary-missing'],
  'CNI',
);

export const restartWeaveRouter = deleteAgentPod(
  'cni.weave.restart-router',
  ['cni.weave.router-unreachable'],
  'weave-net',
);

function rolloutRestart(
  id: string,
  answers: readonly string[],
  defaults: { namespace: string; daemonSet: string },
): Remediation {
  const dsRead = (f: Finding) =>
    read('daemonsets', param(f, 'daemonSet') ?? defaults.daemonSet, param(f, 'namespace') ?? defaults.namespace);
  return {
    id,
    answers,
    safety: 'auto-safe',
    reads: (f) => [dsRead(f)],
    plan(ctx) {
      const r = dsRead(ctx.finding);
      const ds = objectAt(ctx, r);
      if (!ds) return refuse(`DaemonSet ${ref(r)} does not exist.`);
      return {
        ok: true,
        plan: {
          remediation: id,
          finding: ctx.finding.id,
          title: `Restart DaemonSet ${ref(r)} (rollout restart)`,
          risk: 'The agent restarts node by node; new pods on a node wait for a network while its agent restarts.',
          rollback: 'Nothing to undo: the pods are re-created from the same template.',
          changes: [restart('daemonsets', ds)],
          clears: [...answers],
        },
      };
    },
  };
}

export const restartFlannel = rolloutRestart('cni.flannel.restart', ['cni.flannel.subnet-env-missing'], {
  namespace: 'kube-flannel',
  daemonSet: 'kube-flannel-ds',
});

export const restartCalicoNode = rolloutRestart('cni.calico.restart-node-agent', ['cni.calico.node-agent-down'], {
  namespace: 'kube-system',
  daemonSet: 'calico-node',
});

const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

export const alignFlannelNetwork: Remediation = {
  id: 'cni.flannel.align-network',
  answers: ['cni.flannel.network-mismatch'],
  safety: 'auto-guarded',
  reads: (f) => {
    const ns = param(f, 'namespace') ?? 'kube-flannel';
    return [
      // The check names the ConfigMap as "namespace/name".
      read('configmaps', (param(f, 'configMap') ?? 'kube-flannel-cfg').split('/').pop()!, ns),
      read('daemonsets', param(f, 'daemonSet') ?? 'kube-flannel-ds', ns),
    ];
  },
  plan(ctx) {
    const [cmRead, dsRead] = this.reads(ctx.finding) as [ReturnType<typeof read>, ReturnType<typeof read>];
    const cm = objectAt(ctx, cmRead);
    const ds = objectAt(ctx, dsRead);
    // The check offers this only when every node's podCIDR lies inside the kubeadm podSubnet.
    const network = param(ctx.finding, 'network');
    if (!network || !CIDR.test(network)) return refuse('The kubeadm podSubnet is not known.');
    if (!cm || !ds) return refuse(`ConfigMap ${ref(cmRead)} or DaemonSet ${ref(dsRead)} does not exist.`);
    let conf: Record<string, unknown>;
    try {
      conf = JSON.parse(cm.data?.['net-conf.json'] ?? '');
    } catch {
      return refuse(`net-conf.json in ${ref(cmRead)} is not JSON; fix it by hand.`);
    }
    if (conf.Network === network) return refuse(`Flannel's Network is ${network} already.`);
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Set the Flannel Network to ${network} and restart DaemonSet ${ref(dsRead)}`,
        risk: 'Flannel restarts node by node with the cluster CIDR; pods keep their IPs, which already lie inside it.',
        rollback: `Set Network back to ${String(conf.Network)} in ${ref(cmRead)} and restart Flannel.`,
        changes: [
          mergePatch('configmaps', cm, {
            metadata: { resourceVersion: cm.metadata.resourceVersion },
            data: { 'net-conf.json': `${JSON.stringify({ ...conf, Network: network }, null, 2)}\n` },
          }),
          restart('daemonsets', ds),
        ],
        clears: ['cni.flannel.network-mismatch'],
      },
    };
  },
};
