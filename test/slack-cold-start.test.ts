// A misconfigured deployment must fail loudly on its first invocation, naming the setting to fix.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from './support/slack-harness.ts';
import { apiGatewayEvent, commandRequest } from './support/slack-request.ts';

const request = () =>
  apiGatewayEvent(
    commandRequest(
      { text: 'dns', userId: 'U1', channelId: 'C1', triggerId: 't1', responseUrl: 'http://127.0.0.1:9/r' },
      { signingSecret: 'whatever-secret' },
    ),
  );

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('cold start of the deployed handlers', () => {
  it('the Slack handler rejects invalid NETCHECK_CLUSTERS and says so', async () => {
    vi.stubEnv('NETCHECK_MODE', 'lambda');
    vi.stubEnv('NETCHECK_CLUSTERS', '[{"name": "prod-eu", "auth": {"type": "kubeconfig"}}');
    vi.stubEnv('SLACK_SECRET_ID', 'netcheck/slack');
    vi.stubEnv('WORKER_FUNCTION_NAME', 'netcheck-worker');
    vi.stubEnv('DEDUPE_TABLE', 'netcheck-dedupe');
    const { handler } = await import('../src/handlers/slack/lambda.ts');
    await expect(handler(request(), lambdaContext('netcheck-slack'))).rejects.toThrow(/NETCHECK_CLUSTERS/);
  });

  it('the worker rejects a lambda deployment without SLACK_SECRET_ID and says so', async () => {
    vi.stubEnv('NETCHECK_MODE', 'lambda');
    vi.stubEnv(
      'NETCHECK_CLUSTERS',
      JSON.stringify([{ name: 'prod-eu', auth: { type: 'token-secret', secretId: 's' }, allowedUsers: ['U1'] }]),
    );
    vi.stubEnv('SLACK_SECRET_ID', '');
    vi.stubEnv('WORKER_FUNCTION_NAME', 'netcheck-worker');
    vi.stubEnv('DEDUPE_TABLE', 'netcheck-dedupe');
    const { handler } = await import('../src/handlers/worker/lambda.ts');
    await expect(handler({}, lambdaContext('netcheck-worker'))).rejects.toThrow(/SLACK_SECRET_ID/);
  });
});
