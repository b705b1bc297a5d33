import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { usePlansTable } from '#test/fakes/plans-table.ts';
import { createApprovalStore } from './approvals.ts';
import { createOfferStore, type NewOffer } from './offers.ts';

const TABLE = 'netcheck-test-offers';
const table = usePlansTable(TABLE);

const offer = (over: Partial<NewOffer> = {}): NewOffer => ({
  teamId: 'T0001',
  cluster: 'prod-eu',
  channelId: 'COPS',
  reportTs: '1700000000.000100',
  finding: 'coredns.corefile-removed-plugin',
  subject: 'kube-system/coredns',
  remediation: 'coredns.replace-proxy-with-forward',
  observedAt: '2026-12-01T10:00:00.000Z',
  ...over,
});

describe('Fix offers in the plans table', () => {
  it('records an offer under a random id and reads it back whole until it expires', async () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const store = createOfferStore({ client: table.client(), table: TABLE, ttlSeconds: 3600, now: () => now });
    const id = store.newId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(store.newId()).not.toBe(id);
    await store.record([{ id, ...offer() }]);
    expect(await store.get(id)).toEqual({ id, ...offer(), createdAt: now, expiresAt: now / 1000 + 3600 });
    now += 3600_000;
    expect(await store.get(id)).toBeUndefined();
  });

  it('never overwrites an offer, and unknown or malformed ids read as nothing', async () => {
    const store = createOfferStore({ client: table.client(), table: TABLE });
    const id = store.newId();
    await store.record([{ id, ...offer() }]);
    await expect(store.record([{ id, ...offer({ cluster: 'other' }) }])).rejects.toThrow();
    expect((await store.get(id))?.cluster).toBe('prod-eu');
    expect(await store.get(store.newId())).toBeUndefined();
    expect(await store.get('{"cluster":"prod-eu"}')).toBeUndefined();
  });

  it('links one plan at a time: of concurrent claims exactly one wins; another team or a stale link loses', async () => {
    const store = createOfferStore({ client: table.client(), table: TABLE });
    const id = store.newId();
    await store.record([{ id, ...offer() }]);
    expect((await store.claim(id, { teamId: 'T0OTHER', previous: undefined, planId: store.newId() })).ok).toBe(false);
    const plans = Array.from({ length: 10 }, () => store.newId());
    const results = await Promise.all(
      plans.map((planId) => store.claim(id, { teamId: 'T0001', previous: undefined, planId })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const linked = (await store.get(id))?.planId;
    expect(plans).toContain(linked);
    expect((await store.claim(id, { teamId: 'T0001', previous: store.newId(), planId: store.newId() })).ok).toBe(false);
    const next = store.newId();
    expect((await store.claim(id, { teamId: 'T0001', previous: linked, planId: next })).ok).toBe(true);
    expect((await store.get(id))?.planId).toBe(next);
  });

  it('an expired offer cannot be claimed', async () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const store = createOfferStore({ client: table.client(), table: TABLE, ttlSeconds: 60, now: () => now });
    const id = store.newId();
    await store.record([{ id, ...offer() }]);
    now += 61_000;
    expect(await store.claim(id, { teamId: 'T0001', previous: undefined, planId: store.newId() })).toEqual({
      ok: false,
      offer: undefined,
    });
  });

  it('offers stay out of the audit index and are not plans', async () => {
    const store = createOfferStore({ client: table.client(), table: TABLE });
    const id = store.newId();
    await store.record([{ id, ...offer({ cluster: 'audit-only' }) }]);
    const plans = createApprovalStore({ client: table.client(), table: TABLE });
    expect(await plans.audit('audit-only')).toEqual([]);
    expect(await plans.get(id)).toBeUndefined();
    const items = await table.client().send(new ScanCommand({ TableName: TABLE }));
    const item = items.Items?.find((i) => i.pk?.S === `offer:${id}`);
    expect(item?.cluster).toBeUndefined();
    expect(item?.updatedAt).toBeUndefined();
  });
});

describe('Re-run offers in the plans table', () => {
  const rerun = {
    teamId: 'T0001',
    cluster: 'prod-eu',
    channelId: 'COPS',
    scope: 'dns' as const,
    reportTs: '1.2',
    rest: 'abc',
  };

  it('records a Re-run offer that lives 7 days by default, then reads as nothing', async () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const store = createOfferStore({ client: table.client(), table: TABLE, ttlSeconds: 60, now: () => now });
    const id = store.newId();
    await store.recordRerun({ id, ...rerun });
    now += 6 * 24 * 3600_000;
    expect(await store.getRerun(id)).toEqual({
      id,
      ...rerun,
      createdAt: Date.parse('2026-12-01T10:00:00Z'),
      expiresAt: Date.parse('2026-12-01T10:00:00Z') / 1000 + 7 * 24 * 3600,
    });
    now += 24 * 3600_000;
    expect(await store.getRerun(id)).toBeUndefined();
  });

  it('keeps the two kinds apart, never overwrites, and reads forged or old JSON values as nothing', async () => {
    const store = createOfferStore({ client: table.client(), table: TABLE });
    const fixId = store.newId();
    await store.record([{ id: fixId, ...offer() }]);
    const id = store.newId();
    await store.recordRerun({ id, ...rerun });
    await expect(store.recordRerun({ id, ...rerun, cluster: 'other' })).rejects.toThrow();
    expect((await store.getRerun(id))?.cluster).toBe('prod-eu');
    expect(await store.getRerun(fixId)).toBeUndefined();
    expect(await store.get(id)).toBeUndefined();
    expect(await store.claim(id, { teamId: 'T0001', previous: undefined, planId: store.newId() })).toEqual({
      ok: false,
      offer: undefined,
    });
    expect(await store.getRerun('{"cluster":"prod-eu","scope":"dns"}')).toBeUndefined();
    expect(await store.getRerun(store.newId())).toBeUndefined();
  });
});
