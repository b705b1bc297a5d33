// `netcheck dev`: the deployed handlers, unchanged, on 127.0.0.1. Real HTTP requests become API Gateway v2
// events for the Slack handler; its async worker invoke goes through the Lambda Invoke API to an in-process
// endpoint running the worker; the cluster is a sandbox whose credentials sit in a local Secrets Manager.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { App } from '@slack/bolt';
import type { Context } from 'aws-lambda';
import { createWorkerInvoker } from '../aws/worker-invoker.ts';
import type { HttpEvent, HttpResult } from '../handlers/apigw.ts';
import { loadConfig } from '../handlers/config/load.ts';
import { createLog, type Log, slackLogger } from '../handlers/log.ts';
import { remediatorHandlerFromEnv } from '../handlers/remediator/lambda.ts';
import { awsClientConfig } from '../handlers/runtime.ts';
import { registerListeners } from '../handlers/slack/app.ts';
import { postResponseUrl, type SlackHandler, slackHandlerFromEnv } from '../handlers/slack/lambda.ts';
import { workerHandlerFromEnv } from '../handlers/worker/lambda.ts';
import type { DedupeStore } from '../jobs/ports.ts';
import { loadScenario } from '../sandbox/scenarios.ts';
import type { Sandbox } from '../sandbox/server.ts';
import { startSandbox } from '../sandbox/server.ts';
import type { Latency } from '../sandbox/types.ts';
import { startLocalDynamoDb } from './local-dynamodb.ts';
import { type LocalLambda, startLocalLambda } from './local-lambda.ts';
import { startLocalSecretsManager } from './local-secrets-manager.ts';

export const DEV_WORKER = 'netcheck-dev-worker';
export const DEV_CLUSTER = 'sandbox';
const CLUSTER_SECRET = 'netcheck/dev/cluster-sandbox';
export const DEV_REMEDIATOR = 'netcheck-dev-remediator';
const REMEDIATOR_SECRET = 'netcheck/dev/remediator-sandbox';
const DEV_PLANS = 'netcheck-plans';

export interface DevServerOptions {
  scenario: string;
  /** 0 picks a free port. */
  port?: number;
  latency?: Latency;
  /** SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL and optional NETCHECK_* settings. */
  env: NodeJS.ProcessEnv;
  log?: Log;
  /** Clock of the plans table and the remediator (tests of expiry). */
  now?: () => number;
  /** Upper bound on the remediator's rollout wait. */
  rolloutTimeoutMs?: number;
}

export interface DevServer {
  /** `http://127.0.0.1:PORT/slack/events` */
  url: string;
  sandbox: Sandbox;
  lambda: LocalLambda;
  slack: SlackHandler;
  close(): Promise<void>;
}

export class DevSetupError extends Error {}

/** Checks the Slack settings `netcheck dev` cannot run without; one message naming every missing variable. */
export function requireDevSlackEnv(env: NodeJS.ProcessEnv, socket = false): void {
  const needed = socket
    ? ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN']
    : ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'SLACK_API_URL'];
  const missing = needed.filter((name) => !env[name]?.trim());
  if (missing.length) {
    throw new DevSetupError(
      `missing ${missing.join(', ')} in the environment` +
        (missing.includes('SLACK_API_URL')
          ? ' (SLACK_API_URL is the Slack Web API base, e.g. http://127.0.0.1:PORT/api/ for a local fake)'
          : ''),
    );
  }
}

interface Backend {
  sandbox: Sandbox;
  lambda: LocalLambda;
  env: NodeJS.ProcessEnv;
  log: Log;
  dedupe: DedupeStore;
  close(): Promise<void>;
}

/** Sandbox cluster, its secret, and the worker behind a local Lambda Invoke endpoint. */
async function startBackend(options: Omit<DevServerOptions, 'port'>): Promise<Backend> {
  const log = options.log ?? createLog();
  const sandbox = await startSandbox({
    scenario: await loadScenario(options.scenario),
    ...(options.latency ? { latency: options.latency } : {}),
  });
  // The cluster's credentials live where production keeps them: a token-secret in Secrets Manager.
  const secrets = await startLocalSecretsManager({
    [CLUSTER_SECRET]: JSON.stringify({
      server: sandbox.url,
      caData: Buffer.from(sandbox.caPem).toString('base64'),
      token: sandbox.tokens.bot,
    }),
    // The remediator's own identity (group netcheck-remediators), as production keeps it apart from the bot's.
    [REMEDIATOR_SECRET]: JSON.stringify({
      server: sandbox.url,
      caData: Buffer.from(sandbox.caPem).toString('base64'),
      token: sandbox.tokens.remediator,
    }),
  });
  const env = devEnv(options.env, secrets.endpoint);
  const plans = await startLocalDynamoDb(DEV_PLANS);
  env.AWS_ENDPOINT_URL_DYNAMODB = plans.endpoint;
  if (!options.env.NETCHECK_DEV_APPROVERS) {
    log.warn('dev mode: no approvers configured, so any user other than the requester may approve a fix');
  }
  // Retries of a delivery are deduped in memory here (production uses DynamoDB).
  const claimed = new Set<string>();
  const dedupe = { claim: async (key: string) => !claimed.has(key) && Boolean(claimed.add(key)) };
  const worker = workerHandlerFromEnv(env, { log, dedupe });
  const remediator = remediatorHandlerFromEnv(env, {
    log,
    ...(options.now ? { now: options.now } : {}),
    ...(options.rolloutTimeoutMs !== undefined ? { rolloutTimeoutMs: options.rolloutTimeoutMs } : {}),
  });
  const lambda = await startLocalLambda(
    {
      [DEV_WORKER]: (event, context) => worker(event, context as unknown as Context),
      [DEV_REMEDIATOR]: (event, context) => remediator(event, context as unknown as Context),
    },
    { onAsyncError: (name, error) => log.error('local function failed', { function: name, error }) },
  );
  env.AWS_ENDPOINT_URL_LAMBDA = lambda.endpoint;
  return {
    sandbox,
    lambda,
    env,
    log,
    dedupe,
    async close() {
      await lambda.idle().catch(() => undefined);
      await lambda.close();
      await plans.close();
      await secrets.close();
      await sandbox.close();
    },
  };
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  requireDevSlackEnv(options.env);
  const backend = await startBackend(options);
  const { log } = backend;
  const slack = slackHandlerFromEnv(backend.env, {
    log,
    dedupe: backend.dedupe,
    ...(options.now ? { now: options.now } : {}),
  });

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || path !== '/slack/events') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('POST /slack/events\n');
      return;
    }
    try {
      const result = await slack(await apiGatewayEventFrom(req, path), devContext());
      writeResult(res, result);
    } catch (error) {
      log.error('dev server: handler failed', { error });
      res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
    }
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await backend.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    sandbox: backend.sandbox,
    lambda: backend.lambda,
    slack,
    async close() {
      await closeServer(server);
      await backend.close();
    },
  };
}

