// Weave Net: the router (port 6784) is down, or IPALLOC_RANGE overlaps a host route. Weave is unmaintained
// (last release v2.8.1, repository frozen 2022-11-23), so every runbook also suggests migrating.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { makeFinding, step } from '../../findings.ts';
import { eventLine } from '../../objects/events.ts';
import { findLine, podLogs } from '../../objects/logs.ts';
import { containerStatus, isCrashLooping, podState } from '../../objects/pods.ts';
import type { Finding, RunbookStep } from '../../report.ts';
import { agentLogStep, agentPodOn, cniAgent, nodesOf, sandboxFailures, verifyCniSteps } from './util.ts';

export const ROUTER_REFUSED =
  /127\.0\.0\.1:6784.*connection refused|plugin type="weave-net".*unable to allocate IP address/;
export const OVERLAP = /Network (\S+) overlaps with existing route (\S+) on host/;

function migrateStep(ctx: CheckContext): RunbookStep {
  return step(
    ctx.tr(
      'Weave Net is no longer maintained (last release v2.8.1); plan a migration to a maintained CNI such as Calico or Cilium.',
      'Weave Net은 더 이상 유지보수되지 않습니다(마지막 릴리스 v2.8.1). Calico나 Cilium 같은 유지보수되는 CNI로 이전을 계획하세요.',
    ),
  );
}

export const weaveCheck: RegisteredCheck = {
  name: 'cni-weave',
  component: 'cni',
  emits: ['cni.weave.router-unreachable', 'cni.weave.ipalloc-overlap'],
  remediations: ['cni.weave.restart-router'],
  describe: {
    'cni.weave.router-unreachable': {
      severities: ['critical'],
      summary:
        'The Weave router on the node is not running (port 6784 refuses), so the weave-net plugin cannot allocate pod IPs.',
      fix: 'Read the weave container log (--previous), then restart the weave-net pod.',
      safety: 'auto-safe',
    },
    'cni.weave.ipalloc-overlap': {
      severities: ['critical'],
      summary: "Weave's IPALLOC_RANGE overlaps a host route, so the weave container exits.",
      fix: 'Set IPALLOC_RANGE on the weave-net DaemonSet to a non-overlapping CIDR that matches the kube-proxy clusterCIDR.',
      safety: 'manual',
      manual: 'design',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const base = cniAgent(snapshot);
    if (base?.kind !== 'weave') return [];
    const agent = { ...base, container: 'weave' };
    const ns = agent.namespace;
    const findings: Finding[] = [];

    const overlaps = agent.pods.flatMap((pod) => {
      const line = findLine(podLogs(snapshot, pod, 'weave'), OVERLAP);
      return line ? [{ pod, line }] : [];
    });
    if (overlaps.length > 0) {
      const m = overlaps[0]!.line.match(OVERLAP)!;
      findings.push(
        makeFinding({
          id: 'cni.weave.ipalloc-overlap',
          severity: 'critical',
          title: ctx.tr('Weave IP range overlaps a host route', 'Weave IP 대역이 호스트 라우트와 겹침'),
          detail: ctx.tr(
            `Weave's IPALLOC_RANGE ${m[1]} overlaps the route ${m[2]} on ${overlaps.map((o) => o.pod.spec?.nodeName ?? o.pod.metadata.name).join(', ')}, so the weave container exits at start.`,
            `Weave의 IPALLOC_RANGE ${m[1]}가 ${overlaps.map((o) => o.pod.spec?.nodeName ?? o.pod.metadata.name).join(', ')}의 라우트 ${m[2]}와 겹쳐서 weave 컨테이너가 시작하자마자 종료됩니다.`,
          ),
          impact: ctx.tr('Pods on those nodes get no network.', '해당 노드의 파드가 네트워크를 받지 못합니다.'),
          evidence: [...overlaps.slice(0, 3).map((o) => podState(o.pod)), overlaps[0]!.line],
          runbook: [
            agentLogStep(ctx, agent, overlaps[0]!.pod, true),
            step(
              ctx.tr(
                `Choose a range that overlaps no host or VPC route (it must also match kube-proxy clusterCIDR) and set it on the DaemonSet.`,
                `호스트나 VPC 라우트와 겹치지 않는 대역을 골라(kube-proxy의 clusterCIDR과도 일치해야 함) 데몬셋에 설정합니다.`,
              ),
              `kubectl -n ${ns} set env ds/${agent.daemonSet} -c weave IPALLOC_RANGE=<non-overlapping-cidr>`,
            ),
            migrateStep(ctx),
            ...verifyCniSteps(ctx, agent),
          ],
        }),
      );
    }

    const overlapPods = new Set(overlaps.map((o) => o.pod));
    const sandbox = sandboxFailures(snapshot).filter((f) => ROUTER_REFUSED.test(f.message));
    const routerDown = agent.pods.filter((p) => {
      if (overlapPods.has(p)) return false;
      const weave = containerStatus(p, 'weave');
      return weave ? weave.ready !== true : isCrashLooping(p);
    });
    const sandboxPods = nodesOf(sandbox)
      .map((n) => agentPodOn(agent, n))
      .filter((p): p is KubeObject => Boolean(p) && !overlapPods.has(p!));
    const pods = [...new Set([...routerDown, ...sandboxPods])];
    const missing = nodesOf(sandbox).filter((n) => !agentPodOn(agent, n));
    if (pods.length > 0 || missing.length > 0) {
      const pod = pods[0];
      findings.push(
        makeFinding({
          id: 'cni.weave.router-unreachable',
          severity: 'critical',
          title: ctx.tr('Weave router is not running', 'Weave 라우터가 실행되지 않음'),
          detail: ctx.tr(
            `The weave container is not Ready on ${[...pods.map((p) => p.spec?.nodeName ?? p.metadata.name), ...missing].join(', ')}, so the weave-net CNI plugin cannot allocate pod IPs (127.0.0.1:6784 refused).`,
            `${[...pods.map((p) => p.spec?.nodeName ?? p.metadata.name), ...missing].join(', ')}에서 weave 컨테이너가 Ready가 아니어서 weave-net CNI 플러그인이 파드 IP를 할당하지 못합니다(127.0.0.1:6784 연결 거부).`,
          ),
          impact: ctx.tr(
            'New pods on those nodes stay in ContainerCreating.',
            '해당 노드의 새 파드가 ContainerCreating에 머무릅니다.',
          ),
          evidence: [...pods.slice(0, 3).map(podState), ...sandbox.slice(0, 1).map((f) => eventLine(f.event))],
          runbook: [
            agentLogStep(ctx, agent, pod, true),
            step(
              ctx.tr('Restart the weave-net pod on that node.', '해당 노드의 weave-net 파드를 재시작합니다.'),
              `kubectl -n ${ns} delete pod ${pod?.metadata.name ?? `-l name=weave-net --field-selector spec.nodeName=${missing[0]}`}`,
            ),
            migrateStep(ctx),
            ...verifyCniSteps(ctx, agent),
          ],
          remediation: {
            id: 'cni.weave.restart-router',
            params: {
              namespace: agent.namespace,
              daemonSet: agent.daemonSet,
              ...(pod ? { pod: pod.metadata.name } : {}),
            },
            title: ctx.tr('Restart the weave-net pod', 'weave-net 파드 재시작'),
          },
        }),
      );
    }
    return findings;
  },
};
