// The aws-node network-policy agent (container aws-eks-nodeagent, image amazon/aws-network-policy-agent, in the aws-node
// DaemonSet on EKS): it attaches the eBPF programs that enforce NetworkPolicy on each node.
// - cni.aws.network-policy-agent-failing: the agent container crash-loops or is not ready while ipamd is fine, or its
//   current log shows enforcement errors, with policy enforcement enabled. Pods on those nodes are not isolated as the
//   policies say (new pods in strict mode get no traffic at all).
// - cni.aws.network-policy-disabled: NetworkPolicy objects exist but the agent runs with --enable-network-policy=false
//   (the EKS add-on default) and no other policy engine is installed: the policies are accepted and not enforced.
// Strings (docs/failure-catalog.md): the agent's panic in controllers.(*PolicyEndpointsReconciler).configureeBPFProbes
// (aws/aws-network-policy-agent#97, #258); controller-runtime's "Reconcile error" and the agent's "failed to update map "
// (controllers/policyendpoints_controller.go); the SDK's "unable to create/update map entry" (#484).
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { makeFinding, step } from '../../findings.ts';
import { findLine, logsFor } from '../../objects/logs.ts';
import { containerStatus, podState } from '../../objects/pods.ts';
import type { Finding } from '../../report.ts';
import { cniAgent, verifyCniSteps } from './util.ts';

export const NODE_AGENT = 'aws-eks-nodeagent';
const FAILING = 'cni.aws.network-policy-agent-failing';
const DISABLED = 'cni.aws.network-policy-disabled';
const PANIC = /^panic: |PolicyEndpointsReconciler\)\.configureeBPFProbes/;
const ERROR_LINE =
  /"level":"error".*"msg":"(Reconcile error|failed to update map |unable to create\/update map entry|Failed to [^"]*)"/;

/** The agent container's --enable-network-policy value (undefined when the flag is absent). */
function policyEnabled(container: KubeObject['spec'] | undefined): boolean | undefined {
  const args: string[] = [...(container?.command ?? []), ...(container?.args ?? [])].map(String);
  const flag = args.find((a) => a.startsWith('--enable-network-policy'));
  if (flag === undefined) return undefined;
  return !/=false$/.test(flag);
}

/** The node agent is down on this pod while ipamd (container aws-node) is up: a policy-agent problem, not an IPAM one. */
export function nodeAgentDown(pod: KubeObject): boolean {
  const agent = containerStatus(pod, NODE_AGENT);
  return agent !== undefined && agent.ready !== true && containerStatus(pod, 'aws-node')?.ready === true;
}

