// Applying a plan, pure over the ports: re-read every target, refuse when one changed since the plan was made,
// apply in order, and keep the objects as they were for the audit and for rollback. Also the dry run that feeds
// the approver's diff, and the rollback plan (itself a plan that needs approval).
import type { KubeObject } from '../engine/cluster-reader.ts';
import { objectDiff } from './diff.ts';
import { objectKey, ref } from './objects.ts';
import type { Change, ClusterWriter, Plan, Target, TargetRead } from './types.ts';

/** The read side a plan needs: one object by resource/namespace/name, null when absent. */
export interface TargetReader {
  get(read: TargetRead): Promise<KubeObject | null>;
}

export const keyOf = (t: Target | TargetRead): string => objectKey(t);

const label = (t: Target): string => `${t.resource}/${ref(t)}`;

/** Reads every object a remediation names, keyed as RemediationContext.objects expects. */
export async function readTargets(
  reader: TargetReader,
  reads: TargetRead[],
): Promise<Record<string, KubeObject | null>> {
  const out: Record<string, KubeObject | null> = {};
  await Promise.all(
    reads.map(async (r) => {
      out[objectKey(r)] = await reader.get(r);
    }),
  );
  return out;
}

/** Why a plan can no longer be applied as approved: a target changed, appeared or vanished since. */
export function staleTargets(plan: Plan, current: Record<string, KubeObject | null>): string | undefined {
  const seen = new Set<string>();
  for (const change of plan.changes) {
    const key = keyOf(change.target);
    if (seen.has(key)) continue; // later changes to the same object build on the earlier ones
    seen.add(key);
    const obj = current[key];
    const p = change.precondition;
    const changed =
      'mustNotExist' in p
        ? obj !== null && obj !== undefined
        : !obj || obj.metadata.resourceVersion !== p.resourceVersion;
    if (changed) return `${ref(change.target)} changed since the plan was made; press Fix again`;
  }
  return undefined;
}

/** A write the API server refused, in its own words. */
function refusal(error: unknown): string {
  const e = error as { status?: number; message?: string; describe?: () => string };
  if (e?.status === 409) return `${e.message ?? 'conflict'} (409)`;
  return typeof e?.describe === 'function' ? e.describe() : String(e?.message ?? error);
}

/** The change with its precondition moved to the resourceVersion an earlier change of the same plan produced. */
function chained(change: Change, produced: Map<string, string>): Change {
  const rv = produced.get(keyOf(change.target));
  if (!rv || !('resourceVersion' in change.precondition)) return change;
  return { ...change, precondition: { resourceVersion: rv } } as Change;
}

export type ApplyOutcome =
  | { ok: true; before: Record<string, KubeObject | null>; after: (KubeObject | null)[] }
  | {
      ok: false;
      /** "changed": a target moved since the plan (nothing written); "refused": the API server said no. */
      stage: 'changed' | 'refused';
      reason: string;
      /** How many changes landed before the failure (their objects are in `before`, for rollback). */
      applied: number;
      before: Record<string, KubeObject | null>;
    };

export async function applyPlan(
  plan: Plan,
  ports: { reader: TargetReader; writer: ClusterWriter },
): Promise<ApplyOutcome> {
  const targets = uniqueTargets(plan);
  let before: Record<string, KubeObject | null>;
  try {
    before = await readTargets(ports.reader, targets);
  } catch (error) {
    return { ok: false, stage: 'refused', reason: refusal(error), applied: 0, before: {} };
  }
  const stale = staleTargets(plan, before);
  if (stale) return { ok: false, stage: 'changed', reason: stale, applied: 0, before };
  const produced = new Map<string, string>();
  const after: (KubeObject | null)[] = [];
  for (const [i, change] of plan.changes.entries()) {
    try {
      const result = await ports.writer.apply(chained(change, produced), { dryRun: false });
      if (result?.metadata.resourceVersion) produced.set(keyOf(change.target), result.metadata.resourceVersion);
      after.push(result);
    } catch (error) {
      const e = error as { status?: number };
      const reason =
        e?.status === 409 && i === 0
          ? `${ref(change.target)} changed since the plan was made; press Fix again`
          : refusal(error);
      return { ok: false, stage: e?.status === 409 && i === 0 ? 'changed' : 'refused', reason, applied: i, before };
    }
  }
  return { ok: true, before, after };
}

function uniqueTargets(plan: Plan): Target[] {
  const seen = new Map<string, Target>();
  for (const c of plan.changes) if (!seen.has(keyOf(c.target))) seen.set(keyOf(c.target), c.target);
  return [...seen.values()];
}

export interface DryRunChange {
  change: Change;
  before: KubeObject | null;
  /** What the server would store (null for a delete). */
  after: KubeObject | null;
  /** Later change to an object the plan already changed: merged locally onto the earlier dry-run result. */
  local?: true;
}

export type DryRunOutcome =
  | { ok: true; changes: DryRunChange[]; diff: string }
  | { ok: false; reason: string; status?: number };

