// cni.agent-crashloop / cni.agent-not-ready: the generic fallbacks for any CNI agent DaemonSet (Flannel, Weave,
// Cilium, Canal, kindnet, GKE anetd…) whose pods crash or stay unready for a reason no specific check recognises,
// and for NotReady nodes (network not ready) that have no agent pod at all. Quotes the last log line.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { makeFinding, step } from '../../findings.ts';
import { CNI_NAMES } from '../../fingerprint.ts';
import { findLine, lastLines, podLogs } from '../../objects/logs.ts';
import { nodeCondition } from '../../objects/nodes.ts';
import { containerStatus, failingContainer, isCrashLooping, podReady, podState } from '../../objects/pods.ts';
import type { Finding } from '../../report.ts';
import { CILIUM_UNREACHABLE } from './cilium.ts';
import { MISMATCH_LOG, PODCIDR_LOG, SUBNET_ENV } from './flannel.ts';
import { networkNotReadyNodes } from './not-installed.ts';
import {
  agentLogStep,
  agentPodOn,
  type CniAgent,
  cniAgent,
  isFargate,
  nodesOf,
  restartAgentStep,
  sandboxFailures,
  verifyCniSteps,
} from './util.ts';
import { OVERLAP } from './weave.ts';

/** Kinds whose pod health a specific check already owns (Weave: only the router container, see below). */
const OWNED_ELSEWHERE = new Set(['calico', 'calico-operator', 'canal', 'aws-vpc-cni']);

/** Pods a specific check explains from their logs or from sandbox errors on their node. */
function explained(snapshot: Snapshot, agent: CniAgent, pod: KubeObject): boolean {
  const logs = podLogs(snapshot, pod);
  if ([PODCIDR_LOG, MISMATCH_LOG, OVERLAP].some((re) => findLine(logs, re))) return true;
  // cni.weave.router-unreachable owns a weave container that is down; weave-npc trouble stays generic here.
  if (agent.kind === 'weave' && containerStatus(pod, 'weave')?.ready !== true) return true;
  const node = pod.spec?.nodeName;
  // cni.flannel.subnet-env-missing owns a flannel pod that is down on a node whose sandboxes miss subnet.env.
  if (agent.kind === 'flannel') {
    return nodesOf(sandboxFailures(snapshot).filter((f) => SUBNET_ENV.test(f.message))).includes(node ?? '');
  }
  return (
    (agent.kind === 'cilium' || agent.kind === 'gke-dataplane-v2') &&
    nodesOf(sandboxFailures(snapshot).filter((f) => CILIUM_UNREACHABLE.test(f.message))).includes(node ?? '')
  );
}

