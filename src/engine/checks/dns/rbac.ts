// coredns.rbac-forbidden: CoreDNS may not list/watch what its kubernetes plugin needs, so it never becomes Ready.

import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { makeFinding, step } from '../../findings.ts';
import { findLine, podLogs } from '../../objects/logs.ts';
import { podReady, podState } from '../../objects/pods.ts';
import { findObject } from '../../objects/workloads.ts';
import type { Finding } from '../../report.ts';
import { isAbsent } from '../../snapshot.ts';
import { corefile, type DnsWorkload, dnsWorkload, verifySteps } from './workload.ts';

export const FORBIDDEN = /is forbidden: User "system:serviceaccount:[^"]+" cannot (list|watch|get) resource/;
const ROLE = 'system:coredns';

interface DnsRbac {
  /** The ClusterRole the DNS ServiceAccount is bound to (kubeadm system:coredns; RKE2 rke2-coredns-rke2-coredns). */
  role: string;
  binding: string;
  serviceAccount: string;
  /** kubeadm's names: only then does a 404 on system:coredns prove the RBAC is gone. */
  kubeadmNames: boolean;
}

/**
 * Which RBAC objects serve the DNS pods: the ClusterRoleBinding that binds their ServiceAccount (whatever its name),
 * then the ClusterRole it references; kubeadm's system:coredns when none was found.
 */
export function dnsRbac(snapshot: Snapshot, w: DnsWorkload): DnsRbac {
  const serviceAccount: string = w.deployment?.spec?.template?.spec?.serviceAccountName ?? 'coredns';
  const bindsSa = (b: KubeObject) =>
    ((b.subjects ?? []) as { kind: string; name: string; namespace?: string }[]).some(
      (s) => s.kind === 'ServiceAccount' && s.name === serviceAccount && s.namespace === w.namespace,
    );
  const bound = snapshot.clusterRoleBindings.find((b) => b.metadata.name !== ROLE && bindsSa(b));
  const kubeadmNames = serviceAccount === 'coredns';
  if (bound && !findObject(snapshot.clusterRoleBindings, undefined, ROLE)) {
    return {
      role: String(bound.roleRef?.name ?? bound.metadata.name),
      binding: bound.metadata.name,
      serviceAccount,
      kubeadmNames,
    };
  }
  const named = [w.name, serviceAccount].find((n) => findObject(snapshot.clusterRoleBindings, undefined, n));
  if (!kubeadmNames && named) {
    const binding = findObject(snapshot.clusterRoleBindings, undefined, named)!;
    return { role: String(binding.roleRef?.name ?? named), binding: named, serviceAccount, kubeadmNames };
  }
  return { role: ROLE, binding: ROLE, serviceAccount, kubeadmNames };
}

interface Need {
  group: string;
  resource: string;
}

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
}

function grants(rules: Rule[], need: Need, verb: string): boolean {
  return rules.some(
    (r) =>
      (r.apiGroups ?? []).some((g) => g === need.group || g === '*') &&
      (r.resources ?? []).some((x) => x === need.resource || x === '*') &&
      (r.verbs ?? []).some((v) => v === verb || v === '*'),
  );
}

/** What is wrong with the CoreDNS RBAC objects, as short sentences; empty when they match the kubeadm template. */
export function rbacProblems(snapshot: Snapshot, w: DnsWorkload): string[] {
  if (w.kind !== 'coredns') return [];
  const problems: string[] = [];
  const { role: roleName, binding: bindingName, serviceAccount: sa, kubeadmNames } = dnsRbac(snapshot, w);
  const role = findObject(snapshot.clusterRoles, undefined, roleName);
  const binding = findObject(snapshot.clusterRoleBindings, undefined, bindingName);
  // Both objects are fetched by name: only a recorded 404 proves one is gone (not "not collected"). Under other names
  // than kubeadm's a binding may be called anything, so its absence alone proves nothing (the logs still can).
  if (!role) {
    if (kubeadmNames && isAbsent(snapshot, 'clusterroles', undefined, roleName))
      problems.push(`clusterrole/${roleName} not found`);
  } else {
    const rules = (role.rules ?? []) as Rule[];
    const needs: Need[] = [
      { group: '', resource: 'services' },
      { group: '', resource: 'namespaces' },
      { group: 'discovery.k8s.io', resource: 'endpointslices' },
    ];
    const cf = corefile(snapshot, w);
    if (cf && /pods\s+verified/.test(cf.text)) needs.push({ group: '', resource: 'pods' });
    for (const need of needs) {
      const missing = ['list', 'watch'].filter((v) => !grants(rules, need, v));
      if (missing.length > 0) {
        const res = need.group ? `${need.resource}.${need.group}` : need.resource;
        problems.push(`clusterrole/${roleName} lacks ${missing.join('/')} on ${res}`);
      }
    }
  }
  if (!binding) {
    if (kubeadmNames && isAbsent(snapshot, 'clusterrolebindings', undefined, bindingName))
      problems.push(`clusterrolebinding/${bindingName} not found`);
  } else {
    if (binding.roleRef?.name !== roleName)
      problems.push(`clusterrolebinding/${bindingName} points at clusterrole/${binding.roleRef?.name}`);
    const subjects: { kind: string; name: string; namespace?: string }[] = binding.subjects ?? [];
    if (!subjects.some((s) => s.kind === 'ServiceAccount' && s.name === sa && s.namespace === w.namespace)) {
      problems.push(`clusterrolebinding/${bindingName} does not bind serviceaccount ${w.namespace}/${sa}`);
    }
  }
  return problems;
}

