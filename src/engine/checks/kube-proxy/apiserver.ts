// kube-proxy.apiserver-unreachable: kube-proxy's kubeconfig points somewhere the API server is not, or kube-proxy's
// logs show it cannot reach it. Pods can sit Running 1/1 (no readiness probe), so config and logs matter more than state.
import type { RegisteredCheck, Snapshot } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import type { Translate } from '../../i18n.ts';
import { configMapData } from '../../objects/configmaps.ts';
import type { RunbookStep } from '../../report.ts';
import {
  configEditStep,
  findInLogs,
  GREP_PODS,
  logsCommand,
  type ProxyView,
  parseDoc,
  podEvidence,
  proxyView,
  RKE2_PROXY_KUBECONFIG,
  restartStep,
} from './view.ts';

const ID = 'kube-proxy.apiserver-unreachable';
const DIAL =
  /(Failed to retrieve node info|failed to list \*v1\.(Node|Service|EndpointSlice)).*(dial tcp|i\/o timeout|connection refused|no route to host|x509)/;
const NODE_NOT_FOUND = /Failed to retrieve node info.*nodes \\?"[^"\\]+\\?" not found/;

interface Endpoint {
  host: string;
  port: string;
}

function parseServer(server: string | undefined): Endpoint | undefined {
  if (!server) return undefined;
  try {
    const url = new URL(server);
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || (url.protocol === 'http:' ? '80' : '443') };
  } catch {
    return undefined;
  }
}

function isIpLiteral(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');
}

function kubeconfigServer(view: ProxyView): string | undefined {
  const value = view.kubeconfig?.value;
  const clusters: { name?: string; cluster?: { server?: string } }[] = Array.isArray(value?.clusters)
    ? value.clusters
    : [];
  const contexts: { name?: string; context?: { cluster?: string } }[] = Array.isArray(value?.contexts)
    ? value.contexts
    : [];
  const current = contexts.find((c) => c.name === value?.['current-context']) ?? contexts[0];
  return (clusters.find((c) => c.name === current?.context?.cluster) ?? clusters[0])?.cluster?.server;
}

/** Where the API server really is: the `kubernetes` EndpointSlice addresses, and kubeadm's controlPlaneEndpoint. */
function apiServerEndpoints(snapshot: Snapshot): {
  endpoints: Endpoint[];
  controlPlane?: Endpoint;
  clusterIp?: string;
} {
  const endpoints: Endpoint[] = [];
  for (const slice of snapshot.endpointSlices) {
    if (
      slice.metadata.labels?.['kubernetes.io/service-name'] !== 'kubernetes' ||
      slice.metadata.namespace !== 'default'
    )
      continue;
    const port = String(
      slice.ports?.find((p: { name?: string }) => p.name === 'https')?.port ?? slice.ports?.[0]?.port ?? '6443',
    );
    for (const ep of slice.endpoints ?? [])
      for (const address of ep.addresses ?? []) endpoints.push({ host: address, port });
  }
  const cc = parseDoc(configMapData(snapshot, 'kube-system', 'kubeadm-config')?.ClusterConfiguration)?.value;
  const cpe: string | undefined = cc?.controlPlaneEndpoint;
  let controlPlane: Endpoint | undefined;
  if (typeof cpe === 'string' && cpe !== '') {
    const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(cpe);
    if (m) controlPlane = { host: m[1]!, port: m[2] ?? '6443' };
  }
  const svc = snapshot.services.find((s) => s.metadata.name === 'kubernetes' && s.metadata.namespace === 'default');
  return { endpoints, controlPlane, clusterIp: svc?.spec?.clusterIP };
}

/** `known`: the expected address comes from kubeadm's controlPlaneEndpoint, so a fix can put it in. */
function serverMismatch(
  snapshot: Snapshot,
  view: ProxyView,
): { server: string; expected: string; known?: boolean } | undefined {
  const server = kubeconfigServer(view);
  const target = parseServer(server);
  if (!server || !target) return undefined;
  const { endpoints, controlPlane, clusterIp } = apiServerEndpoints(snapshot);
  const same = (a: Endpoint, b: Endpoint) => a.host === b.host && a.port === b.port;
  if (controlPlane && same(target, controlPlane)) return undefined;
  if (endpoints.some((e) => same(e, target))) return undefined;
  if (clusterIp && target.host === clusterIp) return undefined;
  // A hostname can only be judged against controlPlaneEndpoint; an IP also against the live endpoints.
  if (controlPlane) return { server, expected: `https://${controlPlane.host}:${controlPlane.port}`, known: true };
  if (isIpLiteral(target.host) && endpoints.length > 0) {
    return { server, expected: endpoints.map((e) => `https://${e.host}:${e.port}`).join(', ') };
  }
  return undefined;
}

/**
 * RKE2 writes kube-proxy's kubeconfig itself, pointing at the agent's local API load balancer (127.0.0.1:6444), so
 * the fix is on the node: that load balancer and the rke2 service behind it, not a kubeconfig edit.
 */
