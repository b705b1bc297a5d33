// The Slack-facing Lambda (API Gateway HTTP API → here). Thin on purpose: verify, parse, authorize,
// enqueue the worker, answer within Slack's 3 s. Nothing in this module's import graph may load
// @kubernetes/client-node (test/handler-bundle.test.ts checks the bundle).

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { App, AwsLambdaReceiver, webApi } from '@slack/bolt';
import type { Context } from 'aws-lambda';
import { createApprovalStore } from '../../aws/approvals.ts';
import { createDedupeStore } from '../../aws/dedupe.ts';
import { createOfferStore, type OfferStore } from '../../aws/offers.ts';
import { createRemediatorInvoker } from '../../aws/remediator-invoker.ts';
import { createSecretStore } from '../../aws/secrets.ts';
import { createWorkerInvoker } from '../../aws/worker-invoker.ts';
import type { DedupeStore, WorkerInvoker } from '../../jobs/ports.ts';
import { type HttpEvent, type HttpResult, headerOf, rawBodyOf, textResult } from '../apigw.ts';
import { loadConfig } from '../config/load.ts';
import type { AppConfig } from '../config/schema.ts';
import { createConfigSource, perConfig } from '../config/source.ts';
import { createLog, type Log, redactUrl, slackLogger } from '../log.ts';
import { awsClientConfig, parameterStoreFor, slackSecretsFrom } from '../runtime.ts';
import { verifySlackSignature } from '../signature.ts';
import { registerListeners } from './app.ts';
import { createLocaleLookup } from './locale.ts';
import type { RemediationDeps } from './plan-click.ts';

export interface SlackSecrets {
  signingSecret: string;
  botToken: string;
  /** Our workspace id(s), when the secret carries them (see SLACK_TEAM_ID). */
  teamId?: string;
  teamIds?: string[];
}

/** Every Slack Web API call made while the user waits for the ack ends by then, so the ack leaves within 3 s. */
export const ACK_PATH_CALL_MS = 1000;

export interface SlackHandlerDeps {
  config: AppConfig;
  /** Loads the signing secret and bot token; called on the first request, memoized, retried after a failure. */
  secrets: () => Promise<SlackSecrets>;
  worker: WorkerInvoker;
  dedupe: DedupeStore;
  log?: Log;
  /** Clock for the timestamp window (tests). */
  now?: () => number;
  /** Timeout of every Slack call made while the user waits for the ack. */
  slackTimeoutMs?: number;
  /** The remediation flow (plans table + remediator), when configured. */
  remediation?: RemediationDeps;
  /** What Re-run buttons stand for (the offers table), when it is named. */
  offers?: OfferStore;
}

export type SlackHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** Builds the handler. Bolt's App and receiver are created after the secrets load (an empty signing secret throws). */
export function createSlackHandler(deps: SlackHandlerDeps): SlackHandler {
  const log = deps.log ?? createLog();
  const now = deps.now ?? Date.now;
  const timeout = deps.slackTimeoutMs ?? 2500;
  let ready: Promise<{ secrets: SlackSecrets; run: SlackHandler }> | undefined;

  const build = async () => {
    const secrets = await deps.secrets();
    log.redact(secrets.signingSecret, secrets.botToken);
    const logger = slackLogger(log, 'bolt');
    const receiver = new AwsLambdaReceiver({
      signingSecret: secrets.signingSecret,
      logger,
      // Reached only if our own check passed and Bolt's did not; never log the signature itself.
      invalidRequestSignatureHandler: () => log.warn('request rejected by the receiver signature check'),
    });
    const { slack } = deps.config;
    const teamIds = [...(slack.teamIds ?? []), ...(secrets.teamId ? [secrets.teamId] : []), ...(secrets.teamIds ?? [])];
    const config = teamIds.length > 0 ? { ...deps.config, slack: { ...slack, teamIds } } : deps.config;
    const clientOptions = {
      ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
      // The defaults retry for 30 minutes with no timeout; the user is waiting on this ack.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: Math.min(timeout, ACK_PATH_CALL_MS),
      logger,
    };
    const app = new App({
      receiver,
      logger,
      // Our own authorize instead of Bolt's: Bolt caches the first auth.test, so one failure at a cold start
      // would drop every later request of the process. A failed bootstrap is retried on the next request.
      authorize: botIdentity({ token: secrets.botToken, config, clientOptions, log }),
      clientOptions,
    });
    registerListeners(app, {
      config,
      worker: deps.worker,
      dedupe: deps.dedupe,
      log,
      respond: (url, message) => postResponseUrl(url, message, timeout),
      lookupLocale: createLocaleLookup({
        token: secrets.botToken,
        ...(slack.apiUrl ? { apiUrl: slack.apiUrl } : {}),
        timeoutMs: timeout,
      }),
      ...(deps.remediation ? { remediation: deps.remediation } : {}),
      ...(deps.offers ? { offers: deps.offers } : {}),
    });
    app.error(async (error) => {
      log.error('listener failed', { error });
    });
    return { secrets, run: (await receiver.start()) as SlackHandler };
  };

  return async (event, context) => {
    if (!ready) {
      ready = build();
      // A failed secret fetch is transient: let the next request try again.
      ready.catch(() => {
        ready = undefined;
      });
    }
    const { secrets, run } = await ready;
    const rawBody = rawBodyOf(event);
    const verdict = verifySlackSignature({
      signingSecret: secrets.signingSecret,
      timestamp: headerOf(event, 'x-slack-request-timestamp'),
      signature: headerOf(event, 'x-slack-signature'),
      rawBody,
      nowMs: now(),
    });
    if (!verdict.ok) {
      log.warn('request rejected', { reason: verdict.reason, path: event.rawPath });
      return textResult(401);
    }
    // Hand Bolt the UTF-8 body: its own base64 decoding is ASCII-only.
    return run({ ...event, body: rawBody, isBase64Encoded: false }, context);
  };
}

