// Calico (manifest in kube-system, operator in calico-system, and the calico-node container of Canal):
// the node agent is down, or BIRD has no BGP session with its peers.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { makeFinding, step } from '../../findings.ts';
import { eventLine, eventMessage, podEvents } from '../../objects/events.ts';
import { findLine, lastLines, podLogs } from '../../objects/logs.ts';
import { podReady, podState } from '../../objects/pods.ts';
import type { Finding } from '../../report.ts';
import {
  agentLogStep,
  agentPodOn,
  type CniAgent,
  cniAgent,
  nodesOf,
  restartAgentStep,
  sandboxFailures,
  selectorText,
  verifyCniSteps,
} from './util.ts';

export const NODENAME = /stat \/var\/lib\/calico\/nodename/;
export const BGP_DOWN = /BGP not established with ([^\s,]+(?:,[^\s,]+)*)/;

export function calicoAgent(snapshot: Snapshot): CniAgent | undefined {
  const agent = cniAgent(snapshot);
  if (!agent || !['calico', 'calico-operator', 'canal'].includes(agent.kind)) return undefined;
  return { ...agent, container: 'calico-node' };
}

/** A calico-node pod that runs but is unready only because BGP is down belongs to cni.calico.bgp-peering-down. */
function bgpEvents(snapshot: Snapshot, pod: KubeObject): KubeObject[] {
  return podEvents(snapshot, pod, 'Unhealthy').filter((e) => BGP_DOWN.test(eventMessage(e)));
}

