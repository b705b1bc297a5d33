import { describe, expect, it } from 'vitest';
import type { Change } from '../remediate/types.ts';
import {
  APPROVAL_ACTIONS,
  inputModal,
  type PlanCardData,
  parseIpList,
  planCard,
  type Refusal,
  refusalMessage,
} from './approval-blocks.ts';
import { checkLimits } from './limits.ts';

const NOW = Date.UTC(2026, 11, 1, 9, 0, 0);
const change: Change = {
  verb: 'patch',
  target: { apiVersion: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespace: 'kube-system', name: 'coredns' },
  patchType: 'merge',
  body: { data: { Corefile: '.:53 { forward . /etc/resolv.conf }' } },
  precondition: { resourceVersion: '4711' },
};
const plan: PlanCardData = {
  id: 'AbCdEfGhIjKlMnOpQrStUv',
  cluster: 'prod',
  finding: 'coredns.corefile-proxy-plugin',
  state: 'pending',
  requester: 'UALICE',
  expiresAt: NOW / 1000 + 15 * 60,
  title: 'Replace proxy with forward in the Corefile',
  risk: 'CoreDNS reloads its configuration; queries keep being answered.',
  rollback: 'Approve the rollback plan: it restores the Corefile as it was.',
  changes: [change],
  diff: '--- kube-system/coredns\n+++ kube-system/coredns (dry run)\n@@\n-    proxy . /etc/resolv.conf\n+    forward . /etc/resolv.conf',
  diffHash: 'sha256:0123456789abcdef0123456789abcdef',
  component: 'dns',
};

// biome-ignore lint/suspicious/noExplicitAny: reading Block Kit JSON back.
const buttonsOf = (message: { blocks: any[] }) =>
  message.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements);
const textOf = (message: { blocks: unknown[] }) => JSON.stringify(message.blocks);