export const awsNetworkPolicyCheck: RegisteredCheck = {
  name: 'cni-aws-network-policy',
  component: 'cni',
  emits: [FAILING, DISABLED],
  remediations: [],
  describe: {
    [FAILING]: {
      severities: ['critical'],
      summary:
        'The aws-node network-policy agent (aws-eks-nodeagent) crash-loops or fails to program its eBPF maps, so NetworkPolicies are not enforced on those nodes.',
      fix: "Read the agent's log (kubectl logs -c aws-eks-nodeagent, and /var/log/aws-routed-eni/network-policy-agent.log on the node), upgrade the VPC CNI add-on if it is a known agent bug, then restart the aws-node pod there.",
      safety: 'manual',
      manual: 'diagnose-first',
    },
    [DISABLED]: {
      severities: ['warning'],
      summary:
        'NetworkPolicy objects exist but the VPC CNI network-policy agent runs with --enable-network-policy=false, so they are not enforced.',
      fix: 'Enable network policy in the VPC CNI add-on (enableNetworkPolicy: "true") or install another policy engine.',
      safety: 'manual',
      manual: 'distribution',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const agent = cniAgent(snapshot);
    if (agent?.kind !== 'aws-vpc-cni') return [];
    const template = (agent.ds?.spec?.template?.spec?.containers ?? []).find(
      (c: { name?: string }) => c?.name === NODE_AGENT,
    );
    const enabled = policyEnabled(
      template ?? agent.pods[0]?.spec?.containers?.find((c: { name?: string }) => c?.name === NODE_AGENT),
    );
    const findings: Finding[] = [];
    const ns = agent.namespace;

    const failing = agent.pods
      .map((pod) => {
        const logs = logsFor(snapshot, pod, NODE_AGENT);
        const down = nodeAgentDown(pod);
        // A crash's last words are in the previous log; a Ready agent's errors in the current one.
        const line = down
          ? (findLine([logs.previous ?? '', logs.current ?? ''], PANIC) ??
            findLine([logs.previous ?? '', logs.current ?? ''], ERROR_LINE))
          : enabled !== false
            ? findLine([logs.current ?? ''], ERROR_LINE)
            : undefined;
        return down || line ? { pod, down, line } : undefined;
      })
      .filter((f): f is { pod: KubeObject; down: boolean; line: string | undefined } => f !== undefined);
    if (failing.length > 0) {
      const first = failing.find((f) => f.line) ?? failing[0]!;
      const nodes = failing.map((f) => f.pod.spec?.nodeName ?? f.pod.metadata.name);
      findings.push(
        makeFinding({
          id: FAILING,
          severity: 'critical',
          title: ctx.tr('The AWS network-policy agent is failing', 'AWS 네트워크 정책 에이전트가 실패하고 있음'),
          detail: ctx.tr(
            `The ${NODE_AGENT} container of aws-node ${failing.some((f) => f.down) ? 'is down' : 'reports enforcement errors'} on ${nodes.join(', ')} while ipamd (aws-node) runs: the eBPF programs that enforce NetworkPolicy are not maintained there.`,
            `${nodes.join(', ')}에서 ipamd(aws-node)는 동작하지만 aws-node의 ${NODE_AGENT} 컨테이너가 ${failing.some((f) => f.down) ? '중단되었습니다' : '정책 적용 오류를 보고합니다'}. 네트워크폴리시를 적용하는 eBPF 프로그램이 그 노드에서 관리되지 않습니다.`,
          ),
          impact: ctx.tr(
            'Pods on those nodes are not isolated as the NetworkPolicies say; in strict mode new pods get no traffic at all.',
            '해당 노드의 파드에 네트워크폴리시가 의도대로 적용되지 않습니다. strict 모드라면 새 파드는 트래픽을 전혀 받지 못합니다.',
          ),
          evidence: [
            ...failing.slice(0, 3).map((f) => podState(f.pod)),
            ...(first.line ? [`${first.pod.metadata.name} (${NODE_AGENT}): ${first.line}`] : []),
          ],
          runbook: [
            step(
              ctx.tr(
                "Read the agent's log (the previous one if it restarted).",
                '에이전트 로그를 확인합니다(재시작했다면 이전 로그).',
              ),
              `kubectl -n ${ns} logs ${first.pod.metadata.name} -c ${NODE_AGENT}${first.down ? ' --previous' : ''}`,
            ),
            step(
              ctx.tr(
                'The agent logs to a file on the node by default: read it there.',
                '에이전트는 기본적으로 노드의 파일에 로그를 남깁니다. 노드에서 확인합니다.',
              ),
              'sudo tail -n 100 /var/log/aws-routed-eni/network-policy-agent.log',
            ),
            step(
              ctx.tr(
                'If it is a known agent bug (a panic in configureeBPFProbes), upgrade the VPC CNI add-on.',
                '알려진 에이전트 버그(configureeBPFProbes의 panic)라면 VPC CNI 애드온을 업그레이드합니다.',
              ),
              'aws eks describe-addon-versions --addon-name vpc-cni --query "addons[].addonVersions[0].addonVersion"',
            ),
            step(
              ctx.tr('Then restart the aws-node pod on that node.', '그다음 해당 노드의 aws-node 파드를 재시작합니다.'),
              `kubectl -n ${ns} delete pod ${first.pod.metadata.name}`,
            ),
            ...verifyCniSteps(ctx, agent),
          ],
        }),
      );
    }

    const policies = snapshot.networkPolicies;
    const noAgent = agent.ds !== undefined && template === undefined;
    if (policies.length > 0 && snapshot.fingerprint.extraCnis.length === 0 && (enabled === false || noAgent)) {
      const names = policies.slice(0, 3).map((p) => `networkpolicy/${p.metadata.namespace}/${p.metadata.name}`);
      findings.push(
        makeFinding({
          id: DISABLED,
          severity: 'warning',
          title: ctx.tr('NetworkPolicies are not enforced by the VPC CNI', 'VPC CNI가 네트워크폴리시를 적용하지 않음'),
          detail: ctx.tr(
            noAgent
              ? `The cluster has NetworkPolicy objects but aws-node has no ${NODE_AGENT} container (VPC CNI before 1.14): nothing enforces them.`
              : `The cluster has NetworkPolicy objects but aws-node's ${NODE_AGENT} runs with --enable-network-policy=false: they are accepted and not enforced.`,
            noAgent
              ? `클러스터에 네트워크폴리시 오브젝트가 있지만 aws-node에 ${NODE_AGENT} 컨테이너가 없습니다(VPC CNI 1.14 이전). 정책을 적용하는 주체가 없습니다.`
              : `클러스터에 네트워크폴리시 오브젝트가 있지만 aws-node의 ${NODE_AGENT}가 --enable-network-policy=false로 실행 중이라 정책이 등록만 되고 적용되지 않습니다.`,
          ),
          impact: ctx.tr(
            'Traffic the policies are meant to block is allowed.',
            '정책으로 막으려던 트래픽이 그대로 허용됩니다.',
          ),
          evidence: [
            ...names,
            noAgent
              ? `daemonset/${agent.daemonSet}: no ${NODE_AGENT} container`
              : `${NODE_AGENT}: --enable-network-policy=false`,
          ],
          runbook: [
            step(
              ctx.tr('Confirm the flag on the DaemonSet.', '데몬셋의 플래그를 확인합니다.'),
              `kubectl -n ${ns} get ds ${agent.daemonSet} -o jsonpath='{.spec.template.spec.containers[?(@.name=="${NODE_AGENT}")].args}'`,
            ),
            step(
              ctx.tr(
                'Enable network policy in the VPC CNI add-on configuration.',
                'VPC CNI 애드온 설정에서 네트워크 정책을 켭니다.',
              ),
              `aws eks update-addon --cluster-name <cluster> --addon-name vpc-cni --configuration-values '{"enableNetworkPolicy":"true"}'`,
            ),
            step(
              ctx.tr(
                'Wait until aws-node has rolled out with the new flag.',
                'aws-node가 새 플래그로 롤아웃될 때까지 기다립니다.',
              ),
              `kubectl -n ${ns} rollout status ds/${agent.daemonSet}`,
            ),
          ],
        }),
      );
    }
    return findings;
  },
};
