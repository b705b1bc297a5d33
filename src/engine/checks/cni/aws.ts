// cni.aws.ipamd-unavailable-or-ip-exhausted: aws-node (ipamd) is not ready, or the node/subnet has no free IPs.
// Fargate nodes never run aws-node, so its absence there is normal.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import { eventLine, eventMessage, podEvents } from '../../objects/events.ts';
import { podReady, podState } from '../../objects/pods.ts';
import type { Finding } from '../../report.ts';
import { nodeAgentDown } from './aws-network-policy.ts';
import { cniAgent, nodesOf, sandboxFailures, verifyCniSteps } from './util.ts';

export const NO_IP = /failed to assign an IP address to container/;

export const awsCheck: RegisteredCheck = {
  name: 'cni-aws-vpc',
  component: 'cni',
  emits: ['cni.aws.ipamd-unavailable-or-ip-exhausted'],
  remediations: [],
  describe: {
    'cni.aws.ipamd-unavailable-or-ip-exhausted': {
      severities: ['critical'],
      summary: 'aws-node (ipamd) is not ready, or the node or subnet has no free IPs or ENIs, so pods get no IP.',
      fix: 'Read the aws-node log, check subnet free IPs and instance ENI limits, and consider prefix delegation.',
      safety: 'manual',
      manual: 'outside',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const agent = cniAgent(snapshot);
    if (agent?.kind !== 'aws-vpc-cni') return [];
    const ns = agent.namespace;
    const sandbox = sandboxFailures(snapshot).filter((f) => NO_IP.test(f.message));
    // A pod that is not Ready only because its network-policy agent is down is aws-network-policy.ts's business.
    const unready = agent.pods.filter((p) => !podReady(p) && !nodeAgentDown(p));
    if (sandbox.length === 0 && unready.length === 0) return [];
    const probe = unready
      .flatMap((p) => podEvents(snapshot, p, 'Unhealthy'))
      .find((e) => /50051|grpc/i.test(eventMessage(e)));
    const nodes = [
      ...new Set([...nodesOf(sandbox), ...unready.map((p) => p.spec?.nodeName).filter(Boolean)]),
    ] as string[];
    const pod = unready[0];
    return [
      makeFinding({
        id: 'cni.aws.ipamd-unavailable-or-ip-exhausted',
        severity: 'critical',
        title: ctx.tr('AWS VPC CNI cannot assign pod IPs', 'AWS VPC CNI가 파드 IP를 할당하지 못함'),
        detail: ctx.tr(
          `${unready.length > 0 ? `aws-node (ipamd) is not Ready on ${unready.map((p) => p.spec?.nodeName ?? p.metadata.name).join(', ')}` : 'aws-node runs'}${sandbox.length > 0 ? `; pods on ${nodesOf(sandbox).join(', ') || 'some nodes'} fail with "failed to assign an IP address to container" (no free IPs/ENIs on the node or subnet, or ipamd down)` : ''}.`,
          `${unready.length > 0 ? `${unready.map((p) => p.spec?.nodeName ?? p.metadata.name).join(', ')}에서 aws-node(ipamd)가 Ready가 아닙니다` : 'aws-node는 실행 중입니다'}${sandbox.length > 0 ? `. ${nodesOf(sandbox).join(', ') || '일부 노드'}의 파드가 "failed to assign an IP address to container"로 실패합니다(노드나 서브넷에 남은 IP/ENI가 없거나 ipamd가 동작하지 않음)` : ''}.`,
        ),
        impact: ctx.tr(
          'New pods on those nodes stay in ContainerCreating.',
          '해당 노드의 새 파드가 ContainerCreating에 머무릅니다.',
        ),
        evidence: [
          ...unready.slice(0, 3).map(podState),
          ...(probe ? [eventLine(probe)] : []),
          ...sandbox.slice(0, 1).map((f) => eventLine(f.event)),
        ],
        runbook: [
          step(
            ctx.tr('Read the aws-node (ipamd) log.', 'aws-node(ipamd) 로그를 확인합니다.'),
            `kubectl -n ${ns} logs ${pod ? pod.metadata.name : 'ds/aws-node'} -c aws-node`,
          ),
          step(
            ctx.tr(
              `Check free IPs in the node's subnet and the instance type's ENI/IP limit for ${nodes[0] ?? 'the node'}.`,
              `${nodes[0] ?? '해당 노드'}가 속한 서브넷의 남은 IP 수와 인스턴스 유형의 ENI/IP 한도를 확인합니다.`,
            ),
            'aws ec2 describe-subnets --subnet-ids <subnet-id> --query "Subnets[].AvailableIpAddressCount"',
          ),
          step(
            ctx.tr(
              'If IPs are exhausted, enable prefix delegation (or add subnets / larger instances).',
              'IP가 부족하면 prefix delegation을 켭니다(또는 서브넷 추가, 더 큰 인스턴스 사용).',
            ),
            `kubectl -n ${ns} set env ds/aws-node -c aws-node ENABLE_PREFIX_DELEGATION=true`,
          ),
          ...verifyCniSteps(ctx, agent),
        ],
      }),
    ];
  },
};
