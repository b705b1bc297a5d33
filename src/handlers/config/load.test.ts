import { describe, expect, it } from 'vitest';
import { type AccessRequest, authorize, ConfigError, clustersFor, defaultClusterFor, loadConfig } from './load.ts';

const prod = {
  name: 'prod',
  auth: { type: 'eks', clusterName: 'prod-eks', region: 'eu-west-1' },
  allowedUsers: ['U1'],
  default: true,
};
const staging = {
  name: 'staging',
  auth: { type: 'token-secret', secretId: 'netcheck/test/staging' },
  allowedChannels: ['C-ops'],
};

const lambdaEnv = (clusters: unknown[] = [prod, staging]) => ({
  NETCHECK_MODE: 'lambda',
  NETCHECK_CLUSTERS: JSON.stringify(clusters),
  SLACK_SECRET_ID: 'netcheck/test/slack',
  WORKER_FUNCTION_NAME: 'netcheck-test-worker',
  DEDUPE_TABLE: 'netcheck-test-dedupe',
  AWS_REGION: 'eu-west-1',
});

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  it('reads a complete lambda configuration', () => {
    const config = loadConfig({ ...lambdaEnv(), AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:3002' });
    expect(config).toMatchObject({
      mode: 'lambda',
      region: 'eu-west-1',
      workerFunctionName: 'netcheck-test-worker',
      dedupeTable: 'netcheck-test-dedupe',
      defaultLang: 'en',
      slack: { secretId: 'netcheck/test/slack' },
      awsEndpoints: { lambda: 'http://127.0.0.1:3002' },
    });
    expect(config.clusters.map((c) => c.name)).toEqual(['prod', 'staging']);
  });

  it('names the env var and JSON path of a missing cluster field', () => {
    const broken = { ...prod, auth: { type: 'eks', clusterName: 'x' } };
    expect(problemsOf(lambdaEnv([staging, broken]))).toEqual(['NETCHECK_CLUSTERS[1].auth.region: Required']);
  });

  it('rejects an unknown auth type and a bad cluster name', () => {
    const problems = problemsOf(
      lambdaEnv([
        { ...staging, auth: { type: 'password' } },
        { ...prod, name: 'Prod_1' },
      ]),
    );
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^NETCHECK_CLUSTERS\[0\]\.auth(\.type)?: /);
    expect(problems[1]).toMatch(/^NETCHECK_CLUSTERS\[1\]\.name: /);
  });

  it('rejects duplicate cluster names and two default clusters', () => {
    expect(problemsOf(lambdaEnv([prod, staging, prod]))).toEqual([
      'NETCHECK_CLUSTERS[2].name: duplicate cluster name',
      'NETCHECK_CLUSTERS: more than one default cluster: prod, prod',
    ]);
  });

  it('reports every problem at once, each naming its setting', () => {
    const problems = problemsOf({ NETCHECK_MODE: 'lambda', NETCHECK_DEFAULT_LANG: 'fr' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'NETCHECK_DEFAULT_LANG: expected "en" or "ko", got "fr"',
        'NETCHECK_CLUSTERS: Required (a JSON array of clusters)',
        'SLACK_SECRET_ID: Required in lambda mode',
        'WORKER_FUNCTION_NAME: Required in lambda mode',
        'DEDUPE_TABLE: Required in lambda mode',
      ]),
    );
  });

  it('refuses plaintext Slack secrets and open clusters in lambda mode', () => {
    const open = { name: 'open', auth: { type: 'token-secret', secretId: 's' } };
    const problems = problemsOf({ ...lambdaEnv([open]), SLACK_SIGNING_SECRET: 'shh', SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(problems).toEqual([
      'NETCHECK_CLUSTERS[0]: cluster "open" needs allowedUsers, allowedGroups or allowedChannels in lambda mode',
      'SLACK_SIGNING_SECRET: plaintext secrets are for dev mode; use SLACK_SECRET_ID',
      'SLACK_BOT_TOKEN: plaintext secrets are for dev mode; use SLACK_SECRET_ID',
    ]);
    expect(problems.join()).not.toContain('shh');
  });

  it('accepts plaintext secrets and fills defaults in dev mode', () => {
    const config = loadConfig({
      NETCHECK_MODE: 'dev',
      NETCHECK_CLUSTERS: JSON.stringify([{ name: 'kind', auth: { type: 'kubeconfig-secret', secretId: 'k' } }]),
      SLACK_SIGNING_SECRET: 'shh',
      SLACK_BOT_TOKEN: 'xoxb-1',
      NETCHECK_DEFAULT_LANG: 'ko',
    });
    expect(config).toMatchObject({
      mode: 'dev',
      workerFunctionName: 'netcheck-dev-worker',
      dedupeTable: 'netcheck-dedupe',
      defaultLang: 'ko',
      slack: { signingSecret: 'shh', botToken: 'xoxb-1' },
    });
  });

  it('defaults to lambda mode inside Lambda', () => {
    expect(problemsOf({ AWS_LAMBDA_FUNCTION_NAME: 'f' })).toContain('SLACK_SECRET_ID: Required in lambda mode');
  });

  it('rejects invalid JSON, endpoint URLs and half of the bot identity', () => {
    const problems = problemsOf({
      ...lambdaEnv(),
      NETCHECK_CLUSTERS: '[{',
      AWS_ENDPOINT_URL_DYNAMODB: 'not a url',
      SLACK_BOT_ID: 'B1',
    });
    expect(problems[0]).toMatch(/^NETCHECK_CLUSTERS: not valid JSON/);
    expect(problems).toContain('AWS_ENDPOINT_URL_DYNAMODB: not a URL');
    expect(problems).toContain('SLACK_BOT_ID/SLACK_BOT_USER_ID: set both (to skip auth.test) or neither');
  });
});

