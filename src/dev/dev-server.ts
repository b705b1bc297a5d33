// `netcheck dev`: the deployed handlers, unchanged, on 127.0.0.1. Real HTTP requests become API Gateway v2
// events for the Slack handler; its async worker invoke goes through the Lambda Invoke API to an in-process
// endpoint running the worker; the cluster is a sandbox whose credentials sit in a local Secrets Manager.
// Without SLACK_API_URL it also serves a built-in Slack Web API and the preview page that plays the workspace.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { offersFromEnv, postResponseUrl, type SlackHandler, slackHandlerFromEnv } from '../handlers/slack/lambda.ts';
import { workerHandlerFromEnv } from '../handlers/worker/lambda.ts';
import type { DedupeStore } from '../jobs/ports.ts';
import { loadScenario } from '../sandbox/scenarios.ts';
import type { Sandbox } from '../sandbox/server.ts';
import { startSandbox } from '../sandbox/server.ts';
import type { Latency } from '../sandbox/types.ts';
import { startLocalDynamoDb } from './local-dynamodb.ts';
import { type LocalLambda, startLocalLambda } from './local-lambda.ts';
import { startLocalSecretsManager } from './local-secrets-manager.ts';
import { createMemoryIncidentStore } from './memory-incidents.ts';
import { createPreview } from './preview/routes.ts';
import { type SlackApiFake, startSlackApiFake } from './slack-api.ts';
import { DEV_INCIDENT_PATTERN, DEV_OPS_CHANNEL, DEV_USERS, DEV_WORKSPACE } from './workspace.ts';

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
  /**
   * Optional NETCHECK_* settings; SLACK_API_URL (with SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN) points the bot at
   * another Slack API. Without it the built-in one and the preview page run, with a fresh dev signing secret.
   */
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
  /** The preview page, `http://127.0.0.1:PORT/`, when the built-in Slack API runs. */
  pageUrl?: string;
  /** The built-in Slack Web API (absent when SLACK_API_URL points elsewhere). */
  slackApi?: SlackApiFake;
  /** A file (mode 0600, removed on close) holding the signing secret, so a pasted curl can sign. */
  signingSecretFile: string;
  /** A response_url the sample curl can hand the handler. */
  sampleResponseUrl: string;
  /** The local DynamoDB endpoint and table holding plans and Fix offers (to inspect what a button stands for). */
  plans: { endpoint: string; table: string };
  close(): Promise<void>;
}

export class DevSetupError extends Error {}

/** Checks the Slack settings `netcheck dev` cannot run without; one message naming every missing variable. */
export function requireDevSlackEnv(env: NodeJS.ProcessEnv, socket = false): void {
  // With no SLACK_API_URL the built-in Slack API runs and dev credentials are made up; another Slack API needs
  // the secret and token that workspace uses.
  const needed = socket
    ? ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN']
    : env.SLACK_API_URL?.trim()
      ? ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN']
      : [];
  const missing = needed.filter((name) => !env[name]?.trim());
  if (missing.length) {
    throw new DevSetupError(
      `missing ${missing.join(', ')} in the environment` +
        (socket ? '' : ' (needed with SLACK_API_URL; leave SLACK_API_URL unset to use the built-in Slack API)'),
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
  const worker = workerHandlerFromEnv(env, { log, dedupe, incidents: createMemoryIncidentStore() });
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
  const builtIn = !options.env.SLACK_API_URL?.trim();
  const slackApi = builtIn ? await startSlackApiFake(DEV_WORKSPACE) : undefined;
  const env: NodeJS.ProcessEnv = slackApi
    ? {
        ...options.env,
        SLACK_API_URL: slackApi.url,
        SLACK_SIGNING_SECRET: options.env.SLACK_SIGNING_SECRET?.trim() || `dev-${randomBytes(16).toString('hex')}`,
        SLACK_BOT_TOKEN: options.env.SLACK_BOT_TOKEN?.trim() || 'xoxb-netcheck-dev',
      }
    : options.env;
  const signingSecret = env.SLACK_SIGNING_SECRET as string;
  const secretDir = await mkdtemp(join(tmpdir(), 'netcheck-dev-'));
  const signingSecretFile = join(secretDir, 'signing-secret');
  await writeFile(signingSecretFile, signingSecret, { mode: 0o600 });
  let backend: Backend;
  try {
    backend = await startBackend({ ...options, env });
  } catch (error) {
    await slackApi?.close();
    await rm(secretDir, { recursive: true, force: true });
    throw error;
  }
  const { log } = backend;
  const slack = slackHandlerFromEnv(backend.env, {
    log,
    dedupe: backend.dedupe,
    ...(options.now ? { now: options.now } : {}),
  });
  let preview: ReturnType<typeof createPreview> | undefined;

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    try {
      if (preview && (await preview.handle(req, res))) return;
    } catch (error) {
      log.error('dev server: preview failed', { error });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
      return;
    }
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
    await slackApi?.close();
    await rm(secretDir, { recursive: true, force: true });
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/slack/events`;
  if (slackApi) preview = createPreview({ slack: slackApi, eventsUrl: url, signingSecret });
  const apiBase = (env.SLACK_API_URL as string).replace(/\/api\/?$/, '');

  return {
    url,
    sandbox: backend.sandbox,
    lambda: backend.lambda,
    slack,
    ...(slackApi ? { pageUrl: `http://127.0.0.1:${port}/`, slackApi } : {}),
    signingSecretFile,
    sampleResponseUrl: slackApi
      ? slackApi.responseUrl('curl', { channel: DEV_OPS_CHANNEL, user: DEV_USERS.alice })
      : `${apiBase}/response/dev`,
    plans: { endpoint: backend.env.AWS_ENDPOINT_URL_DYNAMODB as string, table: DEV_PLANS },
    async close() {
      preview?.close();
      await closeServer(server);
      await backend.close();
      await slackApi?.close();
      await rm(secretDir, { recursive: true, force: true });
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
    ...(config.offersTable ? { offers: offersFromEnv(config, config.offersTable, env) } : {}),
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
    // Channels named inc-… are incident channels unless the caller says otherwise.
    NETCHECK_INCIDENT_CHANNEL_PATTERN: base.NETCHECK_INCIDENT_CHANNEL_PATTERN ?? DEV_INCIDENT_PATTERN,
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
