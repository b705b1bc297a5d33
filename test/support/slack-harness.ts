// Everything the Slack flow needs, each on its own loopback port and speaking its real protocol: a sandbox
// cluster, the Slack Web API fake, Secrets Manager, DynamoDB (dynalite) and the Lambda Invoke API running the
// real worker. The handlers are built from an environment exactly as on Lambda (slackHandlerFromEnv).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createOfferStore, type OfferStore } from '../../src/aws/offers.ts';
import { createLog } from '../../src/handlers/log.ts';
import { type SlackHandler, slackHandlerFromEnv } from '../../src/handlers/slack/lambda.ts';
import { type WorkerHandler, workerHandlerFromEnv } from '../../src/handlers/worker/lambda.ts';
import type { Job } from '../../src/jobs/job.ts';
import { loadScenario } from '../../src/sandbox/scenarios.ts';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.ts';
import { localAwsClientConfig } from '../fakes/aws-local.ts';
import { type DynaliteFake, startDynalite } from '../fakes/dynalite.ts';
import { type LocalLambda, startLambdaInvokeEndpoint } from '../fakes/lambda-invoke.ts';
import { createPlansTable } from '../fakes/plans-table.ts';
import { type SecretsManagerFake, startSecretsManagerFake } from '../fakes/secrets-manager.ts';
import { type SlackApiFake, startSlackApiFake } from '../fakes/slack-api.ts';
import { apiGatewayEvent, type SignedRequest, type Signing } from './slack-request.ts';

export const SIGNING_SECRET = 'test-signing-secret-3f9a7c1e5b2d';
export const BOT_TOKEN = 'xoxb-1111-2222-netchecktesttoken';
export const ALICE = 'UALICE0001'; // may check prod-eu (the default) and staging
export const BOB = 'UBOB000001'; // may check staging only
export const MALLORY = 'UMALLORY01'; // may check nothing
export const OPS = 'COPS000001';
export const PAYMENTS = 'CPAYMENTS1';
export const WORKER = 'netcheck-test-worker';
export const TABLE = 'netcheck-test-dedupe';
/** The plans table: here only for button offers (no approvers, so no remediation flow). */
export const PLANS = 'netcheck-test-plans';

export interface Harness {
  sandbox: Sandbox;
  slackApi: SlackApiFake;
  secrets: SecretsManagerFake;
  dynamo: DynaliteFake;
  lambda: LocalLambda;
  env: NodeJS.ProcessEnv;
  /** Every log line both handlers wrote. */
  logs: string[];
  slack: SlackHandler;
  worker: WorkerHandler;
  signing: Signing;
  /** Sends a signed request through the handler as API Gateway would deliver it. */
  send(request: SignedRequest): Promise<APIGatewayProxyStructuredResultV2>;
  /** Jobs the worker was invoked with, in order. */
  jobs(): Job[];
  /** The button offers in the plans table, to read what a button stands for or record one (`now` shifts its clock). */
  offers(now?: () => number): OfferStore;
  close(): Promise<void>;
}

export function lambdaContext(name: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    memoryLimitInMB: '256',
    awsRequestId: `req-${Math.random().toString(36).slice(2)}`,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 10_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export async function startHarness(options: { scenario: string; env?: NodeJS.ProcessEnv }): Promise<Harness> {
  const sandbox = await startSandbox({ scenario: await loadScenario(options.scenario) });
  const slackApi = await startSlackApiFake();
  const clusterSecret = (token: string) =>
    JSON.stringify({ server: sandbox.url, caData: Buffer.from(sandbox.caPem).toString('base64'), token });
  const secrets = await startSecretsManagerFake({
    'netcheck/slack': JSON.stringify({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN }),
    'netcheck/clusters/prod-eu': clusterSecret(sandbox.tokens.bot),
    'netcheck/clusters/staging': clusterSecret(sandbox.tokens.bot),
  });
  const dynamo = await startDynalite(TABLE);
  await createPlansTable(dynamo.endpoint, PLANS);
  const offersClient = new DynamoDBClient(localAwsClientConfig(dynamo.endpoint));
  const logs: string[] = [];
  const log = createLog({ write: (line) => logs.push(line) });

  const env: NodeJS.ProcessEnv = {
    NETCHECK_MODE: 'lambda',
    NETCHECK_CLUSTERS: JSON.stringify([
      {
        name: 'prod-eu',
        auth: { type: 'token-secret', secretId: 'netcheck/clusters/prod-eu' },
        allowedUsers: [ALICE],
        default: true,
      },
      {
        name: 'staging',
        auth: { type: 'token-secret', secretId: 'netcheck/clusters/staging' },
        allowedUsers: [ALICE, BOB],
      },
      // Only from its own channel.
      {
        name: 'payments',
        auth: { type: 'token-secret', secretId: 'netcheck/clusters/staging' },
        allowedUsers: [ALICE],
        allowedChannels: [PAYMENTS],
      },
    ]),
    NETCHECK_INCIDENT_CHANNEL_PATTERN: '^inc-',
    SLACK_SECRET_ID: 'netcheck/slack',
    SLACK_API_URL: slackApi.url,
    SLACK_BOT_ID: 'BNETCHECK1',
    SLACK_BOT_USER_ID: 'UNETCHECK1',
    SLACK_TEAM_ID: 'T0001',
    WORKER_FUNCTION_NAME: WORKER,
    DEDUPE_TABLE: TABLE,
    PLANS_TABLE: PLANS,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local-secret',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    ...options.env,
  };
  const worker = workerHandlerFromEnv(env, { log });
  const lambda = await startLambdaInvokeEndpoint(
    // The endpoint's context counts down from the worker's 120 s timeout, as Lambda's does.
    { [WORKER]: (event, context) => worker(event, { ...lambdaContext(WORKER), ...context }) },
    { onAsyncError: (_name, error) => log.error('worker failed', { error }) },
  );
  env.AWS_ENDPOINT_URL_LAMBDA = lambda.endpoint;
  const slack = slackHandlerFromEnv(env, { log });

  return {
    sandbox,
    slackApi,
    secrets,
    dynamo,
    lambda,
    env,
    logs,
    slack,
    worker,
    signing: { signingSecret: SIGNING_SECRET },
    send: (request) => slack(apiGatewayEvent(request), lambdaContext('netcheck-test-slack')),
    jobs: () => lambda.invocations.map((i) => i.payload as Job),
    offers: (now) => createOfferStore({ client: offersClient, table: PLANS, ...(now ? { now } : {}) }),
    async close() {
      await lambda.idle();
      await lambda.close();
      offersClient.destroy();
      await Promise.all([slackApi.close(), secrets.close(), dynamo.close(), sandbox.close()]);
    },
  };
}
