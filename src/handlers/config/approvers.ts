// Who may approve a plan: an approver of the cluster (user id or user group) who did not request it. The
// two-person rule holds unless the cluster says `allowSelfApproval`. In dev mode a cluster with no approvers
// lets any user but the requester approve (`netcheck dev` says so at start).
import type { AppConfig, ClusterConfig } from './schema.ts';

export type ApproverVerdict =
  | { ok: true; selfApproval: boolean }
  | { ok: false; why: 'not-approver' | 'requester' | 'unknown-cluster' };

export function approverGroupsOf(config: AppConfig): string[] {
  return [...new Set(config.clusters.flatMap((c) => c.approverGroups ?? []))];
}

/** True when a Fix… button may be offered on this cluster's findings. */
export function remediationEnabled(config: AppConfig, cluster: string): boolean {
  const c = config.clusters.find((x) => x.name === cluster);
  if (!c || !config.remediation) return false;
  return hasApprovers(c) || config.mode === 'dev';
}

function hasApprovers(c: ClusterConfig): boolean {
  return Boolean(c.approvers?.length || c.approverGroups?.length);
}

export function mayApprove(
  config: AppConfig,
  req: { cluster: string; userId: string; userGroups: string[]; requester: string },
): ApproverVerdict {
  const c = config.clusters.find((x) => x.name === req.cluster);
  if (!c) return { ok: false, why: 'unknown-cluster' };
  const listed =
    (c.approvers?.includes(req.userId) ?? false) ||
    (c.approverGroups?.some((g) => req.userGroups.includes(g)) ?? false);
  const devOpen = config.mode === 'dev' && !hasApprovers(c);
  if (!listed && !devOpen) return { ok: false, why: 'not-approver' };
  if (req.userId === req.requester)
    return c.allowSelfApproval ? { ok: true, selfApproval: true } : { ok: false, why: 'requester' };
  return { ok: true, selfApproval: false };
}
