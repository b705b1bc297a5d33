// coredns.serviceaccount-missing: the ReplicaSet cannot create pods because the ServiceAccount it names is gone.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import { eventLine, eventMessage, eventNamespace } from '../../objects/events.ts';
import { findObject } from '../../objects/workloads.ts';
import type { Finding } from '../../report.ts';
import { collected } from '../../snapshot.ts';
import { dnsWorkload, verifySteps } from './workload.ts';

const SA_LOOKUP = /error looking up service account ([^/\s]+)\/([^:\s]+)/;

export const serviceAccountCheck: RegisteredCheck = {
  name: 'coredns-serviceaccount',
  component: 'dns',
  emits: ['coredns.serviceaccount-missing'],
  remediations: ['coredns.create-serviceaccount'],
  describe: {
    'coredns.serviceaccount-missing': {
      severities: ['critical', 'warning'],
      summary: 'ServiceAccount kube-system/coredns was deleted, so the ReplicaSet cannot create DNS pods.',
      fix: 'Re-create the ServiceAccount; the ReplicaSet retries by itself.',
      safety: 'auto-safe',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const w = dnsWorkload(snapshot);
    if (!w) return [];
    const events = snapshot.events.filter((e) => {
      if (e.reason !== 'FailedCreate' || eventNamespace(e) !== w.namespace) return false;
      const target = (e.involvedObject ?? e.regarding ?? {}) as { kind?: string; name?: string };
      return (
        target.kind === 'ReplicaSet' && (target.name ?? '').startsWith(`${w.name}-`) && SA_LOOKUP.test(eventMessage(e))
      );
    });
    const declared: string | undefined = w.deployment?.spec?.template?.spec?.serviceAccountName;
    const fromEvent = events[0] ? eventMessage(events[0]).match(SA_LOOKUP)?.[2] : undefined;
    const sa = fromEvent ?? declared;
    const absent =
      declared !== undefined &&
      declared !== 'default' &&
      collected(snapshot, 'serviceaccounts') &&
      !findObject(snapshot.serviceAccounts, w.namespace, declared);
    if (!sa || (events.length === 0 && !absent)) return [];
    const ready = w.deployment?.status?.availableReplicas ?? 0;
    return [
      makeFinding({
        id: 'coredns.serviceaccount-missing',
        severity: ready > 0 ? 'warning' : 'critical',
        title: ctx.tr(`ServiceAccount ${w.namespace}/${sa} is missing`, `서비스 어카운트 ${w.namespace}/${sa}가 없음`),
        detail: ctx.tr(
          `Deployment ${w.namespace}/${w.name} runs as ServiceAccount ${sa}, which does not exist, so its ReplicaSet cannot create pods (${ready} available).`,
          `디플로이먼트 ${w.namespace}/${w.name}는 서비스 어카운트 ${sa}로 실행되는데, 이 서비스 어카운트가 없어 레플리카셋이 파드를 만들지 못합니다(사용 가능 ${ready}개).`,
        ),
        impact: ctx.tr(
          'DNS pods that die are not replaced; when none is left, name resolution fails cluster-wide.',
          '죽은 DNS 파드가 다시 생성되지 않으며, 모두 사라지면 클러스터 전체에서 이름 조회가 실패합니다.',
        ),
        evidence: [
          ...events.slice(0, 2).map(eventLine),
          ...(absent ? [`serviceaccount/${sa} not found in ${w.namespace}`] : []),
          `deployment/${w.name} available ${ready}/${w.deployment?.spec?.replicas ?? '?'}`,
        ],
        runbook: [
          step(
            ctx.tr('Confirm the ServiceAccount is missing.', '서비스 어카운트가 없는지 확인합니다.'),
            `kubectl -n ${w.namespace} get serviceaccount ${sa}`,
          ),
          step(
            ctx.tr(
              'Re-create it; the ReplicaSet retries on its own.',
              '서비스 어카운트를 다시 만듭니다. 레플리카셋은 스스로 재시도합니다.',
            ),
            `kubectl -n ${w.namespace} create serviceaccount ${sa}`,
          ),
          step(
            ctx.tr('Check that the ReplicaSet created its pods.', '레플리카셋이 파드를 만들었는지 확인합니다.'),
            `kubectl -n ${w.namespace} get rs,pods -l k8s-app=kube-dns`,
          ),
          ...verifySteps(ctx, w),
        ],
        remediation: {
          id: 'coredns.create-serviceaccount',
          params: { namespace: w.namespace, serviceAccount: sa, deployment: w.name },
          title: ctx.tr(`Create ServiceAccount ${w.namespace}/${sa}`, `서비스 어카운트 ${w.namespace}/${sa} 생성`),
        },
      }),
    ];
  },
};
