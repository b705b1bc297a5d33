import { describe, expect, it } from 'vitest';
import { usePlansTable } from '#test/fakes/plans-table.ts';
import { type AuditEntry, createApprovalStore, isPlanId, type NewRequest, type PlanDetails } from './approvals.ts';

const TABLE = 'netcheck-test-plans';
const table = usePlansTable(TABLE);

const request = (over: Partial<NewRequest> = {}): NewRequest => ({
  teamId: 'T1',
  cluster: 'prod',
  finding: 'coredns.corefile-proxy-plugin',
  remediation: 'coredns.corefile-proxy-to-forward',
  requester: 'UALICE',
  channelId: 'C1',
  threadTs: '1700000000.000100',
  lang: 'en',
  ...over,
});

const details: PlanDetails = {
  title: 'Replace proxy with forward',
  risk: 'CoreDNS reloads its Corefile.',
  rollback: 'Restore the previous Corefile.',
  clears: ['coredns.corefile-proxy-plugin'],
  changes: [],
  diff: '-proxy . /etc/resolv.conf\n+forward . /etc/resolv.conf',
  diffHash: 'sha256:abc',
};

function storeWith(clock: { t: number }, audit: AuditEntry[] = []) {
  return createApprovalStore({
    client: table.client(),
    table: TABLE,
    now: () => clock.t,
    auditLog: (e) => audit.push(e),
  });
}

