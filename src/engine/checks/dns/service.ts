// The cluster DNS Service (kube-dns on kubeadm, EKS and GKE; RKE2 names it rke2-coredns-rke2-coredns), found by what it
// is (dnsService): missing, selecting nothing, or on the wrong ports.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import { podReady, podState } from '../../objects/pods.ts';
import type { Labels } from '../../objects/workloads.ts';
import type { Finding } from '../../report.ts';
import { collected, failedToRead } from '../../snapshot.ts';
import { kubeletDns } from './cluster-config.ts';
import { type DnsWorkload, dnsService, dnsWorkload, verifySteps } from './workload.ts';

/** The conventional name, used when the Service is gone and must be re-created. */
const DEFAULT_SERVICE = 'kube-dns';

interface Port {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
}

function readyEndpoints(snapshot: Snapshot, ns: string, service: string): string[] {
  return snapshot.endpointSlices
    .filter((s) => s.metadata.namespace === ns && s.metadata.labels?.['kubernetes.io/service-name'] === service)
    .flatMap((s) => (s.endpoints ?? []) as { addresses?: string[]; conditions?: { ready?: boolean } }[])
    .filter((e) => e.conditions?.ready !== false)
    .flatMap((e) => e.addresses ?? []);
}

function selectorText(sel: Labels | undefined): string {
  const entries = Object.entries(sel ?? {});
  return entries.length === 0 ? '(none)' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/** A Service targetPort resolves to 53 directly or through a container port name. */
function targetIs53(w: DnsWorkload, port: Port): boolean {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target === 53;
  if (/^\d+$/.test(target)) return Number(target) === 53;
  const containers: { ports?: { name?: string; containerPort: number }[] }[] =
    w.deployment?.spec?.template?.spec?.containers ?? [];
  const named = containers.flatMap((c) => c.ports ?? []).find((p) => p.name === target);
  return named ? named.containerPort === 53 : true; // unknown names: do not guess
}

export const serviceCheck: RegisteredCheck = {
  name: 'dns-service',
  component: 'dns',
  emits: ['dns.service-missing', 'dns.service-no-endpoints', 'dns.service-port-mismatch'],
  remediations: ['dns.restore-service', 'dns.restore-service-ports', 'dns.restore-service-selector'],
  describe: {
    'dns.service-missing': {
      severities: ['critical'],
      summary: 'Service kube-system/kube-dns was deleted, so nothing answers on the DNS IP pods are given.',
      fix: "Re-create the kube-dns Service with clusterIP equal to kubelet's clusterDNS.",
      safety: 'auto-safe',
    },
    'dns.service-no-endpoints': {
      severities: ['critical'],
      summary: 'Service kube-dns selects no ready DNS pod (selector or labels changed, or no pod Ready).',
      fix: 'Restore the selector k8s-app: kube-dns, or fix the DNS pods.',
      safety: 'auto-safe',
    },
    'dns.service-port-mismatch': {
      severities: ['critical'],
      summary:
        'The kube-dns Service ports were edited away from 53/UDP, 53/TCP and 9153/TCP, so queries fail although endpoints exist.',
      fix: 'Restore the kube-dns Service ports.',
      safety: 'auto-safe',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const w = dnsWorkload(snapshot);
    if (!w) return [];
    const ns = w.namespace;
    const svc = dnsService(snapshot, ns, kubeletDns(snapshot)?.clusterDNS);
    const SERVICE = svc?.metadata.name ?? DEFAULT_SERVICE;
    if (!svc) {
      if (!collected(snapshot, 'services')) return [];
      const clusterIP = kubeletDns(snapshot)?.clusterDNS[0];
      return [
        makeFinding({
          id: 'dns.service-missing',
          severity: 'critical',
          title: ctx.tr('Service kube-dns is missing', 'kube-dns 서비스가 없음'),
          detail: ctx.tr(
            `Service ${ns}/${SERVICE} does not exist. Pods still get nameserver ${clusterIP ?? '<clusterDNS>'} from kubelet, but nothing answers on that IP.`,
            `서비스 ${ns}/${SERVICE}가 없습니다. 파드는 여전히 kubelet에게서 nameserver ${clusterIP ?? '<clusterDNS>'}를 받지만 그 IP에 응답하는 것이 없습니다.`,
          ),
          impact: ctx.tr('Every DNS lookup from every pod times out.', '모든 파드의 모든 DNS 조회가 타임아웃됩니다.'),
          evidence: [
            `kubectl -n ${ns} get svc ${SERVICE} → NotFound`,
            ...(clusterIP ? [`kubelet clusterDNS: ${clusterIP}`] : []),
          ],
          runbook: [
            step(
              ctx.tr('Confirm the Service is gone.', '서비스가 없는지 확인합니다.'),
              `kubectl -n ${ns} get svc ${SERVICE}`,
            ),
            step(
              ctx.tr(
                `Re-create it with clusterIP equal to kubelet clusterDNS (${clusterIP ?? 'see kubelet-config'}), selector k8s-app=kube-dns and ports 53/UDP, 53/TCP, 9153/TCP.`,
                `clusterIP를 kubelet의 clusterDNS(${clusterIP ?? 'kubelet-config 참고'})와 같게, 셀렉터는 k8s-app=kube-dns, 포트는 53/UDP, 53/TCP, 9153/TCP로 서비스를 다시 만듭니다.`,
              ),
              serviceManifest(ns, clusterIP ?? '<clusterDNS>', w.kind === 'coredns'),
            ),
            step(
              ctx.tr('Check the Service got endpoints.', '서비스에 엔드포인트가 생겼는지 확인합니다.'),
              `kubectl -n ${ns} get ep ${SERVICE}`,
            ),
            ...verifySteps(ctx, w),
          ],
          ...(clusterIP
            ? {
                remediation: {
                  id: 'dns.restore-service',
                  params: { namespace: ns, ...(clusterIP ? { clusterIP } : {}) },
                  title: ctx.tr(
                    `Re-create Service ${ns}/${SERVICE} at ${clusterIP}`,
                    `서비스 ${ns}/${SERVICE}를 ${clusterIP}로 재생성`,
                  ),
                },
              }
            : {}),
        }),
      ];
    }

    const findings: Finding[] = [];
    const selector = (svc.spec?.selector ?? {}) as Labels;
    const template = w.templateLabels;
    const selectorMatches =
      Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => template[k] === v);
    const ready = readyEndpoints(snapshot, ns, SERVICE);
    const slices = snapshot.endpointSlices.filter(
      (x) => x.metadata.namespace === ns && x.metadata.labels?.['kubernetes.io/service-name'] === SERVICE,
    );
    const diff = Object.keys(template).length > 0 && !selectorMatches;
    // No slice at all while DNS pods are Ready and selected means "not collected", not "no endpoints".
    // Unreadable pods (403) prove nothing either way: then only an existing, empty slice counts.
    const podsKnown = !failedToRead(snapshot, 'pods', ns);
    const believable = slices.length > 0 || diff || (podsKnown && !w.pods.some(podReady));
    if (
      collected(snapshot, 'endpointslices') &&
      believable &&
      ready.length === 0 &&
      (w.deployment || w.pods.length > 0)
    ) {
      const canRestore = diff && template['k8s-app'] === 'kube-dns';
      const unready = w.pods.filter((p) => !podReady(p));
      findings.push(
        makeFinding({
          id: 'dns.service-no-endpoints',
          severity: 'critical',
          title: ctx.tr(`Service ${SERVICE} has no ready endpoints`, `${SERVICE} 서비스에 준비된 엔드포인트가 없음`),
          detail: diff
            ? ctx.tr(
                `Service ${ns}/${SERVICE} selects ${selectorText(selector)}, but the ${w.name} pods are labelled ${selectorText(template)}, so it selects no DNS pod.`,
                `서비스 ${ns}/${SERVICE}의 셀렉터는 ${selectorText(selector)}인데 ${w.name} 파드의 레이블은 ${selectorText(template)}라서 DNS 파드를 하나도 선택하지 못합니다.`,
              )
            : ctx.tr(
                `Service ${ns}/${SERVICE} selects ${selectorText(selector)}, which matches the ${w.name} pods, but none of them is Ready (${w.pods.length} pod(s)).`,
                `서비스 ${ns}/${SERVICE}의 셀렉터 ${selectorText(selector)}는 ${w.name} 파드와 일치하지만 Ready인 파드가 없습니다(파드 ${w.pods.length}개).`,
              ),
          impact: ctx.tr('Every DNS lookup from every pod times out.', '모든 파드의 모든 DNS 조회가 타임아웃됩니다.'),
          evidence: [
            `kubectl -n ${ns} get ep ${SERVICE} → <none>`,
            `service selector: ${selectorText(selector)}`,
            `pod template labels: ${selectorText(template)}`,
            ...unready.slice(0, 2).map(podState),
          ],
          runbook: [
            step(
              ctx.tr(`Check the endpoints of the ${SERVICE} Service.`, `${SERVICE} 서비스의 엔드포인트를 확인합니다.`),
              `kubectl -n ${ns} get ep ${SERVICE}`,
            ),
            step(
              ctx.tr(
                'With no endpoints, compare the Service selector and ports with the DNS pods.',
                '엔드포인트가 없으면 서비스의 셀렉터와 포트를 DNS 파드와 비교합니다.',
              ),
              `kubectl -n ${ns} get svc ${SERVICE} -o jsonpath='{.spec.selector}{"\\n"}{.spec.ports}' && kubectl -n ${ns} get pods --show-labels -l ${selectorText(Object.keys(template).length > 0 ? template : { 'k8s-app': 'kube-dns' })}`,
            ),
            diff
              ? {
                  text: ctx.tr(
                    `Restore the selector to ${selectorText(template['k8s-app'] ? { 'k8s-app': template['k8s-app'] } : template)}.`,
                    `셀렉터를 ${selectorText(template['k8s-app'] ? { 'k8s-app': template['k8s-app'] } : template)}로 되돌립니다.`,
                  ),
                  // A JSON patch replaces the whole selector; a merge patch would keep the wrong keys next to the right one.
                  command: `kubectl -n ${ns} patch svc ${SERVICE} --type=json -p '[{"op":"replace","path":"/spec/selector","value":${JSON.stringify(template['k8s-app'] ? { 'k8s-app': template['k8s-app'] } : template)}}]'`,
                }
              : step(
                  ctx.tr(
                    'The selector is right: fix the DNS pods (see the other DNS findings in this report).',
                    '셀렉터는 올바릅니다. DNS 파드 문제를 해결합니다(이 보고서의 다른 DNS 항목 참고).',
                  ),
                  `kubectl -n ${ns} get pods -l k8s-app=kube-dns -o wide`,
                ),
            ...verifySteps(ctx, w),
          ],
          ...(canRestore
            ? {
                remediation: {
                  id: 'dns.restore-service-selector',
                  params: { namespace: ns, deployment: w.name },
                  title: ctx.tr(
                    `Set the kube-dns selector back to k8s-app=kube-dns`,
                    `kube-dns 셀렉터를 k8s-app=kube-dns로 복원`,
                  ),
                },
              }
            : {}),
        }),
      );
    }

    const ports = (svc.spec?.ports ?? []) as Port[];
    const problems: string[] = [];
    for (const proto of ['UDP', 'TCP']) {
      const p = ports.find((x) => x.port === 53 && (x.protocol ?? 'TCP') === proto);
      if (!p) problems.push(`no port 53/${proto}`);
      else if (!targetIs53(w, p)) problems.push(`53/${proto} targets ${p.targetPort}`);
    }
    if (problems.length > 0) {
      const shown = ports
        .map((p) => `${p.name ?? '-'} ${p.port}/${p.protocol ?? 'TCP'}→${p.targetPort ?? p.port}`)
        .join(', ');
      findings.push(
        makeFinding({
          id: 'dns.service-port-mismatch',
          severity: 'critical',
          title: ctx.tr('Service kube-dns has the wrong ports', 'kube-dns 서비스 포트가 잘못됨'),
          detail: ctx.tr(
            `Service ${ns}/${SERVICE} does not route DNS to port 53 of the pods: ${problems.join('; ')}.`,
            `서비스 ${ns}/${SERVICE}가 DNS 트래픽을 파드의 53번 포트로 보내지 않습니다: ${problems.join('; ')}.`,
          ),
          impact: ctx.tr(
            'DNS queries time out even though endpoints exist.',
            '엔드포인트가 있어도 DNS 질의가 타임아웃됩니다.',
          ),
          evidence: [`service/${SERVICE} ports: ${shown || '(none)'}`, ...problems],
          runbook: [
            step(
              ctx.tr('Look at the Service ports.', '서비스 포트를 확인합니다.'),
              `kubectl -n ${ns} get svc ${SERVICE} -o jsonpath='{.spec.ports}'`,
            ),
            step(
              ctx.tr(
                'Restore the standard ports: dns 53/UDP→53, dns-tcp 53/TCP→53 (and metrics 9153/TCP for CoreDNS).',
                '표준 포트로 되돌립니다: dns 53/UDP→53, dns-tcp 53/TCP→53 (CoreDNS라면 metrics 9153/TCP 포함).',
              ),
              `kubectl -n ${ns} patch svc ${SERVICE} --type=json -p '[{"op":"replace","path":"/spec/ports","value":[{"name":"dns","port":53,"protocol":"UDP","targetPort":53},{"name":"dns-tcp","port":53,"protocol":"TCP","targetPort":53}${w.kind === 'coredns' ? ',{"name":"metrics","port":9153,"protocol":"TCP","targetPort":9153}' : ''}]}]'`,
            ),
            ...verifySteps(ctx, w),
          ],
          remediation: {
            id: 'dns.restore-service-ports',
            params: { namespace: ns },
            title: ctx.tr('Restore the kube-dns Service ports', 'kube-dns 서비스 포트 복원'),
          },
        }),
      );
    }
    return findings;
  },
};

function serviceManifest(ns: string, clusterIP: string, metrics: boolean): string {
  return [
    "kubectl apply -f - <<'EOF'",
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${DEFAULT_SERVICE}`,
    `  namespace: ${ns}`,
    `  labels: {k8s-app: kube-dns, kubernetes.io/cluster-service: "true", kubernetes.io/name: ${metrics ? 'CoreDNS' : 'KubeDNS'}}`,
    'spec:',
    `  clusterIP: ${clusterIP}`,
    '  selector: {k8s-app: kube-dns}',
    '  ports:',
    '  - {name: dns, port: 53, protocol: UDP, targetPort: 53}',
    '  - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 53}',
    ...(metrics ? ['  - {name: metrics, port: 9153, protocol: TCP, targetPort: 9153}'] : []),
    'EOF',
  ].join('\n');
}