describe('the plan card', () => {
  it('shows what changes, the diff in a code block, preconditions, risk, rollback, requester and expiry', () => {
    const card = planCard(plan, 'en', NOW);
    const text = textOf(card);
    expect(text).toContain('What will change');
    expect(text).toContain('patch (merge) ConfigMap `kube-system/coredns`');
    expect(text).toContain('```--- kube-system/coredns');
    expect(text).toContain('+    forward . /etc/resolv.conf```');
    expect(text).toContain('`kube-system/coredns` is still at resourceVersion 4711');
    expect(text).toContain('*Risk:* CoreDNS reloads');
    expect(text).toContain('*Rollback:* Approve the rollback plan');
    expect(text).toContain('requested by <@UALICE>');
    expect(text).toContain('expires in 15 min');
    expect(checkLimits(card)).toEqual([]);
  });

  it('Approve asks for confirmation; every button carries only the opaque plan id', () => {
    const buttons = buttonsOf(planCard(plan, 'en', NOW));
    expect(buttons.map((b: { action_id: string }) => b.action_id)).toEqual([
      APPROVAL_ACTIONS.approve,
      APPROVAL_ACTIONS.reject,
      APPROVAL_ACTIONS.cancel,
    ]);
    expect(buttons.every((b: { value: string }) => b.value === plan.id)).toBe(true);
    expect(buttons[0].confirm.title.text).toBe('Approve this change?');
  });

  it('clips a huge diff inside Block Kit limits', () => {
    const diff = Array.from({ length: 2000 }, (_, i) => `+line ${i} ${'x'.repeat(80)}`).join('\n');
    const card = planCard({ ...plan, diff }, 'en', NOW);
    expect(checkLimits(card)).toEqual([]);
    expect(textOf(card)).toMatch(/… \(\+\d+\)```/);
  });

  it('renders every later state without buttons, except Roll back when the finding remains', () => {
    const approved = planCard({ ...plan, state: 'approved', approver: 'UBOB' }, 'en', NOW);
    expect(textOf(approved)).toContain('Approved by <@UBOB>');
    expect(buttonsOf(approved)).toEqual([]);
    const verified = planCard({ ...plan, state: 'verified', verification: { ok: true, remaining: [] } }, 'en', NOW);
    expect(verified.text).toContain('Fixed and verified: `coredns.corefile-proxy-plugin` is gone, DNS OK');
    const remains = planCard(
      { ...plan, state: 'failed', verification: { ok: false, remaining: ['coredns.corefile-proxy-plugin'] } },
      'en',
      NOW,
    );
    expect(remains.text).toContain('Applied, but `coredns.corefile-proxy-plugin` is still present');
    expect(buttonsOf(remains).map((b: { action_id: string; value: string }) => [b.action_id, b.value])).toEqual([
      [APPROVAL_ACTIONS.rollback, plan.id],
    ]);
    for (const state of ['rejected', 'cancelled', 'expired', 'rolled-back', 'applied'] as const) {
      const card = planCard({ ...plan, state, approver: 'UBOB' }, 'en', NOW);
      expect(buttonsOf(card)).toEqual([]);
      expect(checkLimits(card)).toEqual([]);
    }
    expect(textOf(planCard({ ...plan, state: 'expired' }, 'en', NOW))).not.toContain('expires in');
  });

  it('speaks natural Korean, with no 이(가)-style fallback particles', () => {
    const all = [
      planCard(plan, 'ko', NOW),
      planCard({ ...plan, state: 'approved', approver: 'UBOB' }, 'ko', NOW),
      planCard({ ...plan, state: 'verified', verification: { ok: true, remaining: [] } }, 'ko', NOW),
      planCard({ ...plan, state: 'failed', verification: { ok: false, remaining: ['x.y'] } }, 'ko', NOW),
    ];
    const text = all.map((m) => m.text + textOf(m)).join('\n');
    expect(text).toContain('15분 후 만료');
    expect(text).toContain('요청: <@UALICE>');
    expect(text).toContain('<@UBOB> 님이 승인했습니다');
    expect(text).toContain('수정 및 확인 완료');
    expect(text).not.toMatch(/이\(가\)|을\(를\)|은\(는\)|\(으\)로|와\(과\)/);
    expect(buttonsOf(all[0]!).map((b: { text: { text: string } }) => b.text.text)).toEqual(['승인', '거절', '취소']);
  });
});

describe('refusals', () => {
  const cases: [Refusal, string, string][] = [
    [{ why: 'not-approver' }, 'You are not an approver for this cluster.', '승인자가 아닙니다'],
    [{ why: 'requester' }, 'You requested this fix, so someone else has to approve it.', '다른 사람이 승인해야'],
    [{ why: 'expired' }, 'This plan has expired. Press Fix again for a fresh plan.', '만료'],
    [{ why: 'already-approved', by: '<@UBOB>' }, 'Already approved by <@UBOB>.', '<@UBOB> 님이 이미 승인했습니다'],
    [{ why: 'rejected' }, 'This plan was rejected.', '거절된 계획'],
  ];
  it.each(cases)('%j says why, in both languages', (refusal, en, ko) => {
    expect(refusalMessage(refusal, 'en').text).toBe(en);
    expect(refusalMessage(refusal, 'ko').text).toContain(ko);
    expect(checkLimits(refusalMessage(refusal, 'en'))).toEqual([]);
  });
});

describe('the inputs modal', () => {
  it('carries the plan id only, and accepts IP addresses only', () => {
    const modal = inputModal(plan.id, [{ name: 'upstreams', label: 'Upstream resolvers' }], 'en');
    expect(modal.private_metadata).toBe(plan.id);
    expect(parseIpList('10.0.0.2, 1.1.1.1  2001:db8::1', 'en')).toEqual({
      ok: true,
      ips: ['10.0.0.2', '1.1.1.1', '2001:db8::1'],
    });
    expect(parseIpList('10.0.0.2 example.com', 'en')).toEqual({
      ok: false,
      error: '"example.com" is not an IP address',
    });
    expect(parseIpList('  ', 'ko')).toEqual({ ok: false, error: 'IP 주소를 하나 이상 입력하세요' });
    expect(parseIpList('999.1.1.1', 'en').ok).toBe(false);
  });
});
