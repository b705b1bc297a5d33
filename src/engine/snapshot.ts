// Building Snapshots, and asking what the collector could and could not see.
import type { Fingerprint, Snapshot } from './check.ts';
import type { Resource } from './cluster-reader.ts';

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

/** False when the collector could not list this resource, so its absence proves nothing. */
export function collected(snapshot: Snapshot, resource: Resource): boolean {
  return !failedToRead(snapshot, resource);
}
