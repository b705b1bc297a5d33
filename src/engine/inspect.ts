// Small pure readers over wire-format objects, shared by every check. They never throw on missing fields:
// snapshots come from real clusters (and hand-built tests) where any field may be absent.
import type { Fingerprint, Snapshot } from './check.ts';
import type { KubeObject } from './cluster-reader.ts';
import type { Finding, RunbookStep } from './report.ts';

/** Longest quote we put into evidence: enough for a klog line, short enough for Slack. */
export const MAX_QUOTE = 300;

export function truncate(text: string, max = MAX_QUOTE): string {
  const clean = text.trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

// ---------- pods ----------

// biome-ignore lint/suspicious/noExplicitAny: container statuses are open-ended wire objects.
type ContainerStatus = any;

function allStatuses(pod: KubeObject): { init: ContainerStatus[]; main: ContainerStatus[] } {
  return {
    init: Array.isArray(pod.status?.initContainerStatuses) ? pod.status.initContainerStatuses : [],
    main: Array.isArray(pod.status?.containerStatuses) ? pod.status.containerStatuses : [],
  };
}

export function podReady(pod: KubeObject): boolean {
  return nodeConditionOf(pod, 'Ready')?.status === 'True';
}

/** Status of the named container (init containers included), or undefined. */
export function containerStatus(pod: KubeObject, name: string): ContainerStatus | undefined {
  const { init, main } = allStatuses(pod);
  return main.find((s) => s?.name === name) ?? init.find((s) => s?.name === name);
}

/** The first waiting reason, kubectl style: init containers first, prefixed "Init:". */
export function waitingReason(pod: KubeObject): string | undefined {
  const { init, main } = allStatuses(pod);
  for (const s of init) {
    const reason = s?.state?.waiting?.reason;
    if (reason && reason !== 'PodInitializing') return `Init:${reason}`;
  }
  for (const s of main) {
    const reason = s?.state?.waiting?.reason;
    if (reason) return reason;
  }
  return undefined;
}

export function isCrashLooping(pod: KubeObject): boolean {
  return /CrashLoopBackOff/.test(waitingReason(pod) ?? '');
}

/** Total restarts across containers (init containers included). */
export function restarts(pod: KubeObject): number {
  const { init, main } = allStatuses(pod);
  return [...init, ...main].reduce((sum, s) => sum + (Number(s?.restartCount) || 0), 0);
}

/** kubectl's STATUS column, approximately. */
export function podStatusText(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  const waiting = waitingReason(pod);
  if (waiting) return waiting;
  const { main } = allStatuses(pod);
  const terminated = main.find((s) => s?.state?.terminated)?.state?.terminated;
  if (terminated?.reason && pod.status?.phase !== 'Running') return terminated.reason;
  return pod.status?.phase ?? 'Unknown';
}

/** A kubectl-like one-liner: `coredns-7db6d8ff4d-2xk9p 0/1 CrashLoopBackOff (restarts 7) on worker-1`. */
export function podState(pod: KubeObject): string {
  const { main } = allStatuses(pod);
  const total = Array.isArray(pod.spec?.containers) ? pod.spec.containers.length : main.length;
  const ready = main.filter((s) => s?.ready === true).length;
  const count = restarts(pod);
  const parts = [pod.metadata.name, `${ready}/${total}`, podStatusText(pod)];
  if (count > 0) parts.push(`(restarts ${count})`);
  const node = pod.spec?.nodeName;
  parts.push(node ? `on ${node}` : '(not scheduled)');
  return parts.join(' ');
}

/** A pod that deserves attention: not Ready, crash-looping, waiting, or restarted. */
export function podUnhealthy(pod: KubeObject): boolean {
  if (pod.status?.phase === 'Succeeded') return false;
  return !podReady(pod) || isCrashLooping(pod) || waitingReason(pod) !== undefined || restarts(pod) > 0;
}

// ---------- workloads ----------

export interface WorkloadRef {
  kind: 'Deployment' | 'DaemonSet' | 'ReplicaSet' | 'StatefulSet';
  namespace: string;
  name: string;
}

/** True when `pod` belongs to the workload: pod→DaemonSet directly, pod→ReplicaSet→Deployment via the snapshot. */
export function ownedBy(pod: KubeObject, kind: WorkloadRef['kind'], name: string, snapshot?: Snapshot): boolean {
  const refs = pod.metadata.ownerReferences ?? [];
  if (kind !== 'Deployment') return refs.some((r) => r.kind === kind && r.name === name);
  for (const ref of refs) {
    if (ref.kind !== 'ReplicaSet') continue;
    const rs = snapshot?.replicaSets.find(
      (r) => r.metadata.name === ref.name && r.metadata.namespace === pod.metadata.namespace,
    );
    if (rs) {
      if ((rs.metadata.ownerReferences ?? []).some((o) => o.kind === 'Deployment' && o.name === name)) return true;
      continue;
    }
    // ReplicaSet not collected: Deployment-owned ReplicaSets are named <deployment>-<pod-template-hash>.
    const hash = pod.metadata.labels?.['pod-template-hash'];
    if (hash ? ref.name === `${name}-${hash}` : ref.name.startsWith(`${name}-`)) return true;
  }
  return false;
}

export function findObject(list: readonly KubeObject[], namespace: string | undefined, name: string) {
  return list.find((o) => o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
}

export function workloadObject(snapshot: Snapshot, ref: WorkloadRef): KubeObject | undefined {
  const list =
    ref.kind === 'Deployment'
      ? snapshot.deployments
      : ref.kind === 'DaemonSet'
        ? snapshot.daemonSets
        : ref.kind === 'ReplicaSet'
          ? snapshot.replicaSets
          : [];
  return findObject(list, ref.namespace, ref.name);
}

/** Pods of a workload: by owner reference, or (for ownerless hand-built pods) by the workload's selector. */
export function podsOf(snapshot: Snapshot, ref: WorkloadRef): KubeObject[] {
  const selector = workloadObject(snapshot, ref)?.spec?.selector?.matchLabels as Record<string, string> | undefined;
  return snapshot.pods.filter((pod) => {
    if (pod.metadata.namespace !== ref.namespace) return false;
    if (ownedBy(pod, ref.kind, ref.name, snapshot)) return true;
    const owners = pod.metadata.ownerReferences ?? [];
    return owners.length === 0 && selector !== undefined && labelsMatch(selector, pod.metadata.labels);
  });
}

export function labelsMatch(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export function labelSelectorString(matchLabels: Record<string, string> | undefined): string {
  return Object.entries(matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Container names of a pod spec (or a workload's pod template spec). */
export function containerNames(podSpec: KubeObject['spec'] | undefined): string[] {
  return Array.isArray(podSpec?.containers) ? podSpec.containers.map((c: { name: string }) => c.name) : [];
}

// ---------- logs ----------

export function logKey(namespace: string, pod: string, container: string): string {
  return `${namespace}/${pod}/${container}`;
}

/** Logs of one container (default: the pod's first container). */
export function logsFor(
  snapshot: Snapshot,
  pod: KubeObject,
  container?: string,
): { current?: string; previous?: string } {
  const name = container ?? containerNames(pod.spec)[0] ?? allStatuses(pod).main[0]?.name;
  if (!name) return {};
  return snapshot.logs[logKey(pod.metadata.namespace ?? '', pod.metadata.name, name)] ?? {};
}

/** Current and previous log text joined (previous first: a crash-looper prints its fatal line there). */
export function allLogText(logs: { current?: string; previous?: string }): string {
  return [logs.previous, logs.current].filter(Boolean).join('\n');
}

/** The whole first line containing the pattern, trimmed to ~300 chars. */
export function findLogLine(text: string | undefined, pattern: string | RegExp): string | undefined {
  if (!text) return undefined;
  for (const line of text.split('\n')) {
    if (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line)) return truncate(line);
  }
  return undefined;
}

/** The last non-empty line, for quoting a crash we do not recognise. */
export function lastLogLine(text: string | undefined): string | undefined {
  const lines = (text ?? '').split('\n').filter((l) => l.trim() !== '');
  const last = lines[lines.length - 1];
  return last === undefined ? undefined : truncate(last);
}

// ---------- events ----------

export function eventsFor(
  snapshot: Snapshot,
  target: { kind?: string; name?: string; namePrefix?: string; namespace?: string },
): KubeObject[] {
  return snapshot.events.filter((e) => {
    const io = e.involvedObject ?? e.regarding ?? {};
    if (target.kind && io.kind !== target.kind) return false;
    if (target.namespace && (io.namespace ?? e.metadata.namespace) !== target.namespace) return false;
    if (target.name && io.name !== target.name) return false;
    if (target.namePrefix && !String(io.name ?? '').startsWith(target.namePrefix)) return false;
    return true;
  });
}

export function eventMessage(event: KubeObject): string {
  return String(event.message ?? event.note ?? '');
}

export function eventsMatching(snapshot: Snapshot, pattern: string | RegExp, events = snapshot.events): KubeObject[] {
  return events.filter((e) => {
    const message = eventMessage(e);
    return typeof pattern === 'string' ? message.includes(pattern) : pattern.test(message);
  });
}

/** `Warning FailedMount pod/kube-proxy-abcde: MountVolume.SetUp failed ...` (trimmed). */
export function eventLine(event: KubeObject): string {
  const io = event.involvedObject ?? event.regarding ?? {};
  const who = io.kind && io.name ? `${String(io.kind).toLowerCase()}/${io.name}` : event.metadata.name;
  const count = Number(event.count ?? event.series?.count ?? 0);
  const times = count > 1 ? ` (x${count})` : '';
  return truncate(`${event.type ?? 'Warning'} ${event.reason ?? ''} ${who}${times}: ${eventMessage(event)}`);
}

// ---------- nodes ----------

// biome-ignore lint/suspicious/noExplicitAny: conditions are open-ended wire objects.
function nodeConditionOf(obj: KubeObject, type: string): any {
  const conditions = Array.isArray(obj.status?.conditions) ? obj.status.conditions : [];
  return conditions.find((c: { type?: string }) => c?.type === type);
}

export function nodeCondition(
  node: KubeObject,
  type: string,
): { type: string; status: string; reason?: string; message?: string } | undefined {
  return nodeConditionOf(node, type);
}

export function nodeReady(node: KubeObject): boolean {
  return nodeCondition(node, 'Ready')?.status === 'True';
}

/** Node pod CIDRs (spec.podCIDRs, falling back to spec.podCIDR). */
export function nodePodCidrs(node: KubeObject): string[] {
  const list = Array.isArray(node.spec?.podCIDRs) ? (node.spec.podCIDRs as string[]) : [];
  if (list.length > 0) return list;
  return node.spec?.podCIDR ? [String(node.spec.podCIDR)] : [];
}

// ---------- config ----------

export function configMap(snapshot: Snapshot, namespace: string, name: string): KubeObject | undefined {
  return findObject(snapshot.configMaps, namespace, name);
}

export function configMapData(snapshot: Snapshot, namespace: string, name: string): Record<string, string> | undefined {
  return configMap(snapshot, namespace, name)?.data as Record<string, string> | undefined;
}

// ---------- CIDRs ----------

interface Parsed {
  bits: number;
  value: bigint;
}

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(p));
  }
  return value;
}

function parseIPv6(text: string): bigint | undefined {
  let head = text;
  // An embedded IPv4 tail (::ffff:10.0.0.1) is the last two 16-bit groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const tail = parseIPv4(v4[1]!);
    if (tail === undefined) return undefined;
    head = `${text.slice(0, -v4[1]!.length)}${(tail >> 16n).toString(16)}:${(tail & 0xffffn).toString(16)}`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string | undefined) => (s ? s.split(':') : []);
  const left = groupsOf(halves[0]);
  const right = groupsOf(halves[1]);
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  const groups = [...left, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return value;
}

function parseCidr(text: string): (Parsed & { prefix: number }) | undefined {
  const [ip, prefixText] = text.trim().split('/');
  if (!ip) return undefined;
  const v4 = ip.includes(':') ? undefined : parseIPv4(ip);
  const v6 = ip.includes(':') ? parseIPv6(ip) : undefined;
  const value = v4 ?? v6;
  if (value === undefined) return undefined;
  const bits = v4 !== undefined ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return undefined;
  return { bits, value, prefix };
}

/** True when `cidrOrIp` lies entirely inside `cidr`. IPv4 and IPv6; families never contain each other. */
export function cidrContains(cidr: string, cidrOrIp: string): boolean {
  const outer = parseCidr(cidr);
  const inner = parseCidr(cidrOrIp);
  if (!outer || !inner || outer.bits !== inner.bits || inner.prefix < outer.prefix) return false;
  const shift = BigInt(outer.bits - outer.prefix);
  return outer.value >> shift === inner.value >> shift;
}

export function isValidCidr(text: string): boolean {
  return parseCidr(text) !== undefined;
}

// ---------- builders for checks and tests ----------

export function emptyFingerprint(overrides: Partial<Fingerprint> = {}): Fingerprint {
  return { flavor: 'unknown', cni: 'none', extraCnis: [], dns: 'none', proxy: 'missing', ...overrides };
}

export function emptySnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    fingerprint: emptyFingerprint(),
    nodes: [],
    pods: [],
    deployments: [],
    daemonSets: [],
    replicaSets: [],
    services: [],
    endpointSlices: [],
    configMaps: [],
    serviceAccounts: [],
    events: [],
    networkPolicies: [],
    clusterRoles: [],
    clusterRoleBindings: [],
    logs: {},
    failures: [],
    ...overrides,
  };
}

