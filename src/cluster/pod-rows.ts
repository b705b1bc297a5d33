// Pods from server-side Table rows (`as=Table`, `includeObject=Metadata`): at scale the reader lists the thousands of
// DaemonSet pods of a big cluster as rows — full metadata plus the printer's READY / STATUS / RESTARTS / NODE / IP
// cells, about a seventh of the bytes — and rebuilds each healthy pod from its row and a full pod of the same
// template (same controller, same revision hash). A row that is not plainly healthy, or that cannot be read, is
// fetched as the full object: a row may never hide a failure.
import type { KubeObject } from '../engine/cluster-reader.ts';

export const TABLE_ACCEPT = 'application/json;as=Table;g=meta.k8s.io;v=v1, application/json';

interface TableBody {
  kind?: string;
  columnDefinitions?: { name?: string }[];
  rows?: { cells?: unknown[]; object?: { kind?: string; metadata?: KubeObject['metadata'] } }[];
}

/** A row read as far as it can be trusted. */
export interface PodRow {
  namespace: string;
  name: string;
  /** Set when the row shows a pod that is plainly fine: Running, every container ready, never restarted. */
  healthy?: { metadata: KubeObject['metadata']; containers: number; node: string; ip?: string };
}

const COLUMNS = ['Name', 'Ready', 'Status', 'Restarts', 'Node', 'IP', 'Readiness Gates'] as const;

/** The rows of a pod Table, or undefined when the answer is not the pod printer's Table (then list full objects). */
export function podRows(body: unknown, namespace?: string): PodRow[] | undefined {
  const table = body as TableBody;
  if (table?.kind !== 'Table' || !Array.isArray(table.columnDefinitions) || !Array.isArray(table.rows)) return;
  const names = table.columnDefinitions.map((c) => c?.name);
  const at = Object.fromEntries(COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<(typeof COLUMNS)[number], number>;
  if (Object.values(at).some((i) => i < 0)) return undefined;
  const rows: PodRow[] = [];
  for (const row of table.rows) {
    const metadata = row?.object?.kind === 'PartialObjectMetadata' ? row.object.metadata : undefined;
    const cells = Array.isArray(row?.cells) ? row.cells : [];
    const name = metadata?.name ?? (typeof cells[at.Name] === 'string' ? (cells[at.Name] as string) : undefined);
    const ns = metadata?.namespace ?? namespace;
    // Without a name and namespace the pod cannot even be fetched: the list is unreadable as rows.
    if (!name || !ns) return undefined;
    rows.push({ namespace: ns, name, healthy: metadata && healthyRow(cells, at, metadata) });
  }
  return rows;
}

function healthyRow(
  cells: unknown[],
  at: Record<(typeof COLUMNS)[number], number>,
  metadata: KubeObject['metadata'],
): PodRow['healthy'] {
  if (metadata.deletionTimestamp || typeof metadata.name !== 'string') return undefined;
  const ready = /^(\d+)\/(\d+)$/.exec(String(cells[at.Ready] ?? ''));
  if (!ready || ready[1] !== ready[2] || Number(ready[2]) === 0) return undefined;
  if (cells[at.Status] !== 'Running' || String(cells[at.Restarts]) !== '0') return undefined;
  const gates = /^(\d+)\/(\d+)$/.exec(String(cells[at['Readiness Gates']] ?? ''));
  if (cells[at['Readiness Gates']] !== '<none>' && !(gates && gates[1] === gates[2])) return undefined;
  const node = cells[at.Node];
  if (typeof node !== 'string' || node === '' || node === '<none>') return undefined;
  const ip = cells[at.IP];
  return {
    metadata,
    containers: Number(ready[2]),
    node,
    ...(typeof ip === 'string' && ip !== '<none>' && ip !== '' ? { ip } : {}),
  };
}

/** Pods of one template: same controlling owner, same revision (DaemonSet) or template hash (ReplicaSet). */
export function templateKey(metadata: KubeObject['metadata']): string | undefined {
  const owner = metadata.ownerReferences?.find((o) => o.controller) ?? metadata.ownerReferences?.[0];
  const hash = metadata.labels?.['controller-revision-hash'] ?? metadata.labels?.['pod-template-hash'];
  if (!owner || !hash) return undefined;
  return `${metadata.namespace ?? ''}/${owner.kind}/${owner.uid ?? owner.name}/${hash}`;
}

const containerCount = (pod: KubeObject) =>
  (Array.isArray(pod.spec?.containers) ? pod.spec.containers.length : 0) +
  (Array.isArray(pod.spec?.initContainers)
    ? pod.spec.initContainers.filter((c: { restartPolicy?: string }) => c?.restartPolicy === 'Always').length
    : 0);

/**
 * The pod a healthy row stands for: the row's own metadata, node and IP; the template's spec (the pod template
 * plus defaults, the same for every pod of one revision); the status every Running, all-ready, never-restarted pod
 * has. Undefined when the template does not match the row (container count, sidecars), so the caller fetches it.
 */
export function podFromRow(row: NonNullable<PodRow['healthy']>, template: KubeObject): KubeObject | undefined {
  const spec = template.spec;
  if (!spec || !Array.isArray(spec.containers) || containerCount(template) !== row.containers) return undefined;
  const inits: { name: string; image?: string; restartPolicy?: string }[] = spec.initContainers ?? [];
  // Sidecars have a running state of their own that a row does not show.
  if (inits.some((c) => c?.restartPolicy === 'Always')) return undefined;
  const { affinity: _affinity, ...rest } = spec;
  const daemon = row.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet');
  const ip = row.ip;
  const conditions = ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
    type,
    status: 'True',
  }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: row.metadata,
    // A DaemonSet pod's affinity pins it to its own node: the template's names another node.
    spec: { ...(daemon ? rest : spec), nodeName: row.node },
    status: {
      phase: 'Running',
      conditions,
      ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
      ...(ip && spec.hostNetwork ? { hostIP: ip, hostIPs: [{ ip }] } : {}),
      ...(inits.length > 0
        ? {
            initContainerStatuses: inits.map((c) => ({
              name: c.name,
              image: c.image,
              ready: true,
              restartCount: 0,
              state: { terminated: { exitCode: 0, reason: 'Completed' } },
            })),
          }
        : {}),
      containerStatuses: spec.containers.map((c: { name: string; image?: string }) => ({
        name: c.name,
        image: c.image,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: {} },
      })),
    },
  };
}