describe('the plans table', () => {
  it('records a request under a fresh 128-bit url-safe id, pending, expiring after the TTL', async () => {
    const clock = { t: Date.UTC(2026, 11, 1, 9, 0, 0) };
    const audit: AuditEntry[] = [];
    const store = storeWith(clock, audit);
    const a = await store.request(request());
    const b = await store.request(request());
    expect(isPlanId(a.id)).toBe(true);
    expect(a.id).not.toBe(b.id);
    expect(a.state).toBe('pending');
    expect(a.expiresAt).toBe(clock.t / 1000 + 15 * 60);
    expect((await store.get(a.id))?.requester).toBe('UALICE');
    expect(audit[0]).toMatchObject({ planId: a.id, from: 'none', to: 'pending', by: 'UALICE' });
  });

  it('walks pending → approved → applied → verified, each step audited in the item and the log', async () => {
    const clock = { t: Date.UTC(2026, 11, 1, 9, 0, 0) };
    const audit: AuditEntry[] = [];
    const store = storeWith(clock, audit);
    const r = await store.request(request());
    const planned = await store.transition(r.id, {
      teamId: 'T1',
      from: ['pending'],
      to: 'pending',
      by: 'remediator',
      set: details,
      note: 'planned',
    });
    expect(planned.ok).toBe(true);
    clock.t += 1000;
    const approved = await store.transition(r.id, {
      teamId: 'T1',
      from: ['pending'],
      to: 'approved',
      by: 'UBOB',
      unexpired: true,
      planned: true,
      set: { approver: 'UBOB' },
    });
    expect(approved.ok && approved.record.approver).toBe('UBOB');
    clock.t += 1000;
    await store.transition(r.id, { teamId: 'T1', from: ['approved'], to: 'applied', by: 'remediator' });
    clock.t += 1000;
    const verified = await store.transition(r.id, {
      teamId: 'T1',
      from: ['applied'],
      to: 'verified',
      by: 'remediator',
      set: { verification: { ok: true, remaining: [], checkedAt: clock.t } },
    });
    expect(verified.ok).toBe(true);
    const stored = await store.get(r.id);
    expect(stored?.state).toBe('verified');
    expect(stored?.diffHash).toBe('sha256:abc');
    expect(stored?.history.map((h) => h.to)).toEqual(['pending', 'pending', 'approved', 'applied', 'verified']);
    expect(audit.filter((e) => e.planId === r.id).map((e) => `${e.from}→${e.to}`)).toEqual([
      'none→pending',
      'pending→pending',
      'pending→approved',
      'approved→applied',
      'applied→verified',
    ]);
  });

  it('refuses to approve a request whose plan was never attached (nobody saw a diff)', async () => {
    const store = storeWith({ t: Date.now() });
    const r = await store.request(request());
    const res = await store.transition(r.id, {
      teamId: 'T1',
      from: ['pending'],
      to: 'approved',
      by: 'UBOB',
      unexpired: true,
      planned: true,
    });
    expect(res.ok).toBe(false);
    expect((await store.get(r.id))?.state).toBe('pending');
  });

  it('reads a pending plan past its expiry as expired, and will not approve it', async () => {
    const clock = { t: Date.UTC(2026, 11, 1, 9, 0, 0) };
    const store = storeWith(clock);
    const r = await store.request(request());
    await store.transition(r.id, { teamId: 'T1', from: ['pending'], to: 'pending', by: 'remediator', set: details });
    clock.t += 15 * 60_000;
    expect((await store.get(r.id))?.state).toBe('expired');
    const res = await store.transition(r.id, {
      teamId: 'T1',
      from: ['pending'],
      to: 'approved',
      by: 'UBOB',
      unexpired: true,
      planned: true,
    });
    expect(res).toMatchObject({ ok: false, current: { state: 'expired' } });
  });

  it('a plan id from another team changes nothing', async () => {
    const store = storeWith({ t: Date.now() });
    const r = await store.request(request());
    const res = await store.transition(r.id, { teamId: 'T2', from: ['pending'], to: 'cancelled', by: 'UALICE' });
    expect(res.ok).toBe(false);
    expect((await store.get(r.id))?.state).toBe('pending');
  });

  it('an id that is not one of ours is not looked up at all', async () => {
    const store = storeWith({ t: Date.now() });
    expect(await store.get('{"cluster":"prod"}')).toBeUndefined();
    expect(await store.get('AAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
  });

  it('20 concurrent approvals: exactly one wins, the others see who approved', async () => {
    const audit: AuditEntry[] = [];
    const store = storeWith({ t: Date.now() }, audit);
    const r = await store.request(request());
    await store.transition(r.id, { teamId: 'T1', from: ['pending'], to: 'pending', by: 'remediator', set: details });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.transition(r.id, {
          teamId: 'T1',
          from: ['pending'],
          to: 'approved',
          by: `UAPPROVER${i}`,
          unexpired: true,
          planned: true,
          set: { approver: `UAPPROVER${i}` },
        }),
      ),
    );
    const winners = results.filter((x) => x.ok);
    expect(winners).toHaveLength(1);
    const approver = (await store.get(r.id))?.approver;
    expect(winners[0]?.ok && winners[0].record.approver).toBe(approver);
    for (const loser of results.filter((x) => !x.ok)) {
      expect(loser.ok === false && loser.current?.approver).toBe(approver);
    }
    expect(audit.filter((e) => e.planId === r.id && e.to === 'approved')).toHaveLength(1);
  });

  it('audit(cluster) lists the newest 20 actions on that cluster only', async () => {
    const clock = { t: Date.UTC(2026, 11, 2, 9, 0, 0) };
    const store = storeWith(clock);
    for (let i = 0; i < 12; i++) {
      clock.t += 1000;
      const r = await store.request(request({ cluster: 'audited', requester: `U${i}` }));
      clock.t += 1000;
      await store.transition(r.id, { teamId: 'T1', from: ['pending'], to: 'cancelled', by: `U${i}` });
    }
    await store.request(request({ cluster: 'elsewhere' }));
    const entries = await store.audit('audited');
    expect(entries).toHaveLength(20);
    expect(entries.every((e) => e.cluster === 'audited')).toBe(true);
    expect(entries[0]).toMatchObject({ by: 'U11', to: 'cancelled' });
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort((a, b) => b - a));
  });
});
