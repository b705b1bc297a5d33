// kube-proxy.configmap-missing: the ConfigMap behind the kube-proxy volume was deleted (FailedMount or a 404).
import type { RegisteredCheck } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import { eventLine, eventsFor, eventsMatching } from '../../objects/events.ts';
import { GREP_PODS, KS, podEvidence, proxyView, restartStep } from './view.ts';

const ID = 'kube-proxy.configmap-missing';

export const configMapMissingCheck: RegisteredCheck = {
  name: 'kube-proxy-configmap-missing',
  component: 'kube-proxy',
  emits: [ID],
  remediations: ['kube-proxy.restore-configmap'],
  describe: {
    [ID]: {
      severities: ['critical'],
      summary: 'The ConfigMap kube-proxy mounts was deleted, so its pods cannot start.',
      fix: 'Re-create the kube-proxy add-on objects (kubeadm init phase addon kube-proxy) or restore the ConfigMap from a backup.',
      safety: 'auto-guarded',
    },
  },
  run(snapshot, { tr }) {
    if (snapshot.fingerprint.proxy !== 'kube-proxy') return [];
    const view = proxyView(snapshot);
    // Every ConfigMap the pod template mounts (kubeadm: kube-proxy; EKS: kube-proxy and kube-proxy-config).
    const podSpec = view.ds?.spec?.template?.spec ?? view.pods[0]?.spec;
    const mounted: string[] = (podSpec?.volumes ?? [])
      .map((v: { configMap?: { name?: string; optional?: boolean } }) =>
        v.configMap?.optional ? undefined : v.configMap?.name,
      )
      .filter((n: string | undefined): n is string => Boolean(n));
    const podEvents = eventsFor(snapshot, { kind: 'Pod', namespace: KS, namePrefix: 'kube-proxy-' });
    const kubeadm = ['kubeadm', 'kind'].includes(snapshot.fingerprint.flavor);
    const findings = [];
    for (const name of new Set(mounted)) {
      const events = eventsMatching(snapshot, `configmap "${name}" not found`, podEvents);
      const absent = (snapshot.absent ?? []).includes(`configmaps/${KS}/${name}`);
      if (events.length === 0 && !absent) continue;
      findings.push(
        makeFinding({
          id: ID,
          severity: 'critical',
          title: tr(
            `ConfigMap kube-system/${name} used by kube-proxy is missing`,
            `kube-proxy가 쓰는 컨피그맵 kube-system/${name} 없음`,
          ),
          detail: tr(
            `DaemonSet kube-system/kube-proxy mounts ConfigMap ${name}, which does not exist, so kubelet cannot start the kube-proxy containers.`,
            `데몬셋 kube-system/kube-proxy는 컨피그맵 ${name}의 마운트가 필요한데 이 컨피그맵이 없어서 kubelet이 kube-proxy 컨테이너를 시작할 수 없습니다.`,
          ),
          impact: tr(
            'New or restarted nodes get no kube-proxy, so Service ClusterIPs and NodePorts stop working there (CoreDNS included).',
            '새로 뜨거나 재시작한 노드에서 kube-proxy가 실행되지 않아 그 노드에서 서비스 ClusterIP와 NodePort(CoreDNS 포함)가 동작하지 않습니다.',
          ),
          evidence: [
            absent ? `configmap/${name}: NotFound` : '',
            ...events.slice(0, 2).map(eventLine),
            ...podEvidence(view),
          ],
          // kubeadm only, and only the ConfigMap kubeadm names: the fix rebuilds it from kubeadm-config.
          ...(kubeadm && name === 'kube-proxy'
            ? {
                remediation: {
                  id: 'kube-proxy.restore-configmap' as const,
                  title: tr(
                    'Re-create ConfigMap kube-system/kube-proxy from kubeadm-config',
                    'kubeadm-config로 컨피그맵 kube-system/kube-proxy 다시 만들기',
                  ),
                  params: { namespace: KS, configMap: name },
                },
              }
            : {}),
          runbook: [
            step(tr('Check the kube-proxy pods.', 'kube-proxy 파드 상태를 확인합니다.'), GREP_PODS),
            step(
              tr('Confirm the ConfigMap is gone.', '컨피그맵이 없는지 확인합니다.'),
              `kubectl -n kube-system get configmap ${name}`,
            ),
            step(
              tr('See the mount failures.', '마운트 실패 이벤트를 확인합니다.'),
              'kubectl -n kube-system get events --field-selector reason=FailedMount',
            ),
            ...(kubeadm
              ? [
                  step(
                    tr('Save the cluster configuration kubeadm needs.', 'kubeadm에 필요한 클러스터 설정을 저장합니다.'),
                    "kubectl -n kube-system get configmap kubeadm-config -o jsonpath='{.data.ClusterConfiguration}' > kubeadm-config.yaml",
                  ),
                  step(
                    tr(
                      'On a control-plane node, re-create the kube-proxy add-on objects from it (or restore the ConfigMap from a backup).',
                      '컨트롤 플레인 노드에서 이 설정으로 kube-proxy 애드온 오브젝트를 다시 만듭니다(또는 백업에서 컨피그맵을 복원합니다).',
                    ),
                    'kubeadm init phase addon kube-proxy --config kubeadm-config.yaml',
                  ),
                ]
              : [
                  step(
                    tr(
                      `Restore ConfigMap ${name} from a backup, or re-install the provider's kube-proxy add-on (e.g. EKS: update the kube-proxy add-on).`,
                      `백업에서 컨피그맵 ${name}을 복원하거나 배포판의 kube-proxy 애드온을 다시 설치합니다(예: EKS kube-proxy 애드온 업데이트).`,
                    ),
                  ),
                ]),
            restartStep(tr, view, ['Restart kube-proxy.', 'kube-proxy를 재시작합니다.']),
          ],
        }),
      );
    }
    return findings;
  },
};