describe('authorize', () => {
  const config = loadConfig(
    lambdaEnv([
      prod,
      staging,
      { name: 'shared', auth: prod.auth, allowedGroups: ['S-sre'], allowedChannels: ['C-ops'] },
    ]),
  );
  const alice: AccessRequest = { userId: 'U1', channelId: 'C-random' };
  const bob: AccessRequest = { userId: 'U2', channelId: 'C-ops' };

  it('lets listed users check their cluster from any channel', () => {
    expect(authorize(config, { ...alice, cluster: 'prod' })).toEqual({ ok: true });
    expect(authorize(config, { ...bob, cluster: 'prod' })).toEqual({
      ok: false,
      reason: 'you are not allowed to check cluster "prod"',
    });
  });

  it('lets anyone in an allowed channel check a channel-only cluster', () => {
    expect(authorize(config, { ...bob, cluster: 'staging' })).toEqual({ ok: true });
    expect(authorize(config, { ...alice, cluster: 'staging' })).toMatchObject({ ok: false });
  });

  it('requires both the channel and group membership when both are listed', () => {
    expect(authorize(config, { ...bob, cluster: 'shared' })).toMatchObject({ ok: false });
    expect(authorize(config, { ...bob, userGroups: ['S-sre'], cluster: 'shared' })).toEqual({ ok: true });
  });

  it('names the known clusters when the cluster is unknown', () => {
    expect(authorize(config, { ...alice, cluster: 'qa' })).toEqual({
      ok: false,
      reason: 'unknown cluster "qa" (known: prod, staging, shared)',
    });
  });

  it('lists the clusters a user may check and picks the default', () => {
    expect(clustersFor(config, alice)).toEqual(['prod']);
    expect(clustersFor(config, bob)).toEqual(['staging']);
    expect(defaultClusterFor(config, alice)).toBe('prod');
    expect(defaultClusterFor(config, bob)).toBe('staging');
    expect(defaultClusterFor(config, { userId: 'U1', channelId: 'C-ops', userGroups: ['S-sre'] })).toBe('prod');
  });

  it('opens every cluster to everyone in dev mode without allow-lists', () => {
    const dev = loadConfig({
      NETCHECK_MODE: 'dev',
      NETCHECK_CLUSTERS: JSON.stringify([
        { name: 'a', auth: staging.auth },
        { name: 'b', auth: staging.auth },
      ]),
      SLACK_SIGNING_SECRET: 's',
      SLACK_BOT_TOKEN: 't',
    });
    expect(clustersFor(dev, { userId: 'anyone', channelId: 'anywhere' })).toEqual(['a', 'b']);
    expect(defaultClusterFor(dev, { userId: 'anyone', channelId: 'anywhere' })).toBeUndefined();
  });
});
