// Corefile fixes share one shape: edit the Corefile text in the ConfigMap, then restart CoreDNS so it loads it.
// Guards: the ConfigMap must be the one the diagnosis saw, and the edit must change something.
import type { KubeObject } from '../../engine/cluster-reader.ts';
import type { Finding } from '../../engine/report.ts';
import { mergePatch, objectAt, param, read, ref, refuse, restart } from '../objects.ts';
import type { PlanResult, Remediation, RemediationContext, TargetRead } from '../types.ts';

export interface CorefileNames {
  namespace: string;
  configMap: string;
  deployment: string;
}

export function corefileNames(finding: Finding): CorefileNames {
  return {
    namespace: param(finding, 'namespace') ?? 'kube-system',
    configMap: param(finding, 'configMap') ?? 'coredns',
    deployment: param(finding, 'deployment') ?? 'coredns',
  };
}

export function corefileReads(finding: Finding): TargetRead[] {
  const n = corefileNames(finding);
  return [read('configmaps', n.configMap, n.namespace), read('deployments', n.deployment, n.namespace)];
}

export interface CorefileEdit {
  /** The new Corefile, or a reason why this fix does not apply to it. */
  edit(corefile: string, ctx: RemediationContext): { corefile: string } | { reason: string };
  title(ctx: RemediationContext): string;
  risk: string;
  clears: readonly string[];
}

/** Builds the plan for a Corefile edit: patch the ConfigMap (precondition: its resourceVersion), restart CoreDNS. */
export function planCorefileEdit(ctx: RemediationContext, e: CorefileEdit): PlanResult {
  const n = corefileNames(ctx.finding);
  const [cmRead, deployRead] = corefileReads(ctx.finding) as [TargetRead, TargetRead];
  const cm = objectAt(ctx, cmRead);
  const deploy = objectAt(ctx, deployRead);
  if (!cm) return refuse(`ConfigMap ${ref(cmRead)} does not exist; nothing to edit.`);
  if (!deploy) return refuse(`Deployment ${ref(deployRead)} does not exist; CoreDNS would not load the fix.`);
  const seen = param(ctx.finding, 'configMapResourceVersion');
  if (seen && seen !== cm.metadata.resourceVersion) {
    return refuse(`ConfigMap ${ref(cmRead)} changed since the diagnosis; run the check again before fixing it.`);
  }
  const current = corefileOf(cm);
  if (current === undefined) return refuse(`ConfigMap ${ref(cmRead)} has no Corefile key.`);
  const result = e.edit(current, ctx);
  if ('reason' in result) return refuse(result.reason);
  if (result.corefile === current) return refuse(`The Corefile in ${ref(cmRead)} already has this fix.`);
  return {
    ok: true,
    plan: {
      remediation: ctx.finding.remediation?.id ?? '',
      finding: ctx.finding.id,
      title: e.title(ctx),
      risk: e.risk,
      rollback: `Put the previous Corefile of ConfigMap ${n.namespace}/${n.configMap} back and restart deploy/${n.deployment}.`,
      changes: [
        mergePatch('configmaps', cm, {
          metadata: { resourceVersion: cm.metadata.resourceVersion },
          data: { Corefile: result.corefile },
        }),
        restart('deployments', deploy),
      ],
      clears: [...e.clears],
    },
  };
}

export function corefileOf(cm: KubeObject): string | undefined {
  const v = cm.data?.Corefile;
  return typeof v === 'string' ? v : undefined;
}

/** A Corefile fix as a Remediation: reads the ConfigMap and the Deployment, edits, restarts. */
export function corefileRemediation(
  spec: Pick<Remediation, 'id' | 'answers' | 'safety' | 'inputs'> & CorefileEdit,
): Remediation {
  return {
    id: spec.id,
    answers: spec.answers,
    safety: spec.safety,
    ...(spec.inputs ? { inputs: spec.inputs } : {}),
    reads: corefileReads,
    plan: (ctx) => {
      const r = planCorefileEdit(ctx, spec);
      return r.ok ? { ok: true, plan: { ...r.plan, remediation: spec.id } } : r;
    },
  };
}
