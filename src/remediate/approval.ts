// The approval state machine, pure: who may move a plan from which state to which, and why not.
// The two-person rule is the default: the requester never approves their own plan unless allowSelfApproval.
import type { PlanState } from './types.ts';

export type ApprovalEvent =
  | 'request'
  | 'approve'
  | 'reject'
  | 'cancel'
  | 'expire'
  | 'apply'
  | 'verify'
  | 'fail'
  | 'rollback';

export type Refusal =
  | { code: 'not-approver' }
  | { code: 'requester' }
  | { code: 'expired' }
  | { code: 'already-approved'; by: string }
  | { code: 'rejected'; by?: string }
  | { code: 'cancelled'; by?: string }
  | { code: 'finished'; state: PlanState };

export interface ApprovalFacts {
  /** The state the plan is in now; undefined before `request`. */
  state: PlanState | undefined;
  event: ApprovalEvent;
  /** Who clicked (Slack user id) — or "system" for apply/verify/fail/expire. */
  actor: string;
  requester: string;
  /** Slack user ids allowed to approve, with group membership already resolved by the edge. */
  approvers: readonly string[];
  allowSelfApproval?: boolean;
  /** ISO timestamps. */
  now: string;
  expiresAt: string;
  /** Who approved / rejected / cancelled, to say so in a refusal. */
  decidedBy?: string;
}

export type Transition = { ok: true; next: PlanState; selfApproved?: boolean } | { ok: false; refusal: Refusal };

const FINISHED: readonly PlanState[] = ['verified', 'failed', 'rolled-back', 'expired'];

const no = (refusal: Refusal): Transition => ({ ok: false, refusal });

/** Why a plan in `state` cannot take a human decision any more, if it cannot. */
function closed(f: ApprovalFacts): Refusal | undefined {
  switch (f.state) {
    case 'approved':
    case 'applied':
      return { code: 'already-approved', by: f.decidedBy ?? '' };
    case 'rejected':
      return { code: 'rejected', ...(f.decidedBy ? { by: f.decidedBy } : {}) };
    case 'cancelled':
      return { code: 'cancelled', ...(f.decidedBy ? { by: f.decidedBy } : {}) };
    case 'expired':
      return { code: 'expired' };
    case undefined:
    case 'pending':
      return undefined;
    default:
      return { code: 'finished', state: f.state };
  }
}

export const isExpired = (f: Pick<ApprovalFacts, 'now' | 'expiresAt'>): boolean =>
  Date.parse(f.now) >= Date.parse(f.expiresAt);

export function transition(f: ApprovalFacts): Transition {
  switch (f.event) {
    case 'request':
      return f.state === undefined ? { ok: true, next: 'pending' } : no({ code: 'finished', state: f.state });
    case 'approve': {
      const c = closed(f);
      if (c) return no(c);
      if (isExpired(f)) return no({ code: 'expired' });
      const self = f.actor === f.requester;
      if (self && !f.allowSelfApproval) return no({ code: 'requester' });
      if (!f.approvers.includes(f.actor)) return no({ code: 'not-approver' });
      return { ok: true, next: 'approved', ...(self ? { selfApproved: true } : {}) };
    }
    case 'reject': {
      const c = closed(f);
      if (c) return no(c);
      if (isExpired(f)) return no({ code: 'expired' });
      if (!f.approvers.includes(f.actor) && f.actor !== f.requester) return no({ code: 'not-approver' });
      return { ok: true, next: 'rejected' };
    }
    case 'cancel': {
      const c = closed(f);
      if (c) return no(c);
      // Only the requester withdraws their own request.
      if (f.actor !== f.requester) return no({ code: 'not-approver' });
      return { ok: true, next: 'cancelled' };
    }
    case 'expire':
      if (f.state !== 'pending') return no(closed(f) ?? { code: 'finished', state: f.state ?? 'pending' });
      return isExpired(f) ? { ok: true, next: 'expired' } : no({ code: 'finished', state: f.state });
    case 'apply':
      return f.state === 'approved' ? { ok: true, next: 'applied' } : no(refuseFrom(f));
    case 'verify':
      return f.state === 'applied' ? { ok: true, next: 'verified' } : no(refuseFrom(f));
    case 'fail':
      return f.state === 'approved' || f.state === 'applied' ? { ok: true, next: 'failed' } : no(refuseFrom(f));
    case 'rollback':
      // The rollback is its own approved plan; applying it marks the original rolled back.
      return f.state === 'applied' || f.state === 'verified' || f.state === 'failed'
        ? { ok: true, next: 'rolled-back' }
        : no(refuseFrom(f));
  }
}

function refuseFrom(f: ApprovalFacts): Refusal {
  if (f.state && FINISHED.includes(f.state)) return { code: 'finished', state: f.state };
  return closed(f) ?? { code: 'finished', state: f.state ?? 'pending' };
}
