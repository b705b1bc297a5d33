// coredns.forward-loopback: a static `forward` in the Corefile to a loopback (127.0.0.0/8, ::1) or link-local
// (169.254.0.0/16) address that is not NodeLocal DNSCache. Inside a CoreDNS pod that address is the pod itself, so
// queries loop back into CoreDNS (plugin/loop kills it) or go nowhere. Own evidence (dns/evidence.ts): the Corefile
// line itself, from a Deployment whose pods are not on the host network.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import type { Finding } from '../../report.ts';
import { nodeLocalDaemonSet, nodeLocalIps } from './nodelocal.ts';
import { backupStep, corefile, corefileLine, dnsWorkload, verifySteps } from './workload.ts';

function host(target: string): string {
  const t = target.replace(/^(dns|tls):\/\//, '');
  if (t.startsWith('[')) return t.slice(1, t.indexOf(']'));
  return (t.match(/:/g) ?? []).length === 1 ? t.split(':')[0]! : t;
}

function loopbackOrLinkLocal(ip: string): boolean {
  return /^127\./.test(ip) || ip === '::1' || /^169\.254\./.test(ip);
}

export const forwardLoopbackCheck: RegisteredCheck = {
  name: 'coredns-forward-loopback',
  component: 'dns',
  emits: ['coredns.forward-loopback'],
  remediations: [],
  describe: {
    'coredns.forward-loopback': {
      severities: ['critical'],
      summary:
        'The Corefile forwards to a loopback or link-local address that is not NodeLocal DNSCache: inside the pod that is CoreDNS itself.',
      fix: 'Forward to /etc/resolv.conf (with a non-stub kubelet resolvConf) or to real upstream resolvers.',
      safety: 'manual',
      manual: 'node',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const w = dnsWorkload(snapshot);
    if (!w) return [];
    // On the host network 127.0.0.53 is the node's own resolver, not the pod.
    if (w.deployment?.spec?.template?.spec?.hostNetwork === true) return [];
    const cf = corefile(snapshot, w);
    if (!cf) return [];
    const ds = nodeLocalDaemonSet(snapshot);
    const cache = ds ? nodeLocalIps(ds) : [];
    const hits: { line: number; ip: string }[] = [];
    cf.lines.forEach((raw, i) => {
      const m = raw.trim().match(/^forward\s+\S+\s+(.+?)\s*(\{.*)?$/);
      if (!m) return;
      for (const target of m[1]!.split(/\s+/)) {
        const ip = host(target);
        if (loopbackOrLinkLocal(ip) && !cache.includes(ip)) hits.push({ line: i + 1, ip });
      }
    });
    if (hits.length === 0) return [];
    const first = hits[0]!;
    return [
      makeFinding({
        id: 'coredns.forward-loopback',
        severity: 'critical',
        title: ctx.tr('CoreDNS forwards to its own loopback address', 'CoreDNS가 자기 루프백 주소로 전달함'),
        detail: ctx.tr(
          `ConfigMap ${w.namespace}/${cf.configMap} forwards to ${first.ip}, which inside a CoreDNS pod is the pod itself (not NodeLocal DNSCache), so external names loop or fail.`,
          `컨피그맵 ${w.namespace}/${cf.configMap}의 Corefile은 ${first.ip}로 전달합니다. CoreDNS 파드 안에서 이 주소는 파드 자신이므로(NodeLocal DNSCache 아님) 외부 이름 조회가 루프를 돌거나 실패합니다.`,
        ),
        impact: ctx.tr(
          'Every lookup of a name outside the cluster fails; the loop plugin may crash CoreDNS.',
          '클러스터 밖 이름 조회가 모두 실패하며, loop 플러그인이 CoreDNS를 종료시킬 수 있습니다.',
        ),
        evidence: hits.slice(0, 3).map((h) => corefileLine(cf, h.line) ?? `forward ${h.ip}`),
        runbook: [
          backupStep(ctx, w, cf.configMap),
          step(
            ctx.tr(
              'Point forward at /etc/resolv.conf (kubelet resolvConf must not be a 127.0.0.x stub) or at real resolvers.',
              'forward를 /etc/resolv.conf(kubelet resolvConf가 127.0.0.x 스텁이면 안 됨) 또는 실제 리졸버로 바꿉니다.',
            ),
            `kubectl -n ${w.namespace} edit configmap ${cf.configMap}`,
          ),
          ...verifySteps(ctx, w),
        ],
      }),
    ];
  },
};
