// kube-proxy.config-decode-error and kube-proxy.config-validation-error: the KubeProxyConfiguration is not one kube-proxy
// accepts. Read from the ConfigMap itself (so it is caught before pods crash) and from the fatal log line.
import type { RegisteredCheck, Snapshot } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import type { Translate } from '../../i18n.ts';
import { isValidCidr } from '../../objects/cidr.ts';
import type { Finding } from '../../report.ts';
import {
  configEditStep,
  configLookSteps,
  findInLogs,
  type ProxyView,
  podEvidence,
  proxyView,
  restartStep,
  triageSteps,
  waitCommand,
} from './view.ts';

const DECODE = 'kube-proxy.config-decode-error';
const VALIDATE = 'kube-proxy.config-validation-error';

/** Valid Linux proxy modes; blank means the best available (iptables). */
export const VALID_MODES = ['', 'iptables', 'ipvs', 'nftables'];

const DECODE_LOG =
  /no kind \\?"\w+\\?" is registered|failed to decode|ReadMapCB|couldn't get version\/kind|yaml: (line \d+|unmarshal errors)/;
const NFTABLES_REJECTED = /Invalid value: \\?"nftables\\?"/;

/** kube-proxy's version from its image tag (registry.k8s.io/kube-proxy:v1.30.8 → v1.30.8). */
function proxyVersion(view: ProxyView): string | undefined {
  const tag = String(view.container?.image ?? '')
    .split('@')[0]
    ?.split(':')
    .pop();
  return tag && /^v\d+\.\d+/.test(tag) ? tag : undefined;
}

const VALIDATE_LOG = /failed validate:|KubeProxyConfiguration\.\S+: Invalid value|ProxyMode: Invalid value/;

function location(snapshot: Snapshot, view: ProxyView): { cm: string; key: string } {
  const loc = snapshot.fingerprint.proxyConfig;
  return {
    cm: loc?.configMap ?? view.configSource?.configMap ?? 'kube-proxy',
    key: loc?.key ?? view.configSource?.key ?? 'config.conf',
  };
}

function decodeProblem(view: ProxyView, tr: Translate): string | undefined {
  const doc = view.config;
  if (!doc) return undefined;
  if (doc.error) return tr(`it is not valid YAML (${doc.error})`, `올바른 YAML이 아닙니다 (${doc.error})`);
  const value = doc.value;
  if (value === null || typeof value !== 'object')
    return tr('it is empty or not a YAML mapping', '비어 있거나 YAML 매핑이 아닙니다');
  if (value.kind === 'Config') {
    return tr(
      'it is a kubeconfig (kind: Config), not a KubeProxyConfiguration',
      'KubeProxyConfiguration이 아니라 kubeconfig(kind: Config)입니다',
    );
  }
  if (value.kind !== undefined && value.kind !== 'KubeProxyConfiguration') {
    return tr(
      `its kind is "${value.kind}", not KubeProxyConfiguration`,
      `kind가 KubeProxyConfiguration이 아니라 "${value.kind}"입니다`,
    );
  }
  if (typeof value.apiVersion === 'string' && !value.apiVersion.startsWith('kubeproxy.config.k8s.io/')) {
    return tr(
      `its apiVersion is "${value.apiVersion}", not kubeproxy.config.k8s.io/v1alpha1`,
      `apiVersion이 kubeproxy.config.k8s.io/v1alpha1이 아니라 "${value.apiVersion}"입니다`,
    );
  }
  return undefined;
}

interface Invalid {
  field: string;
  value: string;
  allowed: string;
}

function validationProblems(view: ProxyView, tr: Translate): Invalid[] {
  const value = view.config?.value;
  if (!value || typeof value !== 'object' || value.kind === 'Config') return [];
  const problems: Invalid[] = [];
  const mode = value.mode ?? '';
  if (typeof mode !== 'string' || !VALID_MODES.includes(mode)) {
    problems.push({
      field: 'mode',
      value: String(mode),
      allowed: tr('iptables, ipvs, nftables or "" (blank)', 'iptables, ipvs, nftables 또는 ""(빈 값)'),
    });
  }
  const cidr = value.clusterCIDR;
  if (typeof cidr === 'string' && cidr.trim() !== '') {
    const bad = cidr.split(',').filter((c) => !isValidCidr(c.trim()));
    if (bad.length > 0)
      problems.push({
        field: 'clusterCIDR',
        value: cidr,
        allowed: tr('a CIDR list such as 10.244.0.0/16', '10.244.0.0/16 같은 CIDR 목록'),
      });
  }
  return problems;
}

