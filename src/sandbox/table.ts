// Server-side printing (meta.k8s.io Table) so `kubectl get` shows the usual columns.
import type { KubeObject } from './types.ts';

interface Column {
  name: string;
  type?: string;
  format?: string;
  priority?: number;
  description?: string;
  cell: (o: KubeObject, now: number) => string | number;
}

/** The apiserver's duration.HumanDuration: "45s", "3m20s", "2h5m", "3d4h", "2y10d". */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

export function age(timestamp: string | undefined, now: number): string {
  const at = timestamp ? Date.parse(timestamp) : Number.NaN;
  return Number.isFinite(at) ? humanDuration(now - at) : '<unknown>';
}

const name: Column = {
  name: 'Name',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  cell: (o) => o.metadata.name,
};
const ageCol: Column = {
  name: 'Age',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  cell: (o, now) => age(o.metadata.creationTimestamp, now),
};
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

// biome-ignore lint/suspicious/noExplicitAny: container statuses are open-ended wire objects.
type Status = any;

const restartable = (c: { restartPolicy?: string } | undefined) => c?.restartPolicy === 'Always';

/**
 * kube's printPod (pkg/printers/internalversion): the READY, STATUS and RESTARTS cells, with sidecar (restartable
 * init) containers counted as containers and "N (5m ago)" restarts.
 */
export function podCells(pod: KubeObject, now: number): { ready: string; reason: string; restarts: string } {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const initSpecs = new Map<string, { restartPolicy?: string }>(
    (spec.initContainers ?? []).map((c: { name: string; restartPolicy?: string }) => [c.name, c]),
  );
  let total = (spec.containers ?? []).length + [...initSpecs.values()].filter(restartable).length;
  if (total === 0) total = (status.containerStatuses ?? []).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;
  const finished = (c: Status) => Date.parse(c?.lastState?.terminated?.finishedAt ?? '') || 0;
  let reason: string = status.reason || status.phase || '';
  for (const c of status.conditions ?? []) {
    if (c?.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  let initializing = false;
  const inits: Status[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i];
    restarts += Number(c?.restartCount) || 0;
    lastRestart = Math.max(lastRestart, finished(c));
    const sidecar = restartable(initSpecs.get(c?.name));
    if (sidecar) {
      sidecarRestarts += Number(c?.restartCount) || 0;
      lastSidecarRestart = Math.max(lastSidecarRestart, finished(c));
    }
    const terminated = c?.state?.terminated;
    const waiting = c?.state?.waiting;
    if (terminated && Number(terminated.exitCode ?? 0) === 0) continue;
    if (sidecar && c?.started === true) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated) {
      reason = terminated.reason
        ? `Init:${terminated.reason}`
        : terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode ?? 0}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    initializing = true;
    break;
  }
  const initialized = (status.conditions ?? []).some(
    (c: { type?: string; status?: string }) => c?.type === 'Initialized' && c.status === 'True',
  );
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const mains: Status[] = status.containerStatuses ?? [];
    for (let i = mains.length - 1; i >= 0; i--) {
      const c = mains[i];
      restarts += Number(c?.restartCount) || 0;
      lastRestart = Math.max(lastRestart, finished(c));
      const terminated = c?.state?.terminated;
      if (c?.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated)
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      else if (c?.ready && c?.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some(
        (c: { type?: string; status?: string }) => c?.type === 'Ready' && c.status === 'True',
      );
      reason = podReady ? 'Running' : 'NotReady';
    }
  }
  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !terminal) reason = 'Terminating';
  const restartText =
    restarts !== 0 && lastRestart > 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, reason, restarts: restartText };
}

