// kube-proxy.config-path-mismatch: --config names a file the ConfigMap does not project, usually after a hand edit of the flag.
import type { RegisteredCheck } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import {
  describeConfigMapCommand,
  findInLogs,
  type ProxyView,
  podEvidence,
  podsWithLog,
  proxyView,
  triageSteps,
} from './view.ts';

const ID = 'kube-proxy.config-path-mismatch';
const MISSING_FILE = /failed complete: open (\/\S+): no such file or directory/;

/** The path kube-proxy should be given: same directory, the key that holds the configuration. */
function expectedPath(view: ProxyView, key: string): string | undefined {
  if (!view.configSource) return undefined;
  return `${view.configSource.mountPath}/${key}`;
}

export const configPathCheck: RegisteredCheck = {
  name: 'kube-proxy-config-path',
  component: 'kube-proxy',
  emits: [ID],
  remediations: ['kube-proxy.fix-config-path'],
  describe: {
    [ID]: {
      severities: ['critical'],
      summary: 'kube-proxy --config names a file the mounted ConfigMap does not project, so kube-proxy exits.',
      fix: 'Point --config back at a key of the ConfigMap (kubeadm: /var/lib/kube-proxy/config.conf).',
      safety: 'auto-safe',
    },
  },
  run(snapshot, { tr }) {
    if (snapshot.fingerprint.proxy !== 'kube-proxy') return [];
    const view = proxyView(snapshot);
    const source = view.configSource;
    const keys = Object.keys(view.configCm?.data ?? {});
    // The ConfigMap itself missing is kube-proxy.configmap-missing, not a path problem.
    if (view.configCmAbsent) return [];
    const flagMismatch = Boolean(source && view.configCm && !keys.includes(source.key));
    const logHit = findInLogs(view, MISSING_FILE);
    const logPath = logHit ? MISSING_FILE.exec(logHit.line)?.[1] : undefined;
    // A missing kubeconfig file is reported by the kubeconfig check; only the --config file counts here.
    const logMismatch = Boolean(logPath && (!view.configPath || logPath === view.configPath));
    if (!flagMismatch && !logMismatch) return [];

    const cmName = source?.configMap ?? snapshot.fingerprint.proxyConfig?.configMap ?? 'kube-proxy';
    const holder = snapshot.fingerprint.proxyConfig?.key;
    const goodKey =
      holder && keys.includes(holder) ? holder : keys.find((k) => /conf/.test(k) && !/kubeconfig/.test(k));
    const fixed = goodKey ? expectedPath(view, goodKey) : undefined;
    const crashing = podsWithLog(view, MISSING_FILE);
    const configPath = view.configPath ?? logPath ?? '?';
    const arg = view.configArg;
    // AUTO-SAFE only in the kubeadm shape: ConfigMap has config.conf and the flag points elsewhere under the mount.
    const kubeadmShape =
      ['kubeadm', 'kind'].includes(snapshot.fingerprint.flavor) &&
      keys.includes('config.conf') &&
      source?.mountPath === '/var/lib/kube-proxy' &&
      fixed === '/var/lib/kube-proxy/config.conf';
    const patch =
      arg && fixed
        ? `kubectl -n kube-system patch ds kube-proxy --type=json -p='[{"op":"replace","path":"/spec/template/spec/containers/${arg.containerIndex}/${arg.field}/${arg.index}","value":"--config=${fixed}"}]'`
        : undefined;
    return [
      makeFinding({
        id: ID,
        severity: 'critical',
        title: tr(
          'kube-proxy --config points to a file that does not exist',
          'kube-proxy --config가 존재하지 않는 파일을 가리킴',
        ),
        detail: tr(
          `DaemonSet kube-system/kube-proxy starts kube-proxy with --config=${configPath}, but ConfigMap kube-system/${cmName} (mounted at ${source?.mountPath ?? '/var/lib/kube-proxy'}) only has the keys ${keys.join(', ') || '(none)'}${fixed ? `; the configuration is at ${fixed}` : ''}.`,
          `데몬셋 kube-system/kube-proxy가 --config=${configPath}로 kube-proxy를 실행하지만, 컨피그맵 kube-system/${cmName}(${source?.mountPath ?? '/var/lib/kube-proxy'}에 마운트)에는 ${keys.join(', ') || '(없음)'} 키만 있습니다${fixed ? `. 설정 파일은 ${fixed}입니다` : ''}.`,
        ),
        impact: tr(
          `kube-proxy exits at start-up on ${crashing.length > 0 ? `${crashing.length} node(s)` : 'every node'}, so Service rules (ClusterIPs, NodePorts, the kubernetes and kube-dns VIPs) are no longer kept up to date.`,
          `kube-proxy가 ${crashing.length > 0 ? `노드 ${crashing.length}개` : '모든 노드'}에서 시작하자마자 종료되어 서비스 규칙(ClusterIP, NodePort, kubernetes·kube-dns VIP)이 더 이상 갱신되지 않습니다.`,
        ),
        evidence: [
          arg ? `ds/kube-proxy ${arg.field}[${arg.index}]: ${arg.value}` : '',
          view.configCm ? `configmap/${cmName} keys: ${keys.join(', ') || '(none)'}` : '',
          ...podEvidence(view),
          logHit ? `${logHit.pod.metadata.name}: ${logHit.line}` : '',
        ],
        runbook: [
          ...triageSteps(tr, view),
          step(
            tr('Compare the --config flag with the ConfigMap keys.', '--config 플래그와 컨피그맵 키를 비교합니다.'),
            "kubectl -n kube-system get ds kube-proxy -o jsonpath='{.spec.template.spec.containers[0].command}'",
          ),
          step(tr('Look at the ConfigMap.', '컨피그맵을 확인합니다.'), describeConfigMapCommand(cmName)),
          step(
            tr('Back up the DaemonSet.', '데몬셋을 백업합니다.'),
            'kubectl -n kube-system get ds kube-proxy -o yaml > kube-proxy-ds.bak.yaml',
          ),
          ...(patch
            ? [step(tr(`Point --config back at ${fixed}.`, `--config를 ${fixed}로 되돌립니다.`), patch)]
            : [
                step(
                  tr(
                    'Fix the --config flag so it names a key of the ConfigMap.',
                    '--config 플래그가 컨피그맵의 키를 가리키도록 수정합니다.',
                  ),
                  'kubectl -n kube-system edit ds kube-proxy',
                ),
              ]),
          step(
            tr('Watch the pods come back.', '파드가 다시 Running이 되는지 확인합니다.'),
            'kubectl -n kube-system get pods -l k8s-app=kube-proxy -w',
          ),
        ],
        remediation: kubeadmShape
          ? {
              id: 'kube-proxy.fix-config-path',
              params: { namespace: 'kube-system', daemonSet: 'kube-proxy' },
              title: tr(
                'Point --config back at /var/lib/kube-proxy/config.conf',
                '--config를 /var/lib/kube-proxy/config.conf로 되돌리기',
              ),
            }
          : undefined,
      }),
    ];
  },
};