/** Socket Mode for a real workspace: the same listeners, events over a WebSocket instead of HTTP. */
export async function startSocketModeDev(
  options: Omit<DevServerOptions, 'port'>,
): Promise<{ sandbox: Sandbox; close(): Promise<void> }> {
  requireDevSlackEnv(options.env, true);
  const backend = await startBackend(options);
  const { log, env } = backend;
  // Socket Mode needs no signing secret; loadConfig wants one in dev, so hand it a placeholder.
  const config = loadConfig({ ...env, SLACK_SIGNING_SECRET: env.SLACK_SIGNING_SECRET ?? 'socket-mode' });
  const logger = slackLogger(log, 'bolt');
  const app = new App({
    token: config.slack.botToken,
    appToken: options.env.SLACK_APP_TOKEN,
    socketMode: true,
    logger,
    clientOptions: {
      ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
      retryConfig: { retries: 1 },
      timeout: 2500,
      logger,
    },
  });
  registerListeners(app, {
    config,
    log,
    dedupe: backend.dedupe,
    worker: createWorkerInvoker({
      client: new LambdaClient(awsClientConfig(config, env, 'lambda')),
      functionName: config.workerFunctionName,
    }),
    respond: (url, message) => postResponseUrl(url, message, 2500),
  });
  await app.start();
  return {
    sandbox: backend.sandbox,
    async close() {
      await app.stop();
      await backend.close();
    },
  };
}

/** The environment the handlers read in dev: one cluster, `sandbox`, open to everyone (no allow-lists). */
export function devEnv(base: NodeJS.ProcessEnv, secretsEndpoint: string): NodeJS.ProcessEnv {
  const pass = (name: string) => (base[name] ? { [name]: base[name] } : {});
  return {
    NETCHECK_MODE: 'dev',
    NETCHECK_CLUSTERS: JSON.stringify([
      {
        name: DEV_CLUSTER,
        auth: { type: 'token-secret', secretId: CLUSTER_SECRET },
        remediatorAuth: { type: 'token-secret', secretId: REMEDIATOR_SECRET },
        // NETCHECK_DEV_APPROVERS: comma-separated user ids; without it any user but the requester approves.
        ...(base.NETCHECK_DEV_APPROVERS
          ? { approvers: base.NETCHECK_DEV_APPROVERS.split(',').map((u) => u.trim()) }
          : {}),
        default: true,
      },
    ]),
    SLACK_SIGNING_SECRET: base.SLACK_SIGNING_SECRET,
    SLACK_BOT_TOKEN: base.SLACK_BOT_TOKEN,
    ...pass('SLACK_API_URL'),
    ...pass('SLACK_BOT_ID'),
    ...pass('SLACK_BOT_USER_ID'),
    ...pass('NETCHECK_DEFAULT_LANG'),
    ...pass('NETCHECK_INCIDENT_CHANNEL_PATTERN'),
    WORKER_FUNCTION_NAME: DEV_WORKER,
    REMEDIATOR_FUNCTION_NAME: DEV_REMEDIATOR,
    PLANS_TABLE: DEV_PLANS,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsEndpoint,
  };
}

/** What API Gateway (HTTP API, payload 2.0) would hand the function for this request. */
export async function apiGatewayEventFrom(req: IncomingMessage, path: string): Promise<HttpEvent> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString: new URL(req.url ?? '/', 'http://localhost').search.slice(1),
    headers,
    body: Buffer.concat(chunks).toString('utf8'),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'netcheck-dev',
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: {
        method: req.method ?? 'POST',
        path,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `POST ${path}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
  };
}

function writeResult(res: import('node:http').ServerResponse, result: HttpResult): void {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(result.headers ?? {})) headers[key] = String(value);
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(result.body ?? '');
}

function devContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'netcheck-dev-slack',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:netcheck-dev-slack',
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/netcheck-dev-slack',
    logStreamName: 'dev',
    getRemainingTimeInMillis: () => 10_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
}

export { CLUSTER_SECRET };
