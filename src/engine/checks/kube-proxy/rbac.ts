// kube-proxy.rbac-forbidden: ClusterRoleBinding kubeadm:node-proxier (→ system:node-proxier, SA kube-system/kube-proxy)
// is missing or wrong, or kube-proxy logs "is forbidden". Service traffic black-holes while pods show Running.
import type { RegisteredCheck } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { makeFinding, step } from '../../findings.ts';
import { josa } from '../../i18n.ts';
import { findObject } from '../../objects/workloads.ts';
import { isAbsent } from '../../snapshot.ts';
import { findInLogs, GREP_PODS, logsCommand, podEvidence, proxyView, restartStep } from './view.ts';

const ID = 'kube-proxy.rbac-forbidden';
const CRB = 'kubeadm:node-proxier';
const ROLE = 'system:node-proxier';
const FORBIDDEN =
  /is forbidden: User "?\\?"?system:serviceaccount:kube-system:kube-proxy|User "system:serviceaccount:kube-system:kube-proxy" cannot/;

function bindingProblem(crb: KubeObject, serviceAccount: string): string | undefined {
  if (crb.roleRef?.kind !== 'ClusterRole' || crb.roleRef?.name !== ROLE) {
    return `roleRef ${crb.roleRef?.kind ?? '?'}/${crb.roleRef?.name ?? '?'}`;
  }
  const subjects: { kind?: string; name?: string; namespace?: string }[] = crb.subjects ?? [];
  const bound = subjects.some(
    (s) =>
      (s.kind === 'ServiceAccount' && s.name === serviceAccount && s.namespace === 'kube-system') ||
      (s.kind === 'Group' && (s.name === 'system:serviceaccounts' || s.name === 'system:serviceaccounts:kube-system')),
  );
  return bound
    ? undefined
    : `subjects ${subjects.map((s) => `${s.kind}/${s.namespace ? `${s.namespace}/` : ''}${s.name}`).join(', ') || '(none)'}`;
}

export const rbacCheck: RegisteredCheck = {
  name: 'kube-proxy-rbac',
  component: 'kube-proxy',
  emits: [ID],
  remediations: ['kube-proxy.recreate-node-proxier-binding'],
  describe: {
    [ID]: {
      severities: ['critical'],
      summary:
        'ClusterRoleBinding kubeadm:node-proxier is missing or wrong, so kube-proxy may not read Services and EndpointSlices.',
      fix: 'Re-create ClusterRoleBinding kubeadm:node-proxier to ClusterRole system:node-proxier for ServiceAccount kube-system/kube-proxy.',
      safety: 'auto-safe',
    },
  },
  run(snapshot, { tr }) {
    if (snapshot.fingerprint.proxy !== 'kube-proxy') return [];
    const view = proxyView(snapshot);
    const serviceAccount: string = view.ds?.spec?.template?.spec?.serviceAccountName ?? 'kube-proxy';
    const log = findInLogs(view, FORBIDDEN);
    // The binding's name is kubeadm's; other distributions bind differently, so only judge it on kubeadm-shaped clusters.
    const kubeadm = ['kubeadm', 'kind'].includes(snapshot.fingerprint.flavor);
    const crb = findObject(snapshot.clusterRoleBindings, undefined, CRB);
    const crbMissing = kubeadm && isAbsent(snapshot, 'clusterrolebindings', undefined, CRB);
    const problem = kubeadm && crb ? bindingProblem(crb, serviceAccount) : undefined;
    if (!crbMissing && !problem && !log) return [];
    const detail = crbMissing
      ? tr(
          `ClusterRoleBinding ${CRB} does not exist, so ServiceAccount kube-system/${serviceAccount} may not list Services, EndpointSlices or Nodes.`,
          `클러스터롤바인딩 ${CRB} 바인딩이 없어서 서비스 어카운트 kube-system/${serviceAccount}가 서비스, 엔드포인트슬라이스, 노드를 조회할 수 없습니다.`,
        )
      : problem
        ? tr(
            `ClusterRoleBinding ${CRB} does not bind ClusterRole ${ROLE} to ServiceAccount kube-system/${serviceAccount} (${problem}).`,
            `클러스터롤바인딩 ${CRB} 바인딩이 클러스터롤 ${josa(ROLE, '을/를')} 서비스 어카운트 kube-system/${serviceAccount}에 바인딩하지 않습니다 (${problem}).`,
          )
        : tr(
            'The API server denies kube-proxy access to the objects it watches.',
            'API 서버가 kube-proxy의 감시 대상 오브젝트 접근을 거부합니다.',
          );
    return [
      makeFinding({
        id: ID,
        severity: 'critical',
        title: tr(
          'kube-proxy is not allowed to read Services and Endpoints',
          'kube-proxy가 서비스와 Endpoint를 읽을 권한이 없음',
        ),
        detail,
        impact: tr(
          'kube-proxy cannot sync Services, so traffic to ClusterIPs silently goes nowhere even though the pods show Running.',
          'kube-proxy가 서비스를 동기화하지 못해, 파드가 Running이어도 ClusterIP로 가는 트래픽이 조용히 사라집니다.',
        ),
        evidence: [
          crbMissing ? `clusterrolebinding/${CRB}: NotFound` : '',
          problem ? `clusterrolebinding/${CRB}: ${problem}` : '',
          log ? `${log.pod.metadata.name}: ${log.line}` : '',
          ...podEvidence(view),
        ],
        runbook: [
          step(tr('Check the kube-proxy pods.', 'kube-proxy 파드 상태를 확인합니다.'), GREP_PODS),
          step(
            tr('Look for "forbidden" in a kube-proxy log.', 'kube-proxy 로그에서 forbidden을 찾습니다.'),
            `${logsCommand(view)} | grep -i forbidden`,
          ),
          step(tr('Check the binding.', '바인딩을 확인합니다.'), `kubectl get clusterrolebinding ${CRB} -o yaml`),
          ...(crb
            ? [
                step(
                  tr('Back up and delete the wrong binding.', '잘못된 바인딩을 백업하고 삭제합니다.'),
                  `kubectl get clusterrolebinding ${CRB} -o yaml > node-proxier-crb.bak.yaml && kubectl delete clusterrolebinding ${CRB}`,
                ),
              ]
            : []),
          step(
            tr('Re-create the kubeadm binding.', 'kubeadm 바인딩을 다시 만듭니다.'),
            `kubectl create clusterrolebinding ${CRB} --clusterrole=${ROLE} --serviceaccount=kube-system:${serviceAccount}`,
          ),
          restartStep(tr, view, ['Restart kube-proxy.', 'kube-proxy를 재시작합니다.']),
        ],
        remediation:
          kubeadm && (crbMissing || problem)
            ? {
                id: 'kube-proxy.recreate-node-proxier-binding',
                params: { namespace: 'kube-system', serviceAccount: 'kube-proxy' },
                title: tr(`Re-create ClusterRoleBinding ${CRB}`, `클러스터롤바인딩 ${CRB} 다시 만들기`),
              }
            : undefined,
      }),
    ];
  },
};
