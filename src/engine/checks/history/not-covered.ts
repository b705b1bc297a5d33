// dns.not-covered / kube-proxy.not-covered / cni.not-covered: a distribution that manages a component its own way
// (OpenShift's DNS and network operators) is recognised and said to be outside netcheck's checks, never "broken".
// The diagnosis runs no other check of such a component.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import type { ComponentName, Finding } from '../../report.ts';

function notCoveredCheck(component: ComponentName, id: string, label: [string, string]): RegisteredCheck {
  return {
    name: `${component}-not-covered`,
    component,
    emits: [id],
    remediations: [],
    describe: {
      [id]: {
        severities: ['info'],
        summary:
          "The distribution manages this component its own way (e.g. OpenShift's operators); netcheck does not judge it.",
        fix: "Use the distribution's own tooling (e.g. oc get clusteroperator dns network).",
        safety: 'manual',
        manual: 'distribution',
      },
    },
    run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
      const entry = snapshot.fingerprint.notCovered?.find((n) => n.component === component);
      if (!entry) return [];
      const node = snapshot.nodes.find((n) => n.metadata.labels?.['node.openshift.io/os_id']);
      return [
        makeFinding({
          id,
          severity: 'info',
          title: ctx.tr(`${label[0]} is not covered on this distribution`, `점검 대상 아님: 이 배포판의 ${label[1]}`),
          detail: ctx.tr(
            `${label[0]} is managed by ${entry.by}. netcheck recognises it and does not check it, so nothing here is reported as broken.`,
            `${label[1]}: ${entry.by}에서 관리합니다. netcheck는 이를 인식하고 점검하지 않으므로 고장으로 보고하지 않습니다.`,
          ),
          evidence: node
            ? [
                `node/${node.metadata.name} node.openshift.io/os_id=${node.metadata.labels?.['node.openshift.io/os_id']}`,
              ]
            : [entry.by],
          runbook: [
            step(
              ctx.tr("Check it with the distribution's operator status.", '배포판 오퍼레이터 상태로 확인합니다.'),
              'oc get clusteroperator dns network',
            ),
          ],
        }),
      ];
    },
  };
}

export const notCoveredChecks: RegisteredCheck[] = [
  notCoveredCheck('dns', 'dns.not-covered', ['Cluster DNS', '클러스터 DNS']),
  notCoveredCheck('kube-proxy', 'kube-proxy.not-covered', [
    'Service routing (kube-proxy)',
    '서비스 라우팅(kube-proxy)',
  ]),
  notCoveredCheck('cni', 'cni.not-covered', ['The pod network (CNI)', '파드 네트워크(CNI)']),
];
