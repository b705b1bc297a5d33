// Gathers exactly what the checks read in at most three parallel waves (objects; the objects of a CNI that lives in
// its own namespace, if any; logs), scoped by namespace and label selector so a big cluster costs the same as a small
// one. A failed call never sinks the run: it becomes a
// CollectFailure naming the components that cannot be judged without it.
import type { CollectFailure, Snapshot, SnapshotLogs } from './check.ts';
import {
  ClusterError,
  type ClusterReader,
  type KubeObject,
  type ListOptions,
  type Resource,
} from './cluster-reader.ts';
import { fingerprint, isStaticProxyPod } from './fingerprint.ts';
import { listEndpointSlices } from './objects/endpoints.ts';
import { logKey } from './objects/logs.ts';
import { containerNames, isCrashLooping, podUnhealthy, restarts } from './objects/pods.ts';
import { sanitizeLog, sanitizeObjects } from './objects/sanitize.ts';
import { podsOf } from './objects/workloads.ts';
import { snapshotNow } from './recency.ts';
import type { ComponentName, Scope } from './report.ts';
import { componentsForScope } from './report-view.ts';
import { DEFAULT_SAMPLE, type SampleBudget, sampleHealthy, suspectNodes } from './sampling.ts';
import { absentKey, emptySnapshot } from './snapshot.ts';

const KS = 'kube-system';

/** Component pods by label (kube-system). Weave and legacy Flannel use other label keys. */
export const COMPONENT_POD_SELECTORS = [
  'k8s-app in (kube-dns,kube-proxy,calico-node,cilium,aws-node,canal,kindnet,calico-kube-controllers,node-local-dns,azure-cns)',
  'name=weave-net',
  'app=flannel',
  // GKE runs kube-proxy as static (mirror) pods labelled component=kube-proxy, without a DaemonSet.
  'component=kube-proxy',
];

/** Namespaces some CNIs install into instead of kube-system (current Flannel, operator-installed Calico). */
export const CNI_NAMESPACES = ['kube-flannel', 'calico-system', 'tigera-operator'];

/** ConfigMaps the checks read: [namespace, name, components]. kube-system's come from one list of that namespace. */
const NAMED_CONFIGMAPS: [string, string, ComponentName[]][] = [
  [KS, 'coredns', ['dns']],
  [KS, 'kube-dns', ['dns']],
  [KS, 'kube-proxy', ['kube-proxy']],
  [KS, 'kube-proxy-config', ['kube-proxy']],
  [KS, 'kubeadm-config', ['kube-proxy', 'dns', 'cni']],
  [KS, 'kubelet-config', ['dns']],
  [KS, 'cilium-config', ['cni', 'kube-proxy']],
  [KS, 'calico-config', ['cni']],
  [KS, 'canal-config', ['cni']],
  [KS, 'kube-flannel-cfg', ['cni']],
  ['kube-flannel', 'kube-flannel-cfg', ['cni']],
];

const NAMED_CLUSTER_OBJECTS: [Resource, string, ComponentName[]][] = [
  ['clusterroles', 'system:coredns', ['dns']],
  ['clusterrolebindings', 'system:coredns', ['dns']],
  ['clusterroles', 'system:node-proxier', ['kube-proxy']],
  ['clusterrolebindings', 'kubeadm:node-proxier', ['kube-proxy']],
];

/** Log budget per container: enough for a crash's last words, small enough for a chat-ops round trip. */
export const LOG_TAIL_LINES = 200;
export const LOG_LIMIT_BYTES = 64 * 1024;
const MAX_UNHEALTHY_PODS_PER_WORKLOAD = 3;

export interface CollectOptions {
  scope: Scope;
  onProgress?: (event: { phase: 'collect' | 'logs'; message: string }) => void;
  /** The collector's clock, used when the server sent no Date header (injectable in tests). */
  now?: () => number;
  /** Healthy-looking pods read per agent workload (sampling.ts; the bench compares `{ healthy: 1, suspect: 0 }`). */
  sampling?: SampleBudget;
}

