// kube-proxy.kubeconfig-missing-or-invalid: clientConnection.kubeconfig names a file the ConfigMap does not hold, or
// the kubeconfig in it is unusable (no cluster, no server).
import type { RegisteredCheck } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import type { Translate } from '../../i18n.ts';
import {
  configEditStep,
  describeConfigMapCommand,
  findInLogs,
  type ProxyView,
  podEvidence,
  proxyView,
  restartStep,
  triageSteps,
} from './view.ts';

const ID = 'kube-proxy.kubeconfig-missing-or-invalid';
const KUBEADM_KUBECONFIG = '/var/lib/kube-proxy/kubeconfig.conf';
const LOG =
  /error loading config file|invalid configuration: no configuration has been provided|invalid configuration: no server found for cluster|"Error running ProxyServer" err="stat \S+: no such file or directory|^Error: stat \S+: no such file or directory/;

function kubeconfigProblem(view: ProxyView, tr: Translate, snapshotHasCm: boolean): string | undefined {
  if (!view.kubeconfigPath || !view.kubeconfigSource || !snapshotHasCm) return undefined;
  const { configMap, key } = view.kubeconfigSource;
  if (view.kubeconfigText === undefined) {
    return tr(
      `clientConnection.kubeconfig is ${view.kubeconfigPath}, but ConfigMap ${configMap} has no key ${key}`,
      `clientConnection.kubeconfig가 ${view.kubeconfigPath}인데 컨피그맵 ${configMap}에 ${key} 키가 없습니다`,
    );
  }
  const doc = view.kubeconfig;
  if (doc?.error)
    return tr(`${key} is not valid YAML (${doc.error})`, `${key}가 올바른 YAML이 아닙니다 (${doc.error})`);
  const value = doc?.value;
  const clusters: { name?: string; cluster?: { server?: string } }[] = Array.isArray(value?.clusters)
    ? value.clusters
    : [];
  if (clusters.length === 0) {
    return tr(
      `${key} defines no cluster (invalid configuration: no configuration has been provided)`,
      `${key}에 cluster가 정의되어 있지 않습니다`,
    );
  }
  const contexts: { name?: string; context?: { cluster?: string } }[] = Array.isArray(value?.contexts)
    ? value.contexts
    : [];
  const current = contexts.find((c) => c.name === value?.['current-context']) ?? contexts[0];
  const cluster = clusters.find((c) => c.name === current?.context?.cluster) ?? clusters[0];
  if (!cluster?.cluster?.server) {
    return tr(
      `cluster "${cluster?.name ?? ''}" in ${key} has no server`,
      `${key}의 cluster "${cluster?.name ?? ''}"에 server가 없습니다`,
    );
  }
  return undefined;
}

export const kubeconfigCheck: RegisteredCheck = {
  name: 'kube-proxy-kubeconfig',
  component: 'kube-proxy',
  emits: [ID],
  remediations: ['kube-proxy.restore-kubeconfig'],
  describe: {
    [ID]: {
      severities: ['critical'],
      summary:
        'clientConnection.kubeconfig points at a missing file or an invalid kubeconfig, so kube-proxy cannot talk to the API server.',
      fix: 'Restore kubeconfig.conf in the ConfigMap and clientConnection.kubeconfig, then restart kube-proxy.',
      safety: 'auto-guarded',
    },
  },
  run(snapshot, { tr }) {
    if (snapshot.fingerprint.proxy !== 'kube-proxy') return [];
    const view = proxyView(snapshot);
    const cmName = view.kubeconfigSource?.configMap;
    const hasCm = Boolean(
      cmName && snapshot.configMaps.some((c) => c.metadata.name === cmName && c.metadata.namespace === 'kube-system'),
    );
    const problem = kubeconfigProblem(view, tr, hasCm);
    const log = findInLogs(view, LOG);
    // The --config file missing is config-path-mismatch's business; a stat of the kubeconfig path is ours.
    if (!problem && !log) return [];
    const cm = cmName ?? 'kube-proxy';
    return [
      makeFinding({
        id: ID,
        severity: 'critical',
        title: tr('kube-proxy kubeconfig is missing or invalid', 'kube-proxy kubeconfig가 없거나 잘못됨'),
        detail: problem
          ? tr(`${problem}.`, `${problem}.`)
          : tr('kube-proxy cannot load its kubeconfig.', 'kube-proxy가 kubeconfig를 불러오지 못합니다.'),
        impact: tr(
          'kube-proxy cannot talk to the API server, so it never learns about Services and Endpoints.',
          'kube-proxy가 API 서버와 통신하지 못해 서비스와 Endpoint를 알 수 없습니다.',
        ),
        evidence: [
          view.kubeconfigPath ? `clientConnection.kubeconfig: ${view.kubeconfigPath}` : '',
          ...podEvidence(view),
          log ? `${log.pod.metadata.name}: ${log.line}` : '',
        ],
        runbook: [
          ...triageSteps(tr, view),
          step(
            tr('Check the kubeconfig in the ConfigMap.', '컨피그맵에 정의된 kubeconfig를 확인합니다.'),
            describeConfigMapCommand(cm),
          ),
          configEditStep(
            tr,
            view,
            tr(
              'Restore kubeconfig.conf (server from kubeadm-config controlPlaneEndpoint, SA token and CA files) and clientConnection.kubeconfig: /var/lib/kube-proxy/kubeconfig.conf.',
              'kubeconfig.conf(server는 kubeadm-config의 controlPlaneEndpoint, SA 토큰·CA 파일 사용)와 clientConnection.kubeconfig: /var/lib/kube-proxy/kubeconfig.conf를 복원합니다.',
            ),
            cm,
          ),
          restartStep(tr, view, ['Restart kube-proxy.', 'kube-proxy를 재시작합니다.'], undefined, true),
        ],
        // Offered in the kubeadm shape only: the kubeconfig comes from kubeconfig.conf of this ConfigMap.
        remediation:
          problem && view.kubeconfigPath === KUBEADM_KUBECONFIG && view.kubeconfigSource?.key === 'kubeconfig.conf'
            ? {
                id: 'kube-proxy.restore-kubeconfig',
                params: { namespace: 'kube-system', configMap: cm, key: 'kubeconfig.conf' },
                title: tr("Restore kube-proxy's kubeconfig.conf", 'kube-proxy kubeconfig.conf 복원'),
              }
            : undefined,
      }),
    ];
  },
};