export function step(text: string, command?: string): RunbookStep {
  return command ? { text, command } : { text };
}

/** Builds a Finding, dropping empty evidence and trimming quotes. */
export function makeFinding(finding: Finding): Finding {
  const evidence = finding.evidence.filter((e) => e && e.trim() !== '').map((e) => truncate(e, MAX_QUOTE + 80));
  const out: Finding = { ...finding, evidence: [...new Set(evidence)] };
  if (!out.impact) delete out.impact;
  if (!out.remediation) delete out.remediation;
  if (!out.causedBy) delete out.causedBy;
  return out;
}

// ---------- what the collector could and could not see ----------

export function absentKey(resource: string, namespace: string | undefined, name: string): string {
  return `${resource}/${namespace ?? ''}/${name}`;
}

/** True only when the collector asked for this object by name and the API said 404. */
export function isAbsent(snapshot: Snapshot, resource: string, namespace: string | undefined, name: string): boolean {
  return (snapshot.absent ?? []).includes(absentKey(resource, namespace, name));
}

/** True when reading `resource` (optionally in `namespace`) failed, so its absence from the snapshot proves nothing. */
export function failedToRead(snapshot: Snapshot, resource: string, namespace?: string): boolean {
  return snapshot.failures.some(
    (f) =>
      f.error.resource === resource &&
      (namespace === undefined || f.error.namespace === undefined || f.error.namespace === namespace),
  );
}
