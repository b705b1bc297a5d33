// coredns.pending / coredns.unschedulable-node-not-ready: DNS pods that never start. The first question for a Pending
// CoreDNS pod is whether a network plugin is installed, because nodes stay NotReady (tainted) without one.

import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { makeFinding, step } from '../../findings.ts';
import { eventLine, eventMessage, podEvents } from '../../objects/events.ts';
import { nodeCondition, nodeReady } from '../../objects/nodes.ts';
import { podReady, podState } from '../../objects/pods.ts';
import type { Finding } from '../../report.ts';
import { dnsWorkload, verifySteps } from './workload.ts';

const NOT_READY_TAINT = /node\.kubernetes\.io\/not-ready/;
const NETWORK_NOT_READY =
  /NetworkPluginNotReady|cni plugin not initialized|no cni configuration file|cni config uninitialized/i;

function unscheduled(pod: KubeObject): boolean {
  return pod.status?.phase === 'Pending' && !pod.spec?.nodeName;
}

export const pendingCheck: RegisteredCheck = {
  name: 'coredns-pending',
  component: 'dns',
  emits: ['coredns.pending', 'coredns.unschedulable-node-not-ready'],
  remediations: [],
  describe: {
    'coredns.pending': {
      severities: ['critical', 'warning'],
      summary: 'CoreDNS pods cannot be scheduled (taints, resources or node selectors), so DNS runs short of replicas.',
      fix: 'Read the scheduler message of a Pending pod and fix what blocks scheduling.',
      safety: 'manual',
      manual: 'diagnose-first',
    },
    'coredns.unschedulable-node-not-ready': {
      severities: ['critical'],
      summary:
        'CoreDNS is Pending because the nodes are NotReady (usually no CNI), and it must not tolerate the not-ready taint.',
      fix: 'Fix the node network (install a CNI) instead of adding a not-ready toleration to CoreDNS.',
      safety: 'manual',
      manual: 'node',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const w = dnsWorkload(snapshot);
    if (!w) return [];
    // Pods stuck in ContainerCreating on a broken pod network are left to the CNI checks (the root cause).
    const pending = w.pods.filter(unscheduled);
    if (pending.length === 0) return [];
    const events = pending.flatMap((p) => podEvents(snapshot, p).filter((e) => e.reason === 'FailedScheduling'));
    const notReadyNodes = snapshot.nodes.filter((n) => !nodeReady(n));
    const taintBlocked =
      events.some((e) => NOT_READY_TAINT.test(eventMessage(e))) ||
      (events.length === 0 && snapshot.nodes.length > 0 && notReadyNodes.length === snapshot.nodes.length);
    const anyReady = w.pods.some(podReady);
    const evidence = [...pending.map(podState), ...events.slice(0, 2).map(eventLine)];

    if (taintBlocked) {
      const networkDown = notReadyNodes.filter((n) => NETWORK_NOT_READY.test(nodeCondition(n, 'Ready')?.message ?? ''));
      const nodeEvidence = notReadyNodes
        .slice(0, 3)
        .map((n) => `node/${n.metadata.name} Ready=False: ${nodeCondition(n, 'Ready')?.message ?? '(no message)'}`);
      const names = notReadyNodes.map((n) => n.metadata.name).join(', ') || '?';
      return [
        makeFinding({
          id: 'coredns.unschedulable-node-not-ready',
          severity: 'critical',
          title: ctx.tr('CoreDNS Pending: nodes are NotReady', 'CoreDNS가 Pending: 노드가 NotReady 상태'),
          detail: ctx.tr(
            `${pending.length} DNS pod(s) of ${w.namespace}/${w.name} cannot be scheduled because the node(s) ${names} are NotReady and carry the node.kubernetes.io/not-ready taint${networkDown.length > 0 ? ': the pod network (CNI) is not ready' : ''}.`,
            `${w.namespace}/${w.name}의 DNS 파드 ${pending.length}개가 스케줄되지 못합니다. 노드 ${names}가 NotReady 상태이고 node.kubernetes.io/not-ready 테인트가 붙어 있습니다${networkDown.length > 0 ? '. 파드 네트워크(CNI)가 준비되지 않았습니다' : ''}.`,
          ),
          impact: ctx.tr(
            'No pod in the cluster can resolve names until a node becomes Ready.',
            '노드가 Ready가 될 때까지 클러스터의 어떤 파드도 이름을 조회할 수 없습니다.',
          ),
          evidence: [...evidence, ...nodeEvidence],
          runbook: [
            step(
              ctx.tr(
                'CoreDNS Pending usually means no network plugin is installed: check why the nodes are NotReady.',
                'CoreDNS가 Pending이면 대개 네트워크 플러그인이 설치되지 않은 것입니다. 노드가 NotReady인 이유를 확인합니다.',
              ),
              'kubectl get nodes -o wide',
            ),
            step(
              ctx.tr(
                'Read the Ready condition message of a NotReady node (look for NetworkPluginNotReady / cni plugin not initialized).',
                'NotReady 노드의 Ready 컨디션 메시지를 확인합니다(NetworkPluginNotReady 또는 cni plugin not initialized 문구).',
              ),
              `kubectl describe node ${notReadyNodes[0]?.metadata.name ?? '<node>'} | grep -i -A2 ready`,
            ),
            step(
              ctx.tr(
                'Check whether a CNI DaemonSet (calico, flannel, weave, cilium…) is installed and running; install exactly one if none is.',
                'CNI 데몬셋(calico, flannel, weave, cilium 등)이 설치되어 실행 중인지 확인하고, 없다면 하나만 설치합니다.',
              ),
              'kubectl get ds -A | grep -Ei "calico|flannel|weave|cilium|canal|aws-node|kindnet"',
            ),
            step(
              ctx.tr(
                'Do not add a not-ready toleration to CoreDNS; fix the node network instead, then watch the nodes become Ready.',
                'CoreDNS에 not-ready 톨러레이션을 추가하지 마세요. 노드 네트워크를 고친 뒤 노드가 Ready가 되는지 지켜봅니다.',
              ),
              'kubectl get nodes -w',
            ),
            ...verifySteps(ctx, w),
          ],
        }),
      ];
    }

    const reason = events[0] ? eventMessage(events[0]) : undefined;
    return [
      makeFinding({
        id: 'coredns.pending',
        severity: anyReady ? 'warning' : 'critical',
        title: ctx.tr('CoreDNS pods cannot be scheduled', 'CoreDNS 파드가 스케줄되지 않음'),
        detail: ctx.tr(
          `${pending.length} DNS pod(s) of ${w.namespace}/${w.name} are Pending${reason ? `: ${reason}` : ' and no FailedScheduling event explains why'}.`,
          `${w.namespace}/${w.name}의 DNS 파드 ${pending.length}개가 Pending 상태입니다${reason ? `: ${reason}` : '. 원인을 알려주는 FailedScheduling 이벤트는 없습니다'}.`,
        ),
        impact: anyReady
          ? ctx.tr(
              'DNS runs with fewer replicas than intended and has no redundancy.',
              'DNS가 의도보다 적은 레플리카로 동작하여 이중화가 없습니다.',
            )
          : ctx.tr(
              'No DNS pod is running: name resolution fails cluster-wide.',
              '실행 중인 DNS 파드가 없어 클러스터 전체에서 이름 조회가 실패합니다.',
            ),
        evidence,
        runbook: [
          step(
            ctx.tr('Read the scheduler message of a Pending pod.', 'Pending 파드의 스케줄러 메시지를 확인합니다.'),
            `kubectl -n ${w.namespace} describe pod ${pending[0]!.metadata.name}`,
          ),
          step(
            ctx.tr(
              'Compare node taints, resources and the Deployment nodeSelector/tolerations with the message, and fix what blocks scheduling.',
              '메시지를 노드 테인트·리소스, 디플로이먼트의 nodeSelector/톨러레이션과 비교하여 스케줄을 막는 원인을 고칩니다.',
            ),
            `kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints && kubectl -n ${w.namespace} get deploy ${w.name} -o jsonpath='{.spec.template.spec.nodeSelector}{"\\n"}{.spec.template.spec.tolerations}'`,
          ),
          ...verifySteps(ctx, w),
        ],
      }),
    ];
  },
};
