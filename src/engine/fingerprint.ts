// Decide what the cluster is before any rule runs, so that what a distribution does on purpose (EKS paths, k3s
// embedded components, Cilium/Calico replacing kube-proxy, GKE kube-dns, Flannel namespaces) never turns into findings.
import type { CniKind, DnsKind, Fingerprint, Flavor, ProxyKind, Snapshot } from './check.ts';
import { kubeletDns } from './checks/dns/cluster-config.ts';
import type { KubeObject } from './cluster-reader.ts';
import { configMapData } from './objects/configmaps.ts';
import { containerNames } from './objects/pods.ts';
import { labelSelectorString } from './objects/workloads.ts';

type Collected = Omit<Snapshot, 'fingerprint'>;

const KS = 'kube-system';

function label(obj: KubeObject, key: string): string | undefined {
  return obj.metadata.labels?.[key] ?? obj.spec?.selector?.matchLabels?.[key];
}

function kubeletVersions(data: Collected): string[] {
  return data.nodes.map((n) => String(n.status?.nodeInfo?.kubeletVersion ?? ''));
}

// ---------- DNS ----------

/**
 * The cluster DNS Service, found by what it is: the one at kubelet's clusterDNS, else kube-dns, else the one
 * selecting `k8s-app=kube-dns` (RKE2's rke2-coredns-rke2-coredns). NodeLocal DNSCache's `-upstream` copy is not it.
 */
export function clusterDnsService(
  data: Pick<Snapshot, 'services' | 'configMaps'>,
  namespace = KS,
  clusterDNS: string[] = kubeletDns(data as Snapshot)?.clusterDNS ?? [],
): KubeObject | undefined {
  const inNs = data.services.filter((s) => s.metadata.namespace === namespace);
  return (
    inNs.find((s) => s.spec?.clusterIP && clusterDNS.includes(s.spec.clusterIP)) ??
    inNs.find((s) => s.metadata.name === 'kube-dns') ??
    inNs.find((s) => s.spec?.selector?.['k8s-app'] === 'kube-dns' && !s.metadata.name.endsWith('-upstream'))
  );
}

