// One interface for every check; checks are pure functions of a Snapshot the collector gathered.
import type { ClusterError, KubeObject } from './cluster-reader.ts';
import type { RemediationId } from './remediation-ids.ts';
import type { ComponentName, Finding, Lang, Severity } from './report.ts';

export type Flavor = 'kubeadm' | 'eks' | 'gke' | 'k3s' | 'kind' | 'openshift' | 'rke2' | 'aks' | 'unknown';
export type CniKind =
  | 'calico'
  | 'calico-operator'
  | 'flannel'
  | 'flannel-legacy'
  | 'weave'
  | 'cilium'
  | 'gke-dataplane-v2'
  | 'aws-vpc-cni'
  | 'canal'
  | 'kindnet'
  | 'k3s-flannel'
  | 'azure-cni'
  | 'none';
export type DnsKind = 'coredns' | 'kube-dns' | 'none';
/** How Service routing is done: a kube-proxy DaemonSet, or something that replaces it on purpose. */
export type ProxyKind = 'kube-proxy' | 'cilium-kpr' | 'calico-ebpf' | 'k3s-embedded' | 'gke-dataplane-v2' | 'missing';

/**
 * What the cluster is, decided before any rule runs, so that components a distribution removes or replaces on
 * purpose (k3s embedded flannel, Cilium kube-proxy replacement, GKE kube-dns, EKS names) never become findings.
 */
export interface Fingerprint {
  flavor: Flavor;
  cni: CniKind;
  /** Extra CNIs found besides the main one (evidence for cni.conflicting-plugins). */
  extraCnis: CniKind[];
  /** The CNI's agent workload, when it runs as a DaemonSet. */
  cniWorkload?: { namespace: string; daemonSet: string; labelSelector: string };
  dns: DnsKind;
  dnsWorkload?: { namespace: string; deployment: string };
  proxy: ProxyKind;
  /** Where kube-proxy's KubeProxyConfiguration lives (kubeadm: kube-proxy/config.conf; EKS: kube-proxy-config/config). */
  proxyConfig?: { configMap: string; key: string; mountPath: string };
  /**
   * Components this distribution manages its own way (OpenShift's DNS and network operators): recognised, reported
   * as not covered, and never judged by checks written for the upstream layout.
   */
  notCovered?: { component: ComponentName; by: string }[];
}

/** Something that went wrong and stopped: a stale event or a container that ended long before the snapshot. */
export interface HistoryNote {
  component: ComponentName;
  /** e.g. "pod/coredns-7c65d6cfc9-4xkzq". */
  subject: string;
  what: string;
  /** When it last happened (ISO 8601). */
  lastSeen: string;
}

/** Logs keyed "namespace/pod/container". */
export type SnapshotLogs = Record<string, { current?: string; previous?: string }>;

export interface CollectFailure {
  /** Which components cannot be judged without this data. */
  components: ComponentName[];
  error: ClusterError;
  /**
   * Evidence that explains a state but does not decide it (events, logs, kubeadm's own config): without it the
   * component is still judged from what was read, and names what it lacks instead of becoming `unknown`.
   */
  supplementary?: boolean;
}

/** Everything the checks may look at. Lists hold only what the collector fetched (selected namespaces/labels). */
export interface Snapshot {
  fingerprint: Fingerprint;
  nodes: KubeObject[];
  pods: KubeObject[];
  deployments: KubeObject[];
  daemonSets: KubeObject[];
  replicaSets: KubeObject[];
  services: KubeObject[];
  endpointSlices: KubeObject[];
  configMaps: KubeObject[];
  serviceAccounts: KubeObject[];
  /** Warning events from the namespaces the network components live in. */
  events: KubeObject[];
  networkPolicies: KubeObject[];
  clusterRoles: KubeObject[];
  clusterRoleBindings: KubeObject[];
  logs: SnapshotLogs;
  failures: CollectFailure[];
  /**
   * Objects the collector asked for by name and the API answered 404, as "resource/namespace/name"
   * (cluster-scoped: "resource//name"). Lets checks tell "deleted" apart from "not collected".
   */
  absent?: string[];
  /** Phase-1 object reads: how many were made and how many failed (all failed = the cluster could not be read). */
  reads?: { total: number; failed: number };
  /** The snapshot's time (ISO 8601): the API server's Date header, else the collector's clock. */
  now?: string;
  /** What was wrong and has stopped (filled by presentTense): reported as `info` at most. */
  history?: HistoryNote[];
}

export interface CheckContext {
  lang: Lang;
  /** Picks the English or Korean text. */
  tr(en: string, ko: string): string;
}

/**
 * How far a finding's fix may be automated: `auto-safe` puts back an unambiguous default on one object and can be
 * undone; `auto-guarded` needs a precondition check and a backup, or human approval; `manual` needs node access,
 * a design decision or cloud-side action.
 */
export type RemediationSafety = 'auto-safe' | 'auto-guarded' | 'manual';

/** One finding id, described for people reading the docs rather than a report. */
export interface FindingDoc {
  /** The severities it can be reported with, worst first. */
  severities: readonly [Severity, ...Severity[]];
  /** What it means, in one English line. */
  summary: string;
  /** The fix, in one English line. */
  fix: string;
  /** How far the fix may be automated, where that is known. */
  safety?: RemediationSafety;
  /** Why a `manual` finding has no Fix button; its runbook says so (src/engine/manual-reasons.ts). */
  manual?: ManualReason;
  /** Why an `auto-*` finding has no implemented fix (yet): shown in docs/checks.md. */
  notAutomated?: string;
}

/** Why netcheck offers no automated fix for a MANUAL finding. */
export type ManualReason =
  | 'node'
  | 'design'
  | 'outside'
  | 'diagnose-first'
  | 'consequence'
  | 'intent'
  | 'distribution'
  | 'nothing';

/** What a diagnosis needs to run a check. */
export interface Check {
  /** Module id, e.g. "coredns-crashloop". */
  name: string;
  component: ComponentName;
  /** Every finding id this check can emit. */
  emits: readonly string[];
  run(snapshot: Snapshot, ctx: CheckContext): Finding[];
}

/** A check in the registry: it also says which fixes its findings can offer and what each finding id means. */
export interface RegisteredCheck extends Check {
  /** Every automated fix its findings can offer. */
  remediations: readonly RemediationId[];
  /** What each emitted finding id means, for docs/checks.md: one entry per id in `emits`. */
  describe: Readonly<Record<string, FindingDoc>>;
}
