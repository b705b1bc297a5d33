// What kubelet and kubeadm were told about cluster DNS: kubelet-config `clusterDNS`/`clusterDomain`, kubeadm
// ClusterConfiguration `networking`. Both live in kube-system ConfigMaps on kubeadm clusters only.
import type { Snapshot } from '../../check.ts';
import { parseFullYaml } from '../../objects/full-yaml.ts';
import { parseSimpleYaml } from '../../objects/simple-yaml.ts';

export interface KubeletDns {
  /** e.g. "kube-system/kubelet-config" (older kubeadm: kubelet-config-1.<minor>). */
  source: string;
  clusterDNS: string[];
  clusterDomain?: string;
}

// Several DNS and CNI checks ask for the same two documents in one diagnosis: parse each text once.
const parsed = new Map<string, Record<string, unknown> | undefined>();

function parseYaml(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  if (!parsed.has(text)) {
    let value: Record<string, unknown> | undefined;
    try {
      const doc = parseSimpleYaml(text) ?? parseFullYaml(text);
      value = doc && typeof doc === 'object' ? (doc as Record<string, unknown>) : undefined;
    } catch {
      value = undefined;
    }
    if (parsed.size >= 64) parsed.clear();
    parsed.set(text, value);
  }
  return structuredClone(parsed.get(text));
}

export function kubeletDns(snapshot: Snapshot): KubeletDns | undefined {
  const cm =
    snapshot.configMaps.find((c) => c.metadata.namespace === 'kube-system' && c.metadata.name === 'kubelet-config') ??
    snapshot.configMaps.find(
      (c) => c.metadata.namespace === 'kube-system' && /^kubelet-config-1\.\d+$/.test(c.metadata.name),
    );
  if (!cm) return undefined;
  const cfg = parseYaml(cm.data?.['kubelet']);
  if (!cfg) return undefined;
  const dns = Array.isArray(cfg['clusterDNS']) ? (cfg['clusterDNS'] as unknown[]).map(String) : [];
  const domain = typeof cfg['clusterDomain'] === 'string' ? (cfg['clusterDomain'] as string) : undefined;
  return { source: `kube-system/${cm.metadata.name}`, clusterDNS: dns, clusterDomain: domain };
}

export interface KubeadmNetworking {
  podSubnet?: string;
  serviceSubnet?: string;
  dnsDomain?: string;
}

export function kubeadmNetworking(snapshot: Snapshot): KubeadmNetworking | undefined {
  const cm = snapshot.configMaps.find(
    (c) => c.metadata.namespace === 'kube-system' && c.metadata.name === 'kubeadm-config',
  );
  const cfg = parseYaml(cm?.data?.['ClusterConfiguration']);
  const net = cfg?.['networking'];
  if (!net || typeof net !== 'object') return undefined;
  const n = net as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { podSubnet: str(n['podSubnet']), serviceSubnet: str(n['serviceSubnet']), dnsDomain: str(n['dnsDomain']) };
}

/** The cluster domain as the nodes know it; `cluster.local` when nothing says otherwise. */
export function clusterDomain(snapshot: Snapshot): string {
  return kubeletDns(snapshot)?.clusterDomain ?? kubeadmNetworking(snapshot)?.dnsDomain ?? 'cluster.local';
}
