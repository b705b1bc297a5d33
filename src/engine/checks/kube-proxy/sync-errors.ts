// kube-proxy.sync-failing: kube-proxy is Running (the kubeadm DaemonSet has no readiness probe) but every rule sync
// fails, so Services and endpoint changes are not programmed on that node. Only the current log counts, and only a
// failure that repeats and is not followed by a successful sync: one lock contention at start-up is not a failure.
// Strings (docs/failure-catalog.md, kube-proxy.sync-failing): pkg/proxy/iptables/proxier.go
// `Error(err, "Failed to execute iptables-restore")` and `Info("Sync failed", "retryingTime", …)`;
// pkg/proxy/nftables/proxier.go `Error(err, "nftables sync failed")`; pkg/proxy/ipvs/proxier.go the same restore line.
import type { RegisteredCheck } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { makeFinding, step, truncate } from '../../findings.ts';
import { logsFor } from '../../objects/logs.ts';
import { podState } from '../../objects/pods.ts';
import type { Finding } from '../../report.ts';
import { PROXY, proxyView, restartStep } from './view.ts';

const ID = 'kube-proxy.sync-failing';
/** A failed rule restore or transaction (the error line, with the first line of its err=). */
export const SYNC_ERROR = /"(Failed to execute iptables-restore|nftables sync failed|Failed to ensure chain exists)"/;
/** The retry kube-proxy schedules after any failed sync. */
export const SYNC_RETRY = /"Sync failed"/;
/** Lines that mean a sync went through (logged at -v=2 and above). */
const SYNC_OK = /"(SyncProxyRules complete|Syncing (iptables|nftables|ipvs) rules complete|syncProxyRules complete)"/;

export interface SyncFailure {
  pod: KubeObject;
  errorLine: string;
  retryLine?: string;
  failures: number;
}

/** The current log of one kube-proxy pod, judged: failing now, or not. */
export function syncFailure(pod: KubeObject, current: string | undefined): SyncFailure | undefined {
  if (!current) return undefined;
  const lines = current.split('\n');
  let failures = 0;
  let lastFailure = -1;
  let lastOk = -1;
  let errorLine: string | undefined;
  let retryLine: string | undefined;
  lines.forEach((line, i) => {
    if (SYNC_ERROR.test(line)) {
      errorLine ??= line;
      lastFailure = i;
    } else if (SYNC_RETRY.test(line)) {
      failures++;
      retryLine ??= line;
      lastFailure = i;
    } else if (SYNC_OK.test(line)) lastOk = i;
  });
  // Without the retry line (older kube-proxy), each restore error is one failed sync.
  if (failures === 0) failures = lines.filter((l) => SYNC_ERROR.test(l)).length;
  if (!errorLine || failures < 2 || lastOk > lastFailure) return undefined;
  return { pod, errorLine: truncate(errorLine), retryLine: retryLine && truncate(retryLine), failures };
}

export const syncErrorsCheck: RegisteredCheck = {
  name: 'kube-proxy-sync-errors',
  component: 'kube-proxy',
  emits: [ID],
  remediations: [],
  describe: {
    [ID]: {
      severities: ['critical'],
      summary:
        'kube-proxy runs but every rule sync fails (iptables-restore / nftables errors), so Services are not programmed on those nodes.',
      fix: 'Read the restore error on the node (iptables/nft binary or kernel mismatch, conflicting rules), fix the node, then restart its kube-proxy pod.',
      safety: 'manual',
      manual: 'node',
    },
  },
  run(snapshot, { tr }) {
    if (snapshot.fingerprint.proxy !== 'kube-proxy') return [];
    const view = proxyView(snapshot);
    const container = view.container?.name ?? PROXY;
    const failing = view.pods
      .filter((p) => p.status?.phase === 'Running')
      .map((p) => syncFailure(p, logsFor(snapshot, p, container).current))
      .filter((f): f is SyncFailure => f !== undefined);
    if (failing.length === 0) return [];
    const first = failing[0]!;
    const nodes = failing.map((f) => f.pod.spec?.nodeName ?? f.pod.metadata.name);
    const findings: Finding[] = [
      makeFinding({
        id: ID,
        severity: 'critical',
        title: tr('kube-proxy fails every rule sync', 'kube-proxy의 규칙 동기화가 계속 실패함'),
        detail: tr(
          `kube-proxy is Running on ${nodes.join(', ')} but its last ${first.failures} rule syncs failed; Service rules there are stale or missing.`,
          `${nodes.join(', ')}에서 kube-proxy는 Running이지만 최근 규칙 동기화 ${first.failures}번이 모두 실패했습니다. 그 노드의 서비스 규칙이 오래되었거나 없습니다.`,
        ),
        impact: tr(
          'New Services and endpoint changes do not reach those nodes: traffic to ClusterIPs goes to old backends or nowhere.',
          '새 서비스와 엔드포인트 변경이 그 노드에 반영되지 않아 ClusterIP 트래픽이 옛 백엔드로 가거나 어디로도 가지 않습니다.',
        ),
        evidence: [
          ...failing.slice(0, 3).map((f) => podState(f.pod)),
          `${first.pod.metadata.name}: ${first.errorLine}`,
          ...(first.retryLine ? [`${first.pod.metadata.name}: ${first.retryLine}`] : []),
        ],
        runbook: [
          step(
            tr('Read the failing restore in the current log.', '현재 로그에서 실패한 복원 오류를 확인합니다.'),
            `kubectl -n kube-system logs ${first.pod.metadata.name} -c ${container} --tail=100`,
          ),
          step(
            tr(
              'On the node, compare the iptables backend (legacy vs nft) with the host and look for rules another agent wrote.',
              '노드에서 iptables 백엔드(legacy/nft)가 호스트와 같은지, 다른 에이전트가 쓴 규칙이 있는지 확인합니다.',
            ),
            'iptables --version; iptables-save | head -50',
          ),
          restartStep(
            tr,
            view,
            ['After fixing the node, restart kube-proxy there.', '노드를 고친 뒤 그 노드의 kube-proxy를 재시작합니다.'],
            first.pod,
          ),
          restartStep(tr, view, ['Or restart every kube-proxy pod.', '또는 모든 kube-proxy 파드를 재시작합니다.']),
        ],
      }),
    ];
    return findings;
  },
};
