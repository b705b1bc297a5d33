// What was found installed, per component, in one line: the `detected` field of a ComponentReport.
import type { Snapshot } from './check.ts';
import { CNI_NAMES } from './fingerprint.ts';
import type { Translate } from './i18n.ts';
import { findObject } from './objects/workloads.ts';
import type { ComponentName } from './report.ts';

function dsReady(snapshot: Snapshot, namespace: string, name: string): string {
  const ds = findObject(snapshot.daemonSets, namespace, name);
  if (!ds) return '';
  return `, ${ds.status?.numberReady ?? 0}/${ds.status?.desiredNumberScheduled ?? 0} ready`;
}

/** ", mode ipvs" from the KubeProxyConfiguration; blank mode is kube-proxy's default (iptables). */
function proxyMode(snapshot: Snapshot): string {
  const loc = snapshot.fingerprint.proxyConfig;
  const text = loc ? findObject(snapshot.configMaps, 'kube-system', loc.configMap)?.data?.[loc.key] : undefined;
  if (typeof text !== 'string') return '';
  const mode = /^mode:\s*["']?([A-Za-z]*)["']?\s*$/m.exec(text)?.[1];
  if (mode === undefined) return '';
  return `, mode ${mode || 'iptables (default)'}`;
}

export function describeComponent(component: ComponentName, snapshot: Snapshot, tr: Translate): string {
  const fp = snapshot.fingerprint;
  if (component === 'dns') {
    if (!fp.dnsWorkload || fp.dns === 'none')
      return tr('no cluster DNS Deployment found', '클러스터 DNS 디플로이먼트 없음');
    const { namespace, deployment } = fp.dnsWorkload;
    const d = findObject(snapshot.deployments, namespace, deployment);
    const ready = d ? `, ${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? d.status?.replicas ?? 0} ready` : '';
    return `${fp.dns === 'kube-dns' ? 'kube-dns' : 'CoreDNS'} (${tr('Deployment', '디플로이먼트')} ${namespace}/${deployment}${ready})`;
  }
  if (component === 'kube-proxy') {
    switch (fp.proxy) {
      case 'kube-proxy': {
        const ds = findObject(snapshot.daemonSets, 'kube-system', 'kube-proxy');
        const where = ds
          ? `${tr('DaemonSet', '데몬셋')} kube-system/kube-proxy${dsReady(snapshot, 'kube-system', 'kube-proxy')}`
          : tr('static pods', '스태틱 파드');
        return `kube-proxy (${where}${proxyMode(snapshot)})`;
      }
      case 'cilium-kpr':
        return tr(
          'Cilium kube-proxy replacement (no kube-proxy needed)',
          'Cilium kube-proxy replacement (kube-proxy 불필요)',
        );
      case 'calico-ebpf':
        return tr(
          'Calico eBPF dataplane (kube-proxy disabled on purpose)',
          'Calico eBPF 데이터플레인 (kube-proxy 의도적으로 비활성)',
        );
      case 'k3s-embedded':
        return tr('kube-proxy embedded in the k3s process', 'k3s 프로세스에 내장된 kube-proxy');
      case 'gke-dataplane-v2':
        return tr('GKE Dataplane V2 (replaces kube-proxy)', 'GKE Dataplane V2 (kube-proxy 대체)');
      default:
        return tr('no kube-proxy found', 'kube-proxy 없음');
    }
  }
  const name = CNI_NAMES[fp.cni];
  const extra =
    fp.extraCnis.length > 0
      ? tr(
          `; also found: ${fp.extraCnis.map((c) => CNI_NAMES[c]).join(', ')}`,
          `; 추가로 발견: ${fp.extraCnis.map((c) => CNI_NAMES[c]).join(', ')}`,
        )
      : '';
  if (fp.cni === 'none') return tr(`no CNI add-on found${extra}`, `CNI 애드온 없음${extra}`);
  if (!fp.cniWorkload) return `${name}${extra}`;
  const { namespace, daemonSet } = fp.cniWorkload;
  return `${name} (${tr('DaemonSet', '데몬셋')} ${namespace}/${daemonSet}${dsReady(snapshot, namespace, daemonSet)})${extra}`;
}
