// coredns.rbac-forbidden → ClusterRole + ClusterRoleBinding system:coredns; kube-proxy.rbac-forbidden → the
// kubeadm:node-proxier binding. Missing objects are created; a binding that lost its subject is patched back.
// A binding whose roleRef points elsewhere is refused: roleRef is immutable, and re-pointing it is a human call.
import type { KubeObject } from '../../engine/cluster-reader.ts';
import type { Finding } from '../../engine/report.ts';
import { create, mergePatch, objectAt, param, read, refuse } from '../objects.ts';
import {
  COREDNS_ROLE,
  COREDNS_RULES,
  clusterRoleBinding,
  corednsClusterRole,
  NODE_PROXIER_BINDING,
  NODE_PROXIER_ROLE,
} from '../templates.ts';
import type { Change, Remediation } from '../types.ts';

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

/** The change that makes `binding` bind `role` to the ServiceAccount, or a refusal, or nothing when it already does. */
function bindingChange(
  existing: KubeObject | null | undefined,
  name: string,
  role: string,
  namespace: string,
  sa: string,
): Change | { reason: string } | undefined {
  if (!existing) return create('clusterrolebindings', clusterRoleBinding(name, role, namespace, sa));
  if (existing.roleRef?.kind !== 'ClusterRole' || existing.roleRef?.name !== role) {
    return {
      reason: `ClusterRoleBinding ${name} points at ${existing.roleRef?.kind ?? '?'} ${existing.roleRef?.name ?? '?'}; roleRef is immutable, so re-create it by hand.`,
    };
  }
  const subjects: Subject[] = existing.subjects ?? [];
  if (subjects.some((s) => s.kind === 'ServiceAccount' && s.name === sa && (s.namespace ?? '') === namespace)) {
    return undefined;
  }
  return mergePatch('clusterrolebindings', existing, {
    metadata: { resourceVersion: existing.metadata.resourceVersion },
    subjects: [...subjects, { kind: 'ServiceAccount', name: sa, namespace }],
  });
}

function covers(rules: { apiGroups?: string[]; resources?: string[]; verbs?: string[] }[] | undefined): boolean {
  return COREDNS_RULES.every((want) =>
    want.resources.every((res) =>
      want.verbs.every((verb) =>
        (rules ?? []).some(
          (r) =>
            (r.apiGroups ?? []).some((g) => g === want.apiGroups[0] || g === '*') &&
            (r.resources ?? []).some((x) => x === res || x === '*') &&
            (r.verbs ?? []).some((v) => v === verb || v === '*'),
        ),
      ),
    ),
  );
}

const corednsNames = (f: Finding) => ({
  namespace: param(f, 'namespace') ?? 'kube-system',
  sa: param(f, 'serviceAccount') ?? 'coredns',
});

export const restoreCorednsRbac: Remediation = {
  id: 'coredns.restore-rbac',
  answers: ['coredns.rbac-forbidden'],
  safety: 'auto-safe',
  reads: () => [read('clusterroles', COREDNS_ROLE), read('clusterrolebindings', COREDNS_ROLE)],
  plan(ctx) {
    const n = corednsNames(ctx.finding);
    const role = objectAt(ctx, read('clusterroles', COREDNS_ROLE));
    const changes: Change[] = [];
    if (!role) changes.push(create('clusterroles', corednsClusterRole()));
    else if (!covers(role.rules)) {
      changes.push(
        mergePatch('clusterroles', role, {
          metadata: { resourceVersion: role.metadata.resourceVersion },
          rules: [...(role.rules ?? []), ...COREDNS_RULES],
        }),
      );
    }
    const binding = bindingChange(
      objectAt(ctx, read('clusterrolebindings', COREDNS_ROLE)),
      COREDNS_ROLE,
      COREDNS_ROLE,
      n.namespace,
      n.sa,
    );
    if (binding && 'reason' in binding) return refuse(binding.reason);
    if (binding) changes.push(binding);
    if (changes.length === 0) return refuse(`ClusterRole and ClusterRoleBinding ${COREDNS_ROLE} are already in place.`);
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Restore ClusterRole and ClusterRoleBinding ${COREDNS_ROLE} for ${n.namespace}/${n.sa}`,
        risk: 'CoreDNS gets back read access to Services, EndpointSlices, Pods and Namespaces, as kubeadm grants.',
        rollback: `Put ClusterRole/ClusterRoleBinding ${COREDNS_ROLE} back as they were (delete what was created).`,
        changes,
        clears: ['coredns.rbac-forbidden'],
      },
    };
  },
};

export const recreateNodeProxierBinding: Remediation = {
  id: 'kube-proxy.recreate-node-proxier-binding',
  answers: ['kube-proxy.rbac-forbidden'],
  safety: 'auto-safe',
  reads: () => [read('clusterrolebindings', NODE_PROXIER_BINDING)],
  plan(ctx) {
    const namespace = param(ctx.finding, 'namespace') ?? 'kube-system';
    const sa = param(ctx.finding, 'serviceAccount') ?? 'kube-proxy';
    const change = bindingChange(
      objectAt(ctx, read('clusterrolebindings', NODE_PROXIER_BINDING)),
      NODE_PROXIER_BINDING,
      NODE_PROXIER_ROLE,
      namespace,
      sa,
    );
    if (!change) return refuse(`ClusterRoleBinding ${NODE_PROXIER_BINDING} already binds ${namespace}/${sa}.`);
    if ('reason' in change) return refuse(change.reason);
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Re-create ClusterRoleBinding ${NODE_PROXIER_BINDING} → ${NODE_PROXIER_ROLE} for ${namespace}/${sa}`,
        risk: `kube-proxy gets back the built-in ${NODE_PROXIER_ROLE} rights kubeadm grants it.`,
        rollback: `Put ClusterRoleBinding ${NODE_PROXIER_BINDING} back as it was (delete it if it was created).`,
        changes: [change],
        clears: ['kube-proxy.rbac-forbidden'],
      },
    };
  },
};