/** Not a single object could be read (unreachable, bad credentials): every check would judge an empty cluster. */
export function collectedNothing(snapshot: Pick<Snapshot, 'reads'>): boolean {
  return snapshot.reads !== undefined && snapshot.reads.failed === snapshot.reads.total;
}

type Bucket = Exclude<keyof Snapshot, 'fingerprint' | 'logs' | 'failures' | 'absent' | 'reads' | 'now' | 'history'>;

interface Request {
  bucket: Bucket;
  components: ComponentName[];
  /** Needed for the fingerprint whatever the scope (e.g. cilium-config decides whether kube-proxy is expected). */
  always?: boolean;
  run: (reader: ClusterReader) => Promise<KubeObject[]>;
  /** For `get`: record a 404 in `absent`. */
  absent?: string;
  /** For a list that stands in for several gets: the absent keys of the names it did not return. */
  absentUnless?: (objects: KubeObject[]) => string[];
}

/** See CollectFailure.supplementary: events and kubeadm's/kubelet's own config only add evidence. */
function supplementary(request: Request): boolean {
  return (
    request.bucket === 'events' ||
    request.absent === absentKey('configmaps', KS, 'kubeadm-config') ||
    request.absent === absentKey('configmaps', KS, 'kubelet-config')
  );
}

function list(
  bucket: Bucket,
  resource: Resource,
  options: ListOptions,
  components: ComponentName[],
  always = false,
  keep?: (o: KubeObject) => boolean,
) {
  return {
    bucket,
    components,
    always,
    run: async (r: ClusterReader) => {
      const objects =
        resource === 'endpointslices' ? await listEndpointSlices(r, options) : await r.list(resource, options);
      // Sanitised before narrowing: a list item may be null or have no metadata.
      return keep ? sanitizeObjects(objects).filter(keep) : objects;
    },
  } satisfies Request;
}

function get(
  bucket: Bucket,
  resource: Resource,
  namespace: string | undefined,
  name: string,
  components: ComponentName[],
) {
  return {
    bucket,
    components,
    always: true,
    absent: absentKey(resource, namespace, name),
    run: async (r: ClusterReader) => {
      const obj = await r.get(resource, name, namespace);
      return obj ? [obj] : [];
    },
  } satisfies Request;
}

const KS_CONFIGMAPS = NAMED_CONFIGMAPS.filter(([namespace]) => namespace === KS);
const CNI_NAMESPACE_SET = new Set([KS, ...CNI_NAMESPACES]);

/**
 * Wave 1: every read that depends on nothing, issued at once. One list stands in for a group of reads where that
 * costs no more bytes: kube-system's ConfigMaps (instead of ten gets), DaemonSets of every namespace (instead of one
 * list per CNI namespace; DaemonSets are few in any cluster). Each is narrowed to what the separate reads returned,
 * so the checks see the same snapshot.
 */