/** RFC 7386 merge, for previewing a second change to the same object. */
export function mergeJson(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return structuredClone(patch);
  const out: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergeJson(out[k], v);
  }
  return out;
}

/**
 * Sends every change with dryRun=All and renders one unified diff per object (before → final). A refusal (403,
 * 409, 422) ends the dry run with the API server's message.
 */
export async function dryRunPlan(
  plan: Plan,
  ports: { reader: TargetReader; writer: ClusterWriter },
): Promise<DryRunOutcome> {
  let before: Record<string, KubeObject | null>;
  try {
    before = await readTargets(ports.reader, uniqueTargets(plan));
  } catch (error) {
    return { ok: false, reason: refusal(error), status: (error as { status?: number }).status };
  }
  const latest = new Map<string, KubeObject | null>();
  const changes: DryRunChange[] = [];
  for (const change of plan.changes) {
    const key = keyOf(change.target);
    const prior = before[key] ?? null;
    if (latest.has(key) && change.verb === 'patch' && change.patchType !== 'json') {
      const merged = mergeJson(latest.get(key), change.body) as KubeObject;
      latest.set(key, merged);
      changes.push({ change, before: prior, after: merged, local: true });
      continue;
    }
    try {
      const after = await ports.writer.apply(change, { dryRun: true });
      latest.set(key, after);
      changes.push({ change, before: prior, after });
    } catch (error) {
      return { ok: false, reason: refusal(error), status: (error as { status?: number }).status };
    }
  }
  const diff = uniqueTargets(plan)
    .map((t) => objectDiff(before[keyOf(t)] ?? null, latest.get(keyOf(t)) ?? null, label(t)))
    .filter(Boolean)
    .join('');
  return { ok: true, changes, diff };
}

/** The JSON merge patch that turns `from` into `to` (RFC 7386 in reverse). */
export function mergePatchBetween(from: unknown, to: unknown): unknown {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(from) || !isObj(to)) return structuredClone(to);
  const out: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (!(k in to)) out[k] = null;
    else if (!(k in from)) out[k] = structuredClone(to[k]);
    else if (JSON.stringify(from[k]) !== JSON.stringify(to[k])) out[k] = mergePatchBetween(from[k], to[k]);
  }
  return out;
}

const CONTENT = ['data', 'binaryData', 'spec', 'rules', 'subjects', 'roleRef'] as const;

/** The parts of an object a rollback restores: content and labels/annotations, never server-owned fields. */
function content(obj: KubeObject): Record<string, unknown> {
  const out: Record<string, unknown> = {
    metadata: { labels: obj.metadata.labels ?? null, annotations: obj.metadata.annotations ?? null },
  };
  for (const k of CONTENT) if (k in obj) out[k] = obj[k];
  return out;
}

export type RollbackResult = { ok: true; plan: Plan } | { ok: false; reason: string };

/**
 * A rollback of an applied plan, as a plan of its own: every patched object goes back to its content before
 * (precondition: the version the apply left), and workloads the plan restarted restart again so they reload it.
 * Objects the plan created are left in place (netcheck deletes only pods) and the risk says so.
 */
export function rollbackPlan(
  plan: Plan,
  before: Record<string, KubeObject | null>,
  current: Record<string, KubeObject | null>,
): RollbackResult {
  const changes: Change[] = [];
  const created: string[] = [];
  const restarts: Change[] = [];
  for (const t of uniqueTargets(plan)) {
    const key = keyOf(t);
    const was = before[key];
    const now = current[key];
    const verbs = plan.changes.filter((c) => keyOf(c.target) === key).map((c) => c.verb);
    if (verbs.every((v) => v === 'delete')) continue; // a deleted pod was re-created by its controller
    if (!was) {
      if (now) created.push(`${t.kind} ${ref(t)}`);
      continue;
    }
    if (!now) return { ok: false, reason: `${ref(t)} no longer exists; restore it from the audit record by hand.` };
    const precondition = { resourceVersion: now.metadata.resourceVersion ?? '' };
    const body = mergePatchBetween(content(now), content(was)) as Record<string, unknown>;
    if (verbs.some((v) => v === 'patch') && Object.keys(body).length > 0) {
      changes.push({ verb: 'patch', target: t, patchType: 'merge', body, precondition });
    }
    if (verbs.includes('restart')) restarts.push({ verb: 'restart', target: t, precondition });
  }
  // Restart after the configuration is back, so pods load the old one.
  for (const r of restarts) {
    if (!changes.some((c) => keyOf(c.target) === keyOf(r.target))) changes.push(r);
  }
  if (changes.length === 0)
    return { ok: false, reason: 'Nothing to roll back: the plan only restarted pods or created objects.' };
  return {
    ok: true,
    plan: {
      remediation: `${plan.remediation}.rollback`,
      finding: plan.finding,
      title: `Roll back: ${plan.title}`,
      risk:
        created.length > 0
          ? `Puts the previous state back; ${created.join(', ')} created by the fix stay in place.`
          : 'Puts the previous state back, including the problem the fix solved.',
      rollback: 'Apply the original fix again.',
      changes,
      clears: [],
    },
  };
}
