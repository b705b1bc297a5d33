// cni.plugin-binary-missing: the CNI config names a plugin binary that /opt/cni/bin does not have.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import { CNI_NAMES } from '../../fingerprint.ts';
import { josa } from '../../i18n.ts';
import { eventLine } from '../../objects/events.ts';
import { podState } from '../../objects/pods.ts';
import type { Finding, RunbookStep } from '../../report.ts';
import {
  agentLogStep,
  agentPodOn,
  cniAgent,
  nodesOf,
  PLUGIN_TYPE_OWNERS,
  restartAgentStep,
  sandboxFailures,
  verifyCniSteps,
} from './util.ts';

export const NOT_FOUND = /failed to find plugin "([^"]+)" in path \[([^\]]*)\]/;

export const pluginBinaryCheck: RegisteredCheck = {
  name: 'cni-plugin-binary',
  component: 'cni',
  emits: ['cni.plugin-binary-missing'],
  remediations: ['cni.restart-agent-on-node'],
  describe: {
    'cni.plugin-binary-missing': {
      severities: ['critical'],
      summary: 'A CNI plugin binary named in the CNI config is missing from /opt/cni/bin, so pod sandboxes fail.',
      fix: 'Restart the CNI agent pod on the node so its init container copies the binary, or install the CNI reference plugins on the node.',
      safety: 'auto-guarded',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const failures = sandboxFailures(snapshot).filter((f) => NOT_FOUND.test(f.message));
    if (failures.length === 0) return [];
    const agent = cniAgent(snapshot);
    const byBinary = new Map<string, typeof failures>();
    for (const f of failures) {
      const bin = f.message.match(NOT_FOUND)![1]!;
      byBinary.set(bin, [...(byBinary.get(bin) ?? []), f]);
    }
    const findings: Finding[] = [];
    for (const [bin, group] of byBinary) {
      const dir = group[0]!.message.match(NOT_FOUND)![2] || '/opt/cni/bin';
      const nodes = nodesOf(group);
      const ownedByAgent = agent !== undefined && (PLUGIN_TYPE_OWNERS[bin] ?? []).includes(agent.kind);
      const node = nodes[0];
      const agentPod = agent ? agentPodOn(agent, node) : undefined;
      const steps: RunbookStep[] = ownedByAgent
        ? [
            ...(agentPod ? [agentLogStep(ctx, agent, agentPod, false)] : []),
            step(
              ctx.tr(
                `The ${CNI_NAMES[agent.kind]} agent's init container copies "${bin}" into ${dir}; check it ran on ${node ?? 'the node'}.`,
                `${CNI_NAMES[agent.kind]} 에이전트의 init 컨테이너가 ${josa(`"${bin}"`, '을/를')} ${dir}에 복사합니다. ${node ?? '해당 노드'}에서 제대로 실행됐는지 확인합니다.`,
              ),
              `kubectl -n ${agent.namespace} describe pod ${
                agentPod?.metadata.name ??
                `-l ${Object.entries(agent.selector)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(',')}`
              }`,
            ),
            restartAgentStep(ctx, agent, node),
          ]
        : [
            step(
              ctx.tr(
                `On ${nodes.join(', ') || 'the affected nodes'}, install the CNI reference plugins (package kubernetes-cni or containernetworking-plugins) so that ${dir}/${bin} exists.`,
                `${nodes.join(', ') || '해당 노드'}에 CNI 기본 플러그인(kubernetes-cni 또는 containernetworking-plugins 패키지)을 설치하여 ${dir}/${bin} 파일이 있게 합니다.`,
              ),
              `ls -l ${dir}/ # on ${node ?? 'the node'}`,
            ),
          ];
      findings.push(
        makeFinding({
          id: 'cni.plugin-binary-missing',
          severity: 'critical',
          title: ctx.tr(
            `CNI plugin binary "${bin}" is missing`,
            `CNI 플러그인 바이너리 ${josa(`"${bin}"`, '이/가')} 없음`,
          ),
          detail: ctx.tr(
            `Pods on ${nodes.join(', ') || 'some nodes'} cannot get a network: the runtime cannot find the "${bin}" plugin in [${dir}].`,
            `${nodes.join(', ') || '일부 노드'}의 파드가 네트워크를 받지 못합니다. 런타임이 [${dir}]에서 "${bin}" 플러그인을 찾지 못합니다.`,
          ),
          impact: ctx.tr(
            'New pods on those nodes stay in ContainerCreating.',
            '해당 노드의 새 파드가 ContainerCreating에 머무릅니다.',
          ),
          evidence: [...group.slice(0, 2).map((f) => eventLine(f.event)), ...(agentPod ? [podState(agentPod)] : [])],
          runbook: [...steps, ...verifyCniSteps(ctx, ownedByAgent ? agent : undefined)],
          ...(ownedByAgent
            ? {
                remediation: {
                  id: 'cni.restart-agent-on-node',
                  params: {
                    namespace: agent.namespace,
                    daemonSet: agent.daemonSet,
                    ...(node ? { node } : {}),
                    ...(agentPod ? { pod: agentPod.metadata.name } : {}),
                  },
                  title: ctx.tr(
                    `Restart the ${CNI_NAMES[agent.kind]} agent on ${node ?? 'the node'}`,
                    `${node ?? '해당 노드'}의 ${CNI_NAMES[agent.kind]} 에이전트 재시작`,
                  ),
                },
              }
            : {}),
        }),
      );
    }
    return findings;
  },
};
