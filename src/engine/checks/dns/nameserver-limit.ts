// dns.nameserver-limit: kubelet dropped nameservers beyond three from a node's resolv.conf. Usually benign (it hurts
// only if a dropped server was the only working one), so it is reported at info level, naming the nodes and the line
// kubelet applied.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import { eventLine, eventMessage, eventNode, eventsWithReason } from '../../objects/events.ts';
import type { Finding } from '../../report.ts';

const LIMIT = /Nameserver limits were exceeded/;

export const nameserverLimitCheck: RegisteredCheck = {
  name: 'dns-nameserver-limit',
  component: 'dns',
  emits: ['dns.nameserver-limit'],
  remediations: [],
  describe: {
    'dns.nameserver-limit': {
      severities: ['info'],
      summary:
        'A node resolv.conf has more than 3 nameservers, so kubelet drops the extra ones; harmful only if a dropped one was the only working one.',
      fix: "Trim the node resolv.conf, or point kubelet's resolvConf at a file with at most 3 nameservers.",
      safety: 'manual',
      manual: 'node',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const events = eventsWithReason(snapshot, 'DNSConfigForming').filter((e) => LIMIT.test(eventMessage(e)));
    if (events.length === 0) return [];
    const nodes = [...new Set(events.map(eventNode).filter((n): n is string => Boolean(n)))];
    const applied = eventMessage(events[0]!)
      .match(/the applied nameserver line is: (.*)$/)?.[1]
      ?.trim();
    const where = nodes.length > 0 ? nodes.join(', ') : ctx.tr('some nodes', '일부 노드');
    return [
      makeFinding({
        id: 'dns.nameserver-limit',
        severity: 'info',
        title: ctx.tr('Node resolv.conf has more than 3 nameservers', '노드 resolv.conf의 nameserver가 3개를 넘음'),
        detail: ctx.tr(
          `kubelet on ${where} keeps only the first three nameservers${applied ? ` (${applied})` : ''} and drops the rest.`,
          `${where}의 kubelet이 nameserver를 앞의 세 개${applied ? `(${applied})` : ''}만 남기고 나머지를 버립니다.`,
        ),
        impact: ctx.tr(
          'Harmless unless a dropped nameserver was the only one that works.',
          '버려진 nameserver가 유일하게 동작하는 서버가 아니라면 문제가 없습니다.',
        ),
        evidence: events.slice(0, 2).map(eventLine),
        runbook: [
          step(
            ctx.tr(
              `On ${nodes[0] ?? 'the node'}, list the nameservers kubelet reads.`,
              `${nodes[0] ?? '해당 노드'}에서 kubelet이 읽는 nameserver 목록을 확인합니다.`,
            ),
            'grep ^nameserver /etc/resolv.conf /run/systemd/resolve/resolv.conf 2>/dev/null',
          ),
          step(
            ctx.tr(
              'Trim the node resolv.conf to at most three nameservers, or point kubelet resolvConf at a file that has at most three, then restart kubelet.',
              '노드의 resolv.conf를 nameserver 3개 이하로 줄이거나, kubelet의 resolvConf를 3개 이하인 파일로 지정한 뒤 kubelet을 재시작합니다.',
            ),
            'sudo systemctl restart kubelet',
          ),
          step(
            ctx.tr(
              'Verify that the warning stops for newly created pods.',
              '새로 만든 파드에서 경고가 더 이상 나오지 않는지 확인합니다.',
            ),
            'kubectl get events -A --field-selector reason=DNSConfigForming',
          ),
        ],
      }),
    ];
  },
};
