// kube-proxy.crashloop / kube-proxy.pods-not-ready: generic fallbacks when kube-proxy pods fail for a reason no
// specific check recognises. The diagnosis drops them when a specific critical kube-proxy finding explains the pods.
import type { RegisteredCheck } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { makeFinding, step } from '../../findings.ts';
import { eventLine, eventsFor } from '../../objects/events.ts';
import { lastLogLine } from '../../objects/logs.ts';
import { isCrashLooping, podState, waitingReason } from '../../objects/pods.ts';
import type { Finding } from '../../report.ts';
import {
  configLookSteps,
  GREP_PODS,
  isBenign,
  KS,
  logsCommand,
  type ProxyView,
  proxyView,
  restartStep,
} from './view.ts';

const CRASH = 'kube-proxy.crashloop';
const NOT_READY = 'kube-proxy.pods-not-ready';

/** The last line worth quoting: errors before benign warnings and info noise. */
function lastErrorLine(view: ProxyView, pod: KubeObject): string | undefined {
  const text = view.logs.find((l) => l.pod === pod)?.text;
  if (!text) return undefined;
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !isBenign(l));
  const errors = lines.filter((l) => /^[EF]\d{4}|command failed|error|Error/.test(l));
  return lastLogLine((errors.length > 0 ? errors : lines).join('\n'));
}

export const podHealthCheck: RegisteredCheck = {
  name: 'kube-proxy-pod-health',
  component: 'kube-proxy',
  emits: [CRASH, NOT_READY],
  remediations: [],
  describe: {
    [CRASH]: {
      severities: ['critical'],
      summary:
        'kube-proxy pods keep crashing for a reason no specific check recognises, so Service rules are not maintained there.',
      fix: 'Read the log of a failing pod (and the previous container), fix the cause, then restart kube-proxy.',
      safety: 'manual',
      manual: 'diagnose-first',
    },
    [NOT_READY]: {
      severities: ['critical'],
      summary: 'kube-proxy pods are not running or not ready, so Service rules are not maintained on those nodes.',
      fix: "Read the pods' events and logs, fix the cause, then restart kube-proxy.",
      safety: 'manual',
      manual: 'diagnose-first',
    },
  },
  run(snapshot, { tr }) {
    if (snapshot.fingerprint.proxy !== 'kube-proxy') return [];
    const view = proxyView(snapshot);
    // A pod that merely restarted once and is Ready now is history, not a finding.
    const failing = view.unhealthy.filter(
      (p) =>
        p.status?.phase !== 'Succeeded' &&
        (isCrashLooping(p) ||
          waitingReason(p) ||
          p.status?.conditions?.some(
            (c: { type: string; status: string }) => c.type === 'Ready' && c.status !== 'True',
          )),
    );
    if (failing.length === 0) return [];
    const crashing = failing.filter(isCrashLooping);
    const findings: Finding[] = [];
    const total = view.pods.length;
    const quote = (pods: KubeObject[]) => {
      for (const pod of pods) {
        const line = lastErrorLine(view, pod);
        if (line) return `${pod.metadata.name}: ${line}`;
      }
      return '';
    };
    const podEvents = (pods: KubeObject[]) =>
      pods
        .flatMap((p) => eventsFor(snapshot, { kind: 'Pod', namespace: KS, name: p.metadata.name }))
        .slice(0, 2)
        .map(eventLine);
    const runbook = (pod: KubeObject) => [
      step(tr('Check the kube-proxy pods.', 'kube-proxy 파드 상태를 확인합니다.'), GREP_PODS),
      step(
        tr(
          'Read the log of a failing pod (and the previous container).',
          '실패한 파드의 로그(이전 컨테이너 포함)를 확인합니다.',
        ),
        logsCommand(view, pod),
      ),
      step(
        tr("Look at the pod's events.", '파드 이벤트를 확인합니다.'),
        `kubectl -n kube-system describe pod ${pod.metadata.name}`,
      ),
      view.shape === 'daemonset'
        ? step(
            tr('Check the configuration ConfigMap.', '설정 컨피그맵을 확인합니다.'),
            `kubectl -n kube-system get configmap ${snapshot.fingerprint.proxyConfig?.configMap ?? 'kube-proxy'} -o yaml`,
          )
        : configLookSteps(tr, view, 'kube-proxy', 'config.conf')[0]!,
      restartStep(tr, view, [
        'After fixing the cause, restart kube-proxy.',
        '원인을 고친 뒤 kube-proxy를 재시작합니다.',
      ]),
    ];
    if (crashing.length > 0) {
      findings.push(
        makeFinding({
          id: CRASH,
          severity: 'critical',
          title: tr('kube-proxy pods are crash-looping', 'kube-proxy 파드가 CrashLoopBackOff 상태'),
          detail: tr(
            `${crashing.length} of ${total} kube-proxy pods keep crashing; the log does not match a known cause.`,
            `kube-proxy 파드 ${total}개 중 ${crashing.length}개가 계속 재시작되며, 로그가 알려진 원인과 일치하지 않습니다.`,
          ),
          impact: tr(
            'Service rules are not maintained on those nodes.',
            '해당 노드에서 서비스 규칙이 관리되지 않습니다.',
          ),
          evidence: [...crashing.slice(0, 3).map(podState), quote(crashing)],
          runbook: runbook(crashing[0]!),
        }),
      );
    }
    const notReady = failing.filter((p) => !isCrashLooping(p));
    if (notReady.length > 0) {
      findings.push(
        makeFinding({
          id: NOT_READY,
          severity: 'critical',
          title: tr('kube-proxy pods are not running', 'kube-proxy 파드가 실행 중이 아님'),
          detail: tr(
            `${notReady.length} of ${total} kube-proxy pods are not ready (${[...new Set(notReady.map((p) => waitingReason(p) ?? p.status?.phase ?? 'Unknown'))].join(', ')}).`,
            `kube-proxy 파드 ${total}개 중 ${notReady.length}개가 준비되지 않았습니다 (${[...new Set(notReady.map((p) => waitingReason(p) ?? p.status?.phase ?? 'Unknown'))].join(', ')}).`,
          ),
          impact: tr(
            'Service rules are not maintained on those nodes.',
            '해당 노드에서 서비스 규칙이 관리되지 않습니다.',
          ),
          evidence: [...notReady.slice(0, 3).map(podState), ...podEvents(notReady), quote(notReady)],
          runbook: runbook(notReady[0]!),
        }),
      );
    }
    return findings;
  },
};
