import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { localAwsClientConfig } from '#test/fakes/aws-local.ts';
import { type SecretsManagerFake, startSecretsManagerFake } from '#test/fakes/secrets-manager.ts';
import { SlackSecret } from '../handlers/config/schema.ts';
import { createSecretStore, SecretError } from './secrets.ts';

let fake: SecretsManagerFake;
let client: SecretsManagerClient;

beforeAll(async () => {
  fake = await startSecretsManagerFake({
    'netcheck/test/slack': JSON.stringify({ signingSecret: 'sign-me', botToken: 'xoxb-very-secret' }),
  });
  client = new SecretsManagerClient(localAwsClientConfig(fake.endpoint));
});
afterAll(async () => {
  client.destroy();
  await fake.close();
});
beforeEach(() => {
  fake.calls.length = 0;
  fake.set('netcheck/test/slack', JSON.stringify({ signingSecret: 'sign-me', botToken: 'xoxb-very-secret' }));
});

describe('createSecretStore', () => {
  it('reads a JSON secret through the real SDK client and validates it', async () => {
    const store = createSecretStore({ client });
    await expect(store.getJson('netcheck/test/slack', SlackSecret)).resolves.toEqual({
      signingSecret: 'sign-me',
      botToken: 'xoxb-very-secret',
    });
    expect(fake.calls).toEqual([{ target: 'secretsmanager.GetSecretValue', secretId: 'netcheck/test/slack' }]);
  });

  it('serves the cached value until the TTL expires, then fetches the new version', async () => {
    let clock = 1_000_000;
    const store = createSecretStore({ client, ttlMs: 60_000, now: () => clock });
    const first = await store.get('netcheck/test/slack');
    fake.set('netcheck/test/slack', 'rotated');
    clock += 59_999;
    expect(await store.get('netcheck/test/slack')).toBe(first);
    expect(fake.calls).toHaveLength(1);
    clock += 1;
    expect(await store.get('netcheck/test/slack')).toBe('rotated');
    expect(fake.calls).toHaveLength(2);
  });

  it('shares one in-flight request between concurrent callers', async () => {
    const store = createSecretStore({ client });
    const values = await Promise.all(Array.from({ length: 10 }, () => store.get('netcheck/test/slack')));
    expect(new Set(values).size).toBe(1);
    expect(fake.calls).toHaveLength(1);
  });

  it('refetches after invalidate (e.g. Slack answered invalid_auth after a rotation)', async () => {
    const store = createSecretStore({ client });
    await store.get('netcheck/test/slack');
    fake.set('netcheck/test/slack', 'rotated');
    store.invalidate('netcheck/test/slack');
    expect(await store.get('netcheck/test/slack')).toBe('rotated');
    expect(fake.calls).toHaveLength(2);
  });

  it('does not keep a value whose fetch was invalidated while in flight', async () => {
    const store = createSecretStore({ client });
    const pending = store.get('netcheck/test/slack');
    store.invalidate('netcheck/test/slack');
    fake.set('netcheck/test/slack', 'rotated');
    await pending;
    expect(await store.get('netcheck/test/slack')).toBe('rotated');
    expect(fake.calls).toHaveLength(2);
  });

  it('names a missing secret and does not cache the failure', async () => {
    const store = createSecretStore({ client });
    const error = await store.get('netcheck/test/nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretError);
    expect((error as Error).message).toBe(
      `secret "netcheck/test/nope": ResourceNotFoundException: Secrets Manager can't find the specified secret.`,
    );
    fake.set('netcheck/test/nope', 'now it exists');
    expect(await store.get('netcheck/test/nope')).toBe('now it exists');
    expect(fake.calls).toHaveLength(2);
  });

  it('names the secret and the bad field but never the value', async () => {
    fake.set('netcheck/test/slack', JSON.stringify({ signingSecret: 'sign-me', botToken: 12345678 }));
    const store = createSecretStore({ client });
    const error = (await store.getJson('netcheck/test/slack', SlackSecret).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^secret "netcheck\/test\/slack": unexpected content: botToken: /);
    expect(error.message).not.toContain('sign-me');
    expect(error.message).not.toContain('12345678');
  });

  it('reports a secret that is not JSON without quoting it', async () => {
    fake.set('netcheck/test/slack', 'xoxb-plain-token');
    const store = createSecretStore({ client });
    const error = (await store.getJson('netcheck/test/slack', z.object({})).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('secret "netcheck/test/slack": is not valid JSON');
  });

  it('is reachable through AWS_ENDPOINT_URL_SECRETS_MANAGER, which the SDK reads itself', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = fake.endpoint;
    try {
      const { endpoint: _ignored, ...noEndpoint } = localAwsClientConfig(fake.endpoint);
      const envClient = new SecretsManagerClient(noEndpoint);
      await expect(createSecretStore({ client: envClient }).get('netcheck/test/slack')).resolves.toContain('sign-me');
      envClient.destroy();
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
      else process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = saved;
    }
  });
});
