// cni.not-installed: nodes report that no CNI config exists and no CNI agent DaemonSet is installed at all.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { makeFinding, step } from '../../findings.ts';
import { nodeCondition, nodeReady } from '../../objects/nodes.ts';
import type { Finding } from '../../report.ts';
import { kubeadmNetworking } from '../dns/cluster-config.ts';
import { verifyCniSteps } from './util.ts';

export const NETWORK_NOT_READY =
  /NetworkPluginNotReady|cni plugin not initialized|no cni configuration file|cni config uninitialized|network plugin is not ready/i;

export function networkNotReadyNodes(snapshot: Snapshot): KubeObject[] {
  return snapshot.nodes.filter(
    (n) => !nodeReady(n) && NETWORK_NOT_READY.test(nodeCondition(n, 'Ready')?.message ?? ''),
  );
}

/** The CNI whose default pod network matches kubeadm's podSubnet (a suggestion, never a decision). */
function suggestion(podSubnet: string | undefined): { name: string; command: string } {
  if (podSubnet === '192.168.0.0/16') {
    return {
      name: 'Calico',
      command: 'kubectl apply -f https://raw.githubusercontent.com/projectcalico/calico/v3.25.0/manifests/calico.yaml',
    };
  }
  return {
    name: 'Flannel',
    command: 'kubectl apply -f https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml',
  };
}

export const notInstalledCheck: RegisteredCheck = {
  name: 'cni-not-installed',
  component: 'cni',
  emits: ['cni.not-installed'],
  remediations: [],
  describe: {
    'cni.not-installed': {
      severities: ['critical'],
      summary: 'No CNI is installed, so nodes stay NotReady with NetworkPluginNotReady and no pod gets a network.',
      fix: 'Install exactly one CNI whose pod CIDR matches the cluster pod subnet, then watch the nodes become Ready.',
      safety: 'manual',
      manual: 'design',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const fp = snapshot.fingerprint;
    // k3s runs flannel in-process and GKE manages its own pod network: no CNI DaemonSet is expected on either.
    if (fp.cni !== 'none' || fp.flavor === 'k3s' || fp.flavor === 'gke') return [];
    const nodes = networkNotReadyNodes(snapshot);
    if (nodes.length === 0) return [];
    const podSubnet = kubeadmNetworking(snapshot)?.podSubnet;
    const cni = suggestion(podSubnet);
    const names = nodes.map((n) => n.metadata.name);
    const tainted = nodes.filter((n) =>
      (n.spec?.taints ?? []).some((t: { key: string }) => t.key === 'node.kubernetes.io/not-ready'),
    );
    return [
      makeFinding({
        id: 'cni.not-installed',
        severity: 'critical',
        title: ctx.tr('No network plugin (CNI) is installed', '네트워크 플러그인(CNI)이 설치되지 않음'),
        detail: ctx.tr(
          `${names.length} node(s) (${names.join(', ')}) are NotReady because the container runtime finds no CNI configuration, and no CNI DaemonSet (Calico, Flannel, Weave, Cilium, Canal, aws-node, kindnet) exists.`,
          `노드 ${names.length}개(${names.join(', ')})가 NotReady입니다. 컨테이너 런타임이 CNI 구성을 찾지 못하며, CNI 데몬셋(Calico, Flannel, Weave, Cilium, Canal, aws-node, kindnet)이 하나도 없습니다.`,
        ),
        impact: ctx.tr(
          'No pod can get a network: CoreDNS and every workload stay Pending or ContainerCreating.',
          '어떤 파드도 네트워크를 받지 못해 CoreDNS와 모든 워크로드가 Pending 또는 ContainerCreating에 머무릅니다.',
        ),
        evidence: [
          ...nodes
            .slice(0, 3)
            .map((n) => `node/${n.metadata.name} Ready=False: ${nodeCondition(n, 'Ready')?.message ?? ''}`.trim()),
          ...tainted.slice(0, 1).map((n) => `node/${n.metadata.name} taint node.kubernetes.io/not-ready:NoSchedule`),
          ...(podSubnet ? [`kubeadm-config networking.podSubnet: ${podSubnet}`] : []),
        ],
        runbook: [
          step(
            ctx.tr('See which nodes are NotReady and why.', '어떤 노드가 왜 NotReady인지 확인합니다.'),
            `kubectl describe node ${names[0]} | grep -i -A3 'Ready'`,
          ),
          step(
            ctx.tr(
              'Confirm that no CNI DaemonSet is installed in any namespace.',
              '어느 네임스페이스에도 CNI 데몬셋이 없는지 확인합니다.',
            ),
            'kubectl get ds -A',
          ),
          step(
            ctx.tr(
              `Install exactly one CNI whose pod network matches the cluster's pod CIDR${podSubnet ? ` (${podSubnet})` : ''}. ${cni.name} fits${podSubnet ? '' : ' the default 10.244.0.0/16'}; note that Flannel alone does not enforce NetworkPolicy, Calico does.`,
              `클러스터의 파드 CIDR${podSubnet ? `(${podSubnet})` : ''}에 맞는 CNI를 하나만 설치합니다. 적합한 CNI는 ${cni.name}입니다${podSubnet ? '' : '(기본값 10.244.0.0/16)'}. 참고로 Flannel은 쿠버네티스 네트워크 정책을 지원하지 않으며, Calico는 지원합니다.`,
            ),
            cni.command,
          ),
          step(ctx.tr('Watch the nodes become Ready.', '노드가 Ready가 되는지 지켜봅니다.'), 'kubectl get nodes -w'),
          ...verifyCniSteps(ctx, undefined),
        ],
      }),
    ];
  },
};
