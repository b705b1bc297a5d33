// cni.calico.kube-controllers-down: Calico's kube-controllers (IPAM garbage collection, node and policy sync) has no
// Ready pod. Pods keep their network, but leaked IPs are not reclaimed and deleted nodes keep their blocks, so the
// pool drains over time: a warning. Own evidence (cni/evidence.ts): a calico-kube-controllers pod not Ready now.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import { podReady, podState } from '../../objects/pods.ts';
import type { Finding } from '../../report.ts';

const LABEL = 'calico-kube-controllers';

export const kubeControllersCheck: RegisteredCheck = {
  name: 'cni-calico-kube-controllers',
  component: 'cni',
  emits: ['cni.calico.kube-controllers-down'],
  remediations: [],
  describe: {
    'cni.calico.kube-controllers-down': {
      severities: ['warning'],
      summary:
        'Calico kube-controllers has no Ready pod: IPAM garbage collection and node cleanup stop, so the IP pool slowly leaks.',
      fix: 'Read the calico-kube-controllers log and events, fix the cause (usually API access or datastore), then restart it.',
      safety: 'manual',
      manual: 'diagnose-first',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const cni = snapshot.fingerprint.cni;
    if (cni !== 'calico' && cni !== 'calico-operator' && cni !== 'canal') return [];
    const pods = snapshot.pods.filter(
      (p) => p.metadata.labels?.['k8s-app'] === LABEL && p.status?.phase !== 'Succeeded',
    );
    if (pods.length === 0 || pods.some(podReady)) return [];
    const ns = pods[0]!.metadata.namespace ?? 'kube-system';
    return [
      makeFinding({
        id: 'cni.calico.kube-controllers-down',
        severity: 'warning',
        title: ctx.tr('Calico kube-controllers is not running', 'Calico kube-controllers가 동작하지 않음'),
        detail: ctx.tr(
          `No calico-kube-controllers pod in ${ns} is Ready (${pods.map((p) => p.metadata.name).join(', ')}). Existing pods keep their network, but IPs of deleted pods and nodes are no longer reclaimed.`,
          `${ns}의 calico-kube-controllers 파드 중 Ready인 것이 없습니다(${pods.map((p) => p.metadata.name).join(', ')}). 기존 파드의 네트워크는 유지되지만 삭제된 파드와 노드의 IP가 회수되지 않습니다.`,
        ),
        impact: ctx.tr(
          'Over days the IP pool can run out and new pods fail to get an address.',
          '며칠에 걸쳐 IP 풀이 고갈되어 새 파드가 주소를 받지 못할 수 있습니다.',
        ),
        evidence: pods.slice(0, 3).map(podState),
        runbook: [
          step(
            ctx.tr('Read its log and events.', '로그와 이벤트를 확인합니다.'),
            `kubectl -n ${ns} logs deploy/calico-kube-controllers --tail=50 && kubectl -n ${ns} describe pod -l k8s-app=${LABEL}`,
          ),
          step(
            ctx.tr(
              'After fixing the cause, restart it and wait for it to be Ready.',
              '원인을 고친 뒤 재시작하고 Ready가 될 때까지 기다립니다.',
            ),
            `kubectl -n ${ns} rollout restart deploy/calico-kube-controllers && kubectl -n ${ns} rollout status deploy/calico-kube-controllers`,
          ),
        ],
      }),
    ];
  },
};
