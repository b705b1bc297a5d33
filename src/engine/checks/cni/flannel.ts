// Flannel (also the flannel half of Canal): missing subnet.env, nodes without a podCIDR, and a net-conf.json Network
// that does not contain the nodes' podCIDRs. Flannel in kube-flannel or kube-system are both healthy shapes.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { makeFinding, option, step } from '../../findings.ts';
import { cidrContains } from '../../objects/cidr.ts';
import { configMapData } from '../../objects/configmaps.ts';
import { eventLine } from '../../objects/events.ts';
import { findLine, podLogs } from '../../objects/logs.ts';
import { nodePodCidrs } from '../../objects/nodes.ts';
import { podState } from '../../objects/pods.ts';
import type { Finding } from '../../report.ts';
import { kubeadmNetworking } from '../dns/cluster-config.ts';
import {
  agentLogStep,
  agentPodOn,
  type CniAgent,
  cniAgent,
  nodesOf,
  restartAgentStep,
  sandboxFailures,
  verifyCniSteps,
} from './util.ts';

export const SUBNET_ENV = /subnet\.env: no such file or directory|loadFlannelSubnetEnv failed/;
export const PODCIDR_LOG = /pod cidr not assigned/;
export const MISMATCH_LOG = /specified in the flannel net config doesn't contain/;

export function flannelAgent(snapshot: Snapshot): CniAgent | undefined {
  const agent = cniAgent(snapshot);
  if (!agent || !['flannel', 'flannel-legacy', 'canal'].includes(agent.kind)) return undefined;
  return { ...agent, container: 'kube-flannel' };
}

function netConf(
  snapshot: Snapshot,
  agent: CniAgent,
): { source: string; network?: string; ipv6Network?: string } | undefined {
  const cmName = agent.kind === 'canal' ? 'canal-config' : 'kube-flannel-cfg';
  const raw = configMapData(snapshot, agent.namespace, cmName)?.['net-conf.json'];
  if (!raw) return undefined;
  try {
    const conf = JSON.parse(raw) as { Network?: string; IPv6Network?: string };
    return { source: `${agent.namespace}/${cmName}`, network: conf.Network, ipv6Network: conf.IPv6Network };
  } catch {
    return undefined;
  }
}

/** Only --kube-subnet-mgr mode needs node podCIDRs (the etcd backend does not); unknown command lines count as yes. */
function usesKubeSubnetMgr(agent: CniAgent): boolean {
  const containers: { name: string; command?: string[]; args?: string[] }[] =
    agent.ds?.spec?.template?.spec?.containers ?? [];
  const c = containers.find((x) => x.name === 'kube-flannel');
  if (!c) return true;
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  return argv.length === 0 || argv.some((a) => a.includes('--kube-subnet-mgr'));
}

function logHit(snapshot: Snapshot, agent: CniAgent, pattern: RegExp): { pod: KubeObject; line: string } | undefined {
  for (const pod of agent.pods) {
    const line = findLine(podLogs(snapshot, pod, agent.container), pattern);
    if (line) return { pod, line };
  }
  return undefined;
}

