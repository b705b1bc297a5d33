// Parameter Store reads through the real SSMClient against the loopback SSM endpoint.
import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localAwsClientConfig } from '#test/fakes/aws-local.ts';
import { type SsmFake, startSsmFake } from '#test/fakes/ssm.ts';
import { createParameterStore, ParameterError } from './parameters.ts';

const NAME = '/netcheck/test/config';
const DOC = JSON.stringify({ clusters: [{ name: 'prod' }], note: 'do-not-log-me' });

let fake: SsmFake;
let client: SSMClient;
beforeAll(async () => {
  fake = await startSsmFake();
  client = new SSMClient(localAwsClientConfig(fake.endpoint));
});
afterAll(async () => {
  client.destroy();
  await fake.close();
});
beforeEach(() => {
  fake.calls.length = 0;
  fake.set(NAME, DOC, 'SecureString');
});

describe('createParameterStore', () => {
  it('reads a SecureString decrypted, through the real SDK client', async () => {
    const store = createParameterStore({ client });
    await expect(store.get(NAME)).resolves.toBe(DOC);
    expect(fake.calls).toEqual([{ target: 'AmazonSSM.GetParameter', name: NAME, withDecryption: true }]);
  });

  it('serves the cached value until the TTL expires, then reads the new version; concurrent reads share one call', async () => {
    let clock = 1_000_000;
    const store = createParameterStore({ client, ttlMs: 60_000, now: () => clock });
    const [a, b] = await Promise.all([store.get(NAME), store.get(NAME)]);
    expect([a, b]).toEqual([DOC, DOC]);
    fake.set(NAME, '{"clusters":[]}');
    clock += 59_000;
    expect(await store.get(NAME)).toBe(DOC);
    expect(fake.calls).toHaveLength(1);
    clock += 2_000;
    expect(await store.get(NAME)).toBe('{"clusters":[]}');
    expect(fake.calls).toHaveLength(2);
  });

  it('a missing parameter fails naming it, is not cached, and the next read tries again', async () => {
    const store = createParameterStore({ client });
    const error = await store.get('/netcheck/test/missing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParameterError);
    expect((error as Error).message).toMatch(/parameter "\/netcheck\/test\/missing": ParameterNotFound/);
    fake.set('/netcheck/test/missing', DOC);
    await expect(store.get('/netcheck/test/missing')).resolves.toBe(DOC);
  });
});
