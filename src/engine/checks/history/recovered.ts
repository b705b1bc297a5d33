// dns.recovered / kube-proxy.recovered / cni.recovered: what went wrong and has stopped. A crash that ended long ago
// on a pod Ready since, or an event that stopped recurring, is history: it is reported dated, as `info`, never higher.
import type { CheckContext, HistoryNote, RegisteredCheck, Snapshot } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import type { ComponentName, Finding } from '../../report.ts';

const LABEL: Record<ComponentName, [string, string]> = {
  dns: ['Cluster DNS', '클러스터 DNS'],
  'kube-proxy': ['kube-proxy', 'kube-proxy'],
  cni: ['The pod network (CNI)', '파드 네트워크(CNI)'],
};

function recoveredCheck(component: ComponentName, id: string): RegisteredCheck {
  return {
    name: `${component}-recovered`,
    component,
    emits: [id],
    remediations: [],
    describe: {
      [id]: {
        severities: ['info'],
        summary:
          'A past problem (an old container exit, events that stopped) that is no longer happening, with its date.',
        fix: 'Nothing to do now; if it comes back, it is reported as a current finding.',
        safety: 'manual',
        manual: 'nothing',
      },
    },
    run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
      const notes: HistoryNote[] = (snapshot.history ?? []).filter((n) => n.component === component);
      if (notes.length === 0) return [];
      const latest = notes
        .map((n) => n.lastSeen)
        .sort()
        .at(-1)!;
      const [en, ko] = LABEL[component];
      return [
        makeFinding({
          id,
          severity: 'info',
          title: ctx.tr(`${en} recovered from a past problem`, `${ko}: 지난 문제에서 회복됨`),
          detail: ctx.tr(
            `${notes.length} past problem(s) stopped; the latest was last seen ${latest}. Nothing is failing now.`,
            `지난 문제 ${notes.length}건이 멈췄습니다. 가장 최근은 ${latest}에 마지막으로 관찰되었습니다. 지금은 실패하는 것이 없습니다.`,
          ),
          evidence: notes.slice(0, 5).map((n) => `${n.subject}: ${n.what}; last seen ${n.lastSeen}`),
          runbook: [
            step(
              ctx.tr(
                'Nothing to do now. If it recurs, netcheck reports it as a current finding; the events show the history.',
                '지금은 할 일이 없습니다. 다시 발생하면 netcheck가 현재 문제로 보고합니다. 이력은 이벤트에서 볼 수 있습니다.',
              ),
              'kubectl -n kube-system get events --sort-by=.lastTimestamp',
            ),
          ],
          observedAt: latest,
        }),
      ];
    },
  };
}

export const recoveredChecks: RegisteredCheck[] = [
  recoveredCheck('dns', 'dns.recovered'),
  recoveredCheck('kube-proxy', 'kube-proxy.recovered'),
  recoveredCheck('cni', 'cni.recovered'),
];
