// cni.sandbox-failed: pods cannot get a network (FailedCreatePodSandBox) for a reason no specific CNI check
// recognises. Quotes the CNI's own words and the agent pod on the node, so the failure is never silent.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { makeFinding, step } from '../../findings.ts';
import { CNI_NAMES } from '../../fingerprint.ts';
import { eventLine } from '../../objects/events.ts';
import { podReady, podState } from '../../objects/pods.ts';
import { eventCountInWindow, snapshotNow } from '../../recency.ts';
import type { Finding } from '../../report.ts';
import { NO_IP } from './aws.ts';
import { NODENAME } from './calico.ts';
import { CILIUM_UNREACHABLE } from './cilium.ts';
import { isForeign } from './conflicting.ts';
import { SUBNET_ENV } from './flannel.ts';
import { NOT_FOUND } from './plugin-binary.ts';
import { agentLogStep, agentPodOn, cniAgent, nodesOf, sandboxFailures, verifyCniSteps } from './util.ts';
import { ROUTER_REFUSED } from './weave.ts';

const RECOGNISED = [NOT_FOUND, SUBNET_ENV, NODENAME, ROUTER_REFUSED, CILIUM_UNREACHABLE, NO_IP];

/** What the CNI said, without the runtime's wrapper: `plugin type="calico" failed (add): <cause>`. */
function cause(message: string): string {
  const i = message.indexOf('plugin type=');
  return (i >= 0 ? message.slice(i) : message.replace(/^Failed to create pod sandbox: /, '')).trim();
}

export const sandboxFailedCheck: RegisteredCheck = {
  name: 'cni-sandbox-failed',
  component: 'cni',
  emits: ['cni.sandbox-failed'],
  remediations: [],
  describe: {
    'cni.sandbox-failed': {
      severities: ['critical', 'warning'],
      summary: 'Pods cannot create their sandbox because the CNI plugin fails, so they stay in ContainerCreating.',
      fix: 'Read the full sandbox error on an affected pod and check the CNI config and binaries on the node.',
      safety: 'manual',
      manual: 'diagnose-first',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    // With two CNIs installed, cni.conflicting-plugins is the root cause of any sandbox failure: report only it.
    if (snapshot.fingerprint.extraCnis.length > 0) return [];
    const failures = sandboxFailures(snapshot).filter(
      (f) => !RECOGNISED.some((re) => re.test(f.message)) && !isForeign(snapshot, f),
    );
    if (failures.length === 0) return [];
    const agent = cniAgent(snapshot);
    const nodes = nodesOf(failures);
    const agentPods = agent ? nodes.map((n) => agentPodOn(agent, n)).filter((p): p is KubeObject => Boolean(p)) : [];
    // Judged by how often it happened within the last hour, not over the event's whole lifetime.
    const total = failures.reduce((n, f) => n + eventCountInWindow(f.event, snapshotNow(snapshot)), 0);
    const first = failures[0]!;
    const label = agent ? CNI_NAMES[agent.kind] : ctx.tr('the CNI', 'CNI');
    const sick = agentPods.find((p) => !podReady(p));
    return [
      makeFinding({
        id: 'cni.sandbox-failed',
        severity: total >= 3 || failures.length > 1 ? 'critical' : 'warning',
        title: ctx.tr('Pods cannot get a network', '파드가 네트워크를 받지 못함'),
        detail: ctx.tr(
          `${failures.length} pod(s) on ${nodes.join(', ') || 'some nodes'} fail to create their sandbox (${total} time(s)); ${label} reports: ${cause(first.message)}`,
          `${nodes.join(', ') || '일부 노드'}의 파드 ${failures.length}개가 샌드박스를 만들지 못합니다(${total}회). ${label}의 오류: ${cause(first.message)}`,
        ),
        impact: ctx.tr('Affected pods stay in ContainerCreating.', '영향받은 파드가 ContainerCreating에 머무릅니다.'),
        evidence: [...failures.slice(0, 2).map((f) => eventLine(f.event)), ...agentPods.slice(0, 2).map(podState)],
        runbook: [
          step(
            ctx.tr(
              'Read the full sandbox error on an affected pod.',
              '영향받은 파드의 샌드박스 오류 전문을 확인합니다.',
            ),
            `kubectl -n ${first.namespace ?? 'default'} describe pod ${first.pod ?? '<pod>'}`,
          ),
          ...(agent ? [agentLogStep(ctx, agent, sick ?? agentPods[0], false)] : []),
          step(
            ctx.tr(
              `On ${nodes[0] ?? 'the node'}, check the CNI config and binaries the runtime uses.`,
              `${nodes[0] ?? '해당 노드'}에서 런타임이 사용하는 CNI 구성과 바이너리를 확인합니다.`,
            ),
            'ls -l /etc/cni/net.d/ /opt/cni/bin/',
          ),
          ...verifyCniSteps(ctx, agent),
        ],
      }),
    ];
  },
};
