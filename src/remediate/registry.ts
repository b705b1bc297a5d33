// Every remediation netcheck can apply, by id. A finding gets a Fix button only when its remediation id is here
// and the remediation answers that finding id (test: registry.test.ts fails on any id a check emits without one).
import type { Finding } from '../engine/report.ts';
import {
  alignFlannelNetwork,
  restartAgentOnNode,
  restartCalicoNode,
  restartFlannel,
  restartWeaveRouter,
} from './fixes/cni-restarts.ts';
import { addClusterDomain } from './fixes/coredns-add-cluster-domain.ts';
import { revertCorednsImage } from './fixes/coredns-default-image.ts';
import { forwardUpstream } from './fixes/coredns-forward-upstream.ts';
import { removeObsoleteOption } from './fixes/coredns-remove-obsolete-option.ts';
import { replaceProxyWithForward } from './fixes/coredns-replace-proxy-with-forward.ts';
import { restoreConfigMap } from './fixes/coredns-restore-configmap.ts';
import { restoreConfigMapKey } from './fixes/coredns-restore-configmap-key.ts';
import { scaleUp } from './fixes/coredns-scale-up.ts';
import {
  recreateServiceClusterIP,
  restoreService,
  restoreServicePorts,
  restoreServiceSelector,
} from './fixes/dns-service.ts';
import { fixConfigPath, resetMode } from './fixes/kube-proxy-config.ts';
import { conntrackLeaveMax } from './fixes/kube-proxy-conntrack.ts';
import {
  fixApiserverEndpoint,
  restoreConfig,
  restoreKubeconfig,
  switchToIptables,
} from './fixes/kube-proxy-repairs.ts';
import { restoreKubeProxyConfigMap } from './fixes/kube-proxy-restore-configmap.ts';
import { recreateNodeProxierBinding, restoreCorednsRbac } from './fixes/rbac-bindings.ts';
import { corednsServiceAccount, kubeProxyServiceAccount } from './fixes/service-accounts.ts';
import { objectKey } from './objects.ts';
import type { PlanResult, Remediation, RemediationContext } from './types.ts';

export const REMEDIATIONS: readonly Remediation[] = [
  replaceProxyWithForward,
  removeObsoleteOption,
  forwardUpstream,
  addClusterDomain,
  restoreConfigMap,
  restoreConfigMapKey,
  restoreCorednsRbac,
  corednsServiceAccount,
  scaleUp,
  restoreService,
  restoreServiceSelector,
  restoreServicePorts,
  recreateServiceClusterIP,
  kubeProxyServiceAccount,
  fixConfigPath,
  resetMode,
  recreateNodeProxierBinding,
  restartAgentOnNode,
  restartWeaveRouter,
  restartCalicoNode,
  restartFlannel,
  alignFlannelNetwork,
  restoreKubeProxyConfigMap,
  switchToIptables,
  fixApiserverEndpoint,
  revertCorednsImage,
  conntrackLeaveMax,
  restoreKubeconfig,
  restoreConfig,
];

const BY_ID = new Map(REMEDIATIONS.map((r) => [r.id, r]));

export function remediationById(id: string): Remediation | undefined {
  return BY_ID.get(id);
}

/** The remediation a finding offers, when it is implemented and answers that finding id; otherwise undefined. */
export function remediationFor(finding: Finding): Remediation | undefined {
  const r = finding.remediation ? BY_ID.get(finding.remediation.id) : undefined;
  return r?.answers.includes(finding.id) ? r : undefined;
}

/** Which remediations answer a finding id (docs, CLI lookup by finding id). */
export function remediationsAnswering(findingId: string): Remediation[] {
  return REMEDIATIONS.filter((r) => r.answers.includes(findingId));
}

/** Plans a fix for a finding from the objects read for it; a missing read counts as absent. */
export function planFix(remediation: Remediation, ctx: RemediationContext): PlanResult {
  const objects = { ...ctx.objects };
  for (const r of remediation.reads(ctx.finding)) objects[objectKey(r)] ??= null;
  for (const spec of remediation.inputs ?? []) {
    if (!ctx.inputs?.[spec.name]?.length) return { ok: false, reason: `${spec.label}: required.` };
  }
  return remediation.plan({ ...ctx, objects });
}
