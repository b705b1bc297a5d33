// coredns.api-unreachable: CoreDNS cannot reach the apiserver through the `kubernetes` Service VIP. Almost always a
// symptom (kube-proxy, CNI); the core links it to the root cause. Its own evidence (dns/evidence.ts) is a failed
// list or watch call: "Still waiting on: kubernetes" is what every healthy start prints, and proves nothing alone.

import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { makeFinding, step } from '../../findings.ts';
import { eventLine, eventMessage, podEvents } from '../../objects/events.ts';
import { findLine, podLogs } from '../../objects/logs.ts';
import { podReady, podState } from '../../objects/pods.ts';
import type { Finding } from '../../report.ts';
import { FORBIDDEN, rbacProblems } from './rbac.ts';
import { dnsWorkload, verifySteps } from './workload.ts';

/** A failed list/watch call to the API through the Service VIP (client-go reflector lines). */
const FAILED_CALL =
  /(Failed to watch|[Ff]ailed to list)\b.*dial tcp [^\s]+:443: (i\/o timeout|connect: connection refused|connect: no route to host)/;
const PROBE_503 = /Readiness probe failed: HTTP probe failed with statuscode: 503/;

export const apiUnreachableCheck: RegisteredCheck = {
  name: 'coredns-api-unreachable',
  component: 'dns',
  emits: ['coredns.api-unreachable'],
  remediations: [],
  describe: {
    'coredns.api-unreachable': {
      severities: ['critical', 'warning'],
      summary:
        'CoreDNS cannot reach the API server through the kubernetes Service; the cause is usually kube-proxy or the pod network.',
      fix: 'Fix the component that breaks the Service VIP (kube-proxy or CNI), then restart CoreDNS.',
      safety: 'manual',
      manual: 'consequence',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const w = dnsWorkload(snapshot);
    if (w?.kind !== 'coredns') return [];
    // Permission problems look the same from CoreDNS's side; coredns.rbac-forbidden owns them.
    if (rbacProblems(snapshot, w).length > 0) return [];
    const hits: { pod: KubeObject; line: string; event?: KubeObject }[] = [];
    for (const pod of w.pods) {
      if (pod.status?.phase !== 'Running' || podReady(pod)) continue;
      const logs = podLogs(snapshot, pod, w.container);
      if (findLine(logs, FORBIDDEN)) continue;
      const failed = findLine(logs, FAILED_CALL);
      const probe = podEvents(snapshot, pod).find((e) => e.reason === 'Unhealthy' && PROBE_503.test(eventMessage(e)));
      if (failed) hits.push({ pod, line: failed, event: probe });
    }
    if (hits.length === 0) return [];
    const svcIp = snapshot.services.find((s) => s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes')
      ?.spec?.clusterIP;
    const vip = hits.map((h) => h.line.match(/dial tcp ([^\s:]+):443/)?.[1]).find(Boolean) ?? svcIp ?? '10.96.0.1';
    const first = hits[0]!.pod;
    const allDown = w.pods.every((p) => !podReady(p));
    return [
      makeFinding({
        id: 'coredns.api-unreachable',
        severity: allDown ? 'critical' : 'warning',
        title: ctx.tr('CoreDNS cannot reach the Kubernetes API', 'CoreDNS가 쿠버네티스 API에 접근하지 못함'),
        detail: ctx.tr(
          `${hits.length} CoreDNS pod(s) in ${w.namespace} are Running but not Ready because they cannot sync with the API server at ${vip}:443 (the kubernetes Service). This is usually caused by kube-proxy or the pod network on ${first.spec?.nodeName ?? 'the node'}.`,
          `${w.namespace}의 CoreDNS 파드 ${hits.length}개가 Running이지만 Ready가 아닙니다. kubernetes 서비스(${vip}:443)로 API 서버와 동기화하지 못하기 때문입니다. 대개 ${first.spec?.nodeName ?? '해당 노드'}의 kube-proxy나 파드 네트워크 문제가 원인입니다.`,
        ),
        impact: ctx.tr(
          'CoreDNS does not serve cluster names until it syncs; restarted pods stay 0/1 and DNS capacity shrinks to zero.',
          'CoreDNS는 동기화되기 전까지 클러스터 이름에 응답하지 않으며, 재시작된 파드가 0/1로 남아 결국 DNS가 모두 멈춥니다.',
        ),
        evidence: [
          ...hits.slice(0, 3).map((h) => podState(h.pod)),
          hits[0]!.line,
          ...hits.flatMap((h) => (h.event ? [eventLine(h.event)] : [])).slice(0, 1),
        ],
        runbook: [
          step(
            ctx.tr('Read the CoreDNS log for the failing API calls.', 'CoreDNS 로그에서 실패한 API 호출을 확인합니다.'),
            `kubectl -n ${w.namespace} logs ${first.metadata.name} -c ${w.container}`,
          ),
          step(
            ctx.tr(
              'Check that the kubernetes Service has endpoints and that kube-proxy (or its replacement) runs on the node.',
              'kubernetes 서비스에 엔드포인트가 있는지, 해당 노드에서 kube-proxy(또는 대체 구성 요소)가 실행 중인지 확인합니다.',
            ),
            `kubectl get ep kubernetes && kubectl -n kube-system get pods -o wide --field-selector spec.nodeName=${first.spec?.nodeName ?? '<node>'}`,
          ),
          step(
            ctx.tr(
              'Fix the kube-proxy or CNI finding in this report first; then restart CoreDNS.',
              '이 보고서의 kube-proxy 또는 CNI 항목을 먼저 해결한 뒤 CoreDNS를 재시작합니다.',
            ),
            `kubectl -n ${w.namespace} rollout restart deploy/${w.name}`,
          ),
          ...verifySteps(ctx, w),
        ],
      }),
    ];
  },
};
