// The two-person rule as a state machine: who may move a plan, and the exact reason when not.
import { describe, expect, it } from 'vitest';
import { type ApprovalFacts, transition } from './approval.ts';

const base: ApprovalFacts = {
  state: 'pending',
  event: 'approve',
  actor: 'UBOB',
  requester: 'UALICE',
  approvers: ['UBOB', 'UALICE'],
  now: '2026-12-01T10:05:00Z',
  expiresAt: '2026-12-01T10:15:00Z',
};

describe('approval', () => {
  it('lets an approver other than the requester approve a pending plan', () => {
    expect(transition(base)).toEqual({ ok: true, next: 'approved' });
  });

  it('refuses the requester, a non-approver, an expired plan, and a second approval (naming the first approver)', () => {
    expect(transition({ ...base, actor: 'UALICE' })).toEqual({ ok: false, refusal: { code: 'requester' } });
    expect(transition({ ...base, actor: 'UEVE' })).toEqual({ ok: false, refusal: { code: 'not-approver' } });
    expect(transition({ ...base, now: '2026-12-01T10:15:00Z' })).toEqual({ ok: false, refusal: { code: 'expired' } });
    expect(transition({ ...base, state: 'approved', decidedBy: 'UBOB', actor: 'UCAROL' })).toEqual({
      ok: false,
      refusal: { code: 'already-approved', by: 'UBOB' },
    });
  });

  it('allows self-approval only when configured, and marks it', () => {
    expect(transition({ ...base, actor: 'UALICE', allowSelfApproval: true })).toEqual({
      ok: true,
      next: 'approved',
      selfApproved: true,
    });
  });

  it('refuses decisions on rejected, cancelled and finished plans', () => {
    expect(transition({ ...base, state: 'rejected', decidedBy: 'UBOB' })).toEqual({
      ok: false,
      refusal: { code: 'rejected', by: 'UBOB' },
    });
    expect(transition({ ...base, state: 'cancelled' })).toEqual({ ok: false, refusal: { code: 'cancelled' } });
    expect(transition({ ...base, state: 'verified' })).toEqual({
      ok: false,
      refusal: { code: 'finished', state: 'verified' },
    });
  });

  it('only the requester cancels; approvers or the requester reject', () => {
    expect(transition({ ...base, event: 'cancel', actor: 'UBOB' })).toMatchObject({ ok: false });
    expect(transition({ ...base, event: 'cancel', actor: 'UALICE' })).toEqual({ ok: true, next: 'cancelled' });
    expect(transition({ ...base, event: 'reject', actor: 'UBOB' })).toEqual({ ok: true, next: 'rejected' });
    expect(transition({ ...base, event: 'reject', actor: 'UEVE' })).toEqual({
      ok: false,
      refusal: { code: 'not-approver' },
    });
  });

  it('runs the machine side: request → pending, approved → applied → verified | failed → rolled-back, expire after TTL', () => {
    expect(transition({ ...base, state: undefined, event: 'request' })).toEqual({ ok: true, next: 'pending' });
    expect(transition({ ...base, state: 'approved', event: 'apply' })).toEqual({ ok: true, next: 'applied' });
    expect(transition({ ...base, state: 'pending', event: 'apply' })).toMatchObject({ ok: false });
    expect(transition({ ...base, state: 'applied', event: 'verify' })).toEqual({ ok: true, next: 'verified' });
    expect(transition({ ...base, state: 'applied', event: 'fail' })).toEqual({ ok: true, next: 'failed' });
    expect(transition({ ...base, state: 'failed', event: 'rollback' })).toEqual({ ok: true, next: 'rolled-back' });
    expect(transition({ ...base, event: 'expire' })).toMatchObject({ ok: false });
    expect(transition({ ...base, event: 'expire', now: '2026-12-01T10:16:00Z' })).toEqual({
      ok: true,
      next: 'expired',
    });
  });
});
