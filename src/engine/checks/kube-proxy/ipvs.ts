// kube-proxy.ipvs-unavailable: mode ipvs without the kernel modules / ipset. Since kubernetes#111806 kube-proxy exits
// instead of falling back; older releases fell back to iptables (a warning, not an outage).
import type { RegisteredCheck } from '../../check.ts';
import { makeFinding, option, step } from '../../findings.ts';
import { configEditStep, findInLogs, podEvidence, proxyView, restartStep, triageSteps } from './view.ts';

const ID = 'kube-proxy.ipvs-unavailable';
const FATAL =
  /can't use the IPVS proxier|Could not create dummy VS|ipvs not supported by the kernel|error getting ipset version|ipset version: \S+ is less than min required/i;
const FALLBACK =
  /IPVS proxier will not be used|Can't use ipvs proxier, trying iptables proxier|can't determine whether to use ipvs proxy/i;

export const ipvsCheck: RegisteredCheck = {
  name: 'kube-proxy-ipvs',
  component: 'kube-proxy',
  emits: [ID],
  remediations: ['kube-proxy.switch-to-iptables'],
  describe: {
    [ID]: {
      severities: ['critical', 'warning'],
      summary:
        'kube-proxy is configured for IPVS but the kernel lacks the IPVS modules or ipset, so it falls back or exits.',
      fix: 'Load the IPVS modules and install ipset on each node, or switch mode to iptables or nftables.',
      safety: 'auto-guarded',
    },
  },
  run(snapshot, { tr }) {
    if (snapshot.fingerprint.proxy !== 'kube-proxy') return [];
    const view = proxyView(snapshot);
    // The fallback-era wording also contains "Can't use the IPVS proxier", so test it first.
    const fallback = findInLogs(view, FALLBACK);
    const fatal = fallback ? undefined : findInLogs(view, FATAL);
    const hit = fallback ?? fatal;
    if (!hit) return [];
    const cm = snapshot.fingerprint.proxyConfig?.configMap ?? 'kube-proxy';
    const key = view.configSource?.key ?? 'config.conf';
    const scheduler = view.config?.value?.ipvs?.scheduler;
    return [
      makeFinding({
        id: ID,
        severity: fallback ? 'warning' : 'critical',
        title: tr('kube-proxy cannot use IPVS mode', 'kube-proxy가 IPVS 모드를 사용할 수 없음'),
        detail: fallback
          ? tr(
              'kube-proxy is configured for ipvs, but the IPVS kernel modules are missing, so it fell back to iptables.',
              'kube-proxy가 ipvs 모드로 설정되었지만 IPVS 커널 모듈이 없어 iptables로 대체 동작합니다.',
            )
          : tr(
              `kube-proxy is configured for ipvs${scheduler ? ` (scheduler "${scheduler}")` : ''}, but the node cannot provide it, so kube-proxy exits.`,
              `kube-proxy가 ipvs 모드${scheduler ? `(scheduler "${scheduler}")` : ''}로 설정되었지만 노드가 이를 지원하지 않아 kube-proxy가 종료됩니다.`,
            ),
        impact: fallback
          ? tr(
              'Services work, but not in the mode you configured.',
              '서비스는 동작하지만 설정한 모드로 동작하지 않습니다.',
            )
          : tr(
              'No kube-proxy runs on the affected nodes, so Service rules are not maintained there.',
              '해당 노드에서 kube-proxy가 실행되지 않아 서비스 규칙이 관리되지 않습니다.',
            ),
        evidence: [
          `${hit.pod.metadata.name}: ${hit.line}`,
          ...podEvidence(view),
          view.config?.value?.mode ? `mode: ${view.config.value.mode}` : '',
        ],
        runbook: [
          ...triageSteps(tr, view, hit.pod),
          ...option(
            {
              id: 'A',
              title: tr('Make IPVS available on the nodes', '노드에서 IPVS를 쓸 수 있게 하기'),
              recommended: true,
            },
            [
              step(
                tr(
                  'On each node, load the IPVS modules and install ipset (and check that ipvs.scheduler names an existing scheduler).',
                  '각 노드에서 IPVS 모듈을 로드하고 ipset을 설치합니다. ipvs.scheduler가 실제로 있는 스케줄러인지도 확인합니다.',
                ),
                'sudo modprobe -a ip_vs ip_vs_rr ip_vs_wrr ip_vs_sh nf_conntrack',
                'node',
              ),
              restartStep(tr, view, ['Restart kube-proxy.', 'kube-proxy를 재시작합니다.']),
            ],
          ),
          ...option({ id: 'B', title: tr('Leave IPVS mode', 'IPVS 모드 그만 쓰기') }, [
            configEditStep(
              tr,
              view,
              tr(
                'Switch mode to "" (iptables) or nftables in the kube-proxy ConfigMap.',
                'kube-proxy 컨피그맵에서 mode를 ""(iptables)나 nftables로 바꿉니다.',
              ),
              cm,
            ),
            restartStep(tr, view, ['Restart kube-proxy.', 'kube-proxy를 재시작합니다.'], undefined, true),
          ]),
        ],
        // Leaving IPVS is an API-object change (AUTO-GUARDED); loading kernel modules needs the node (MANUAL).
        remediation:
          view.config?.value?.mode === 'ipvs'
            ? {
                id: 'kube-proxy.switch-to-iptables',
                params: { namespace: 'kube-system', configMap: cm, key },
                title: tr('Switch kube-proxy to iptables mode', 'kube-proxy를 iptables 모드로 전환'),
              }
            : undefined,
      }),
    ];
  },
};