/**
 * Bolt's authorize: the bot token, plus the bot's ids from SLACK_BOT_ID/SLACK_BOT_USER_ID or one bounded auth.test.
 * Only a successful auth.test is cached; while Slack is down each request retries it and, failing, goes on without
 * the ids (they only let Bolt ignore the bot's own events) instead of being dropped.
 */
function botIdentity(opts: {
  token: string;
  config: AppConfig;
  clientOptions: ConstructorParameters<typeof webApi.WebClient>[1];
  log: Log;
}) {
  const { slack } = opts.config;
  let ids: { botId: string; botUserId: string } | undefined =
    slack.botId && slack.botUserId ? { botId: slack.botId, botUserId: slack.botUserId } : undefined;
  let client: InstanceType<typeof webApi.WebClient> | undefined;
  return async () => {
    if (!ids) {
      client ??= new webApi.WebClient(opts.token, opts.clientOptions);
      try {
        const res = await client.auth.test();
        if (res.bot_id && res.user_id) ids = { botId: res.bot_id, botUserId: res.user_id };
      } catch (error) {
        opts.log.warn('auth.test failed; retrying on the next request', { error });
      }
    }
    return { botToken: opts.token, ...(ids ?? {}) };
  };
}

/** Ephemeral answers to button clicks go to the click's response_url. */
export async function postResponseUrl(url: string, message: Record<string, unknown>, timeoutMs: number): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`response_url ${redactUrl(url)} answered ${res.status}`);
}

/** Wires the real AWS clients from the environment. Throws ConfigError (naming the setting) on a misconfiguration. */
export function slackHandlerFromEnv(
  env: NodeJS.ProcessEnv,
  options: { log?: Log; dedupe?: DedupeStore; now?: () => number } = {},
): SlackHandler {
  const config = loadConfig(env);
  const log = options.log ?? createLog();
  const secretStore = createSecretStore({
    client: new SecretsManagerClient(awsClientConfig(config, env, 'secretsManager')),
    ttlMs: 5 * 60_000,
  });
  const worker = createWorkerInvoker({
    client: new LambdaClient(awsClientConfig(config, env, 'lambda')),
    functionName: config.workerFunctionName,
  });
  const dedupe =
    options.dedupe ??
    createDedupeStore({
      client: new DynamoDBClient(awsClientConfig(config, env, 'dynamodb')),
      table: config.dedupeTable,
    });
  // The clusters may live in a run-time document: the App is rebuilt only when it changes.
  return perConfig(
    createConfigSource(config, secretStore, () => parameterStoreFor(config, env)),
    (current) =>
      createSlackHandler({
        config: current,
        log,
        secrets: () => slackSecretsFrom(current, secretStore),
        worker,
        dedupe,
        ...(current.remediation ? { remediation: remediationFromEnv(current, env, log, options.now) } : {}),
        ...(current.offersTable ? { offers: offersFromEnv(current, current.offersTable, env, options.now) } : {}),
      }),
  );
}

/** The button offers in the plans table (Re-run; Fix… has its own in `remediationFromEnv`). */
export function offersFromEnv(
  config: AppConfig,
  table: string,
  env: NodeJS.ProcessEnv,
  now?: () => number,
): OfferStore {
  const client = new DynamoDBClient(awsClientConfig(config, env, 'dynamodb'));
  return createOfferStore({ client, table, ...(now ? { now } : {}) });
}

/** The plans table and the remediator invoker; every transition is also one audit log line. */
export function remediationFromEnv(
  config: AppConfig,
  env: NodeJS.ProcessEnv,
  log: Log,
  now?: () => number,
): RemediationDeps {
  const r = config.remediation!;
  const dynamo = new DynamoDBClient(awsClientConfig(config, env, 'dynamodb'));
  return {
    store: createApprovalStore({
      client: dynamo,
      table: r.plansTable,
      ttlSeconds: r.planTtlSeconds,
      ...(now ? { now } : {}),
      auditLog: (entry) => log.info('plan transition', { audit: entry }),
    }),
    offers: createOfferStore({ client: dynamo, table: r.plansTable, ...(now ? { now } : {}) }),
    remediator: createRemediatorInvoker({
      client: new LambdaClient(awsClientConfig(config, env, 'lambda')),
      functionName: r.remediatorFunctionName,
    }),
    ...(now ? { now } : {}),
  };
}

let fromEnv: SlackHandler | undefined;

/** The deployed entry point: exactly (event, context); configuration is read once, on the first call. */
export const handler = async (event: HttpEvent, context: Context): Promise<HttpResult> => {
  fromEnv ??= slackHandlerFromEnv(process.env);
  return fromEnv(event, context);
};
