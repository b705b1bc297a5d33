// Server-side printing (meta.k8s.io Table) so `kubectl get` shows the usual columns.
import type { KubeObject } from './types.ts';

interface Column {
  name: string;
  type?: string;
  format?: string;
  priority?: number;
  cell: (o: KubeObject, now: number) => string | number;
}

export function age(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  return d < 365 * 2 ? `${d}d` : `${Math.floor(d / 365)}y`;
}

const name: Column = { name: 'Name', format: 'name', cell: (o) => o.metadata.name };
const ageCol: Column = { name: 'Age', cell: (o, now) => age(o.metadata.creationTimestamp, now) };
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

function podStatus(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  let reason: string = pod.status?.reason ?? pod.status?.phase ?? 'Unknown';
  for (const cs of pod.status?.containerStatuses ?? []) {
    const r = cs.state?.waiting?.reason ?? cs.state?.terminated?.reason;
    if (r) reason = r;
  }
  return reason;
}

function nodeStatus(node: KubeObject): string {
  const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  const base = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
  return node.spec?.unschedulable ? `${base},SchedulingDisabled` : base;
}

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
  pods: [
    name,
    {
      name: 'Ready',
      cell: (o) => {
        const cs = o.status?.containerStatuses ?? [];
        const total = o.spec?.containers?.length ?? cs.length;
        return `${cs.filter((c: { ready?: boolean }) => c.ready).length}/${total}`;
      },
    },
    { name: 'Status', cell: podStatus },
    {
      name: 'Restarts',
      type: 'string',
      cell: (o) =>
        String(
          (o.status?.containerStatuses ?? []).reduce(
            (n: number, c: { restartCount?: number }) => n + num(c.restartCount),
            0,
          ),
        ),
    },
    ageCol,
    { name: 'IP', priority: 1, cell: (o) => o.status?.podIP ?? '<none>' },
    { name: 'Node', priority: 1, cell: (o) => o.spec?.nodeName ?? '<none>' },
  ],
  nodes: [
    name,
    { name: 'Status', cell: nodeStatus },
    {
      name: 'Roles',
      cell: (o) =>
        Object.keys(o.metadata.labels ?? {})
          .filter((k) => k.startsWith('node-role.kubernetes.io/'))
          .map((k) => k.slice('node-role.kubernetes.io/'.length))
          .join(',') || '<none>',
    },
    ageCol,
    { name: 'Version', cell: (o) => o.status?.nodeInfo?.kubeletVersion ?? '' },
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
      description: '',
      priority: c.priority ?? 0,
    })),
    rows: items.map((o) => ({
      cells: columns.map((c) => c.cell(o, now)),
      object:
        includeObject === 'None'
          ? undefined
          : includeObject === 'Object'
            ? o
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}

/** kubectl asks for a Table via its Accept header. */
export const wantsTable = (accept: string | undefined): boolean => !!accept && /as=Table/.test(accept);