export const agentHealthCheck: RegisteredCheck = {
  name: 'cni-agent-health',
  component: 'cni',
  emits: ['cni.agent-crashloop', 'cni.agent-not-ready'],
  remediations: [],
  describe: {
    'cni.agent-crashloop': {
      severities: ['critical'],
      summary: 'The CNI agent DaemonSet pods keep restarting for a reason no specific check recognises.',
      fix: 'Read the agent log of the crashed container and its events, fix the cause, then restart the agents.',
      safety: 'manual',
      manual: 'diagnose-first',
    },
    'cni.agent-not-ready': {
      severities: ['critical', 'warning'],
      summary: 'The CNI agent is missing or not Ready on some nodes, so pods there may get no network.',
      fix: 'Check the DaemonSet rollout and its scheduling rules against the affected nodes, then restart the agent there.',
      safety: 'manual',
      manual: 'diagnose-first',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const agent = cniAgent(snapshot);
    if (!agent) return [];
    const findings: Finding[] = [];
    const label = CNI_NAMES[agent.kind];
    const ns = agent.namespace;
    const generic = !OWNED_ELSEWHERE.has(agent.kind);

    const unhealthy = generic ? agent.pods.filter((p) => !podReady(p) && !explained(snapshot, agent, p)) : [];
    const crashing = unhealthy.filter(isCrashLooping);
    if (crashing.length > 0) {
      const pod = crashing[0]!;
      const container = failingContainer(pod) ?? agent.container;
      const tail = lastLines(podLogs(snapshot, pod, container), 2);
      const nodes = crashing.map((p) => p.spec?.nodeName).filter(Boolean);
      findings.push(
        makeFinding({
          id: 'cni.agent-crashloop',
          severity: 'critical',
          title: ctx.tr(`${label} agent is crash-looping`, `${label} 에이전트가 CrashLoopBackOff 상태`),
          detail: ctx.tr(
            `${crashing.length} pod(s) of DaemonSet ${ns}/${agent.daemonSet} keep restarting on ${nodes.join(', ') || 'some nodes'}; the log does not match a known cause${tail.length > 0 ? `: "${tail[tail.length - 1]}"` : ' (no log)'}.`,
            `데몬셋 ${ns}/${agent.daemonSet}의 파드 ${crashing.length}개가 ${nodes.join(', ') || '일부 노드'}에서 계속 재시작합니다. 로그가 알려진 원인과 일치하지 않습니다${tail.length > 0 ? `: "${tail[tail.length - 1]}"` : '(로그 없음)'}.`,
          ),
          impact: ctx.tr(
            'Pods on those nodes cannot get or keep a network.',
            '해당 노드의 파드가 네트워크를 받거나 유지하지 못합니다.',
          ),
          evidence: [...crashing.slice(0, 3).map(podState), ...tail],
          runbook: [
            agentLogStep(ctx, agent, pod, true, container),
            step(
              ctx.tr(
                'Look at the exit reason, init containers and events.',
                '종료 사유, init 컨테이너, 이벤트를 확인합니다.',
              ),
              `kubectl -n ${ns} describe pod ${pod.metadata.name}`,
            ),
            restartAgentStep(ctx, agent, pod.spec?.nodeName),
            ...verifyCniSteps(ctx, agent),
          ],
        }),
      );
    }

    const notReady = unhealthy.filter((p) => !isCrashLooping(p));
    // A NotReady node with a network message and no agent pod: the DaemonSet never landed there.
    const bare = networkNotReadyNodes(snapshot).filter(
      (n) => !agentPodOn(agent, n.metadata.name) && !isFargate(n) && agent.pods.length > 0,
    );
    if (notReady.length > 0 || bare.length > 0) {
      const pod = notReady[0];
      findings.push(
        makeFinding({
          id: 'cni.agent-not-ready',
          severity: bare.length > 0 || notReady.length === agent.pods.length ? 'critical' : 'warning',
          title: ctx.tr(`${label} agent is not ready on some nodes`, `일부 노드에서 ${label} 에이전트가 Ready가 아님`),
          detail: ctx.tr(
            [
              notReady.length > 0
                ? `${notReady.length} pod(s) of DaemonSet ${ns}/${agent.daemonSet} are not Ready (${notReady.map((p) => p.spec?.nodeName ?? p.metadata.name).join(', ')}).`
                : '',
              bare.length > 0
                ? `Node(s) ${bare.map((n) => n.metadata.name).join(', ')} report the network as not ready and run no ${label} pod (check the DaemonSet nodeSelector, tolerations and node taints).`
                : '',
            ]
              .filter(Boolean)
              .join(' '),
            [
              notReady.length > 0
                ? `데몬셋 ${ns}/${agent.daemonSet}의 파드 ${notReady.length}개가 Ready가 아닙니다(${notReady.map((p) => p.spec?.nodeName ?? p.metadata.name).join(', ')}).`
                : '',
              bare.length > 0
                ? `노드 ${bare.map((n) => n.metadata.name).join(', ')}는 네트워크가 준비되지 않았다고 보고하며 ${label} 파드가 없습니다(데몬셋의 nodeSelector, 톨러레이션, 노드 테인트를 확인하세요).`
                : '',
            ]
              .filter(Boolean)
              .join(' '),
          ),
          impact: ctx.tr(
            'Pods on those nodes may get no network or lose connectivity.',
            '해당 노드의 파드가 네트워크를 받지 못하거나 연결이 끊길 수 있습니다.',
          ),
          evidence: [
            ...notReady.slice(0, 3).map(podState),
            ...(pod ? lastLines(podLogs(snapshot, pod, agent.container), 1) : []),
            ...bare
              .slice(0, 2)
              .map((n) => `node/${n.metadata.name} Ready=False: ${nodeCondition(n, 'Ready')?.message ?? ''}`),
          ],
          runbook: [
            ...(pod
              ? [agentLogStep(ctx, agent, pod, false)]
              : [
                  step(
                    ctx.tr(
                      `Compare the DaemonSet's scheduling rules with node ${bare[0]!.metadata.name}.`,
                      `데몬셋의 스케줄링 조건을 노드 ${bare[0]!.metadata.name}와 비교합니다.`,
                    ),
                    `kubectl -n ${ns} get ds ${agent.daemonSet} -o jsonpath='{.spec.template.spec.nodeSelector}{"\\n"}{.spec.template.spec.tolerations}' && kubectl describe node ${bare[0]!.metadata.name} | grep -A3 Taints`,
                  ),
                ]),
            step(
              ctx.tr(
                'Check the DaemonSet rollout: desired, ready and available pods.',
                '데몬셋 상태(desired, ready, available)를 확인합니다.',
              ),
              `kubectl -n ${ns} get ds ${agent.daemonSet} -o wide`,
            ),
            ...(pod ? [restartAgentStep(ctx, agent, pod.spec?.nodeName)] : []),
            ...verifyCniSteps(ctx, agent),
          ],
        }),
      );
    }
    return findings;
  },
};