function plan(): Request[] {
  const all: ComponentName[] = ['cni', 'dns', 'kube-proxy'];
  const cmComponents = [...new Set(KS_CONFIGMAPS.flatMap(([, , c]) => c))];
  const requests: Request[] = [
    list('nodes', 'nodes', {}, ['cni', 'kube-proxy'], true),
    list('deployments', 'deployments', { namespace: KS }, ['dns', 'cni'], true),
    list('daemonSets', 'daemonsets', {}, ['cni', 'kube-proxy'], true, (d) =>
      CNI_NAMESPACE_SET.has(d.metadata.namespace ?? ''),
    ),
    list('replicaSets', 'replicasets', { namespace: KS, labelSelector: 'k8s-app=kube-dns' }, ['dns']),
    list('services', 'services', { namespace: KS }, ['dns']),
    list('services', 'services', { namespace: 'default', fieldSelector: 'metadata.name=kubernetes' }, ['kube-proxy']),
    // All of kube-system's slices: the DNS Service is found by what it is, not by the name kube-dns.
    list('endpointSlices', 'endpointslices', { namespace: KS }, ['dns']),
    list(
      'endpointSlices',
      'endpointslices',
      { namespace: 'default', labelSelector: 'kubernetes.io/service-name=kubernetes' },
      ['kube-proxy'],
    ),
    list('serviceAccounts', 'serviceaccounts', { namespace: KS }, all),
    list('events', 'events', { namespace: KS, fieldSelector: 'type=Warning' }, all),
    list('networkPolicies', 'networkpolicies', { limit: 5 }, ['cni']),
    // Sandbox and scheduling failures land on application pods in any namespace: a small first page is enough.
    list('events', 'events', { fieldSelector: 'reason=FailedCreatePodSandBox', limit: 50 }, ['cni']),
    list('events', 'events', { fieldSelector: 'reason=FailedScheduling', limit: 50 }, ['cni', 'dns']),
    {
      // Narrowed in collectObjects to the named ones and those the DNS/proxy/CNI workloads mount (RKE2's
      // rke2-coredns-rke2-coredns), which are known only once the Deployments and DaemonSets are read.
      ...list('configMaps', 'configmaps', { namespace: KS }, cmComponents, true, () => true),
      absentUnless: (found) =>
        KS_CONFIGMAPS.filter(([, name]) => !found.some((c) => c.metadata.name === name)).map(([ns, name]) =>
          absentKey('configmaps', ns, name),
        ),
    },
  ];
  for (const selector of COMPONENT_POD_SELECTORS) {
    requests.push(list('pods', 'pods', { namespace: KS, labelSelector: selector }, all, true));
  }
  for (const [resource, name, components] of NAMED_CLUSTER_OBJECTS) {
    requests.push(
      get(resource === 'clusterroles' ? 'clusterRoles' : 'clusterRoleBindings', resource, undefined, name, components),
    );
  }
  return requests;
}

/**
 * Wave 2 (only where a CNI lives outside kube-system): the pods, warnings and ConfigMaps of the CNI namespaces that
 * hold a DaemonSet. Most clusters have none, so they go straight from wave 1 to the logs.
 */
function cniNamespacePlan(daemonSets: KubeObject[]): Request[] {
  const requests: Request[] = [];
  for (const namespace of CNI_NAMESPACES) {
    if (!daemonSets.some((d) => d.metadata.namespace === namespace)) continue;
    requests.push(list('pods', 'pods', { namespace }, ['cni']));
    requests.push(list('events', 'events', { namespace, fieldSelector: 'type=Warning' }, ['cni']));
    for (const [ns, name, components] of NAMED_CONFIGMAPS) {
      if (ns === namespace) requests.push(get('configMaps', 'configmaps', ns, name, components));
    }
  }
  return requests;
}

function asClusterError(error: unknown, verb: string, resource: string, namespace?: string): ClusterError {
  // A list answers 404 only when the API server does not serve that group/version (old or trimmed clusters).
  if (
    error instanceof ClusterError &&
    error.kind === 'not-found' &&
    error.verb === 'list' &&
    !/namespaces "[^"]*" not found/.test(error.message)
  ) {
    return new ClusterError({
      kind: 'not-found',
      status: error.status,
      message: 'the API server does not serve this resource (API group/version not available)',
      verb: error.verb,
      resource: error.resource,
      namespace: error.namespace,
      identity: error.identity,
    });
  }
  if (error instanceof ClusterError) return error;
  return new ClusterError({
    kind: 'server-error',
    message: error instanceof Error ? error.message : String(error),
    verb,
    resource,
    namespace,
  });
}

