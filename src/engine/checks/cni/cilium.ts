// cni.cilium.agent-unreachable: the cilium-cni plugin cannot reach the agent socket on the node. When no Cilium
// DaemonSet exists at all, the error comes from a leftover config and cni.conflicting-plugins reports it instead.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { makeFinding, step } from '../../findings.ts';
import { eventLine } from '../../objects/events.ts';
import { podReady, podState } from '../../objects/pods.ts';
import type { Finding } from '../../report.ts';
import {
  agentLogStep,
  agentPodOn,
  cniAgent,
  nodesOf,
  restartAgentStep,
  sandboxFailures,
  verifyCniSteps,
} from './util.ts';

export const CILIUM_UNREACHABLE =
  /unable to connect to Cilium (agent|daemon)|cilium\.sock: connect: no such file or directory/;

export const ciliumCheck: RegisteredCheck = {
  name: 'cni-cilium',
  component: 'cni',
  emits: ['cni.cilium.agent-unreachable'],
  remediations: ['cni.restart-agent-on-node'],
  describe: {
    'cni.cilium.agent-unreachable': {
      severities: ['critical'],
      summary:
        'The cilium-agent on the node is not running, so the cilium-cni plugin cannot reach its socket and pod sandboxes fail.',
      fix: 'Read the cilium-agent log (--previous) and restart the agent pod; if Cilium was removed, delete its leftover CNI config on the node.',
      safety: 'auto-safe',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const base = cniAgent(snapshot);
    if (base?.kind !== 'cilium' && base?.kind !== 'gke-dataplane-v2') return [];
    const agent = { ...base, container: 'cilium-agent' };
    const sandbox = sandboxFailures(snapshot).filter((f) => CILIUM_UNREACHABLE.test(f.message));
    if (sandbox.length === 0) return [];
    const nodes = nodesOf(sandbox);
    const pods = nodes.map((n) => agentPodOn(agent, n)).filter((p): p is KubeObject => Boolean(p));
    const missing = nodes.filter((n) => !agentPodOn(agent, n));
    const node = nodes[0];
    return [
      makeFinding({
        id: 'cni.cilium.agent-unreachable',
        severity: 'critical',
        title: ctx.tr('Cilium agent is unreachable', 'Cilium 에이전트에 연결할 수 없음'),
        detail: ctx.tr(
          `On ${nodes.join(', ') || 'some nodes'} the cilium-cni plugin cannot reach /var/run/cilium/cilium.sock: ${pods.length > 0 ? `the agent (${pods.map((p) => p.metadata.name).join(', ')}) is not serving` : 'no Cilium agent pod runs there'}${missing.length > 0 && pods.length > 0 ? `; none on ${missing.join(', ')}` : ''}.`,
          `${nodes.join(', ') || '일부 노드'}에서 cilium-cni 플러그인이 /var/run/cilium/cilium.sock에 연결하지 못합니다: ${pods.length > 0 ? `에이전트(${pods.map((p) => p.metadata.name).join(', ')})가 응답하지 않습니다` : '그 노드에 Cilium 에이전트 파드가 없습니다'}${missing.length > 0 && pods.length > 0 ? `. ${missing.join(', ')}에는 에이전트가 없습니다` : ''}.`,
        ),
        impact: ctx.tr(
          'New pods on those nodes stay in ContainerCreating.',
          '해당 노드의 새 파드가 ContainerCreating에 머무릅니다.',
        ),
        evidence: [...sandbox.slice(0, 2).map((f) => eventLine(f.event)), ...pods.slice(0, 2).map(podState)],
        runbook: [
          agentLogStep(ctx, agent, pods.find((p) => !podReady(p)) ?? pods[0], true),
          step(
            ctx.tr('Ask the agent for its own health summary.', '에이전트에게 상태 요약을 확인합니다.'),
            `kubectl -n ${agent.namespace} exec ${pods[0] ? pods[0].metadata.name : `ds/${agent.daemonSet}`} -c cilium-agent -- cilium status`,
          ),
          restartAgentStep(ctx, agent, node),
          ...verifyCniSteps(ctx, agent),
        ],
        remediation: {
          id: 'cni.restart-agent-on-node',
          params: {
            namespace: agent.namespace,
            daemonSet: agent.daemonSet,
            ...(node ? { node } : {}),
            ...(pods[0] ? { pod: (pods.find((p) => !podReady(p)) ?? pods[0]).metadata.name } : {}),
          },
          title: ctx.tr(
            `Restart the Cilium agent on ${node ?? 'the node'}`,
            `${node ?? '해당 노드'}의 Cilium 에이전트 재시작`,
          ),
        },
      }),
    ];
  },
};
