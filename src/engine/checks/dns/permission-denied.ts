// coredns.permission-denied: CoreDNS may not bind :53 (seen with SELinux and old Docker versions on the node) and exits.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import { makeFinding, option, step } from '../../findings.ts';
import { findLine, podLogs } from '../../objects/logs.ts';
import { podReady, podState } from '../../objects/pods.ts';
import type { Finding } from '../../report.ts';
import { dnsWorkload, verifySteps } from './workload.ts';

const BIND_DENIED = /bind: permission denied/;

export const permissionDeniedCheck: RegisteredCheck = {
  name: 'coredns-permission-denied',
  component: 'dns',
  emits: ['coredns.permission-denied'],
  remediations: [],
  describe: {
    'coredns.permission-denied': {
      severities: ['critical', 'warning'],
      summary:
        'CoreDNS exits with "bind: permission denied" on port 53 (SELinux or an old Docker version on the node).',
      fix: 'Upgrade Docker or fix SELinux on the node; allowing privilege escalation in the Deployment is the weaker fallback.',
      safety: 'manual',
      manual: 'node',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const w = dnsWorkload(snapshot);
    if (!w) return [];
    const hits = w.pods.flatMap((pod) => {
      const line = findLine(podLogs(snapshot, pod), BIND_DENIED);
      return line ? [{ pod, line }] : [];
    });
    if (hits.length === 0) return [];
    const node = hits[0]!.pod.spec?.nodeName ?? '<node>';
    return [
      makeFinding({
        id: 'coredns.permission-denied',
        severity: w.pods.some(podReady) ? 'warning' : 'critical',
        title: ctx.tr('CoreDNS may not bind port 53', 'CoreDNS가 53번 포트를 바인딩하지 못함'),
        detail: ctx.tr(
          `${hits.length} pod(s) of ${w.namespace}/${w.name} exit with "bind: permission denied": the container runtime or SELinux on ${node} refuses the port-53 bind (seen with SELinux and old Docker versions).`,
          `${w.namespace}/${w.name}의 파드 ${hits.length}개가 "bind: permission denied"로 종료됩니다. ${node}의 컨테이너 런타임이나 SELinux가 53번 포트 바인딩을 거부합니다(SELinux와 오래된 Docker 버전에서 발생).`,
        ),
        impact: ctx.tr(
          'CoreDNS crash-loops, so cluster DNS is down or degraded.',
          'CoreDNS가 CrashLoopBackOff에 빠져 클러스터 DNS가 멈추거나 성능이 떨어집니다.',
        ),
        evidence: [...hits.slice(0, 3).map((h) => podState(h.pod)), hits[0]!.line],
        runbook: [
          step(
            ctx.tr('Read the error in the previous container log.', '이전 컨테이너 로그에서 오류를 확인합니다.'),
            `kubectl -n ${w.namespace} logs ${hits[0]!.pod.metadata.name} -c ${w.container} --previous`,
          ),
          ...option({ id: 'A', title: ctx.tr('Fix the node runtime', '노드의 런타임 고치기'), recommended: true }, [
            step(
              ctx.tr(
                `On ${node}, check the Docker version and whether SELinux is enforcing; upgrading Docker or disabling SELinux fixes the root cause.`,
                `${node}에서 Docker 버전과 SELinux 적용 여부를 확인합니다. Docker 버전을 업그레이드하거나 SELinux를 비활성화하면 근본 원인이 해결됩니다.`,
              ),
              'docker version --format "{{.Server.Version}}"; getenforce',
              'node',
            ),
          ]),
          ...option({ id: 'B', title: ctx.tr('Relax the CoreDNS pod security', 'CoreDNS 파드 보안 설정 완화하기') }, [
            step(
              ctx.tr(
                'Allow privilege escalation in the CoreDNS Deployment (a security relaxation; prefer option A).',
                'CoreDNS 디플로이먼트에서 privilegeEscalation을 허용합니다. 보안을 완화하는 조치이므로 옵션 A를 먼저 고려하세요.',
              ),
              `kubectl -n ${w.namespace} get deployment ${w.name} -o yaml | sed 's/allowPrivilegeEscalation: false/allowPrivilegeEscalation: true/g' | kubectl apply -f -`,
            ),
          ]),
          ...verifySteps(ctx, w),
        ],
      }),
    ];
  },
};
