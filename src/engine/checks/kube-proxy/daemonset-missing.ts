// kube-proxy.daemonset-missing: no kube-proxy on a cluster that needs one. The fingerprint already decided whether
// something replaces it on purpose (Cilium KPR, Calico eBPF, k3s, GKE Dataplane V2), so `missing` means missing.
import type { RegisteredCheck } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import { failedToRead } from '../../snapshot.ts';
import { KS } from './view.ts';

const ID = 'kube-proxy.daemonset-missing';

export const daemonSetMissingCheck: RegisteredCheck = {
  name: 'kube-proxy-daemonset-missing',
  component: 'kube-proxy',
  emits: [ID],
  remediations: [],
  describe: {
    [ID]: {
      severities: ['critical'],
      summary: 'No kube-proxy DaemonSet and nothing replaces it, so ClusterIP Services fail on new and rebooted nodes.',
      fix: "Re-install the kube-proxy add-on (kubeadm init phase addon kube-proxy, or the provider's add-on).",
      safety: 'manual',
      manual: 'intent',
    },
  },
  run(snapshot, { tr }) {
    const fp = snapshot.fingerprint;
    if (fp.proxy !== 'missing') return [];
    // GKE manages kube-proxy itself (static pods on the node image); there is no DaemonSet to restore.
    if (fp.flavor === 'gke') return [];
    // Without the DaemonSet list (or the cilium-config that could excuse it) absence proves nothing.
    if (failedToRead(snapshot, 'daemonsets', KS) || failedToRead(snapshot, 'daemonSets', KS)) return [];
    if (fp.cni === 'cilium' && !snapshot.configMaps.some((c) => c.metadata.name === 'cilium-config')) return [];
    if (snapshot.nodes.length === 0 && failedToRead(snapshot, 'nodes')) return [];
    const kubeadm = fp.flavor === 'kubeadm' || fp.flavor === 'kind';
    return [
      makeFinding({
        id: ID,
        severity: 'critical',
        title: tr('kube-proxy is not installed', 'kube-proxy가 설치되어 있지 않음'),
        detail: tr(
          `There is no DaemonSet kube-system/kube-proxy and nothing replaces it (CNI: ${fp.cni}; no Cilium kube-proxy replacement, Calico eBPF, k3s or GKE Dataplane V2).`,
          `데몬셋 kube-system/kube-proxy가 없고 이를 대신하는 것도 없습니다 (CNI: ${fp.cni}; Cilium kube-proxy replacement, Calico eBPF, k3s, GKE Dataplane V2 아님).`,
        ),
        impact: tr(
          'ClusterIP Services, including kubernetes and kube-dns, stop working on new nodes and after node reboots.',
          'kubernetes와 kube-dns를 포함한 ClusterIP 서비스가 새 노드와 재부팅한 노드에서 동작하지 않습니다.',
        ),
        evidence: [`daemonset/kube-proxy: ${tr('not found in kube-system', 'kube-system에 없음')}`],
        runbook: [
          step(
            tr('Confirm kube-proxy is gone.', 'kube-proxy가 없는지 확인합니다.'),
            'kubectl -n kube-system get ds,pods -l k8s-app=kube-proxy',
          ),
          step(
            tr('Check the kube-proxy ConfigMap is still there.', 'kube-proxy 컨피그맵이 남아 있는지 확인합니다.'),
            'kubectl -n kube-system get configmap kube-proxy',
          ),
          kubeadm
            ? step(
                tr(
                  'On a control-plane node, re-install the kube-proxy add-on.',
                  '컨트롤 플레인 노드에서 kube-proxy 애드온을 다시 설치합니다.',
                ),
                'kubeadm init phase addon kube-proxy --config kubeadm-config.yaml',
              )
            : step(
                tr(
                  "Re-install the provider's kube-proxy add-on.",
                  '배포판(클라우드)의 kube-proxy 애드온을 다시 설치합니다.',
                ),
              ),
        ],
      }),
    ];
  },
};
