// dns.nodelocal-down: NodeLocal DNSCache (DaemonSet node-local-dns, listening on 169.254.20.10 by default) is not
// running Ready on some nodes. When kubelet's clusterDNS (or the DaemonSet's -localip) sends pods to the local
// cache, pods on those nodes have no DNS at all although CoreDNS is healthy. Own evidence (dns/evidence.ts): a
// node-local-dns pod not Ready now, or a schedulable Ready node with no node-local-dns pod.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { makeFinding, step } from '../../findings.ts';
import { podReady, podState } from '../../objects/pods.ts';
import type { Finding } from '../../report.ts';
import { kubeletDns } from './cluster-config.ts';

export const NODELOCAL_DEFAULT_IP = '169.254.20.10';

/** The NodeLocal DNSCache DaemonSet, by its label or its upstream name. */
export function nodeLocalDaemonSet(snapshot: Snapshot): KubeObject | undefined {
  return snapshot.daemonSets.find(
    (d) =>
      d.spec?.template?.metadata?.labels?.['k8s-app'] === 'node-local-dns' ||
      (d.metadata.namespace === 'kube-system' && d.metadata.name === 'node-local-dns'),
  );
}

/** The link-local addresses the cache listens on, from its `-localip a,b` argument (default 169.254.20.10). */
export function nodeLocalIps(ds: KubeObject): string[] {
  const args: string[] = (ds.spec?.template?.spec?.containers ?? []).flatMap((c: { args?: string[] }) => c.args ?? []);
  const i = args.findIndex((a) => a === '-localip' || a.startsWith('-localip='));
  const value = i < 0 ? undefined : args[i]!.includes('=') ? args[i]!.split('=')[1] : args[i + 1];
  const ips = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return ips.length > 0 ? ips : [NODELOCAL_DEFAULT_IP];
}

function schedulable(node: KubeObject): boolean {
  const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready')?.status === 'True';
  return ready && !node.spec?.unschedulable;
}

export const nodeLocalCheck: RegisteredCheck = {
  name: 'dns-nodelocal',
  component: 'dns',
  emits: ['dns.nodelocal-down'],
  remediations: [],
  describe: {
    'dns.nodelocal-down': {
      severities: ['critical', 'warning'],
      summary:
        'NodeLocal DNSCache is not Ready on some nodes; where pods are pointed at it (169.254.20.10), they have no DNS even though CoreDNS is fine.',
      fix: 'Read the node-local-dns pod log and events on the affected nodes, fix the cause, then restart that pod.',
      safety: 'manual',
      manual: 'diagnose-first',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const ds = nodeLocalDaemonSet(snapshot);
    if (!ds) return [];
    const ns = ds.metadata.namespace ?? 'kube-system';
    const pods = snapshot.pods.filter(
      (p) =>
        p.metadata.namespace === ns &&
        p.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.name === ds.metadata.name),
    );
    const down = pods.filter((p) => p.spec?.nodeName && !podReady(p));
    const withPod = new Set(pods.map((p) => p.spec?.nodeName).filter(Boolean));
    // Only count bare nodes when the DaemonSet itself says it is short: its scheduling rules may exclude some nodes.
    const short = Number(ds.status?.desiredNumberScheduled ?? 0) > Number(ds.status?.numberReady ?? 0);
    const bare = short ? snapshot.nodes.filter((n) => schedulable(n) && !withPod.has(n.metadata.name)) : [];
    if (down.length === 0 && bare.length === 0) return [];
    const ips = nodeLocalIps(ds);
    const kubelet = kubeletDns(snapshot)?.clusterDNS ?? [];
    const podsUseIt = kubelet.some((ip) => ips.includes(ip));
    const nodes = [...down.map((p) => p.spec!.nodeName as string), ...bare.map((n) => n.metadata.name)];
    const node = nodes[0]!;
    return [
      makeFinding({
        id: 'dns.nodelocal-down',
        severity: podsUseIt ? 'critical' : 'warning',
        title: ctx.tr('NodeLocal DNSCache is down on some nodes', '일부 노드에서 NodeLocal DNSCache가 동작하지 않음'),
        detail: ctx.tr(
          `DaemonSet ${ns}/${ds.metadata.name} (listening on ${ips.join(', ')}) is not Ready on ${nodes.join(', ')}.${podsUseIt ? ` kubelet gives pods nameserver ${kubelet[0]}, so pods on ${nodes.length === 1 ? 'that node' : 'those nodes'} have no DNS even though CoreDNS is healthy.` : ''}`,
          `데몬셋 ${ns}/${ds.metadata.name}(${ips.join(', ')}에서 수신)이 ${nodes.join(', ')}에서 Ready가 아닙니다.${podsUseIt ? ` kubelet이 파드에 nameserver ${kubelet[0]}를 주므로, CoreDNS가 정상이어도 해당 노드의 파드는 DNS를 쓸 수 없습니다.` : ''}`,
        ),
        impact: ctx.tr(
          'Every DNS lookup from pods on the affected nodes times out.',
          '해당 노드 파드의 모든 DNS 조회가 타임아웃됩니다.',
        ),
        evidence: [
          ...down.slice(0, 3).map(podState),
          ...bare.slice(0, 3).map((n) => `node/${n.metadata.name}: no ${ds.metadata.name} pod`),
          `daemonset/${ds.metadata.name} ready ${ds.status?.numberReady ?? '?'}/${ds.status?.desiredNumberScheduled ?? '?'}`,
          ...(podsUseIt ? [`kubelet clusterDNS: ${kubelet.join(', ')}`] : []),
        ],
        runbook: [
          step(
            ctx.tr(
              'See which nodes lack a Ready node-local-dns pod.',
              'Ready인 node-local-dns 파드가 없는 노드를 확인합니다.',
            ),
            `kubectl -n ${ns} get pods -l k8s-app=node-local-dns -o wide`,
          ),
          step(
            ctx.tr('Read its log and events on the affected node.', '해당 노드의 파드 로그와 이벤트를 확인합니다.'),
            `kubectl -n ${ns} describe pod -l k8s-app=node-local-dns --field-selector spec.nodeName=${node}`,
          ),
          step(
            ctx.tr(
              'After fixing the cause, restart the pod on that node; test DNS from a pod there.',
              '원인을 고친 뒤 해당 노드의 파드를 재시작하고, 그 노드의 파드에서 DNS를 시험합니다.',
            ),
            `kubectl -n ${ns} delete pod -l k8s-app=node-local-dns --field-selector spec.nodeName=${node}`,
          ),
        ],
      }),
    ];
  },
};
