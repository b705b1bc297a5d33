// Small helpers every fix uses: where an object lives, how it is keyed in the context, what the check told us.
import type { KubeObject } from '../engine/cluster-reader.ts';
import type { Finding } from '../engine/report.ts';
import type { Change, PlanResult, Precondition, RemediationContext, Target, TargetRead } from './types.ts';

/** The key of an object in `RemediationContext.objects`: "resource/namespace/name" ("resource//name" if cluster-scoped). */
export function objectKey(read: TargetRead): string {
  return `${read.resource}/${read.namespace ?? ''}/${read.name}`;
}

/** What each plural resource is, so a fix can name only the resource and the name. */
const KINDS: Record<string, { apiVersion: string; kind: string; namespaced: boolean }> = {
  configmaps: { apiVersion: 'v1', kind: 'ConfigMap', namespaced: true },
  serviceaccounts: { apiVersion: 'v1', kind: 'ServiceAccount', namespaced: true },
  services: { apiVersion: 'v1', kind: 'Service', namespaced: true },
  pods: { apiVersion: 'v1', kind: 'Pod', namespaced: true },
  deployments: { apiVersion: 'apps/v1', kind: 'Deployment', namespaced: true },
  daemonsets: { apiVersion: 'apps/v1', kind: 'DaemonSet', namespaced: true },
  horizontalpodautoscalers: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', namespaced: true },
  clusterroles: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', namespaced: false },
  clusterrolebindings: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', namespaced: false },
};

export const KNOWN_RESOURCES = Object.keys(KINDS);

export function read(resource: string, name: string, namespace?: string): TargetRead {
  return KINDS[resource]?.namespaced === false ? { resource, name } : { resource, namespace, name };
}

export function target(resource: string, name: string, namespace?: string): Target {
  const k = KINDS[resource];
  if (!k) throw new Error(`unknown resource ${resource}`);
  return { apiVersion: k.apiVersion, kind: k.kind, resource, ...(k.namespaced ? { namespace } : {}), name };
}

/** The object named by `r` as read before planning; undefined when it was not read at all. */
export function objectAt(ctx: RemediationContext, r: TargetRead): KubeObject | null | undefined {
  return ctx.objects[objectKey(r)];
}

export function param(finding: Finding, name: string): string | undefined {
  const v = finding.remediation?.params?.[name];
  return v === undefined || v === '' ? undefined : v;
}

export function refuse(reason: string): PlanResult {
  return { ok: false, reason };
}

/** The precondition for changing an object read before planning. */
export function unchanged(obj: KubeObject): Precondition {
  return { resourceVersion: obj.metadata.resourceVersion ?? '' };
}

export const ref = (t: { namespace?: string; name: string }): string =>
  t.namespace ? `${t.namespace}/${t.name}` : t.name;

/** A merge patch carrying the resourceVersion read, so the server answers 409 if the object changed since. */
export function mergePatch(resource: string, obj: KubeObject, body: Record<string, unknown>): Change {
  return {
    verb: 'patch',
    target: target(resource, obj.metadata.name, obj.metadata.namespace),
    patchType: 'merge',
    body,
    precondition: unchanged(obj),
  };
}

export function strategicPatch(resource: string, obj: KubeObject, body: Record<string, unknown>): Change {
  return {
    verb: 'patch',
    target: target(resource, obj.metadata.name, obj.metadata.namespace),
    patchType: 'strategic',
    body,
    precondition: unchanged(obj),
  };
}

export function create(resource: string, body: KubeObject): Change {
  return {
    verb: 'create',
    target: target(resource, body.metadata.name, body.metadata.namespace),
    body,
    precondition: { mustNotExist: true },
  };
}

/** `kubectl rollout restart`, so pods load configuration they read only at start. */
export function restart(resource: 'deployments' | 'daemonsets', obj: KubeObject): Change {
  return {
    verb: 'restart',
    target: target(resource, obj.metadata.name, obj.metadata.namespace),
    precondition: unchanged(obj),
  };
}

/** The API group/version a plural resource is served under, for writers that only know the resource. */
export function apiVersionOf(resource: string): string | undefined {
  return KINDS[resource]?.apiVersion;
}

export function isNamespaced(resource: string): boolean {
  return KINDS[resource]?.namespaced ?? true;
}
