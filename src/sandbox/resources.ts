// The API resources the sandbox serves, in the shape discovery and routing both need.

export interface ResourceType {
  group: string; // '' for the core group
  version: string;
  name: string; // plural, e.g. 'pods'
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Where objects live: events.k8s.io events share the core events' storage. */
  storage: string;
  /** `kubectl get all` expands the 'all' category. */
  categories?: string[];
  /** Only the review APIs: create-only, nothing stored. */
  virtual?: boolean;
}

const IN_ALL = new Set(['pods', 'services', 'deployments', 'daemonsets', 'replicasets']);
const RW = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

function r(
  group: string,
  version: string,
  name: string,
  kind: string,
  namespaced: boolean,
  shortNames?: string[],
): ResourceType {
  return {
    group,
    version,
    name,
    singular: kind.toLowerCase(),
    kind,
    namespaced,
    ...(shortNames ? { shortNames } : {}),
    storage: name === 'events' ? 'events' : `${name}.${group}`,
    ...(IN_ALL.has(name) ? { categories: ['all'] } : {}),
  };
}

export const RESOURCE_TYPES: ResourceType[] = [
  r('', 'v1', 'nodes', 'Node', false, ['no']),
  r('', 'v1', 'namespaces', 'Namespace', false, ['ns']),
  r('', 'v1', 'pods', 'Pod', true, ['po']),
  r('', 'v1', 'services', 'Service', true, ['svc']),
  r('', 'v1', 'endpoints', 'Endpoints', true, ['ep']),
  r('', 'v1', 'configmaps', 'ConfigMap', true, ['cm']),
  r('', 'v1', 'serviceaccounts', 'ServiceAccount', true, ['sa']),
  r('', 'v1', 'events', 'Event', true, ['ev']),
  r('', 'v1', 'secrets', 'Secret', true),
  r('apps', 'v1', 'deployments', 'Deployment', true, ['deploy']),
  r('apps', 'v1', 'daemonsets', 'DaemonSet', true, ['ds']),
  r('apps', 'v1', 'replicasets', 'ReplicaSet', true, ['rs']),
  r('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true),
  r('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, ['netpol']),
  r('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  r('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
  r('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  r('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  r('events.k8s.io', 'v1', 'events', 'Event', true, ['ev']),
  r('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, ['hpa']),
  { ...r('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', false), virtual: true },
  { ...r('authorization.k8s.io', 'v1', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview', false), virtual: true },
];

export const groupVersion = (t: { group: string; version: string }): string =>
  t.group ? `${t.group}/${t.version}` : t.version;

/** Resources whose spec changes bump metadata.generation (workload controllers observe it). */
export const hasGeneration = (t: ResourceType): boolean => t.group === 'apps' || t.name === 'networkpolicies';

/** Lookup by URL segments. */
export function resourceFor(group: string, version: string, name: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => t.group === group && t.version === version && t.name === name);
}

/** Lookup by an object's apiVersion/kind; apiVersion may be omitted when the kind is unambiguous. */
export function resourceForKind(kind: string, apiVersion?: string): ResourceType | undefined {
  const matches = RESOURCE_TYPES.filter((t) => t.kind === kind && !t.virtual);
  if (apiVersion) return matches.find((t) => groupVersion(t) === apiVersion);
  // Prefer the core group (core Event over events.k8s.io Event).
  return matches.find((t) => t.group === '') ?? matches[0];
}

/** `pods` or `deployments.apps`, as the apiserver names a resource in messages. */
export const qualifiedName = (t: { group: string; name: string }): string =>
  t.group ? `${t.name}.${t.group}` : t.name;

function apiResource(t: ResourceType) {
  return {
    name: t.name,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: t.virtual ? ['create'] : RW,
    ...(t.shortNames ? { shortNames: t.shortNames } : {}),
    ...(t.categories ? { categories: t.categories } : {}),
  };
}

const SUBRESOURCES: Record<string, { name: string; kind: string; verbs: string[] }[]> = {
  pods: [
    { name: 'pods/log', kind: 'Pod', verbs: ['get'] },
    { name: 'pods/status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
  ],
};

export function apiResourceList(group: string, version: string) {
  const types = RESOURCE_TYPES.filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  const resources = types.flatMap((t) => [
    apiResource(t),
    ...(t.group === '' ? (SUBRESOURCES[t.name] ?? []) : []).map((s) => ({
      ...s,
      singularName: '',
      namespaced: t.namespaced,
    })),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources };
}

export function apiGroupList() {
  const groups = [...new Set(RESOURCE_TYPES.map((t) => t.group).filter((g) => g !== ''))];
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((name) => {
      const version = RESOURCE_TYPES.find((t) => t.group === name)!.version;
      const gv = { groupVersion: `${name}/${version}`, version };
      return { name, versions: [gv], preferredVersion: gv };
    }),
  };
}

export function apiGroup(name: string) {
  const type = RESOURCE_TYPES.find((t) => t.group === name);
  if (!type) return undefined;
  const gv = { groupVersion: `${name}/${type.version}`, version: type.version };
  return { kind: 'APIGroup', apiVersion: 'v1', name, versions: [gv], preferredVersion: gv };
}

export const API_VERSIONS = {
  kind: 'APIVersions',
  versions: ['v1'],
  serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
};