function selects(service: KubeObject | undefined, deployment: KubeObject): boolean {
  const selector: Record<string, string> | undefined = service?.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return false;
  const labels: Record<string, string> = deployment.spec?.template?.metadata?.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function dnsDeployment(data: Collected): KubeObject | undefined {
  const inKs = data.deployments.filter((d) => d.metadata.namespace === KS);
  // Whatever the cluster DNS Service selects; then kubeadm's `k8s-app=kube-dns` label; names are the last fallback.
  const service = clusterDnsService(data);
  return (
    inKs.find((d) => selects(service, d)) ??
    inKs.find((d) => d.metadata.labels?.['k8s-app'] === 'kube-dns') ??
    inKs.find((d) => d.metadata.name === 'coredns' || d.metadata.name === 'kube-dns')
  );
}

function isKubeDnsAddon(deployment: KubeObject): boolean {
  const names = containerNames(deployment.spec?.template?.spec);
  return deployment.metadata.name === 'kube-dns' || names.includes('kubedns') || names.includes('dnsmasq');
}

/** When the Deployment list was not readable, the DNS pods still name their Deployment via the ReplicaSet. */
function dnsDeploymentNameFromPods(data: Collected): string | undefined {
  for (const pod of data.pods) {
    if (pod.metadata.namespace !== KS || pod.metadata.labels?.['k8s-app'] !== 'kube-dns') continue;
    const rs = pod.metadata.ownerReferences?.find((r) => r.kind === 'ReplicaSet');
    const hash = pod.metadata.labels?.['pod-template-hash'];
    if (rs && hash && rs.name.endsWith(`-${hash}`)) return rs.name.slice(0, -hash.length - 1);
  }
  return undefined;
}

function detectDns(data: Collected): Pick<Fingerprint, 'dns' | 'dnsWorkload'> {
  const deployment = dnsDeployment(data);
  if (deployment) {
    const dns: DnsKind = isKubeDnsAddon(deployment) ? 'kube-dns' : 'coredns';
    return { dns, dnsWorkload: { namespace: KS, deployment: deployment.metadata.name } };
  }
  const fromPods = dnsDeploymentNameFromPods(data);
  if (fromPods) {
    return {
      dns: fromPods === 'kube-dns' ? 'kube-dns' : 'coredns',
      dnsWorkload: { namespace: KS, deployment: fromPods },
    };
  }
  return { dns: 'none' };
}

// ---------- flavor ----------

/** RKE2: kubelet `+rke2r1` versions, or its packaged charts (rke2-coredns, rke2-canal) when nodes were not read. */
function isRke2(data: Collected): boolean {
  if (kubeletVersions(data).some((v) => v.includes('+rke2'))) return true;
  return (
    data.deployments.some((d) => d.metadata.labels?.['app.kubernetes.io/instance'] === 'rke2-coredns') ||
    hasDaemonSet(data, KS, 'rke2-canal')
  );
}

/** AKS: nodes labelled kubernetes.azure.com/cluster, or its node agents (azure-cns, azure-ip-masq-agent). */
function isAks(data: Collected): boolean {
  if (data.nodes.some((n) => n.metadata.labels?.['kubernetes.azure.com/cluster'] !== undefined)) return true;
  return hasDaemonSet(data, KS, 'azure-cns') || hasDaemonSet(data, KS, 'azure-ip-masq-agent');
}

function isK3s(data: Collected): boolean {
  if (kubeletVersions(data).some((v) => v.includes('+k3s'))) return true;
  const coredns = configMapData(data as Snapshot, KS, 'coredns');
  return Boolean(coredns && 'NodeHosts' in coredns && /hosts\s+\/etc\/coredns\/NodeHosts/.test(coredns.Corefile ?? ''));
}

function proxyDaemonSet(data: Collected): KubeObject | undefined {
  return data.daemonSets.find((d) => d.metadata.namespace === KS && d.metadata.name === 'kube-proxy');
}

function proxyCommandLine(ds: KubeObject | undefined): string[] {
  const container = ds?.spec?.template?.spec?.containers?.[0];
  return [...(container?.command ?? []), ...(container?.args ?? [])].map(String);
}

function isEks(data: Collected): boolean {
  if (kubeletVersions(data).some((v) => v.includes('-eks-'))) return true;
  if (data.pods.some((p) => p.metadata.labels?.['eks.amazonaws.com/component'] === 'coredns')) return true;
  if (data.deployments.some((d) => d.metadata.labels?.['eks.amazonaws.com/component'] === 'coredns')) return true;
  if (data.configMaps.some((c) => c.metadata.namespace === KS && c.metadata.name === 'kube-proxy-config')) return true;
  if (proxyCommandLine(proxyDaemonSet(data)).some((a) => a.includes('/var/lib/kube-proxy-config/'))) return true;
  // aws-node alone means "AWS VPC CNI"; without kubeadm's ConfigMap that is EKS in practice.
  return hasDaemonSet(data, KS, 'aws-node') && !isKubeadm(data);
}

function isGke(data: Collected): boolean {
  if (kubeletVersions(data).some((v) => v.includes('-gke.'))) return true;
  const dns = dnsDeployment(data);
  if (dns && isKubeDnsAddon(dns)) return true;
  return isGkeDataplaneV2(data);
}

function isGkeDataplaneV2(data: Collected): boolean {
  return (
    data.pods.some((p) => p.metadata.name.startsWith('anetd-') && p.metadata.labels?.['k8s-app'] === 'cilium') ||
    data.daemonSets.some((d) => d.metadata.namespace === KS && d.metadata.name === 'anetd')
  );
}

function isKubeadm(data: Collected): boolean {
  if (data.configMaps.some((c) => c.metadata.namespace === KS && c.metadata.name === 'kubeadm-config')) return true;
  const proxyCm = data.configMaps.find((c) => c.metadata.namespace === KS && c.metadata.name === 'kube-proxy');
  return Boolean(proxyCm?.metadata.annotations?.['kubeadm.kubernetes.io/component-config.hash']);
}

/** OpenShift/OKD nodes carry node.openshift.io/os_id (rhcos, scos, rhel). */
function isOpenShift(data: Collected): boolean {
  return data.nodes.some((n) => n.metadata.labels?.['node.openshift.io/os_id'] !== undefined);
}

function detectFlavor(data: Collected): Flavor {
  if (isOpenShift(data)) return 'openshift';
  if (isK3s(data)) return 'k3s';
  if (isRke2(data)) return 'rke2';
  if (isAks(data)) return 'aks';
  if (hasDaemonSet(data, KS, 'kindnet')) return 'kind';
  if (isEks(data)) return 'eks';
  if (isGke(data)) return 'gke';
  if (isKubeadm(data)) return 'kubeadm';
  return 'unknown';
}

// ---------- CNI ----------

function hasDaemonSet(data: Collected, namespace: string, name: string): boolean {
  return data.daemonSets.some((d) => d.metadata.namespace === namespace && d.metadata.name === name);
}

interface CniCandidate {
  kind: CniKind;
  ds: KubeObject;
}

/** Every CNI agent DaemonSet we recognise, most specific first. */
function cniCandidates(data: Collected): CniCandidate[] {
  const out: CniCandidate[] = [];
  const seen = new Set<KubeObject>();
  const add = (kind: CniKind, ds: KubeObject | undefined) => {
    if (ds && !seen.has(ds)) {
      seen.add(ds);
      out.push({ kind, ds });
    }
  };
  const dss = data.daemonSets;
  for (const ds of dss) {
    const name = ds.metadata.name;
    if (name === 'canal' || label(ds, 'k8s-app') === 'canal') add('canal', ds);
  }
  for (const ds of dss) {
    if (ds.metadata.name === 'calico-node' || label(ds, 'k8s-app') === 'calico-node') {
      add(ds.metadata.namespace === 'calico-system' ? 'calico-operator' : 'calico', ds);
    }
  }
  for (const ds of dss) {
    if (ds.metadata.name === 'anetd') add('gke-dataplane-v2', ds);
    else if (ds.metadata.name === 'cilium' || label(ds, 'k8s-app') === 'cilium') {
      add(isGkeDataplaneV2(data) ? 'gke-dataplane-v2' : 'cilium', ds);
    }
  }
  for (const ds of dss)
    if (ds.metadata.name === 'aws-node' || label(ds, 'k8s-app') === 'aws-node') add('aws-vpc-cni', ds);
  for (const ds of dss) if (ds.metadata.name === 'weave-net' || label(ds, 'name') === 'weave-net') add('weave', ds);
  // Flannel lives in kube-flannel since v0.19.0 and in kube-system before (per-arch DaemonSets up to v0.12.0): match on
  // app=flannel, then tell current from legacy by namespace.
  const flannel = dss.filter(
    (ds) => label(ds, 'app') === 'flannel' || /^kube-flannel-ds(-[a-z0-9]+)?$/.test(ds.metadata.name),
  );
  const scheduled = (ds: KubeObject) => Number(ds.status?.desiredNumberScheduled ?? 0);
  flannel.sort((a, b) => scheduled(b) - scheduled(a));
  const current = flannel.find((ds) => ds.metadata.namespace !== KS);
  if (current) add('flannel', current);
  else add('flannel-legacy', flannel[0]);
  for (const ds of dss) if (ds.metadata.name === 'kindnet' || label(ds, 'k8s-app') === 'kindnet') add('kindnet', ds);
  // Azure CNI (and its overlay mode): the plugin binary is on the node; azure-cns is the agent that hands out IPs.
  for (const ds of dss)
    if (ds.metadata.name === 'azure-cns' || label(ds, 'k8s-app') === 'azure-cns') add('azure-cni', ds);
  return out;
}

/** Combinations where the second agent is not a second CNI (policy engines, chaining). */
function isCompanion(main: CniCandidate, other: CniCandidate, data: Collected): boolean {
  // EKS with Calico for NetworkPolicy: aws-node does the networking, calico-node only enforces policy.
  if (main.kind === 'aws-vpc-cni' && (other.kind === 'calico' || other.kind === 'calico-operator')) return true;
  // Cilium in chaining mode sits on top of another CNI on purpose.
  const chaining = configMapData(data as Snapshot, KS, 'cilium-config')?.['cni-chaining-mode'];
  if (other.kind === 'cilium' && chaining && chaining !== 'none') return true;
  return false;
}

function detectCni(data: Collected, flavor: Flavor): Pick<Fingerprint, 'cni' | 'extraCnis' | 'cniWorkload'> {
  let candidates = cniCandidates(data);
  // aws-node is the CNI when present together with a policy-only Calico.
  const aws = candidates.find((c) => c.kind === 'aws-vpc-cni');
  if (aws) candidates = [aws, ...candidates.filter((c) => c !== aws)];
  const main = candidates[0];
  if (!main) return { cni: flavor === 'k3s' ? 'k3s-flannel' : 'none', extraCnis: [] };
  const extraCnis = candidates
    .slice(1)
    .filter((c) => !isCompanion(main, c, data))
    .map((c) => c.kind)
    .filter((kind, i, all) => kind !== main.kind && all.indexOf(kind) === i);
  return {
    cni: main.kind,
    extraCnis,
    cniWorkload: {
      namespace: main.ds.metadata.namespace ?? KS,
      daemonSet: main.ds.metadata.name,
      labelSelector: labelSelectorString(main.ds.spec?.selector?.matchLabels),
    },
  };
}

// ---------- kube-proxy ----------

/**
 * kube-proxy pods without a DaemonSet: kops/hard-way (k8s-app=kube-proxy), GKE and RKE2 (component=kube-proxy, RKE2's
 * `kube-proxy-<node>`), or any mirror pod (kubernetes.io/config.mirror) named kube-proxy-<node> running kube-proxy.
 */
export function isStaticProxyPod(pod: KubeObject): boolean {
  if (pod.metadata.namespace !== KS) return false;
  const labels = pod.metadata.labels ?? {};
  if (labels['k8s-app'] === 'kube-proxy' || labels.component === 'kube-proxy') return true;
  const mirror = pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined;
  return mirror && pod.metadata.name.startsWith('kube-proxy-') && containerNames(pod.spec).includes('kube-proxy');
}

const KPR_ON = new Set(['true', 'strict', 'probe']);

function detectProxy(data: Collected, flavor: Flavor, cni: CniKind): ProxyKind {
  const ds = proxyDaemonSet(data);
  if (ds) {
    // Calico eBPF disables kube-proxy by parking it on a node label no node has (non-calico=true): not missing.
    const selector = ds.spec?.template?.spec?.nodeSelector ?? {};
    if ('non-calico' in selector && Number(ds.status?.desiredNumberScheduled ?? 0) === 0) return 'calico-ebpf';
    return 'kube-proxy';
  }
  // Static kube-proxy pods (kops, hard-way clusters) carry the label but no DaemonSet.
  if (data.pods.some((p) => isStaticProxyPod(p))) return 'kube-proxy';
  if (cni === 'gke-dataplane-v2') return 'gke-dataplane-v2';
  const kpr = configMapData(data as Snapshot, KS, 'cilium-config')?.['kube-proxy-replacement'];
  if (cni === 'cilium' && kpr && KPR_ON.has(kpr.trim().toLowerCase())) return 'cilium-kpr';
  if (flavor === 'k3s') return 'k3s-embedded';
  return 'missing';
}

// biome-ignore lint/suspicious/noExplicitAny: pod specs are open-ended wire objects.
type PodSpec = any;

/** Which ConfigMap key a file path inside the container comes from, following volume mounts and `items`. */
export function resolveMountedFile(
  podSpec: PodSpec,
  containerName: string | undefined,
  path: string,
): { configMap: string; key: string; mountPath: string; volume: string } | undefined {
  const containers: PodSpec[] = podSpec?.containers ?? [];
  const container = containers.find((c) => c.name === containerName) ?? containers[0];
  const mounts: { name: string; mountPath: string; subPath?: string }[] = container?.volumeMounts ?? [];
  const matches = mounts
    .filter((m) => typeof m?.mountPath === 'string')
    .filter((m) => path === m.mountPath || path.startsWith(`${m.mountPath.replace(/\/$/, '')}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length);
  for (const mount of matches) {
    const volume = (podSpec?.volumes ?? []).find((v: { name: string }) => v.name === mount.name);
    const cmName = volume?.configMap?.name;
    if (!cmName) continue;
    const mountPath = mount.mountPath.replace(/\/$/, '');
    const relative = mount.subPath ?? path.slice(mountPath.length + 1);
    const items: { key: string; path: string }[] | undefined = volume.configMap.items;
    const key = items ? (items.find((i) => i.path === relative)?.key ?? relative) : relative;
    return { configMap: cmName, key, mountPath, volume: mount.name };
  }
  return undefined;
}

export function configFlagPath(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
    if (arg === '--config') return args[i + 1];
  }
  return undefined;
}

function detectProxyConfig(data: Collected, flavor: Flavor): Fingerprint['proxyConfig'] {
  const ds = proxyDaemonSet(data);
  const podSpec = ds?.spec?.template?.spec;
  const configPath = configFlagPath(proxyCommandLine(ds));
  if (configPath) {
    const mounted = resolveMountedFile(podSpec, 'kube-proxy', configPath);
    if (mounted) {
      // The key that really holds a KubeProxyConfiguration wins over the (possibly mistyped) flag.
      const data_ = configMapData(data as Snapshot, KS, mounted.configMap);
      const holder = Object.entries(data_ ?? {}).find(([, v]) => /kind:\s*KubeProxyConfiguration/.test(v))?.[0];
      return { configMap: mounted.configMap, key: holder ?? mounted.key, mountPath: mounted.mountPath };
    }
  }
  if (flavor === 'eks')
    return { configMap: 'kube-proxy-config', key: 'config', mountPath: '/var/lib/kube-proxy-config' };
  if (ds || flavor === 'kubeadm' || flavor === 'kind') {
    return { configMap: 'kube-proxy', key: 'config.conf', mountPath: '/var/lib/kube-proxy' };
  }
  return undefined;
}

export function fingerprint(data: Collected): Fingerprint {
  const flavor = detectFlavor(data);
  const cni = detectCni(data, flavor);
  const proxy = detectProxy(data, flavor, cni.cni);
  const out: Fingerprint = { flavor, ...cni, ...detectDns(data), proxy };
  if (proxy === 'kube-proxy') {
    const proxyConfig = detectProxyConfig(data, flavor);
    if (proxyConfig) out.proxyConfig = proxyConfig;
  }
  if (flavor === 'openshift') {
    // The DNS operator runs CoreDNS as DaemonSet openshift-dns/dns-default; OVN-Kubernetes replaces kube-proxy.
    out.notCovered = [
      { component: 'dns', by: "OpenShift's DNS operator (DaemonSet openshift-dns/dns-default)" },
      { component: 'kube-proxy', by: "OpenShift's network operator (OVN-Kubernetes programs Services itself)" },
      { component: 'cni', by: "OpenShift's network operator (openshift-ovn-kubernetes)" },
    ];
  }
  if (!out.cniWorkload) delete out.cniWorkload;
  if (!out.dnsWorkload) delete out.dnsWorkload;
  return out;
}

/** Human names used in `detected` and the report's cluster.cni. */
export const CNI_NAMES: Record<CniKind, string> = {
  calico: 'Calico',
  'calico-operator': 'Calico (operator)',
  flannel: 'Flannel',
  'flannel-legacy': 'Flannel (legacy manifest)',
  weave: 'Weave Net',
  cilium: 'Cilium',
  'gke-dataplane-v2': 'GKE Dataplane V2',
  'aws-vpc-cni': 'AWS VPC CNI',
  canal: 'Canal',
  kindnet: 'kindnet',
  'k3s-flannel': 'k3s embedded Flannel',
  'azure-cni': 'Azure CNI',
  none: 'none',
};
