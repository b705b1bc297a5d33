// RBAC evaluated from the Roles and Bindings in the store, with the apiserver's denial wording.

import type { ObjectStore } from './store.ts';
import type { KubeObject } from './types.ts';

export interface UserInfo {
  name: string;
  groups: string[];
}

export interface ResourceAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  name?: string;
  namespace?: string;
}

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const RBAC = 'rbac.authorization.k8s.io';
const S = {
  roles: `roles.${RBAC}`,
  roleBindings: `rolebindings.${RBAC}`,
  clusterRoles: `clusterroles.${RBAC}`,
  clusterRoleBindings: `clusterrolebindings.${RBAC}`,
};

export const isMaster = (user: UserInfo): boolean => user.groups.includes('system:masters');

function subjectMatches(binding: KubeObject, user: UserInfo): boolean {
  const subjects: { kind: string; name: string; namespace?: string }[] = binding.subjects ?? [];
  return subjects.some((s) => {
    if (s.kind === 'User') return s.name === user.name;
    if (s.kind === 'Group') return user.groups.includes(s.name);
    if (s.kind === 'ServiceAccount') {
      const ns = s.namespace ?? binding.metadata.namespace;
      return `system:serviceaccount:${ns}:${s.name}` === user.name;
    }
    return false;
  });
}

function roleRules(store: ObjectStore, binding: KubeObject): PolicyRule[] {
  const ref = binding.roleRef as { kind: string; name: string } | undefined;
  if (!ref) return [];
  const role =
    ref.kind === 'ClusterRole'
      ? store.get(S.clusterRoles, undefined, ref.name)
      : store.get(S.roles, binding.metadata.namespace, ref.name);
  return (role?.rules as PolicyRule[] | undefined) ?? [];
}

/** The rules that apply to `user` in `namespace` (cluster-wide ones included); no namespace = cluster scope only. */
export function rulesFor(store: ObjectStore, user: UserInfo, namespace?: string): PolicyRule[] {
  const rules: PolicyRule[] = [];
  for (const b of store.list(S.clusterRoleBindings).objects) {
    if (subjectMatches(b, user)) rules.push(...roleRules(store, b));
  }
  if (namespace) {
    for (const b of store.list(S.roleBindings, namespace).objects) {
      if (subjectMatches(b, user)) rules.push(...roleRules(store, b));
    }
  }
  return rules;
}

const has = (list: string[] | undefined, value: string): boolean =>
  !!list && (list.includes('*') || list.includes(value));

export function ruleAllows(rule: PolicyRule, a: ResourceAttributes): boolean {
  if (!has(rule.verbs, a.verb) || !has(rule.apiGroups, a.group)) return false;
  const resources = rule.resources ?? [];
  const full = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resourceOk =
    resources.includes('*') ||
    resources.includes(full) ||
    (a.subresource !== undefined && resources.includes(`*/${a.subresource}`));
  if (!resourceOk) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (a.name !== undefined && names.includes(a.name));
}

export function authorize(store: ObjectStore, user: UserInfo, a: ResourceAttributes): boolean {
  if (isMaster(user)) return true;
  // Every authenticated user may ask what it may do (system:basic-user).
  if (a.group === 'authorization.k8s.io' && a.resource.startsWith('selfsubject') && a.verb === 'create') return true;
  return rulesFor(store, user, a.namespace).some((r) => ruleAllows(r, a));
}

/** Verbatim format of k8s.io/apiserver's forbiddenMessage. */
export function forbiddenReason(user: UserInfo, a: ResourceAttributes): string {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `User "${user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${where}`;
}