function dedupe(objects: KubeObject[]): KubeObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => {
    const key = o.metadata.uid ?? `${o.kind ?? ''}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Runs one wave of reads into the snapshot; a failed read becomes a CollectFailure, never an exception. */
async function runWave(
  reader: ClusterReader,
  requests: Request[],
  snapshot: Omit<Snapshot, 'fingerprint'>,
  wanted: Set<ComponentName>,
): Promise<void> {
  const results = await Promise.allSettled(requests.map((r) => r.run(reader)));
  const reads = snapshot.reads ?? { total: 0, failed: 0 };
  snapshot.reads = {
    total: reads.total + requests.length,
    failed: reads.failed + results.filter((r) => r.status === 'rejected').length,
  };
  results.forEach((result, i) => {
    const request = requests[i]!;
    if (result.status === 'fulfilled') {
      snapshot[request.bucket].push(...sanitizeObjects(result.value));
      if (request.absent && result.value.length === 0) snapshot.absent!.push(request.absent);
      if (request.absentUnless) snapshot.absent!.push(...request.absentUnless(result.value));
      return;
    }
    const error = asClusterError(result.reason, 'list', request.bucket);
    // A namespace that does not exist is simply a CNI that is not installed.
    if (error.kind === 'not-found' && /namespaces "[^"]*" not found/.test(error.message)) return;
    const failure: CollectFailure = { components: request.components.filter((c) => wanted.has(c)), error };
    if (supplementary(request)) failure.supplementary = true;
    snapshot.failures.push(failure);
  });
}

/** Names of the kube-system ConfigMaps these workloads mount (volumes and projected volumes). */
function mountedConfigMaps(workloads: KubeObject[]): Set<string> {
  const names = new Set<string>();
  for (const w of workloads) {
    if (w.metadata.namespace !== KS) continue;
    for (const v of w.spec?.template?.spec?.volumes ?? []) {
      if (v?.configMap?.name) names.add(String(v.configMap.name));
      for (const source of v?.projected?.sources ?? [])
        if (source?.configMap?.name) names.add(String(source.configMap.name));
    }
  }
  return names;
}

/** Objects: one parallel wave, plus a second one for CNIs that live in their own namespace. */
async function collectObjects(reader: ClusterReader, scope: Scope): Promise<Omit<Snapshot, 'fingerprint'>> {
  const wanted = new Set(componentsForScope(scope));
  const relevant = (r: Request) => r.always || r.components.some((c) => wanted.has(c));
  const { fingerprint: _none, ...snapshot } = emptySnapshot({ absent: [] });
  await runWave(reader, plan().filter(relevant), snapshot, wanted);
  const second = cniNamespacePlan(snapshot.daemonSets).filter(relevant);
  if (second.length > 0) await runWave(reader, second, snapshot, wanted);
  for (const bucket of ['pods', 'events', 'daemonSets', 'services', 'endpointSlices', 'configMaps'] as const) {
    snapshot[bucket] = dedupe(snapshot[bucket]);
  }
  const mounted = mountedConfigMaps([...snapshot.deployments, ...snapshot.daemonSets]);
  snapshot.configMaps = snapshot.configMaps.filter(
    (c) =>
      c.metadata.namespace !== KS ||
      KS_CONFIGMAPS.some(([, name]) => name === c.metadata.name) ||
      mounted.has(c.metadata.name),
  );
  return snapshot;
}

interface LogTarget {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
  components: ComponentName[];
}

/** Which containers of a pod to read: the main ones, plus init containers that are failing. */
function containersToRead(pod: KubeObject): string[] {
  const main = containerNames(pod.spec);
  const failingInit = (pod.status?.initContainerStatuses ?? [])
    .filter(
      (s: { state?: { waiting?: unknown; terminated?: { exitCode?: number } }; restartCount?: number }) =>
        s.state?.waiting || (s.state?.terminated && s.state.terminated.exitCode !== 0),
    )
    .map((s: { name: string }) => s.name);
  return [...failingInit, ...main.slice(0, 2)];
}

function hadRestart(pod: KubeObject, container: string): boolean {
  const all = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const status = all.find((s: { name: string }) => s.name === container);
  return Number(status?.restartCount ?? 0) > 0 || Boolean(status?.lastState?.terminated);
}

function neverStarted(pod: KubeObject, container: string): boolean {
  const all = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const status = all.find((s: { name: string }) => s.name === container);
  return Boolean(status?.state?.waiting) && Number(status?.restartCount ?? 0) === 0 && !status?.lastState?.terminated;
}

/**
 * Phase 2 plan: unhealthy component pods (≤3 per workload) plus a bounded sample of healthy-looking ones per workload,
 * suspect nodes first (sampling.ts), whose current logs may still show failing syncs.
 */
export function planLogs(snapshot: Snapshot, scope: Scope, sampling: SampleBudget = DEFAULT_SAMPLE): LogTarget[] {
  const wanted = new Set(componentsForScope(scope));
  const fp = snapshot.fingerprint;
  const workloads: { ref: Parameters<typeof podsOf>[1]; components: ComponentName[] }[] = [];
  if (wanted.has('dns') && fp.dnsWorkload) {
    workloads.push({
      ref: { kind: 'Deployment', namespace: fp.dnsWorkload.namespace, name: fp.dnsWorkload.deployment },
      components: ['dns'],
    });
  }
  if (wanted.has('kube-proxy') && fp.proxy === 'kube-proxy') {
    workloads.push({ ref: { kind: 'DaemonSet', namespace: KS, name: 'kube-proxy' }, components: ['kube-proxy'] });
  }
  if (wanted.has('cni')) {
    const cniSets = snapshot.daemonSets.filter(
      (d) =>
        (fp.cniWorkload &&
          d.metadata.name === fp.cniWorkload.daemonSet &&
          d.metadata.namespace === fp.cniWorkload.namespace) ||
        snapshot.pods.some((p) =>
          p.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.name === d.metadata.name),
        ),
    );
    for (const ds of cniSets) {
      if (ds.metadata.name === 'kube-proxy') continue;
      workloads.push({
        ref: { kind: 'DaemonSet', namespace: ds.metadata.namespace ?? KS, name: ds.metadata.name },
        components: ['cni'],
      });
    }
  }
  const targets: LogTarget[] = [];
  const seen = new Set<string>();
  const suspects = suspectNodes(snapshot);
  const now = snapshotNow(snapshot);
  for (const { ref, components } of workloads) {
    let pods = podsOf(snapshot, ref);
    // Static kube-proxy pods have no DaemonSet owner.
    if (pods.length === 0 && ref.name === 'kube-proxy') pods = snapshot.pods.filter(isStaticProxyPod);
    const unhealthy = pods
      .filter((p) => podUnhealthy(p, now))
      .sort((a, b) => Number(isCrashLooping(b)) - Number(isCrashLooping(a)) || restarts(b) - restarts(a))
      .slice(0, MAX_UNHEALTHY_PODS_PER_WORKLOAD);
    for (const pod of [...unhealthy, ...sampleHealthy(pods, suspects, now, sampling)]) {
      if (!pod.spec?.nodeName) continue; // never scheduled: no logs to read
      for (const container of containersToRead(pod)) {
        const key = logKey(pod.metadata.namespace ?? KS, pod.metadata.name, container);
        if (seen.has(key)) continue;
        seen.add(key);
        const base = { namespace: pod.metadata.namespace ?? KS, pod: pod.metadata.name, container, components };
        const restarted = hadRestart(pod, container);
        // A container still waiting for its first start (ContainerCreating, ImagePullBackOff) has no log to read.
        if (restarted || !neverStarted(pod, container)) targets.push({ ...base, previous: false });
        if (restarted) targets.push({ ...base, previous: true });
      }
    }
  }
  return targets;
}

async function collectLogs(
  reader: ClusterReader,
  snapshot: Snapshot,
  scope: Scope,
  sampling?: SampleBudget,
): Promise<void> {
  const targets = planLogs(snapshot, scope, sampling);
  const results = await Promise.allSettled(
    targets.map((t) =>
      reader.logs(t.namespace, t.pod, {
        container: t.container,
        previous: t.previous,
        tailLines: LOG_TAIL_LINES,
        limitBytes: LOG_LIMIT_BYTES,
      }),
    ),
  );
  const logs: SnapshotLogs = snapshot.logs;
  const failures = new Map<string, CollectFailure>();
  results.forEach((result, i) => {
    const t = targets[i]!;
    const key = logKey(t.namespace, t.pod, t.container);
    if (result.status === 'fulfilled') {
      logs[key] = { ...logs[key], [t.previous ? 'previous' : 'current']: sanitizeLog(result.value) };
      return;
    }
    const error = asClusterError(result.reason, 'get', 'pods/log', t.namespace);
    // 400/404: the container has not started or has no previous instance; nothing to read, nothing wrong.
    if (error.kind === 'bad-request' || error.kind === 'not-found') return;
    // One failure per kind of denial is enough to explain an `unknown`.
    const dedupeKey = `${error.kind}/${t.namespace}/${t.components.join(',')}`;
    // Logs explain a state the pod objects already show; without them the component is still judged.
    if (!failures.has(dedupeKey)) failures.set(dedupeKey, { components: t.components, error, supplementary: true });
  });
  snapshot.failures.push(...failures.values());
}

/**
 * The DNS ClusterRole/Binding are whatever binds the DNS pods' ServiceAccount. Bindings cannot be listed by subject,
 * so when kubeadm's system:coredns (wave 1) does not bind them, this asks, beside the logs, for the names the charts
 * give them: the Deployment's and the ServiceAccount's (RKE2: rke2-coredns-rke2-coredns; coredns/helm: coredns).
 */
export function dnsRbacPlan(snapshot: Snapshot, scope: Scope): Request[] {
  const workload = snapshot.fingerprint.dnsWorkload;
  if (!workload || !componentsForScope(scope).includes('dns')) return [];
  const deployment = snapshot.deployments.find(
    (d) => d.metadata.namespace === workload.namespace && d.metadata.name === workload.deployment,
  );
  const serviceAccount = String(deployment?.spec?.template?.spec?.serviceAccountName ?? 'coredns');
  // kubeadm's binding (read in wave 1) already binds these pods: nothing more to ask.
  const kubeadmBinds = snapshot.clusterRoleBindings.some(
    (b) =>
      b.metadata.name === 'system:coredns' &&
      ((b.subjects ?? []) as { kind?: string; name?: string; namespace?: string }[]).some(
        (s) => s.kind === 'ServiceAccount' && s.name === serviceAccount && s.namespace === workload.namespace,
      ),
  );
  if (kubeadmBinds) return [];
  const names = new Set([workload.deployment, serviceAccount]);
  const requests: Request[] = [];
  for (const name of names) {
    if (name === '' || NAMED_CLUSTER_OBJECTS.some(([, known]) => known === name)) continue;
    requests.push(get('clusterRoles', 'clusterroles', undefined, name, ['dns']));
    requests.push(get('clusterRoleBindings', 'clusterrolebindings', undefined, name, ['dns']));
  }
  return requests;
}

/** Collects a Snapshot: objects, fingerprint, then logs. Two sequential round trips, three with a CNI namespace. */
export async function collect(reader: ClusterReader, options: CollectOptions): Promise<Snapshot> {
  options.onProgress?.({ phase: 'collect', message: 'reading cluster objects' });
  const objects = await collectObjects(reader, options.scope);
  const clock = reader.serverTime ?? (options.now ?? Date.now)();
  const snapshot: Snapshot = { ...objects, fingerprint: fingerprint(objects), now: new Date(clock).toISOString() };
  // Nothing could be read (unreachable, bad credentials): logs would fail the same way.
  if (collectedNothing(snapshot)) return snapshot;
  options.onProgress?.({ phase: 'logs', message: 'reading component logs' });
  const wanted = new Set(componentsForScope(options.scope));
  await Promise.all([
    collectLogs(reader, snapshot, options.scope, options.sampling),
    runWave(reader, dnsRbacPlan(snapshot, options.scope), snapshot, wanted),
  ]);
  return snapshot;
}