function rke2Runbook(tr: Translate, view: ProxyView): RunbookStep[] {
  return [
    step(tr('Check the kube-proxy pods.', 'kube-proxy 파드 상태를 확인합니다.'), GREP_PODS),
    step(tr('Read a kube-proxy log.', 'kube-proxy 로그를 확인합니다.'), logsCommand(view)),
    step(
      tr(
        `On each affected node (ssh), check the server in ${RKE2_PROXY_KUBECONFIG} (RKE2's local load balancer, https://127.0.0.1:6444) and the rke2 service behind it.`,
        `문제가 있는 각 노드에 ssh로 접속해 ${RKE2_PROXY_KUBECONFIG}의 server(RKE2 로컬 로드 밸런서, https://127.0.0.1:6444)와 그 뒤의 rke2 서비스를 확인합니다.`,
      ),
      `sudo grep server: ${RKE2_PROXY_KUBECONFIG}; sudo systemctl status rke2-agent rke2-server --no-pager; sudo journalctl -u rke2-agent -u rke2-server --since -15min --no-pager | tail -50`,
      { where: 'node', changes: false },
    ),
    restartStep(tr, view, ['Restart kube-proxy.', 'kube-proxy를 재시작합니다.'], undefined, true),
    step(
      tr('Check that the API server endpoints are there.', 'API 서버 엔드포인트가 있는지 확인합니다.'),
      'kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes',
    ),
  ];
}

export const apiServerCheck: RegisteredCheck = {
  name: 'kube-proxy-apiserver',
  component: 'kube-proxy',
  emits: [ID],
  remediations: ['kube-proxy.fix-apiserver-endpoint'],
  describe: {
    [ID]: {
      severities: ['critical'],
      summary:
        "kube-proxy cannot reach the API server named in its kubeconfig's server:, so Service rules are not maintained.",
      fix: 'Set server: to the API server address (kubeadm controlPlaneEndpoint), then restart kube-proxy.',
      safety: 'auto-guarded',
    },
  },
  run(snapshot, { tr }) {
    if (snapshot.fingerprint.proxy !== 'kube-proxy') return [];
    const view = proxyView(snapshot);
    const mismatch = serverMismatch(snapshot, view);
    const dial = findInLogs(view, DIAL);
    const notFound = findInLogs(view, NODE_NOT_FOUND);
    if (!mismatch && !dial && !notFound) return [];
    const cm = view.kubeconfigSource?.configMap ?? 'kube-proxy';
    const key = view.kubeconfigSource?.key ?? 'kubeconfig.conf';
    const detail = mismatch
      ? tr(
          `${key} in ConfigMap kube-system/${cm} sends kube-proxy to ${mismatch.server}, but the API server is at ${mismatch.expected}.`,
          `컨피그맵 kube-system/${cm}의 ${key}가 kube-proxy를 ${mismatch.server}로 보내지만 API 서버는 ${mismatch.expected}에 있습니다.`,
        )
      : notFound && !dial
        ? tr(
            'kube-proxy looks up a Node name that does not exist (check --hostname-override and the NODE_NAME env).',
            'kube-proxy가 존재하지 않는 노드 이름을 조회합니다(--hostname-override와 NODE_NAME 환경 변수를 확인하세요).',
          )
        : tr('kube-proxy cannot reach the API server.', 'kube-proxy가 API 서버에 연결하지 못합니다.');
    return [
      makeFinding({
        id: ID,
        severity: 'critical',
        title: tr('kube-proxy cannot reach the API server', 'kube-proxy가 API 서버에 연결하지 못함'),
        detail,
        impact: tr(
          'kube-proxy never receives Services and EndpointSlices, so ClusterIPs (including 10.96.0.1 and kube-dns) are not programmed even though the pods may show Running.',
          'kube-proxy가 서비스와 엔드포인트슬라이스를 받지 못해, 파드가 Running으로 보여도 ClusterIP(10.96.0.1, kube-dns 포함)가 프로그래밍되지 않습니다.',
        ),
        evidence: [
          mismatch ? `${cm}/${key} server: ${mismatch.server}` : '',
          mismatch ? `${tr('API server', 'API 서버')}: ${mismatch.expected}` : '',
          dial ? `${dial.pod.metadata.name}: ${dial.line}` : '',
          notFound ? `${notFound.pod.metadata.name}: ${notFound.line}` : '',
          ...podEvidence(view),
        ],
        runbook:
          view.shape === 'rke2-static'
            ? rke2Runbook(tr, view)
            : [
                step(tr('Check the kube-proxy pods.', 'kube-proxy 파드 상태를 확인합니다.'), GREP_PODS),
                step(tr('Read a kube-proxy log.', 'kube-proxy 로그를 확인합니다.'), logsCommand(view)),
                step(
                  tr(
                    'Compare the server in the kubeconfig with the API server endpoint.',
                    'kubeconfig의 server와 API 서버 엔드포인트를 비교합니다.',
                  ),
                  `kubectl -n kube-system get configmap ${cm} -o jsonpath='{.data.${key.replace(/\./g, '\\.')}}' | grep server; kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`,
                ),
                step(
                  tr(
                    'Check controlPlaneEndpoint in the kubeadm configuration.',
                    'kubeadm 설정의 controlPlaneEndpoint를 확인합니다.',
                  ),
                  "kubectl -n kube-system get configmap kubeadm-config -o jsonpath='{.data.ClusterConfiguration}' | grep controlPlaneEndpoint",
                ),
                configEditStep(
                  tr,
                  view,
                  tr(
                    `Set server: in ${key} to the API server address, keeping --hostname-override=$(NODE_NAME).`,
                    `${key}의 server:를 API 서버 주소로 고치고 --hostname-override=$(NODE_NAME)는 그대로 둡니다.`,
                  ),
                  cm,
                ),
                restartStep(tr, view, ['Restart kube-proxy.', 'kube-proxy를 재시작합니다.'], undefined, true),
              ],
        remediation: mismatch?.known
          ? {
              id: 'kube-proxy.fix-apiserver-endpoint',
              params: { namespace: 'kube-system', configMap: cm, key, server: mismatch.server },
              title: tr(
                "Point kube-proxy's kubeconfig at the API server",
                'kube-proxy kubeconfig를 API 서버 주소로 수정',
              ),
            }
          : undefined,
      }),
    ];
  },
};
