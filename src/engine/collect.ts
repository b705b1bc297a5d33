// Gathers exactly what the checks read, in two parallel waves (objects, then logs), scoped by namespace and label
// selector so a big cluster costs the same as a small one. A failed call never sinks the run: it becomes a
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
import { logKey } from './objects/logs.ts';
import { containerNames, isCrashLooping, podUnhealthy, restarts } from './objects/pods.ts';
import { podsOf } from './objects/workloads.ts';
import type { ComponentName, Scope } from './report.ts';
import { componentsForScope } from './report-view.ts';
import { absentKey, emptySnapshot } from './snapshot.ts';

const KS = 'kube-system';

/** Component pods by label (kube-system). Weave and legacy Flannel use other label keys. */
export const COMPONENT_POD_SELECTORS = [
  'k8s-app in (kube-dns,kube-proxy,calico-node,cilium,aws-node,canal,kindnet,calico-kube-controllers,node-local-dns)',
  'name=weave-net',
  'app=flannel',
  // GKE runs kube-proxy as static (mirror) pods labelled component=kube-proxy, without a DaemonSet.
  'component=kube-proxy',
];

/** Namespaces some CNIs install into instead of kube-system (current Flannel, operator-installed Calico). */
export const CNI_NAMESPACES = ['kube-flannel', 'calico-system', 'tigera-operator'];

/** ConfigMaps read by name: [namespace, name, components]. */
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
}

function list(bucket: Bucket, resource: Resource, options: ListOptions, components: ComponentName[], always = false) {
  return { bucket, components, always, run: (r: ClusterReader) => r.list(resource, options) } satisfies Request;
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

function plan(): Request[] {
  const all: ComponentName[] = ['cni', 'dns', 'kube-proxy'];
  const requests: Request[] = [
    list('nodes', 'nodes', {}, ['cni', 'kube-proxy'], true),
    list('deployments', 'deployments', { namespace: KS }, ['dns', 'cni'], true),
    list('daemonSets', 'daemonsets', { namespace: KS }, ['cni', 'kube-proxy'], true),
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
  ];
  for (const selector of COMPONENT_POD_SELECTORS) {
    requests.push(list('pods', 'pods', { namespace: KS, labelSelector: selector }, all, true));
  }
  for (const namespace of CNI_NAMESPACES) {
    requests.push(list('daemonSets', 'daemonsets', { namespace }, ['cni'], true));
    requests.push(list('pods', 'pods', { namespace }, ['cni']));
    requests.push(list('events', 'events', { namespace, fieldSelector: 'type=Warning' }, ['cni']));
  }
  for (const [namespace, name, components] of NAMED_CONFIGMAPS) {
    requests.push(get('configMaps', 'configmaps', namespace, name, components));
  }
  for (const [resource, name, components] of NAMED_CLUSTER_OBJECTS) {
    requests.push(
      get(resource === 'clusterroles' ? 'clusterRoles' : 'clusterRoleBindings', resource, undefined, name, components),
    );
  }
  return requests;
}

function asClusterError(error: unknown, verb: string, resource: string, namespace?: string): ClusterError {
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

/** Phase 1: every object, in one parallel wave. */
async function collectObjects(reader: ClusterReader, scope: Scope): Promise<Omit<Snapshot, 'fingerprint'>> {
  const wanted = new Set(componentsForScope(scope));
  const requests = plan().filter((r) => r.always || r.components.some((c) => wanted.has(c)));
  const { fingerprint: _none, ...snapshot } = emptySnapshot({ absent: [] });
  const results = await Promise.allSettled(requests.map((r) => r.run(reader)));
  snapshot.reads = { total: requests.length, failed: results.filter((r) => r.status === 'rejected').length };
  results.forEach((result, i) => {
    const request = requests[i]!;
    if (result.status === 'fulfilled') {
      snapshot[request.bucket].push(...result.value);
      if (request.absent && result.value.length === 0) snapshot.absent!.push(request.absent);
      return;
    }
    const error = asClusterError(result.reason, 'list', request.bucket);
    // A namespace that does not exist is simply a CNI that is not installed.
    if (error.kind === 'not-found') return;
    snapshot.failures.push({ components: request.components.filter((c) => wanted.has(c)), error });
  });
  for (const bucket of ['pods', 'events', 'daemonSets', 'services', 'endpointSlices'] as const) {
    snapshot[bucket] = dedupe(snapshot[bucket]);
  }
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

/** Phase 2 plan: unhealthy component pods (≤3 per workload) plus one healthy representative per workload. */
export function planLogs(snapshot: Snapshot, scope: Scope): LogTarget[] {
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
  for (const { ref, components } of workloads) {
    let pods = podsOf(snapshot, ref);
    // Static kube-proxy pods have no DaemonSet owner.
    if (pods.length === 0 && ref.name === 'kube-proxy') pods = snapshot.pods.filter(isStaticProxyPod);
    const unhealthy = pods
      .filter(podUnhealthy)
      .sort((a, b) => Number(isCrashLooping(b)) - Number(isCrashLooping(a)) || restarts(b) - restarts(a))
      .slice(0, MAX_UNHEALTHY_PODS_PER_WORKLOAD);
    const healthy = pods.find((p) => !podUnhealthy(p) && p.spec?.nodeName);
    for (const pod of healthy ? [...unhealthy, healthy] : unhealthy) {
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

async function collectLogs(reader: ClusterReader, snapshot: Snapshot, scope: Scope): Promise<void> {
  const targets = planLogs(snapshot, scope);
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
      logs[key] = { ...logs[key], [t.previous ? 'previous' : 'current']: result.value };
      return;
    }
    const error = asClusterError(result.reason, 'get', 'pods/log', t.namespace);
    // 400/404: the container has not started or has no previous instance; nothing to read, nothing wrong.
    if (error.kind === 'bad-request' || error.kind === 'not-found') return;
    // One failure per kind of denial is enough to explain an `unknown`.
    const dedupeKey = `${error.kind}/${t.namespace}/${t.components.join(',')}`;
    if (!failures.has(dedupeKey)) failures.set(dedupeKey, { components: t.components, error });
  });
  snapshot.failures.push(...failures.values());
}

/** Collects a Snapshot: objects, fingerprint, then logs. About two sequential round trips. */
export async function collect(reader: ClusterReader, options: CollectOptions): Promise<Snapshot> {
  options.onProgress?.({ phase: 'collect', message: 'reading cluster objects' });
  const objects = await collectObjects(reader, options.scope);
  const clock = reader.serverTime ?? (options.now ?? Date.now)();
  const snapshot: Snapshot = { ...objects, fingerprint: fingerprint(objects), now: new Date(clock).toISOString() };
  // Nothing could be read (unreachable, bad credentials): logs would fail the same way.
  if (collectedNothing(snapshot)) return snapshot;
  options.onProgress?.({ phase: 'logs', message: 'reading component logs' });
  await collectLogs(reader, snapshot, options.scope);
  return snapshot;
}
