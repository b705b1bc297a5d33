// After apply: is the rollout done, which components to check again, and did the plan's findings go away.
import type { KubeObject } from '../engine/cluster-reader.ts';
import type { ComponentName, Report } from '../engine/report.ts';
import type { Plan } from './types.ts';

export type Rollout = { done: true } | { done: false; reason: string };

/** kubectl rollout status, as a pure function of a Deployment or DaemonSet read after the change. */
export function rolloutComplete(obj: KubeObject): Rollout {
  const generation = Number(obj.metadata.generation ?? 0);
  const s = obj.status ?? {};
  const observed = Number(s.observedGeneration ?? 0);
  if (observed < generation)
    return { done: false, reason: `waiting for the controller to observe generation ${generation}` };
  if (obj.kind === 'DaemonSet') {
    const want = Number(s.desiredNumberScheduled ?? 0);
    const updated = Number(s.updatedNumberScheduled ?? 0);
    const ready = Number(s.numberAvailable ?? s.numberReady ?? 0);
    if (updated < want) return { done: false, reason: `${updated} of ${want} pods updated` };
    if (ready < want) return { done: false, reason: `${ready} of ${want} updated pods available` };
    return { done: true };
  }
  const want = Number(obj.spec?.replicas ?? 1);
  const updated = Number(s.updatedReplicas ?? 0);
  const total = Number(s.replicas ?? 0);
  const available = Number(s.availableReplicas ?? s.readyReplicas ?? 0);
  if (updated < want) return { done: false, reason: `${updated} of ${want} new replicas updated` };
  if (total > updated) return { done: false, reason: `${total - updated} old replicas pending termination` };
  if (available < want) return { done: false, reason: `${available} of ${want} updated replicas available` };
  return { done: true };
}

/** The workloads a plan rolls (restarts and template patches), to wait for. */
export function rolloutTargets(plan: Plan): { resource: string; namespace?: string; name: string }[] {
  const seen = new Set<string>();
  return plan.changes
    .filter((c) => ['deployments', 'daemonsets'].includes(c.target.resource) && c.verb !== 'delete')
    .map((c) => c.target)
    .filter((t) => {
      const k = `${t.resource}/${t.namespace}/${t.name}`;
      return !seen.has(k) && seen.add(k) !== undefined;
    });
}

/** Which components' checks to run again: where the cleared findings live. */
export function componentsToRecheck(plan: Plan): ComponentName[] {
  const of = (id: string): ComponentName =>
    id.startsWith('cni.') ? 'cni' : id.startsWith('kube-proxy.') ? 'kube-proxy' : 'dns';
  return [...new Set([plan.finding, ...plan.clears].map(of))];
}

export type Verification =
  | { verified: true; cleared: string[] }
  | { verified: false; remaining: string[]; cleared: string[] }
  | { verified: false; unknown: ComponentName[]; cleared: string[]; remaining: string[] };

/**
 * Did the fix work: the plan's finding and its `clears` are absent from a fresh report. A component that could not
 * be read is not "fixed" (never a silent ok).
 */
export function verifyCleared(plan: Plan, report: Report): Verification {
  const wanted = [...new Set([plan.finding, ...plan.clears])];
  const components = componentsToRecheck(plan);
  const unknown = components.filter((c) => {
    const r = report.components.find((x) => x.component === c);
    return !r || r.status === 'unknown';
  });
  const present = new Set(report.components.flatMap((c) => c.findings.map((f) => f.id)));
  const remaining = wanted.filter((id) => present.has(id));
  const cleared = wanted.filter((id) => !present.has(id));
  if (unknown.length > 0) return { verified: false, unknown, cleared, remaining };
  if (remaining.length > 0) return { verified: false, remaining, cleared };
  return { verified: true, cleared };
}
