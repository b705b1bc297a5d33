// kube-proxy.conntrack-sysctl-permission and kube-proxy.inotify-exhausted: the host refuses what kube-proxy needs at
// start-up (a writable nf_conntrack_max, an inotify instance for the config watcher).
import type { RegisteredCheck } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import type { Finding } from '../../report.ts';
import { configEditStep, findInLogs, podEvidence, podsWithLog, proxyView, restartStep, triageSteps } from './view.ts';

const CONNTRACK = 'kube-proxy.conntrack-sysctl-permission';
const INOTIFY = 'kube-proxy.inotify-exhausted';
const CONNTRACK_LOG = /nf_conntrack_max: permission denied|nf_conntrack_max.*read-only file system/;
const INOTIFY_LOG = /too many open files/;

export const hostLimitsCheck: RegisteredCheck = {
  name: 'kube-proxy-host-limits',
  component: 'kube-proxy',
  emits: [CONNTRACK, INOTIFY],
  remediations: ['kube-proxy.conntrack-leave-max'],
  describe: {
    [CONNTRACK]: {
      severities: ['critical'],
      summary:
        'kube-proxy exits because it cannot set nf_conntrack_max where /proc/sys is read-only (nested containers).',
      fix: 'Set conntrack.maxPerCore: 0 in the kube-proxy configuration, then restart kube-proxy.',
      safety: 'auto-guarded',
    },
    [INOTIFY]: {
      severities: ['critical'],
      summary:
        'The node ran out of inotify instances, so kube-proxy exits with "too many open files" while watching its config.',
      fix: 'Raise fs.inotify.max_user_instances and max_user_watches on the host, then restart kube-proxy.',
      safety: 'manual',
      manual: 'node',
    },
  },
  run(snapshot, { tr }) {
    if (snapshot.fingerprint.proxy !== 'kube-proxy') return [];
    const view = proxyView(snapshot);
    const cm = snapshot.fingerprint.proxyConfig?.configMap ?? 'kube-proxy';
    const findings: Finding[] = [];
    const conntrack = findInLogs(view, CONNTRACK_LOG);
    if (conntrack) {
      findings.push(
        makeFinding({
          id: CONNTRACK,
          severity: 'critical',
          title: tr('kube-proxy may not set nf_conntrack_max', 'kube-proxy가 nf_conntrack_max를 설정하지 못함'),
          detail: tr(
            `kube-proxy exits because /proc/sys is read-only on ${podsWithLog(view, CONNTRACK_LOG).length} node(s) (nested containers, kind/minikube on newer kernels).`,
            `노드 ${podsWithLog(view, CONNTRACK_LOG).length}개에서 /proc/sys가 읽기 전용이라 kube-proxy가 종료됩니다(중첩 컨테이너, 최신 커널의 kind/minikube).`,
          ),
          impact: tr(
            'No kube-proxy runs on those nodes, so Services do not work there.',
            '해당 노드에서 kube-proxy가 실행되지 않아 서비스가 동작하지 않습니다.',
          ),
          evidence: [`${conntrack.pod.metadata.name}: ${conntrack.line}`, ...podEvidence(view)],
          runbook: [
            ...triageSteps(tr, view, conntrack.pod),
            configEditStep(
              tr,
              view,
              tr(
                'Set conntrack.maxPerCore: 0 (leave the limit as-is) in the configuration.',
                '설정에서 conntrack.maxPerCore: 0(현재 한도 유지)으로 지정합니다.',
              ),
              cm,
            ),
            restartStep(tr, view, ['Restart kube-proxy.', 'kube-proxy를 재시작합니다.'], undefined, true),
          ],
          remediation: {
            id: 'kube-proxy.conntrack-leave-max',
            params: { namespace: 'kube-system', configMap: cm, key: view.configSource?.key ?? 'config.conf' },
            title: tr('Leave nf_conntrack_max as-is (maxPerCore: 0)', 'nf_conntrack_max 그대로 두기(maxPerCore: 0)'),
          },
        }),
      );
    }
    const inotify = findInLogs(view, INOTIFY_LOG);
    if (inotify) {
      findings.push(
        makeFinding({
          id: INOTIFY,
          severity: 'critical',
          title: tr(
            'The node ran out of inotify instances for kube-proxy',
            '노드의 inotify 인스턴스가 부족해 kube-proxy가 시작하지 못함',
          ),
          detail: tr(
            'kube-proxy exits with "too many open files" while watching its config file: the host\'s fs.inotify.max_user_instances is exhausted.',
            'kube-proxy가 설정 파일을 감시하다 "too many open files"로 종료됩니다: 호스트의 fs.inotify.max_user_instances가 모두 소진되었습니다.',
          ),
          impact: tr(
            'No kube-proxy runs on that node; CoreDNS and every ClusterIP Service stop working there.',
            '그 노드에서 kube-proxy가 실행되지 않아 CoreDNS와 모든 ClusterIP 서비스가 동작하지 않습니다.',
          ),
          evidence: [`${inotify.pod.metadata.name}: ${inotify.line}`, ...podEvidence(view)],
          runbook: [
            ...triageSteps(tr, view, inotify.pod),
            step(
              tr('On the host, raise the inotify limits.', '호스트에서 inotify 한도를 올립니다.'),
              'sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512',
            ),
            restartStep(tr, view, ['Restart kube-proxy.', 'kube-proxy를 재시작합니다.']),
          ],
        }),
      );
    }
    return findings;
  },
};
