// The clusters document read at run time from Secrets Manager, over HTTP with the production client.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsClientConfig } from '#test/fakes/aws-local.ts';
import { type SecretsManagerFake, startSecretsManagerFake } from '#test/fakes/secrets-manager.ts';
import { createSecretStore } from '../../aws/secrets.ts';
import { ConfigError, loadConfig } from './load.ts';
import { createConfigSource } from './source.ts';

const SECRET = 'netcheck/test/config';
const prod = { name: 'prod', auth: { type: 'token-secret', secretId: 'netcheck/test/prod' }, allowedUsers: ['U1'] };
const staging = { ...prod, name: 'staging', auth: { type: 'token-secret', secretId: 'netcheck/test/staging' } };

const lambdaEnv: NodeJS.ProcessEnv = {
  NETCHECK_MODE: 'lambda',
  NETCHECK_CONFIG_SECRET_ID: SECRET,
  SLACK_SECRET_ID: 'netcheck/test/slack',
  WORKER_FUNCTION_NAME: 'netcheck-test-worker',
  DEDUPE_TABLE: 'netcheck-test-dedupe',
};

let sm: SecretsManagerFake;
let client: SecretsManagerClient;
beforeAll(async () => {
  sm = await startSecretsManagerFake({ [SECRET]: JSON.stringify({ clusters: [prod] }) });
  client = new SecretsManagerClient(localAwsClientConfig(sm.endpoint));
});
afterAll(async () => {
  client.destroy();
  await sm.close();
});

describe('the run-time configuration document', () => {
  it('needs no NETCHECK_CLUSTERS when a config secret is named', () => {
    expect(loadConfig(lambdaEnv)).toMatchObject({ clusters: [], configSecretId: SECRET });
  });

  it('is read from Secrets Manager, kept while unchanged, and re-read after the cache TTL', async () => {
    let clock = 0;
    const secrets = createSecretStore({ client, ttlMs: 60_000, now: () => clock });
    const source = createConfigSource(loadConfig(lambdaEnv), secrets);
    const first = await source();
    expect(first.clusters.map((c) => c.name)).toEqual(['prod']);
    sm.set(SECRET, JSON.stringify({ clusters: [prod, staging] }));
    expect(await source()).toBe(first);
    clock = 60_001;
    expect((await source()).clusters.map((c) => c.name)).toEqual(['prod', 'staging']);
  });

  it('is validated like NETCHECK_CLUSTERS, naming the secret and the path, never the values', async () => {
    sm.set('netcheck/test/bad', JSON.stringify({ clusters: [{ ...prod, allowedUsers: [] }, { name: 'Bad Name' }] }));
    const source = createConfigSource(
      loadConfig({ ...lambdaEnv, NETCHECK_CONFIG_SECRET_ID: 'netcheck/test/bad' }),
      createSecretStore({ client }),
    );
    const error = (await source().catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems[0]).toMatch(/^netcheck\/test\/bad\.clusters\[1\]\.name: /);
    expect(error.message).not.toContain('Bad Name');
  });

  it('is overridden by NETCHECK_CLUSTERS, which dev and tests set', async () => {
    const config = loadConfig({ ...lambdaEnv, NETCHECK_CLUSTERS: JSON.stringify([staging]) });
    const source = createConfigSource(config, createSecretStore({ client }));
    expect(await source()).toBe(config);
    expect(config.configSecretId).toBeUndefined();
  });
});