export const calicoCheck: RegisteredCheck = {
  name: 'cni-calico',
  component: 'cni',
  emits: ['cni.calico.node-agent-down', 'cni.calico.bgp-peering-down'],
  remediations: ['cni.calico.restart-node-agent'],
  describe: {
    'cni.calico.node-agent-down': {
      severities: ['critical'],
      summary: 'calico-node is not running on the node (no /var/lib/calico/nodename), so pod sandboxes fail.',
      fix: 'Fix calico-node (its init containers and logs), then restart the calico-node DaemonSet.',
      safety: 'auto-safe',
    },
    'cni.calico.bgp-peering-down': {
      severities: ['critical'],
      summary: 'calico-node runs but BIRD has no established BGP sessions, so routes between nodes are missing.',
      fix: 'Allow TCP 179 between nodes, or set IP_AUTODETECTION_METHOD on the calico-node DaemonSet.',
      safety: 'manual',
      manual: 'node',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const agent = calicoAgent(snapshot);
    if (!agent) return [];
    const findings: Finding[] = [];
    const ns = agent.namespace;

    const bgpPods = agent.pods.filter(
      (p) => p.status?.phase === 'Running' && !podReady(p) && bgpEvents(snapshot, p).length > 0,
    );
    // In Canal, a flannel crash the flannel check explains is not a calico-node problem.
    const down = agent.pods.filter(
      (p) =>
        !podReady(p) &&
        !bgpPods.includes(p) &&
        !(
          agent.kind === 'canal' &&
          findLine(podLogs(snapshot, p, 'kube-flannel'), /pod cidr not assigned|doesn't contain/)
        ),
    );
    const sandbox = sandboxFailures(snapshot).filter((f) => NODENAME.test(f.message));
    const sandboxNodes = nodesOf(sandbox);
    // Nodes whose sandbox errors point at calico-node, but where no calico-node pod runs at all.
    const missingOn = sandboxNodes.filter((n) => !agentPodOn(agent, n));
    if (down.length > 0 || sandbox.length > 0) {
      const pod = down[0] ?? sandboxNodes.map((n) => agentPodOn(agent, n)).find(Boolean);
      const nodes = [...new Set([...down.map((p) => p.spec?.nodeName).filter(Boolean), ...sandboxNodes])] as string[];
      const initFailing = (pod?.status?.initContainerStatuses ?? []).find(
        (s: { state?: { waiting?: unknown; terminated?: { exitCode?: number } } }) =>
          s.state?.waiting || (s.state?.terminated && s.state.terminated.exitCode !== 0),
      )?.name as string | undefined;
      const tail = pod ? lastLines(podLogs(snapshot, pod, initFailing ?? agent.container), 2) : [];
      findings.push(
        makeFinding({
          id: 'cni.calico.node-agent-down',
          severity: 'critical',
          title: ctx.tr('calico-node is not running', 'calico-node가 실행되지 않음'),
          detail: ctx.tr(
            `The Calico node agent (DaemonSet ${ns}/${agent.daemonSet}) is not Ready on ${nodes.join(', ') || 'some nodes'}${initFailing ? `; init container ${initFailing} fails` : ''}${missingOn.length > 0 ? `; no calico-node pod on ${missingOn.join(', ')}` : ''}. Without it /var/lib/calico/nodename is missing and the calico CNI plugin cannot set up pods.`,
            `Calico 노드 에이전트(데몬셋 ${ns}/${agent.daemonSet})가 ${nodes.join(', ') || '일부 노드'}에서 Ready가 아닙니다${initFailing ? `. init 컨테이너 ${initFailing}가 실패합니다` : ''}${missingOn.length > 0 ? `. ${missingOn.join(', ')}에는 calico-node 파드가 없습니다` : ''}. 에이전트가 없으면 /var/lib/calico/nodename이 없어 calico CNI 플러그인이 파드 네트워크를 구성하지 못합니다.`,
          ),
          impact: ctx.tr(
            'Pods on those nodes cannot be created or deleted cleanly, and their routes and policies are not programmed.',
            '해당 노드에서 파드를 정상적으로 만들거나 지울 수 없고, 라우팅과 네트워크 정책이 적용되지 않습니다.',
          ),
          evidence: [...down.slice(0, 3).map(podState), ...sandbox.slice(0, 1).map((f) => eventLine(f.event)), ...tail],
          runbook: [
            step(
              ctx.tr('See the calico-node pods and where they run.', 'calico-node 파드 상태와 실행 노드를 확인합니다.'),
              `kubectl -n ${ns} get pods -l ${selectorText(agent.selector)} -o wide`,
            ),
            ...(pod && initFailing
              ? [
                  step(
                    ctx.tr(
                      `Read the failing init container (${initFailing}); upgrade-ipam, install-cni and mount-bpffs run before calico-node.`,
                      `실패한 init 컨테이너(${initFailing}) 로그를 확인합니다. upgrade-ipam, install-cni, mount-bpffs가 calico-node보다 먼저 실행됩니다.`,
                    ),
                    `kubectl -n ${ns} logs ${pod.metadata.name} -c ${initFailing}`,
                  ),
                ]
              : [agentLogStep(ctx, agent, pod, true)]),
            step(
              ctx.tr(
                'Check the pod events (probes, mounts, scheduling).',
                '파드 이벤트(프로브, 마운트, 스케줄링)를 확인합니다.',
              ),
              `kubectl -n ${ns} describe pod ${pod?.metadata.name ?? `-l ${selectorText(agent.selector)}`}`,
            ),
            restartAgentStep(ctx, agent),
            ...verifyCniSteps(ctx, agent),
          ],
          remediation: {
            id: 'cni.calico.restart-node-agent',
            params: { namespace: ns, daemonSet: agent.daemonSet },
            title: ctx.tr(`Restart DaemonSet ${ns}/${agent.daemonSet}`, `데몬셋 ${ns}/${agent.daemonSet} 재시작`),
          },
        }),
      );
    }

    if (bgpPods.length > 0) {
      const events = bgpPods.flatMap((p) => bgpEvents(snapshot, p));
      const peers = [
        ...new Set(events.flatMap((e) => (eventMessage(e).match(BGP_DOWN)?.[1] ?? '').split(',').filter(Boolean))),
      ];
      const pod = bgpPods[0]!;
      findings.push(
        makeFinding({
          id: 'cni.calico.bgp-peering-down',
          severity: 'critical',
          title: ctx.tr('Calico BGP sessions are down', 'Calico BGP 세션이 연결되지 않음'),
          detail: ctx.tr(
            `calico-node on ${bgpPods.map((p) => p.spec?.nodeName ?? p.metadata.name).join(', ')} has no BGP session with ${peers.join(', ') || 'its peers'}: TCP 179 is blocked between nodes, or IP autodetection picked the wrong interface.`,
            `${bgpPods.map((p) => p.spec?.nodeName ?? p.metadata.name).join(', ')}의 calico-node가 ${peers.join(', ') || '피어'}와 BGP 세션을 맺지 못합니다. 노드 간 TCP 179가 막혔거나 IP 자동 감지가 잘못된 인터페이스를 골랐습니다.`,
          ),
          impact: ctx.tr(
            'Pods on different nodes cannot reach each other (cross-node routes are missing).',
            '서로 다른 노드의 파드끼리 통신하지 못합니다(노드 간 라우팅 정보 없음).',
          ),
          evidence: [...bgpPods.slice(0, 3).map(podState), eventLine(events[0]!)],
          runbook: [
            step(
              ctx.tr('Show BIRD protocol state on the node.', '노드의 BIRD 프로토콜 상태를 확인합니다.'),
              `kubectl -n ${ns} exec ${pod.metadata.name} -c calico-node -- birdcl -s /var/run/calico/bird.ctl show protocols`,
            ),
            step(
              ctx.tr(
                `From ${pod.spec?.nodeName ?? 'the node'}, check TCP 179 to ${peers[0] ?? 'a peer'} (firewall, security groups).`,
                `${pod.spec?.nodeName ?? '해당 노드'}에서 ${peers[0] ?? '피어'}의 TCP 179 포트에 접근 가능한지 확인합니다(방화벽, 보안 그룹).`,
              ),
              `nc -zv ${peers[0] ?? '<peer-ip>'} 179`,
            ),
            step(
              ctx.tr(
                'Check which address calico-node chose; if it is wrong, pin the interface.',
                'calico-node가 선택한 주소를 확인하고, 잘못되었다면 인터페이스를 지정합니다.',
              ),
              agent.kind === 'calico-operator'
                ? `kubectl patch installation default --type=merge -p '{"spec":{"calicoNetwork":{"nodeAddressAutodetectionV4":{"interface":"<if>"}}}}'`
                : `kubectl -n ${ns} set env ds/${agent.daemonSet} -c calico-node IP_AUTODETECTION_METHOD=interface=<if>`,
            ),
            ...verifyCniSteps(ctx, agent),
          ],
        }),
      );
    }
    return findings;
  },
};
