import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsClientConfig } from '#test/fakes/aws-local.ts';
import { type DynaliteFake, startDynalite } from '#test/fakes/dynalite.ts';
import type { IncidentRecord } from '../incidents/index.ts';
import { createIncidentStore } from './incidents.ts';

let db: DynaliteFake;
let client: DynamoDBClient;

beforeAll(async () => {
  db = await startDynalite('netcheck-test-incidents');
  client = new DynamoDBClient(localAwsClientConfig(db.endpoint));
});
afterAll(async () => {
  client.destroy();
  await db.close();
});

const T0 = Date.UTC(2026, 11, 1, 3, 0, 0);
const record = (key: string, over: Partial<IncidentRecord> = {}): IncidentRecord => ({
  key,
  channelId: 'CINC1',
  cluster: 'prod-eu',
  scope: 'dns',
  findings: [],
  alerts: {},
  openedAt: T0,
  updatedAt: T0,
  expiresAt: T0 + 60_000,
  version: 1,
  ...over,
});

describe('the incident store', () => {
  it('opens an incident once: the second opener is told it is already open', async () => {
    const store = createIncidentStore({ client, table: 'netcheck-test-incidents' });
    expect(await store.open(record('incident:CINC1:prod-eu'))).toBe(true);
    expect(await store.open(record('incident:CINC1:prod-eu', { scope: 'all' }))).toBe(false);
    expect(await store.get('incident:CINC1:prod-eu', T0 + 1)).toMatchObject({ scope: 'dns', version: 1 });
  });

  it('treats an expired incident as absent, though nothing deleted it, and lets a new one open', async () => {
    const store = createIncidentStore({ client, table: 'netcheck-test-incidents' });
    await store.open(record('incident:CINC2:prod-eu'));
    expect(await store.get('incident:CINC2:prod-eu', T0 + 60_001)).toBeUndefined();
    const later = T0 + 120_000;
    expect(
      await store.open(
        record('incident:CINC2:prod-eu', { openedAt: later, updatedAt: later, expiresAt: later + 60_000 }),
      ),
    ).toBe(true);
    expect(await store.get('incident:CINC2:prod-eu', later)).toMatchObject({ openedAt: later });
  });

  it('saves only on top of the version it read: a concurrent writer loses', async () => {
    const store = createIncidentStore({ client, table: 'netcheck-test-incidents' });
    const opened = record('incident:CINC3:prod-eu');
    await store.open(opened);
    const next = { ...opened, reportTs: '1700.1', version: 2 };
    expect(await store.save(next)).toBe(true);
    expect(await store.save({ ...opened, findings: ['x.y'], version: 2 })).toBe(false);
    expect(await store.get(opened.key, T0)).toMatchObject({ reportTs: '1700.1', version: 2, findings: [] });
  });
});
