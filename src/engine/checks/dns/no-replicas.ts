// coredns.no-replicas: the DNS Deployment is scaled to zero or gone, so nothing answers on the kube-dns Service.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import type { Finding } from '../../report.ts';
import { collected } from '../../snapshot.ts';
import { dnsService, dnsWorkload, verifySteps } from './workload.ts';

export const noReplicasCheck: RegisteredCheck = {
  name: 'coredns-no-replicas',
  component: 'dns',
  emits: ['coredns.no-replicas'],
  remediations: ['coredns.scale-up'],
  describe: {
    'coredns.no-replicas': {
      severities: ['critical'],
      summary: 'The DNS Deployment is scaled to zero or missing, so kube-dns has no endpoints.',
      fix: 'Scale the DNS Deployment back up (kubeadm default 2), or re-install the DNS add-on if it was deleted.',
      safety: 'auto-safe',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const fp = snapshot.fingerprint;
    const w = dnsWorkload(snapshot);
    if (!w) {
      // GKE with Cloud DNS and k3s with --disable=coredns legitimately run no DNS pods.
      if (fp.flavor === 'gke' || fp.flavor === 'k3s') return [];
      if (!collected(snapshot, 'deployments')) return [];
      return [missingDeployment(ctx, fp.flavor)];
    }
    if (!w.deployment) {
      if (!collected(snapshot, 'deployments')) return [];
      return [missingDeployment(ctx, fp.flavor)];
    }
    if (w.deployment.spec?.replicas !== 0) return [];
    // GKE with Cloud DNS keeps the kube-dns Deployment scaled to zero on purpose.
    if (fp.flavor === 'gke' && w.kind === 'kube-dns') return [];
    const target = fp.flavor === 'k3s' ? 1 : 2;
    const ref = `${w.namespace}/${w.name}`;
    const service = dnsService(snapshot, w.namespace)?.metadata.name ?? 'kube-dns';
    const autoscaled = w.kind === 'kube-dns';
    return [
      makeFinding({
        id: 'coredns.no-replicas',
        severity: 'critical',
        title: ctx.tr('DNS Deployment scaled to zero', 'DNS 디플로이먼트의 레플리카가 0개'),
        detail: ctx.tr(
          `Deployment ${ref} has spec.replicas: 0, so no DNS pod runs and Service kube-dns has no endpoints.`,
          `디플로이먼트 ${ref}의 spec.replicas가 0이라 DNS 파드가 하나도 없고, kube-dns 서비스에 엔드포인트가 없습니다.`,
        ),
        impact: ctx.tr(
          'Every pod in the cluster fails to resolve Service and external names.',
          '클러스터의 모든 파드가 서비스 이름과 외부 도메인을 조회하지 못합니다.',
        ),
        evidence: [
          `deployment/${w.name} replicas: 0 (ready ${w.deployment.status?.readyReplicas ?? 0})`,
          ...w.pods.slice(0, 1).map((p) => `pod ${p.metadata.name} still present`),
        ],
        runbook: [
          ...(autoscaled
            ? [
                step(
                  ctx.tr(
                    'On GKE the kube-dns-autoscaler sets the replica count; check that it is running and its parameters.',
                    'GKE에서는 kube-dns-autoscaler가 레플리카 수를 정합니다. 오토스케일러가 실행 중인지, 설정값이 올바른지 확인합니다.',
                  ),
                  `kubectl -n ${w.namespace} get deploy kube-dns-autoscaler && kubectl -n ${w.namespace} get cm kube-dns-autoscaler -o yaml`,
                ),
              ]
            : [
                step(
                  ctx.tr(
                    'Check that no HorizontalPodAutoscaler owns the DNS replica count.',
                    'DNS 레플리카 수를 관리하는 HorizontalPodAutoscaler가 없는지 확인합니다.',
                  ),
                  `kubectl -n ${w.namespace} get hpa`,
                ),
              ]),
          step(
            ctx.tr(
              `Scale the Deployment back to ${target} replicas.`,
              `디플로이먼트를 레플리카 ${target}개로 다시 늘립니다.`,
            ),
            `kubectl -n ${w.namespace} scale deploy/${w.name} --replicas=${target}`,
          ),
          step(
            ctx.tr(
              `Check that Service ${service} has endpoints again.`,
              `${service} 서비스에 엔드포인트가 다시 생겼는지 확인합니다.`,
            ),
            `kubectl -n ${w.namespace} get ep ${service}`,
          ),
          ...verifySteps(ctx, w),
        ],
        remediation: {
          id: 'coredns.scale-up',
          params: {
            namespace: w.namespace,
            deployment: w.name,
            replicas: String(target),
            ...(autoscaled ? { autoscaler: 'kube-dns-autoscaler' } : {}),
          },
          title: ctx.tr(`Scale ${ref} to ${target} replicas`, `${ref}를 레플리카 ${target}개로 확장`),
        },
      }),
    ];
  },
};

function missingDeployment(ctx: CheckContext, flavor: string): Finding {
  const reinstall =
    flavor === 'eks'
      ? step(
          ctx.tr('Reinstall the EKS CoreDNS add-on.', 'EKS CoreDNS 애드온을 다시 설치합니다.'),
          'aws eks create-addon --cluster-name <cluster> --addon-name coredns',
        )
      : step(
          ctx.tr(
            'Re-create the CoreDNS add-on from a control-plane node (kubeadm clusters).',
            '컨트롤 플레인 노드에서 CoreDNS 애드온을 다시 생성합니다(kubeadm 클러스터).',
          ),
          'sudo kubeadm init phase addon coredns',
        );
  return makeFinding({
    id: 'coredns.no-replicas',
    severity: 'critical',
    title: ctx.tr('No cluster DNS Deployment', '클러스터 DNS 디플로이먼트가 없음'),
    detail: ctx.tr(
      'No Deployment labelled k8s-app=kube-dns exists in kube-system: neither CoreDNS nor kube-dns is installed.',
      'kube-system에 k8s-app=kube-dns 레이블을 가진 디플로이먼트가 없습니다. CoreDNS도 kube-dns도 설치되어 있지 않습니다.',
    ),
    impact: ctx.tr(
      'Every pod in the cluster fails to resolve Service and external names.',
      '클러스터의 모든 파드가 서비스 이름과 외부 도메인을 조회하지 못합니다.',
    ),
    evidence: ['kubectl -n kube-system get deploy -l k8s-app=kube-dns → No resources found'],
    runbook: [
      step(
        ctx.tr('Confirm that the DNS Deployment is really gone.', 'DNS 디플로이먼트가 정말 없는지 확인합니다.'),
        'kubectl -n kube-system get deploy -l k8s-app=kube-dns',
      ),
      reinstall,
      ...verifySteps(ctx, { namespace: 'kube-system', name: 'coredns' }),
    ],
  });
}
