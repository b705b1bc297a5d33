// The remediation contract: a Remediation turns a Finding plus the objects it names into a Plan of Changes.
// Pure: no Slack, AWS or HTTP. The writer port is implemented over HTTPS by src/cluster/k8s-writer.ts.
import type { KubeObject } from '../engine/cluster-reader.ts';
import type { Finding } from '../engine/report.ts';

/** Where a change lands. Cluster-scoped kinds have no namespace. */
export interface Target {
  apiVersion: string;
  kind: string;
  /** Plural resource name as the API path uses it, e.g. "configmaps", "deployments", "clusterrolebindings". */
  resource: string;
  namespace?: string;
  name: string;
}

/** What must still hold when the change is applied. */
export type Precondition = { resourceVersion: string } | { mustNotExist: true };

export type PatchType = 'strategic' | 'merge' | 'json';

export type Change =
  | { verb: 'patch'; target: Target; patchType: PatchType; body: unknown; precondition: Precondition }
  | { verb: 'create'; target: Target; body: KubeObject; precondition: { mustNotExist: true } }
  /** Pods only: a restart of one agent pod that its controller re-creates. */
  | { verb: 'delete'; target: Target; precondition: Precondition }
  /** `kubectl rollout restart`: patches spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]. */
  | { verb: 'restart'; target: Target; precondition: Precondition };

export interface Plan {
  remediation: string;
  /** The finding this plan answers. */
  finding: string;
  title: string;
  /** The risk, in one sentence. */
  risk: string;
  /** How to roll back, in one sentence (the audit keeps the objects as they were). */
  rollback: string;
  changes: Change[];
  /** Finding ids that should be gone once the plan is applied. */
  clears: string[];
}

/** Objects a remediation reads to build its plan (fetched fresh before planning and again before applying). */
export interface TargetRead {
  resource: string;
  namespace?: string;
  name: string;
}

/** A choice a human must make (e.g. upstream resolvers for a forwarding loop). */
export interface InputSpec {
  name: string;
  label: string;
  kind: 'ip-list';
}

export type PlanResult =
  | { ok: true; plan: Plan }
  /** A guard refused: the reason is shown to the user, nothing changes. */
  | { ok: false; reason: string };

export interface RemediationContext {
  finding: Finding;
  /** The objects named by `reads(finding)`, keyed "resource/namespace/name" (cluster-scoped: "resource//name"); null = absent. */
  objects: Record<string, KubeObject | null>;
  /** Values for `inputs`, validated by the edge. */
  inputs?: Record<string, string[]>;
}

export interface Remediation {
  /** Stable id, the same string checks put in `finding.remediation.id`. */
  id: string;
  /** Finding ids this remediation can answer. */
  answers: readonly string[];
  safety: 'auto-safe' | 'auto-guarded';
  /** What to read before planning. */
  reads(finding: Finding): TargetRead[];
  inputs?: readonly InputSpec[];
  plan(ctx: RemediationContext): PlanResult;
}

export type PlanState =
  | 'pending'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'expired'
  | 'applied'
  | 'verified'
  | 'failed'
  | 'rolled-back';

/** The cluster side of a remediation: implemented by src/cluster/k8s-writer.ts. */
export interface ClusterWriter {
  /** Applies one change; `dryRun` sends dryRun=All and returns the object the server would store (null for delete). */
  apply(change: Change, options: { dryRun: boolean }): Promise<KubeObject | null>;
  readonly identity: string;
}
