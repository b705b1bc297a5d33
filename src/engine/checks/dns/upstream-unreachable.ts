// coredns.upstream-unreachable: cluster names resolve but CoreDNS cannot reach the upstream resolvers it forwards to.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import { josa } from '../../i18n.ts';
import { findLine, podLogs } from '../../objects/logs.ts';
import { podState } from '../../objects/pods.ts';
import type { Finding } from '../../report.ts';
import { corefile, corefileLine, directiveLines, dnsWorkload, verifySteps } from './workload.ts';

const UPSTREAM_ERROR =
  /\[ERROR\] plugin\/errors: .*(i\/o timeout|unreachable backend|connection refused|no route to host)/;

export const upstreamUnreachableCheck: RegisteredCheck = {
  name: 'coredns-upstream-unreachable',
  component: 'dns',
  emits: ['coredns.upstream-unreachable'],
  remediations: [],
  describe: {
    'coredns.upstream-unreachable': {
      severities: ['warning'],
      summary: 'CoreDNS serves the cluster domain but cannot reach its upstream resolvers, so external names time out.',
      fix: 'Repair egress from the pods to the upstream resolvers, or forward to reachable resolvers.',
      safety: 'manual',
      manual: 'outside',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const w = dnsWorkload(snapshot);
    if (w?.kind !== 'coredns') return [];
    const hits = w.pods
      .filter((p) => p.status?.phase === 'Running')
      .flatMap((pod) => {
        const line = findLine(podLogs(snapshot, pod, w.container), UPSTREAM_ERROR);
        return line ? [{ pod, line }] : [];
      });
    if (hits.length === 0) return [];
    const upstreams = [...new Set(hits.flatMap((h) => [...h.line.matchAll(/->([^\s:]+):53\b/g)].map((m) => m[1]!)))];
    const cf = corefile(snapshot, w);
    const forwardNo = cf ? directiveLines(cf, 'forward')[0] : undefined;
    const forwardQuote = cf && forwardNo ? corefileLine(cf, forwardNo) : undefined;
    const target = upstreams.join(', ') || ctx.tr('the upstream resolvers', '업스트림 DNS 서버');
    return [
      makeFinding({
        id: 'coredns.upstream-unreachable',
        severity: 'warning',
        title: ctx.tr('CoreDNS cannot reach its upstream DNS', 'CoreDNS가 업스트림 DNS에 접근하지 못함'),
        detail: ctx.tr(
          `CoreDNS in ${w.namespace}/${w.name} times out forwarding to ${target}; cluster names still resolve but external names fail.`,
          `${w.namespace}/${w.name}의 CoreDNS가 ${josa(target, '으로/로')} 포워딩할 때 타임아웃이 납니다. 클러스터 내부 이름은 조회되지만 외부 도메인은 실패합니다.`,
        ),
        impact: ctx.tr(
          'Pods cannot resolve names outside the cluster (registries, APIs, databases by hostname).',
          '파드가 클러스터 외부 이름(레지스트리, 외부 API, 호스트명으로 접근하는 DB 등)을 조회하지 못합니다.',
        ),
        evidence: [
          ...hits.slice(0, 2).map((h) => podState(h.pod)),
          hits[0]!.line,
          ...(forwardQuote ? [forwardQuote] : []),
        ],
        runbook: [
          step(
            ctx.tr(
              'Confirm from a pod: cluster names resolve, an external name times out.',
              '파드에서 클러스터 이름은 조회되고 외부 이름은 타임아웃이 나는지 확인합니다.',
            ),
            'kubectl run -it --rm dnsprobe --image=busybox:1.36 --restart=Never -- nslookup example.com',
          ),
          step(
            ctx.tr(
              `Check that nodes can reach ${target} on UDP/TCP 53 (firewall, NAT, security groups).`,
              `노드에서 ${target}의 UDP/TCP 53번 포트에 접근할 수 있는지 확인합니다(방화벽, NAT, 보안 그룹).`,
            ),
            `nslookup example.com ${upstreams[0] ?? '<upstream-ip>'}`,
          ),
          step(
            ctx.tr('Back up the ConfigMap before editing it.', '수정하기 전에 컨피그맵을 백업합니다.'),
            `kubectl -n ${w.namespace} get cm ${cf?.configMap ?? 'coredns'} -o yaml > ${cf?.configMap ?? 'coredns'}.bak.yaml`,
          ),
          step(
            ctx.tr(
              `If the upstream is wrong, point the forward line${forwardNo ? ` (line ${forwardNo})` : ''} at reachable resolvers, e.g. \`forward . 8.8.8.8\`.`,
              `업스트림이 잘못되었다면 forward 줄${forwardNo ? `(${forwardNo}번째 줄)` : ''}을 접근 가능한 DNS 서버로 바꿉니다. 예: \`forward . 8.8.8.8\`.`,
            ),
            `kubectl -n ${w.namespace} edit cm ${cf?.configMap ?? 'coredns'}`,
          ),
          ...verifySteps(ctx, w),
        ],
      }),
    ];
  },
};