function readinessGates(pod: KubeObject): string {
  const gates: { conditionType?: string }[] = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions: { type?: string; status?: string }[] = pod.status?.conditions ?? [];
  const met = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${met}/${gates.length}`;
}

function nodeStatus(node: KubeObject): string {
  const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  const status = ready ? [ready.status === 'True' ? 'Ready' : 'NotReady'] : ['Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith('node-role.kubernetes.io/') && key.length > 'node-role.kubernetes.io/'.length) {
      roles.add(key.slice('node-role.kubernetes.io/'.length));
    } else if (key === 'kubernetes.io/role' && value !== '') roles.add(value);
  }
  return [...roles].sort().join(',') || '<none>';
}

const nodeAddress = (node: KubeObject, type: string) =>
  (node.status?.addresses ?? []).find((a: { type?: string }) => a.type === type)?.address ?? '<none>';
const orUnknown = (v: unknown) => (typeof v === 'string' && v !== '' ? v : '<unknown>');

function servicePorts(svc: KubeObject): string {
  const ports: { port: number; protocol?: string; nodePort?: number }[] = svc.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function endpointList(ep: KubeObject): string {
  const out: string[] = [];
  for (const subset of ep.subsets ?? []) {
    for (const a of subset.addresses ?? []) {
      for (const p of subset.ports ?? [{}]) out.push(p.port ? `${a.ip}:${p.port}` : a.ip);
    }
  }
  if (out.length === 0) return '<none>';
  return out.length > 3 ? `${out.slice(0, 3).join(',')} + ${out.length - 3} more...` : out.join(',');
}

const COLUMNS: Record<string, Column[]> = {
  // Cell by cell as the apiserver's printers (pkg/printers/internalversion); the server always prints the wide
  // (priority 1) columns too and kubectl hides them without -o wide.
  pods: [
    name,
    {
      name: 'Ready',
      description: 'The aggregate readiness state of this pod for accepting traffic.',
      cell: (o, now) => podCells(o, now).ready,
    },
    {
      name: 'Status',
      description: 'The aggregate status of the containers in this pod.',
      cell: (o, now) => podCells(o, now).reason,
    },
    {
      name: 'Restarts',
      description:
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      cell: (o, now) => podCells(o, now).restarts,
    },
    ageCol,
    {
      name: 'IP',
      priority: 1,
      description: 'podIP address allocated to the pod.',
      cell: (o) => o.status?.podIPs?.[0]?.ip || o.status?.podIP || '<none>',
    },
    {
      name: 'Node',
      priority: 1,
      description: 'NodeName indicates in which node this pod is scheduled.',
      cell: (o) => o.spec?.nodeName || '<none>',
    },
    {
      name: 'Nominated Node',
      priority: 1,
      description: 'nominatedNodeName is set only when this pod preempts other pods on the node.',
      cell: (o) => o.status?.nominatedNodeName || '<none>',
    },
    {
      name: 'Readiness Gates',
      priority: 1,
      description: 'If specified, all readiness gates will be evaluated for pod readiness.',
      cell: readinessGates,
    },
  ],
  nodes: [
    name,
    { name: 'Status', description: 'The status of the node', cell: nodeStatus },
    { name: 'Roles', description: 'The roles of the node', cell: nodeRoles },
    ageCol,
    {
      name: 'Version',
      description: 'Kubelet Version reported by the node.',
      cell: (o) => o.status?.nodeInfo?.kubeletVersion ?? '',
    },
    {
      name: 'Internal-IP',
      priority: 1,
      description: 'List of addresses reachable to the node.',
      cell: (o) => nodeAddress(o, 'InternalIP'),
    },
    {
      name: 'External-IP',
      priority: 1,
      description: 'List of addresses reachable to the node.',
      cell: (o) => nodeAddress(o, 'ExternalIP'),
    },
    {
      name: 'OS-Image',
      priority: 1,
      description: 'OS Image reported by the node from /etc/os-release.',
      cell: (o) => orUnknown(o.status?.nodeInfo?.osImage),
    },
    {
      name: 'Kernel-Version',
      priority: 1,
      description: "Kernel Version reported by the node from 'uname -r'.",
      cell: (o) => orUnknown(o.status?.nodeInfo?.kernelVersion),
    },
    {
      name: 'Container-Runtime',
      priority: 1,
      description: 'ContainerRuntime Version reported by the node through runtime remote API.',
      cell: (o) => orUnknown(o.status?.nodeInfo?.containerRuntimeVersion),
    },
  ],
  services: [
    name,
    { name: 'Type', cell: (o) => o.spec?.type ?? 'ClusterIP' },
    { name: 'Cluster-IP', cell: (o) => o.spec?.clusterIP ?? '<none>' },
    { name: 'External-IP', cell: (o) => (o.spec?.externalIPs ?? []).join(',') || '<none>' },
    { name: 'Port(s)', cell: servicePorts },
    ageCol,
  ],
  namespaces: [name, { name: 'Status', cell: (o) => o.status?.phase ?? 'Active' }, ageCol],
  endpoints: [name, { name: 'Endpoints', cell: endpointList }, ageCol],
  configmaps: [name, { name: 'Data', type: 'integer', cell: (o) => Object.keys(o.data ?? {}).length }, ageCol],
  deployments: [
    name,
    { name: 'Ready', cell: (o) => `${num(o.status?.readyReplicas)}/${num(o.spec?.replicas ?? 1)}` },
    { name: 'Up-to-date', type: 'integer', cell: (o) => num(o.status?.updatedReplicas) },
    { name: 'Available', type: 'integer', cell: (o) => num(o.status?.availableReplicas) },
    ageCol,
  ],
  replicasets: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => num(o.spec?.replicas ?? 1) },
    { name: 'Current', type: 'integer', cell: (o) => num(o.status?.replicas) },
    { name: 'Ready', type: 'integer', cell: (o) => num(o.status?.readyReplicas) },
    ageCol,
  ],
  daemonsets: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => num(o.status?.desiredNumberScheduled) },
    { name: 'Current', type: 'integer', cell: (o) => num(o.status?.currentNumberScheduled) },
    { name: 'Ready', type: 'integer', cell: (o) => num(o.status?.numberReady) },
    { name: 'Up-to-date', type: 'integer', cell: (o) => num(o.status?.updatedNumberScheduled) },
    { name: 'Available', type: 'integer', cell: (o) => num(o.status?.numberAvailable) },
    {
      name: 'Node Selector',
      cell: (o) =>
        Object.entries(o.spec?.template?.spec?.nodeSelector ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(',') || '<none>',
    },
    ageCol,
  ],
  events: [
    {
      name: 'Last Seen',
      cell: (o, now) => age(o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp, now),
    },
    { name: 'Type', cell: (o) => o.type ?? '' },
    { name: 'Reason', cell: (o) => o.reason ?? '' },
    {
      name: 'Object',
      cell: (o) => `${(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}`,
    },
    { name: 'Message', cell: (o) => o.message ?? '' },
  ],
};

/** `includeObject`: None | Metadata (default) | Object, as the apiserver's query parameter. */
export function toTable(
  resource: string,
  items: KubeObject[],
  meta: Record<string, unknown>,
  includeObject: string | null,
) {
  const columns = COLUMNS[resource] ?? [name, ageCol];
  const now = Date.now();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type ?? 'string',
      format: c.format ?? '',
      description: c.description ?? '',
      priority: c.priority ?? 0,
    })),
    rows: items.map((o) => ({
      cells: columns.map((c) => c.cell(o, now)),
      object: includeObject === 'None' ? undefined : includeObject === 'Object' ? o : toPartial(o),
    })),
  };
}

/**
 * Which representation an Accept header asks for, as the apiserver negotiates it: the first media type it can serve
 * (`application/json;as=Table;g=meta.k8s.io;v=v1`, `…;as=PartialObjectMetadataList…` for lists and
 * `…;as=PartialObjectMetadata…` for single objects), else the object itself.
 */
export function negotiate(accept: string | undefined, list: boolean): 'Table' | 'PartialObjectMetadata' | 'Object' {
  for (const type of (accept ?? '').split(',')) {
    const [media = '', ...params] = type.split(';').map((p) => p.trim());
    if (!/^(application\/json|\*\/\*|application\/\*)$/.test(media)) continue;
    const p = Object.fromEntries(params.map((kv) => kv.split('=').map((x) => x.trim()) as [string, string]));
    if (!p.as) return 'Object';
    if (p.g !== 'meta.k8s.io' || (p.v !== 'v1' && p.v !== 'v1beta1')) continue;
    if (p.as === 'Table') return 'Table';
    if (p.as === (list ? 'PartialObjectMetadataList' : 'PartialObjectMetadata')) return 'PartialObjectMetadata';
  }
  return 'Object';
}

/** kubectl asks for a Table via its Accept header. */
export const wantsTable = (accept: string | undefined): boolean => negotiate(accept, true) === 'Table';

/** The media type a negotiated answer declares, as the apiserver's Content-Type. */
export const contentType = (as: 'Table' | 'PartialObjectMetadataList' | 'PartialObjectMetadata') =>
  `application/json;as=${as};g=meta.k8s.io;v=v1`;

/** Metadata only: `as=PartialObjectMetadataList` (the metadata informers' and `kubectl get -o name`'s form). */
export function toPartialList(items: KubeObject[], meta: Record<string, unknown>) {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    items: items.map(toPartial),
  };
}

export const toPartial = (o: KubeObject) => ({
  kind: 'PartialObjectMetadata',
  apiVersion: 'meta.k8s.io/v1',
  metadata: o.metadata,
});
