// dns.clusterip-mismatch / dns.cluster-domain-mismatch: what kubelet hands pods (nameserver, search domain) must
// match the kube-dns Service IP and the zone CoreDNS serves.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import type { Finding } from '../../report.ts';
import { kubeadmNetworking, kubeletDns } from './cluster-config.ts';
import {
  backupStep,
  corefile,
  corefileLine,
  directiveLines,
  dnsService,
  dnsWorkload,
  verifySteps,
} from './workload.ts';

export const clusterMismatchCheck: RegisteredCheck = {
  name: 'dns-cluster-mismatch',
  component: 'dns',
  emits: ['dns.clusterip-mismatch', 'dns.cluster-domain-mismatch'],
  remediations: ['coredns.add-cluster-domain', 'dns.recreate-service-clusterip'],
  describe: {
    'dns.clusterip-mismatch': {
      severities: ['critical'],
      summary:
        "kubelet's clusterDNS differs from the kube-dns Service clusterIP, so pods query an IP nothing answers on.",
      fix: 'Re-create the kube-dns Service at the clusterDNS IP, or change kubelet clusterDNS on all nodes.',
      safety: 'auto-guarded',
    },
    'dns.cluster-domain-mismatch': {
      severities: ['critical'],
      summary:
        "The Corefile kubernetes zones do not include kubelet's clusterDomain, so Service names are forwarded upstream and fail.",
      fix: 'Add the cluster domain to the kubernetes plugin line of the Corefile.',
      safety: 'auto-guarded',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const w = dnsWorkload(snapshot);
    const kubelet = kubeletDns(snapshot);
    if (!w || !kubelet) return [];
    const findings: Finding[] = [];
    const svc = dnsService(snapshot, w.namespace);
    const svcName = svc?.metadata.name ?? 'kube-dns';
    // kubelet pointing at a link-local address is NodeLocal DNSCache (169.254.20.10), which forwards to the Service.
    const nodeLocal = kubelet.clusterDNS.some((ip) => ip.startsWith('169.254.'));
    const ips: string[] = svc ? (svc.spec?.clusterIPs ?? [svc.spec?.clusterIP]).filter(Boolean) : [];
    if (
      svc &&
      !nodeLocal &&
      ips.length > 0 &&
      kubelet.clusterDNS.length > 0 &&
      !kubelet.clusterDNS.some((ip) => ips.includes(ip))
    ) {
      const want = kubelet.clusterDNS[0]!;
      findings.push(
        makeFinding({
          id: 'dns.clusterip-mismatch',
          severity: 'critical',
          title: ctx.tr('Pods are given the wrong DNS server IP', '파드가 잘못된 DNS 서버 IP를 받음'),
          detail: ctx.tr(
            `kubelet gives pods nameserver ${kubelet.clusterDNS.join(', ')} (${kubelet.source}), but Service ${w.namespace}/${svcName} has clusterIP ${ips.join(', ')}.`,
            `kubelet은 파드에 nameserver ${kubelet.clusterDNS.join(', ')}(${kubelet.source})를 주지만, 서비스 ${w.namespace}/${svcName}의 clusterIP는 ${ips.join(', ')}입니다.`,
          ),
          impact: ctx.tr(
            'Pods send DNS queries to an IP nothing answers on; every lookup times out.',
            '파드가 아무도 응답하지 않는 IP로 DNS 질의를 보내 모든 조회가 타임아웃됩니다.',
          ),
          evidence: [
            `${kubelet.source} clusterDNS: [${kubelet.clusterDNS.join(', ')}]`,
            `service/${svcName} clusterIP: ${ips.join(', ')}`,
          ],
          runbook: [
            step(
              ctx.tr(
                'Confirm from a pod: the nameserver in its resolv.conf differs from the kube-dns CLUSTER-IP.',
                '파드의 resolv.conf에 있는 nameserver가 kube-dns의 CLUSTER-IP와 다른지 확인합니다.',
              ),
              `kubectl run -it --rm dnsprobe --image=busybox:1.36 --restart=Never -- cat /etc/resolv.conf; kubectl -n ${w.namespace} get svc ${svcName}`,
            ),
            step(
              ctx.tr(
                'Back up the Service; clusterIP is immutable, so it has to be re-created.',
                '서비스를 백업합니다. clusterIP는 변경할 수 없으므로 서비스를 다시 만들어야 합니다.',
              ),
              `kubectl -n ${w.namespace} get svc ${svcName} -o yaml > ${svcName}.bak.yaml`,
            ),
            {
              text: ctx.tr(
                `Re-create the Service at ${want} (a brief DNS outage), or instead change kubelet clusterDNS on every node to ${ips[0]}.`,
                `서비스를 ${want}로 다시 만듭니다(잠시 DNS가 끊김). 또는 모든 노드의 kubelet clusterDNS를 ${ips[0]}로 바꿉니다.`,
              ),
              // clusterIP is immutable: `replace --force` deletes and re-creates the Service in one step.
              command: `kubectl -n ${w.namespace} get svc ${svcName} -o yaml | sed 's/${ips[0]!.replace(/\./g, '\\.')}/${want}/g' | kubectl replace --force -f -`,
            },
            ...verifySteps(ctx, w),
          ],
          remediation: {
            id: 'dns.recreate-service-clusterip',
            params: { namespace: w.namespace, clusterIP: want },
            title: ctx.tr(`Re-create Service ${svcName} at ${want}`, `${svcName} 서비스를 ${want}로 재생성`),
          },
        }),
      );
    }

    const cf = corefile(snapshot, w);
    const domain = kubelet.clusterDomain ?? kubeadmNetworking(snapshot)?.dnsDomain;
    if (cf && domain) {
      const lineNos = directiveLines(cf, 'kubernetes');
      const zones = lineNos.flatMap((n) =>
        cf.lines[n - 1]!.trim()
          .replace(/\{$/, '')
          .split(/\s+/)
          .slice(1)
          .map((z) => z.replace(/\.$/, '')),
      );
      const wanted = domain.replace(/\.$/, '');
      const served = zones.some((z) => wanted === z || wanted.endsWith(`.${z}`));
      if (lineNos.length > 0 && !served) {
        const n = lineNos[0]!;
        const current = cf.lines[n - 1]!.trim();
        const fixed = current.replace(/^kubernetes\s+/, `kubernetes ${wanted} `);
        findings.push(
          makeFinding({
            id: 'dns.cluster-domain-mismatch',
            severity: 'critical',
            title: ctx.tr('CoreDNS does not serve the cluster domain', 'CoreDNS가 클러스터 도메인을 서비스하지 않음'),
            detail: ctx.tr(
              `kubelet's clusterDomain is ${wanted}, but the kubernetes plugin in ConfigMap ${w.namespace}/${cf.configMap} serves only ${zones.join(' ') || '(no zone)'}; *.svc.${wanted} names are forwarded upstream and get NXDOMAIN.`,
              `kubelet의 clusterDomain은 ${wanted}인데, 컨피그맵 ${w.namespace}/${cf.configMap}의 kubernetes 플러그인은 ${zones.join(' ') || '(영역 없음)'}만 서비스합니다. *.svc.${wanted} 이름이 업스트림으로 전달되어 NXDOMAIN을 받습니다.`,
            ),
            impact: ctx.tr(
              'Service names do not resolve inside the cluster.',
              '클러스터 내부에서 서비스 이름이 조회되지 않습니다.',
            ),
            evidence: [
              corefileLine(cf, n)!,
              `${kubelet.clusterDomain ? kubelet.source : 'kube-system/kubeadm-config'} clusterDomain: ${wanted}`,
            ],
            runbook: [
              backupStep(ctx, w, cf.configMap),
              step(
                ctx.tr(
                  `Add ${wanted} to the kubernetes line (line ${n}): \`${fixed}\`.`,
                  `kubernetes 줄(${n}번째 줄)에 ${wanted}를 추가합니다: \`${fixed}\`.`,
                ),
                `kubectl -n ${w.namespace} edit cm ${cf.configMap}`,
              ),
              step(
                ctx.tr(
                  'Restart CoreDNS so it loads the fixed Corefile.',
                  '수정한 Corefile을 읽도록 CoreDNS를 재시작합니다.',
                ),
                `kubectl -n ${w.namespace} rollout restart deploy/${w.name}`,
              ),
              ...verifySteps(ctx, w),
            ],
            remediation: {
              id: 'coredns.add-cluster-domain',
              params: { namespace: w.namespace, configMap: cf.configMap, deployment: w.name, domain: wanted },
              title: ctx.tr(
                `Add ${wanted} to the Corefile kubernetes zones`,
                `Corefile kubernetes 영역에 ${wanted} 추가`,
              ),
            },
          }),
        );
      }
    }
    return findings;
  },
};
