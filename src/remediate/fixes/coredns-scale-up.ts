// coredns.no-replicas: scale the DNS Deployment back up, unless something else owns the replica count.
// Guard: an HPA targeting the Deployment, or a cluster-proportional autoscaler, would fight the change.
import type { Finding } from '../../engine/report.ts';
import { mergePatch, objectAt, param, read, ref, refuse } from '../objects.ts';
import type { Remediation } from '../types.ts';

/** The names cluster-proportional-autoscaler runs under for DNS (GKE, kubeadm add-on docs, EKS guides). */
export const DNS_AUTOSCALERS = ['kube-dns-autoscaler', 'coredns-autoscaler', 'dns-autoscaler'];

const names = (f: Finding) => ({
  namespace: param(f, 'namespace') ?? 'kube-system',
  deployment: param(f, 'deployment') ?? 'coredns',
});

export const scaleUp: Remediation = {
  id: 'coredns.scale-up',
  answers: ['coredns.no-replicas'],
  safety: 'auto-guarded',
  reads: (f) => {
    const n = names(f);
    return [
      read('deployments', n.deployment, n.namespace),
      read('horizontalpodautoscalers', n.deployment, n.namespace),
      ...DNS_AUTOSCALERS.map((a) => read('deployments', a, n.namespace)),
    ];
  },
  plan(ctx) {
    const n = names(ctx.finding);
    const r = read('deployments', n.deployment, n.namespace);
    const deploy = objectAt(ctx, r);
    if (!deploy) return refuse(`Deployment ${ref(r)} does not exist; re-install the DNS add-on instead.`);
    const hpa = objectAt(ctx, read('horizontalpodautoscalers', n.deployment, n.namespace));
    if (hpa && hpa.spec?.scaleTargetRef?.name === n.deployment) {
      return refuse(
        `HorizontalPodAutoscaler ${ref(hpa.metadata)} owns the replica count of ${ref(r)}; fix the HPA instead.`,
      );
    }
    const autoscaler = [param(ctx.finding, 'autoscaler'), ...DNS_AUTOSCALERS]
      .filter((a): a is string => Boolean(a))
      .find((a) => objectAt(ctx, read('deployments', a, n.namespace)) || a === param(ctx.finding, 'autoscaler'));
    if (autoscaler) {
      return refuse(
        `${autoscaler} owns the replica count of ${ref(r)}; check the autoscaler instead of scaling by hand.`,
      );
    }
    if ((deploy.spec?.replicas ?? 1) > 0) return refuse(`Deployment ${ref(r)} has replicas again.`);
    const replicas = Number(param(ctx.finding, 'replicas') ?? '2');
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > 10) return refuse('The replica count is not valid.');
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Scale Deployment ${ref(r)} to ${replicas} replicas`,
        risk: `${replicas} DNS pods start and take cluster DNS traffic as soon as they are Ready.`,
        rollback: `Scale Deployment ${ref(r)} back to 0 replicas.`,
        changes: [
          mergePatch('deployments', deploy, {
            metadata: { resourceVersion: deploy.metadata.resourceVersion },
            spec: { replicas },
          }),
        ],
        clears: ['coredns.no-replicas', 'dns.service-no-endpoints'],
      },
    };
  },
};
