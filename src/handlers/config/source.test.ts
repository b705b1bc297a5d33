// The clusters document read at run time from Secrets Manager or SSM Parameter Store, over HTTP with the production
// clients.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsClientConfig } from '#test/fakes/aws-local.ts';
import { type SecretsManagerFake, startSecretsManagerFake } from '#test/fakes/secrets-manager.ts';
import { type SsmFake, startSsmFake } from '#test/fakes/ssm.ts';
import { createParameterStore } from '../../aws/parameters.ts';
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

describe('the run-time configuration document in SSM Parameter Store', () => {
  const PARAMETER = '/netcheck/test/config';
  const ssmEnv = { ...lambdaEnv, NETCHECK_CONFIG_SECRET_ID: undefined, NETCHECK_CONFIG_PARAMETER: PARAMETER };
  let ssm: SsmFake;
  let ssmClient: SSMClient;
  beforeAll(async () => {
    ssm = await startSsmFake({ [PARAMETER]: { value: JSON.stringify({ clusters: [prod, staging] }) } });
    ssmClient = new SSMClient(localAwsClientConfig(ssm.endpoint));
  });
  afterAll(async () => {
    ssmClient.destroy();
    await ssm.close();
  });

  it('needs no NETCHECK_CLUSTERS when a parameter is named, and the parameter wins over the secret', () => {
    expect(loadConfig(ssmEnv)).toMatchObject({ clusters: [], configParameter: PARAMETER });
    const both = loadConfig({ ...ssmEnv, NETCHECK_CONFIG_SECRET_ID: SECRET });
    expect(both.configParameter).toBe(PARAMETER);
    expect(both.configSecretId).toBeUndefined();
  });

  it('is read from Parameter Store (decrypted), kept while unchanged, re-read after the cache TTL', async () => {
    let clock = 0;
    const parameters = createParameterStore({ client: ssmClient, ttlMs: 60_000, now: () => clock });
    let built = 0;
    const source = createConfigSource(loadConfig(ssmEnv), createSecretStore({ client }), async () => {
      built++;
      return parameters;
    });
    const first = await source();
    expect(first.clusters.map((c) => c.name)).toEqual(['prod', 'staging']);
    expect(await source()).toBe(first);
    ssm.set(PARAMETER, JSON.stringify({ clusters: [prod] }));
    clock += 61_000;
    expect((await source()).clusters.map((c) => c.name)).toEqual(['prod']);
    expect(built).toBe(1);
    expect(ssm.calls.every((c) => c.withDecryption)).toBe(true);
  });

  it('is validated like NETCHECK_CLUSTERS, naming the parameter and the path, never the values', async () => {
    ssm.set(
      '/netcheck/test/bad',
      JSON.stringify({ clusters: [{ ...prod, auth: { type: 'nope', token: 'hunter2' } }] }),
    );
    const parameters = createParameterStore({ client: ssmClient });
    const source = createConfigSource(
      loadConfig({ ...ssmEnv, NETCHECK_CONFIG_PARAMETER: '/netcheck/test/bad' }),
      createSecretStore({ client }),
      async () => parameters,
    );
    const error = await source().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('/netcheck/test/bad.clusters');
    expect((error as Error).message).not.toContain('hunter2');
  });
});
