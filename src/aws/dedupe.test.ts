import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsClientConfig } from '#test/fakes/aws-local.ts';
import { type DynaliteFake, startDynalite } from '#test/fakes/dynalite.ts';
import { createDedupeStore } from './dedupe.ts';

let db: DynaliteFake;
let client: DynamoDBClient;

beforeAll(async () => {
  db = await startDynalite('netcheck-test-dedupe');
  client = new DynamoDBClient(localAwsClientConfig(db.endpoint));
});
afterAll(async () => {
  client.destroy();
  await db.close();
});

describe('createDedupeStore', () => {
  it('claims an event id once; Slack retries of it are refused', async () => {
    const dedupe = createDedupeStore({ client, table: 'netcheck-test-dedupe' });
    expect(await dedupe.claim('Ev-first')).toBe(true);
    expect(await dedupe.claim('Ev-first')).toBe(false);
    expect(await dedupe.claim('Ev-other')).toBe(true);
  });

  it('allows a new claim once the TTL has passed, even though nothing deleted the item', async () => {
    let clock = Date.UTC(2026, 10, 27, 7, 0, 0);
    const dedupe = createDedupeStore({ client, table: 'netcheck-test-dedupe', ttlSeconds: 60, now: () => clock });
    expect(await dedupe.claim('Ev-ttl')).toBe(true);
    clock += 60_000;
    expect(await dedupe.claim('Ev-ttl')).toBe(false);
    clock += 1_000;
    expect(await dedupe.claim('Ev-ttl')).toBe(true);
    expect(await dedupe.claim('Ev-ttl')).toBe(false);
  });

  it('lets exactly one of many concurrent deliveries win', async () => {
    const dedupe = createDedupeStore({ client, table: 'netcheck-test-dedupe' });
    const results = await Promise.all(Array.from({ length: 8 }, () => dedupe.claim('Ev-race')));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('fails loudly when the table does not exist', async () => {
    const dedupe = createDedupeStore({ client, table: 'missing-table' });
    await expect(dedupe.claim('Ev-x')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('endpoint override', () => {
  it('reaches DynamoDB through AWS_ENDPOINT_URL_DYNAMODB, which the SDK reads itself', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = db.endpoint;
    const { endpoint: _unused, ...noEndpoint } = localAwsClientConfig(db.endpoint);
    const envClient = new DynamoDBClient(noEndpoint);
    try {
      const dedupe = createDedupeStore({ client: envClient, table: 'netcheck-test-dedupe' });
      expect(await dedupe.claim('Ev-env')).toBe(true);
      expect(await createDedupeStore({ client, table: 'netcheck-test-dedupe' }).claim('Ev-env')).toBe(false);
    } finally {
      envClient.destroy();
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
      else process.env.AWS_ENDPOINT_URL_DYNAMODB = saved;
    }
  });
});
