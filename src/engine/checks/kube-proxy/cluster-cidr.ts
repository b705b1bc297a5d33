// kube-proxy.cluster-cidr-mismatch: clusterCIDR does not contain the nodes' pod CIDRs, so kube-proxy misjudges which
// traffic is cluster-local (masquerading and detect-local go wrong). A warning: Services still mostly work.
import type { RegisteredCheck } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import { cidrContains } from '../../objects/cidr.ts';
import { nodePodCidrs } from '../../objects/nodes.ts';
import { configEditStep, proxyView, restartStep } from './view.ts';

const ID = 'kube-proxy.cluster-cidr-mismatch';

export const clusterCidrCheck: RegisteredCheck = {
  name: 'kube-proxy-cluster-cidr',
  component: 'kube-proxy',
  emits: [ID],
  remediations: [],
  describe: {
    [ID]: {
      severities: ['warning'],
      summary:
        "kube-proxy clusterCIDR does not contain the nodes' pod CIDRs, so pod traffic may be masqueraded as external.",
      fix: "Set clusterCIDR to the cluster's pod CIDR, then restart kube-proxy.",
      safety: 'manual',
      manual: 'design',
    },
  },
  run(snapshot, { tr }) {
    if (snapshot.fingerprint.proxy !== 'kube-proxy') return [];
    const view = proxyView(snapshot);
    const raw = view.config?.value?.clusterCIDR;
    if (typeof raw !== 'string' || raw.trim() === '') return [];
    const cidrs = raw.split(',').map((c) => c.trim());
    const outside: string[] = [];
    for (const node of snapshot.nodes) {
      for (const podCidr of nodePodCidrs(node)) {
        const family = podCidr.includes(':') ? ':' : '.';
        const sameFamily = cidrs.filter(
          (c) => c.includes(family === ':' ? ':' : '.') && (family === ':' || !c.includes(':')),
        );
        if (sameFamily.length === 0) continue;
        if (!sameFamily.some((c) => cidrContains(c, podCidr))) outside.push(`${node.metadata.name} ${podCidr}`);
      }
    }
    if (outside.length === 0) return [];
    const cm = snapshot.fingerprint.proxyConfig?.configMap ?? 'kube-proxy';
    return [
      makeFinding({
        id: ID,
        severity: 'warning',
        title: tr(
          'kube-proxy clusterCIDR does not match the pod network',
          'kube-proxy clusterCIDR가 파드 네트워크와 맞지 않음',
        ),
        detail: tr(
          `clusterCIDR is ${raw}, but ${outside.length} node pod CIDR(s) lie outside it: ${outside.slice(0, 3).join(', ')}.`,
          `clusterCIDR는 ${raw}인데 노드 파드 CIDR ${outside.length}개가 그 밖에 있습니다: ${outside.slice(0, 3).join(', ')}.`,
        ),
        impact: tr(
          'kube-proxy treats pod traffic from those ranges as external, so it may masquerade it and break source IPs and NetworkPolicies.',
          'kube-proxy가 그 대역의 파드 트래픽을 외부 트래픽으로 보고 마스커레이드할 수 있어, 출발지 IP와 네트워크폴리시가 깨질 수 있습니다.',
        ),
        evidence: [`${cm} clusterCIDR: ${raw}`, ...outside.slice(0, 3).map((o) => `node ${o}`)],
        runbook: [
          step(
            tr('Compare the node pod CIDRs.', '노드 파드 CIDR를 비교합니다.'),
            'kubectl get nodes -o custom-columns=NAME:.metadata.name,PODCIDR:.spec.podCIDR',
          ),
          step(
            tr('Check podSubnet in the kubeadm configuration.', 'kubeadm 설정의 podSubnet을 확인합니다.'),
            "kubectl -n kube-system get configmap kubeadm-config -o jsonpath='{.data.ClusterConfiguration}' | grep podSubnet",
          ),
          configEditStep(
            tr,
            view,
            tr("Set clusterCIDR to the cluster's pod CIDR.", 'clusterCIDR를 클러스터 파드 CIDR로 맞춥니다.'),
            cm,
          ),
          restartStep(tr, view, ['Restart kube-proxy.', 'kube-proxy를 재시작합니다.'], undefined, true),
        ],
      }),
    ];
  },
};