export const configErrorsCheck: RegisteredCheck = {
  name: 'kube-proxy-config-errors',
  component: 'kube-proxy',
  emits: [DECODE, VALIDATE],
  remediations: ['kube-proxy.reset-mode', 'kube-proxy.restore-config'],
  describe: {
    [DECODE]: {
      severities: ['critical'],
      summary: 'The kube-proxy configuration is not a valid KubeProxyConfiguration, so kube-proxy exits.',
      fix: 'Restore the configuration key to a valid KubeProxyConfiguration, then restart kube-proxy.',
      safety: 'auto-guarded',
    },
    [VALIDATE]: {
      severities: ['critical'],
      summary:
        'The kube-proxy configuration parses but fails validation (for example an invalid mode), so kube-proxy exits.',
      fix: 'Set mode to "", iptables, ipvs or nftables (or fix the named field), then restart kube-proxy.',
      safety: 'auto-safe',
    },
  },
  run(snapshot, { tr }) {
    if (snapshot.fingerprint.proxy !== 'kube-proxy') return [];
    const view = proxyView(snapshot);
    const { cm, key } = location(snapshot, view);
    const findings: Finding[] = [];
    const common = [...triageSteps(tr, view), ...configLookSteps(tr, view, cm, key)];

    const decode = decodeProblem(view, tr);
    const decodeLog = findInLogs(view, DECODE_LOG);
    if (decode || decodeLog) {
      findings.push(
        makeFinding({
          id: DECODE,
          severity: 'critical',
          title: tr('kube-proxy cannot decode its configuration', 'kube-proxy가 설정 파일을 해석하지 못함'),
          detail: decode
            ? tr(
                `${key} in ConfigMap kube-system/${cm} is not a KubeProxyConfiguration: ${decode}.`,
                `컨피그맵 kube-system/${cm}의 ${key}가 KubeProxyConfiguration이 아닙니다: ${decode}.`,
              )
            : tr(
                `kube-proxy fails to decode ${view.configPath ?? key} at start-up.`,
                `kube-proxy가 시작할 때 ${view.configPath ?? key}를 해석하지 못합니다.`,
              ),
          impact: tr(
            'kube-proxy exits on start, so Service rules are no longer maintained on the nodes.',
            'kube-proxy가 시작하자마자 종료되어 노드의 서비스 규칙이 더 이상 관리되지 않습니다.',
          ),
          evidence: [...podEvidence(view), decodeLog ? `${decodeLog.pod.metadata.name}: ${decodeLog.line}` : ''],
          runbook: [
            ...common,
            configEditStep(
              tr,
              view,
              tr(
                `Restore ${key} to a valid KubeProxyConfiguration (apiVersion kubeproxy.config.k8s.io/v1alpha1, kind KubeProxyConfiguration), e.g. from kubeadm-config or the backup, then restart.`,
                `${key}를 올바른 KubeProxyConfiguration(apiVersion kubeproxy.config.k8s.io/v1alpha1, kind KubeProxyConfiguration)으로 복원한 뒤(kubeadm-config나 백업 참고) 재시작합니다.`,
              ),
              cm,
            ),
            restartStep(tr, view, ['Restart kube-proxy.', 'kube-proxy를 재시작합니다.'], undefined, true),
          ],
          // Offered only when the ConfigMap itself is proven unreadable as a KubeProxyConfiguration.
          remediation: decode
            ? {
                id: 'kube-proxy.restore-config',
                params: { namespace: 'kube-system', configMap: cm, key },
                title: tr(`Restore ${key} from the kubeadm template`, `kubeadm 템플릿으로 ${key} 복원`),
              }
            : undefined,
        }),
      );
    }

    const invalid = decode ? [] : validationProblems(view, tr);
    const validateLog = findInLogs(view, VALIDATE_LOG);
    if (invalid.length > 0 || validateLog) {
      const badMode = invalid.find((p) => p.field === 'mode');
      // nftables is a valid mode only from kube-proxy 1.31 (1.29/1.30 behind the NFTablesProxyMode gate): an older
      // kube-proxy given a newer config rejects it, and the fix is another mode or an upgrade, not a typo fix.
      const nftablesRejected = !badMode && validateLog !== undefined && NFTABLES_REJECTED.test(validateLog.line);
      const what = invalid.map((p) => `${p.field}: "${p.value}" (${tr('allowed', '허용값')}: ${p.allowed})`).join('; ');
      findings.push(
        makeFinding({
          id: VALIDATE,
          severity: 'critical',
          title: nftablesRejected
            ? tr(
                'This kube-proxy version does not accept mode "nftables"',
                '이 버전의 kube-proxy는 mode "nftables"를 받아들이지 않음',
              )
            : badMode
              ? tr(
                  `kube-proxy mode "${badMode.value}" is not valid`,
                  `kube-proxy mode "${badMode.value}"가 올바르지 않음`,
                )
              : tr('kube-proxy configuration fails validation', 'kube-proxy 설정이 검증을 통과하지 못함'),
          detail: nftablesRejected
            ? tr(
                `${key} in ConfigMap kube-system/${cm} sets mode: nftables, but kube-proxy ${proxyVersion(view) ?? ''} rejects it: nftables mode needs kube-proxy 1.31 or later (1.29 and 1.30 only with the NFTablesProxyMode feature gate).`,
                `컨피그맵 kube-system/${cm}의 ${key}가 mode: nftables로 설정되어 있지만 kube-proxy ${proxyVersion(view) ?? ''}는 이를 거부합니다. nftables 모드는 kube-proxy 1.31 이상이 필요합니다(1.29, 1.30은 NFTablesProxyMode 기능 게이트를 켠 경우만).`,
              )
            : what
              ? tr(
                  `${key} in ConfigMap kube-system/${cm} has ${what}.`,
                  `컨피그맵 kube-system/${cm}의 ${key}에 ${what} 값이 있습니다.`,
                )
              : tr('kube-proxy rejects its configuration at start-up.', 'kube-proxy가 시작할 때 설정을 거부합니다.'),
          impact: tr(
            'kube-proxy refuses to start with this configuration (pods that restart will crash-loop), so Service rules stop being maintained.',
            '이 설정으로는 kube-proxy가 시작하지 않으므로(재시작되는 파드는 CrashLoopBackOff), 서비스 규칙이 더 이상 관리되지 않습니다.',
          ),
          evidence: [
            ...invalid.map((p) => `${cm}/${key} ${p.field}: "${p.value}"`),
            ...podEvidence(view),
            validateLog ? `${validateLog.pod.metadata.name}: ${validateLog.line}` : '',
          ],
          runbook: [
            ...common,
            configEditStep(
              tr,
              view,
              nftablesRejected
                ? tr(
                    'Set mode to iptables (or "", the default) until kube-proxy is 1.31 or later; or enable the NFTablesProxyMode feature gate on 1.29/1.30.',
                    'kube-proxy가 1.31 이상이 될 때까지 mode를 iptables(또는 기본값 "")로 설정합니다. 1.29/1.30에서는 NFTablesProxyMode 기능 게이트를 켜는 방법도 있습니다.',
                  )
                : badMode
                  ? tr(
                      'Set mode to "" (kubeadm default, iptables), iptables, ipvs or nftables.',
                      'mode를 ""(kubeadm 기본값, iptables), iptables, ipvs, nftables 중 하나로 설정합니다.',
                    )
                  : tr('Correct the rejected field.', '거부된 필드를 수정합니다.'),
              cm,
            ),
            restartStep(tr, view, ['Restart kube-proxy.', 'kube-proxy를 재시작합니다.'], undefined, true),
            ...(nftablesRejected
              ? [
                  step(
                    tr(
                      'Wait until every kube-proxy pod is running again.',
                      '모든 kube-proxy 파드가 다시 실행될 때까지 기다립니다.',
                    ),
                    waitCommand(view),
                  ),
                ]
              : []),
          ],
          remediation: badMode
            ? {
                id: 'kube-proxy.reset-mode',
                params: { namespace: 'kube-system', configMap: cm, key },
                title: tr('Reset kube-proxy mode to "" (iptables)', 'kube-proxy mode를 ""(iptables)로 되돌리기'),
              }
            : undefined,
        }),
      );
    }
    return findings;
  },
};