export const flannelCheck: RegisteredCheck = {
  name: 'cni-flannel',
  component: 'cni',
  emits: ['cni.flannel.subnet-env-missing', 'cni.flannel.podcidr-not-assigned', 'cni.flannel.network-mismatch'],
  remediations: ['cni.flannel.align-network', 'cni.flannel.restart'],
  describe: {
    'cni.flannel.subnet-env-missing': {
      severities: ['critical'],
      summary: 'flanneld is not running on the node, so /run/flannel/subnet.env is missing and pod sandboxes fail.',
      fix: 'Fix the cause in the kube-flannel pod log, then restart the kube-flannel DaemonSet.',
      safety: 'auto-safe',
    },
    'cni.flannel.podcidr-not-assigned': {
      severities: ['critical'],
      summary: 'Nodes have no spec.podCIDR, so Flannel (kube-subnet-mgr) cannot acquire a lease and crash-loops.',
      fix: 'Enable node CIDR allocation (kubeadm networking.podSubnet / --allocate-node-cidrs with --cluster-cidr), or set spec.podCIDR on each node while unset.',
      safety: 'manual',
      manual: 'design',
    },
    'cni.flannel.network-mismatch': {
      severities: ['critical'],
      summary:
        "The Flannel net-conf.json Network does not contain the nodes' pod CIDRs, so Flannel cannot acquire a lease.",
      fix: 'Set Network in kube-flannel-cfg net-conf.json to the cluster pod CIDR, then restart the kube-flannel DaemonSet.',
      safety: 'auto-guarded',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const agent = flannelAgent(snapshot);
    // k3s runs flannel in-process: no DaemonSet, no ConfigMap to read, so there is nothing to judge here.
    if (!agent) return [];
    const findings: Finding[] = [];
    const ns = agent.namespace;
    const ds = agent.daemonSet;

    // Nodes without a podCIDR: flannel --kube-subnet-mgr cannot lease a subnet there.
    const noCidr = usesKubeSubnetMgr(agent) ? snapshot.nodes.filter((n) => nodePodCidrs(n).length === 0) : [];
    const cidrLog = logHit(snapshot, agent, PODCIDR_LOG);
    const podSubnet = kubeadmNetworking(snapshot)?.podSubnet;
    if (noCidr.length > 0 || cidrLog) {
      const names = noCidr.map((n) => n.metadata.name);
      const node = names[0] ?? cidrLog?.pod.spec?.nodeName ?? '<node>';
      findings.push(
        makeFinding({
          id: 'cni.flannel.podcidr-not-assigned',
          severity: 'critical',
          title: ctx.tr('Nodes have no pod CIDR for Flannel', 'Flannel이 사용할 노드 파드 CIDR이 없음'),
          detail: ctx.tr(
            `${names.length > 0 ? `Node(s) ${names.join(', ')} have an empty spec.podCIDR` : 'Flannel reports a node without a pod CIDR'}: the controller manager is not allocating node CIDRs (cluster created without --pod-network-cidr), so flannel cannot acquire a lease.`,
            `${names.length > 0 ? `노드 ${names.join(', ')}의 spec.podCIDR가 비어 있습니다` : 'Flannel이 파드 CIDR이 없는 노드를 보고합니다'}. 컨트롤러 매니저가 노드 CIDR을 할당하지 않아(--pod-network-cidr 없이 클러스터 생성) flannel이 서브넷을 임대하지 못합니다.`,
          ),
          impact: ctx.tr(
            'Flannel crash-loops on those nodes and their pods get no network.',
            '해당 노드에서 Flannel이 CrashLoopBackOff에 빠지고 파드가 네트워크를 받지 못합니다.',
          ),
          evidence: [
            ...names.slice(0, 3).map((n) => `node/${n} spec.podCIDR: (empty)`),
            ...(cidrLog ? [podState(cidrLog.pod), cidrLog.line] : []),
            ...(podSubnet
              ? [`kubeadm-config networking.podSubnet: ${podSubnet}`]
              : ['kubeadm-config networking.podSubnet: (unset)']),
          ],
          runbook: [
            step(
              ctx.tr('List the pod CIDR of every node.', '모든 노드의 파드 CIDR을 확인합니다.'),
              `kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.spec.podCIDR}{"\\n"}{end}'`,
            ),
            step(
              ctx.tr(
                'Check whether kube-controller-manager allocates node CIDRs.',
                'kube-controller-manager가 노드 CIDR을 할당하도록 설정되어 있는지 확인합니다.',
              ),
              "kubectl -n kube-system get pod -l component=kube-controller-manager -o yaml | grep -E 'allocate-node-cidrs|cluster-cidr'",
            ),
            ...option(
              {
                id: 'A',
                title: ctx.tr(
                  'Let the controller manager allocate node CIDRs',
                  '컨트롤러 매니저가 노드 CIDR을 할당하게 하기',
                ),
                recommended: true,
              },
              [
                step(
                  ctx.tr(
                    `On each control-plane node, add --allocate-node-cidrs=true --cluster-cidr=${podSubnet ?? '10.244.0.0/16'} to /etc/kubernetes/manifests/kube-controller-manager.yaml (and set networking.podSubnet in kubeadm-config); the static pod restarts by itself.`,
                    `각 컨트롤 플레인 노드의 /etc/kubernetes/manifests/kube-controller-manager.yaml에 --allocate-node-cidrs=true --cluster-cidr=${podSubnet ?? '10.244.0.0/16'}를 추가합니다(kubeadm-config의 networking.podSubnet도 설정). 스태틱 파드는 스스로 재시작됩니다.`,
                  ),
                  'sudo vi /etc/kubernetes/manifests/kube-controller-manager.yaml',
                  { where: 'node', changes: true },
                ),
                restartAgentStep(ctx, agent),
              ],
            ),
            ...option({ id: 'B', title: ctx.tr('Set the podCIDR by hand', 'podCIDR 직접 지정하기') }, [
              step(
                ctx.tr(
                  'While the node podCIDR is still empty, set a free range on it by hand.',
                  '노드의 podCIDR이 아직 비어 있다면 비어 있는 대역을 직접 지정합니다.',
                ),
                `kubectl patch node ${node} -p '{"spec":{"podCIDR":"10.244.X.0/24"}}'`,
              ),
              restartAgentStep(ctx, agent),
            ]),
            ...verifyCniSteps(ctx, agent),
          ],
        }),
      );
    }

    // net-conf.json Network must contain every node podCIDR of the same family.
    const conf = netConf(snapshot, agent);
    const mismatchLog = logHit(snapshot, agent, MISMATCH_LOG);
    const outside = conf
      ? snapshot.nodes.flatMap((n) =>
          nodePodCidrs(n)
            .filter((c) => {
              const net = c.includes(':') ? conf.ipv6Network : conf.network;
              return net !== undefined && !cidrContains(net, c);
            })
            .map((c) => ({ node: n.metadata.name, cidr: c })),
        )
      : [];
    if (outside.length > 0 || mismatchLog) {
      const cmName = conf?.source ?? `${ns}/${agent.kind === 'canal' ? 'canal-config' : 'kube-flannel-cfg'}`;
      const target = podSubnet ?? outside[0]?.cidr.replace(/\.\d+\.0\/\d+$/, '.0.0/16');
      const allInside =
        podSubnet !== undefined &&
        snapshot.nodes.every((n) => nodePodCidrs(n).every((c) => c.includes(':') || cidrContains(podSubnet, c)));
      findings.push(
        makeFinding({
          id: 'cni.flannel.network-mismatch',
          severity: 'critical',
          title: ctx.tr(
            'Flannel network does not contain the node pod CIDRs',
            'Flannel 네트워크가 노드 파드 CIDR을 포함하지 않음',
          ),
          detail: ctx.tr(
            `net-conf.json in ConfigMap ${cmName} sets Network ${conf?.network ?? '?'}, but ${outside.length > 0 ? outside.map((o) => `${o.node} has ${o.cidr}`).join(', ') : 'flannel reports a node podCIDR outside it'}${podSubnet ? ` (kubeadm podSubnet ${podSubnet})` : ''}.`,
            `컨피그맵 ${cmName}의 net-conf.json Network는 ${conf?.network ?? '?'}인데, ${outside.length > 0 ? outside.map((o) => `${o.node}의 podCIDR은 ${o.cidr}`).join(', ') : 'flannel이 범위 밖의 노드 podCIDR을 보고합니다'}${podSubnet ? `(kubeadm podSubnet ${podSubnet})` : ''}.`,
          ),
          impact: ctx.tr(
            'Flannel cannot register the network and crash-loops; pods get no network.',
            'Flannel이 네트워크를 등록하지 못해 CrashLoopBackOff에 빠지고 파드가 네트워크를 받지 못합니다.',
          ),
          evidence: [
            ...(conf?.network ? [`${cmName} net-conf.json Network: ${conf.network}`] : []),
            ...outside.slice(0, 3).map((o) => `node/${o.node} podCIDR: ${o.cidr}`),
            ...(mismatchLog ? [podState(mismatchLog.pod), mismatchLog.line] : []),
          ],
          runbook: [
            ...(mismatchLog ? [agentLogStep(ctx, agent, mismatchLog.pod, true)] : []),
            step(
              ctx.tr('Back up the Flannel ConfigMap.', 'Flannel 컨피그맵을 백업합니다.'),
              `kubectl -n ${ns} get cm ${cmName.split('/')[1]} -o yaml > ${cmName.split('/')[1]}.bak.yaml`,
            ),
            step(
              ctx.tr(
                `Set "Network" in net-conf.json to the cluster CIDR${target ? ` (${target})` : ''}.`,
                `net-conf.json의 "Network"를 클러스터 CIDR${target ? `(${target})` : ''}로 맞춥니다.`,
              ),
              `kubectl -n ${ns} edit cm ${cmName.split('/')[1]}`,
            ),
            restartAgentStep(ctx, agent),
            ...verifyCniSteps(ctx, agent),
          ],
          ...(allInside
            ? {
                remediation: {
                  id: 'cni.flannel.align-network',
                  params: {
                    namespace: agent.namespace,
                    configMap: cmName,
                    daemonSet: agent.daemonSet,
                    ...(podSubnet ? { network: podSubnet } : {}),
                  },
                  title: ctx.tr(`Set the Flannel Network to ${podSubnet}`, `Flannel Network를 ${podSubnet}로 변경`),
                },
              }
            : {}),
        }),
      );
    }

    // subnet.env missing: flanneld is not (yet) running on that node. Name the flannel pod there.
    const envFailures = sandboxFailures(snapshot).filter((f) => SUBNET_ENV.test(f.message));
    if (envFailures.length > 0) {
      const nodes = nodesOf(envFailures);
      const pods = nodes.map((n) => agentPodOn(agent, n)).filter((p): p is KubeObject => Boolean(p));
      const explained = findings.length > 0;
      findings.push(
        makeFinding({
          id: 'cni.flannel.subnet-env-missing',
          severity: 'critical',
          title: ctx.tr('Flannel has not written subnet.env', 'Flannel이 subnet.env를 만들지 못함'),
          detail: ctx.tr(
            `Pods on ${nodes.join(', ') || 'some nodes'} fail to start because /run/flannel/subnet.env is missing: flanneld is not running there${pods.length > 0 ? ` (${pods.map((p) => p.metadata.name).join(', ')})` : ' (no flannel pod on that node)'}.${explained ? ' The Flannel finding above is the likely cause.' : ''}`,
            `${nodes.join(', ') || '일부 노드'}의 파드가 /run/flannel/subnet.env가 없어 시작하지 못합니다. 그 노드에서 flanneld가 실행되지 않고 있습니다${pods.length > 0 ? `(${pods.map((p) => p.metadata.name).join(', ')})` : '(해당 노드에 flannel 파드 없음)'}.${explained ? ' 위의 Flannel 항목이 원인일 가능성이 큽니다.' : ''}`,
          ),
          impact: ctx.tr(
            'New pods on those nodes stay in ContainerCreating.',
            '해당 노드의 새 파드가 ContainerCreating에 머무릅니다.',
          ),
          evidence: [...envFailures.slice(0, 2).map((f) => eventLine(f.event)), ...pods.slice(0, 2).map(podState)],
          runbook: [
            agentLogStep(ctx, agent, pods[0], false),
            step(
              ctx.tr(
                'Fix what the flannel log reports (pod CIDR not assigned, network mismatch), then restart Flannel.',
                'flannel 로그가 알려주는 원인(pod cidr not assigned, 네트워크 불일치)을 먼저 고친 뒤 Flannel을 재시작합니다.',
              ),
              `kubectl -n ${ns} rollout restart ds/${ds}`,
            ),
            ...verifyCniSteps(ctx, agent),
          ],
          remediation: {
            id: 'cni.flannel.restart',
            params: { namespace: ns, daemonSet: ds },
            title: ctx.tr(`Restart DaemonSet ${ns}/${ds}`, `데몬셋 ${ns}/${ds} 재시작`),
          },
        }),
      );
    }
    return findings;
  },
};
