// kube-proxy.serviceaccount-missing: the DaemonSet's ServiceAccount was deleted, so no kube-proxy pod can be created.
import type { RegisteredCheck } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import { eventLine, eventsMatching } from '../../objects/events.ts';
import { failedToRead } from '../../snapshot.ts';
import { GREP_PODS, KS, proxyView } from './view.ts';

const ID = 'kube-proxy.serviceaccount-missing';

export const serviceAccountCheck: RegisteredCheck = {
  name: 'kube-proxy-serviceaccount',
  component: 'kube-proxy',
  emits: [ID],
  remediations: ['kube-proxy.create-serviceaccount'],
  describe: {
    [ID]: {
      severities: ['critical'],
      summary: 'ServiceAccount kube-system/kube-proxy was deleted, so the DaemonSet cannot create pods.',
      fix: 'Re-create the ServiceAccount; the DaemonSet retries by itself.',
      safety: 'auto-safe',
    },
  },
  run(snapshot, { tr }) {
    if (snapshot.fingerprint.proxy !== 'kube-proxy') return [];
    const view = proxyView(snapshot);
    if (!view.ds) return [];
    const name: string =
      view.ds.spec?.template?.spec?.serviceAccountName ?? view.ds.spec?.template?.spec?.serviceAccount ?? 'default';
    const events = eventsMatching(snapshot, `error looking up service account ${KS}/${name}`);
    const listed = !failedToRead(snapshot, 'serviceaccounts', KS) && !failedToRead(snapshot, 'serviceAccounts', KS);
    const absent =
      listed && !snapshot.serviceAccounts.some((sa) => sa.metadata.name === name && sa.metadata.namespace === KS);
    if (!absent && events.length === 0) return [];
    const ds = view.ds.status ?? {};
    return [
      makeFinding({
        id: ID,
        severity: 'critical',
        title: tr(
          `ServiceAccount kube-system/${name} used by kube-proxy is missing`,
          `kube-proxy가 쓰는 서비스 어카운트 kube-system/${name} 없음`,
        ),
        detail: tr(
          `DaemonSet kube-system/kube-proxy runs as ServiceAccount ${name}, which does not exist, so the DaemonSet controller cannot create its pods (${ds.numberAvailable ?? 0}/${ds.desiredNumberScheduled ?? '?'} available).`,
          `데몬셋 kube-system/kube-proxy가 서비스 어카운트 ${name} 계정으로 실행되는데 이 계정이 없어서 데몬셋 컨트롤러가 파드를 만들 수 없습니다 (${ds.numberAvailable ?? 0}/${ds.desiredNumberScheduled ?? '?'} 사용 가능).`,
        ),
        impact: tr(
          'Nodes that lose their kube-proxy pod (new nodes, evictions, upgrades) get none back, and Services stop working there.',
          'kube-proxy 파드를 잃은 노드(신규 노드, 축출, 업그레이드)는 다시 받지 못해 그 노드에서 서비스가 동작하지 않습니다.',
        ),
        evidence: [
          absent ? `serviceaccount/${name}: ${tr('not found in kube-system', 'kube-system에 없음')}` : '',
          ...events.slice(0, 2).map(eventLine),
        ],
        runbook: [
          step(tr('Check the kube-proxy pods.', 'kube-proxy 파드 상태를 확인합니다.'), GREP_PODS),
          step(
            tr('See why the DaemonSet cannot create pods.', '데몬셋이 파드를 만들지 못하는 이유를 확인합니다.'),
            'kubectl -n kube-system describe ds kube-proxy',
          ),
          step(
            tr(
              'Re-create the ServiceAccount; the DaemonSet retries by itself.',
              '서비스 어카운트를 다시 만듭니다. 데몬셋은 스스로 재시도합니다.',
            ),
            `kubectl -n kube-system create serviceaccount ${name}`,
          ),
        ],
        remediation: {
          id: 'kube-proxy.create-serviceaccount',
          params: { namespace: 'kube-system', serviceAccount: name },
          title: tr(`Create ServiceAccount kube-system/${name}`, `서비스 어카운트 kube-system/${name} 만들기`),
        },
      }),
    ];
  },
};