export function forbiddenPods(snapshot: Snapshot, w: DnsWorkload): { pod: KubeObject; line: string }[] {
  return w.pods.flatMap((pod) => {
    const line = findLine(podLogs(snapshot, pod, w.container), FORBIDDEN);
    return line ? [{ pod, line }] : [];
  });
}

export const rbacCheck: RegisteredCheck = {
  name: 'coredns-rbac',
  component: 'dns',
  emits: ['coredns.rbac-forbidden'],
  remediations: ['coredns.restore-rbac'],
  describe: {
    'coredns.rbac-forbidden': {
      severities: ['critical', 'warning'],
      summary:
        'ClusterRole or ClusterRoleBinding system:coredns is missing or incomplete, so CoreDNS cannot list what it serves.',
      fix: 'Re-apply the kubeadm ClusterRole and ClusterRoleBinding system:coredns for ServiceAccount kube-system/coredns.',
      safety: 'auto-safe',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const w = dnsWorkload(snapshot);
    if (w?.kind !== 'coredns') return [];
    const problems = rbacProblems(snapshot, w);
    const logged = forbiddenPods(snapshot, w);
    if (problems.length === 0 && logged.length === 0) return [];
    const { role: ROLE_NAME, binding: BINDING, serviceAccount: sa } = dnsRbac(snapshot, w);
    const notReady = w.pods.filter((p) => !podReady(p));
    const allDown = w.pods.length > 0 && notReady.length === w.pods.length;
    return [
      makeFinding({
        id: 'coredns.rbac-forbidden',
        severity: logged.length > 0 || allDown ? 'critical' : 'warning',
        title: ctx.tr('CoreDNS is not allowed to read the API', 'CoreDNS가 API를 읽을 권한이 없음'),
        detail: ctx.tr(
          `ServiceAccount ${w.namespace}/${sa} lacks the permissions CoreDNS needs${problems.length > 0 ? `: ${problems.join('; ')}` : ''}. CoreDNS waits for the kubernetes plugin and stays 0/1.`,
          `서비스 어카운트 ${w.namespace}/${sa}에 CoreDNS가 필요로 하는 권한이 없습니다${problems.length > 0 ? `: ${problems.join('; ')}` : ''}. CoreDNS는 kubernetes 플러그인을 기다리며 0/1 상태로 남습니다.`,
        ),
        impact: ctx.tr(
          'CoreDNS cannot learn Services and endpoints; restarted pods never become Ready and cluster names stop resolving.',
          'CoreDNS가 서비스와 엔드포인트를 알 수 없어, 재시작된 파드는 Ready가 되지 못하고 클러스터 내부 이름 조회가 멈춥니다.',
        ),
        evidence: [...notReady.slice(0, 3).map(podState), ...logged.slice(0, 1).map((l) => l.line), ...problems],
        runbook: [
          step(
            ctx.tr('Check what the CoreDNS ServiceAccount may do.', 'CoreDNS 서비스 어카운트의 권한을 확인합니다.'),
            `kubectl auth can-i list endpointslices.discovery.k8s.io --as=system:serviceaccount:${w.namespace}:${sa}`,
          ),
          step(
            ctx.tr(
              `Re-apply ClusterRole ${ROLE_NAME} as kubeadm defines it (list/watch on endpoints, services, pods, namespaces and endpointslices).`,
              `kubeadm 정의대로 클러스터 롤 ${ROLE_NAME}을 다시 적용합니다(endpoints, services, pods, namespaces, endpointslices에 대한 list/watch).`,
            ),
            `kubectl create clusterrole ${ROLE_NAME} --verb=list,watch --resource=endpoints,services,pods,namespaces,endpointslices.discovery.k8s.io --dry-run=client -o yaml | kubectl apply -f -`,
          ),
          step(
            ctx.tr(
              `Re-apply ClusterRoleBinding ${BINDING} to ServiceAccount ${w.namespace}/${sa}.`,
              `클러스터 롤 바인딩 ${BINDING}을 서비스 어카운트 ${w.namespace}/${sa}에 다시 연결합니다.`,
            ),
            `kubectl create clusterrolebinding ${BINDING} --clusterrole=${ROLE_NAME} --serviceaccount=${w.namespace}:${sa} --dry-run=client -o yaml | kubectl apply -f -`,
          ),
          step(
            ctx.tr('Restart CoreDNS so the pods re-sync.', 'CoreDNS를 재시작하여 다시 동기화하게 합니다.'),
            `kubectl -n ${w.namespace} rollout restart deploy/${w.name}`,
          ),
          ...verifySteps(ctx, w),
        ],
        // The automated fix writes kubeadm's objects; under a chart's names the runbook is the fix.
        ...(ROLE_NAME === ROLE && {
          remediation: {
            id: 'coredns.restore-rbac',
            params: { namespace: w.namespace, serviceAccount: sa, deployment: w.name },
            title: ctx.tr(`Restore ClusterRole/ClusterRoleBinding ${ROLE}`, `클러스터 롤/바인딩 ${ROLE} 복원`),
          },
        }),
      }),
    ];
  },
};
