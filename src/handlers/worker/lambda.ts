// The worker Lambda, invoked asynchronously by the Slack handler: connect to the cluster, diagnose,
// and keep one Slack message up to date from "Checking…" to the final runbook.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { webApi } from '@slack/bolt';
import type { Context } from 'aws-lambda';
import { createDedupeStore } from '../../aws/dedupe.ts';
import { createEksDescriber } from '../../aws/eks-describe.ts';
import { createSecretStore } from '../../aws/secrets.ts';
import { type ClusterConnection, createClusterConnector } from '../../cluster/connect.ts';
import { createKubeReader } from '../../cluster/k8s-reader.ts';
import { ClusterError, type ClusterReader } from '../../engine/cluster-reader.ts';
import { diagnose as engineDiagnose, nothingReadable } from '../../engine/index.ts';
import type { Report } from '../../engine/report.ts';
import { Job } from '../../jobs/job.ts';
import type { DedupeStore } from '../../jobs/ports.ts';
import { remediationFor } from '../../remediate/registry.ts';
import { renderDetails } from '../../slack/details-blocks.ts';
import { renderError } from '../../slack/error-blocks.ts';
import { renderProgress } from '../../slack/progress-blocks.ts';
import { renderReport } from '../../slack/report-blocks.ts';
import { remediationEnabled } from '../config/approvers.ts';
import { loadConfig } from '../config/load.ts';
import type { AppConfig, ClusterConfig } from '../config/schema.ts';
import { createLog, type Log, slackLogger } from '../log.ts';
import { awsClientConfig, slackSecretsFrom } from '../runtime.ts';
import { createSlackOutput } from './slack-output.ts';

export interface WorkerDeps {
  config: AppConfig;
  botToken: () => Promise<string>;
  dedupe: DedupeStore;
  connect: (cluster: ClusterConfig) => Promise<ClusterConnection>;
  /** Drops the cached connection and credentials of a cluster that could not be read (rotated token, moved endpoint). */
  forget?: (clusterName: string) => void;
  /** Defaults to the HTTPS reader; tests may wrap it. */
  reader?: (connection: ClusterConnection, timeoutMs: number) => ClusterReader;
  diagnose?: typeof engineDiagnose;
  log?: Log;
  /** Minimum time between two progress edits of the Slack message (chat.update is rate limited). */
  progressIntervalMs?: number;
  /** Per-call timeout of cluster requests. */
  clusterTimeoutMs?: number;
}

export interface WorkerResult {
  jobId?: string;
  outcome: 'invalid-job' | 'duplicate' | 'reported' | 'cluster-error' | 'undeliverable';
}

export type WorkerHandler = (event: unknown, context: Context) => Promise<WorkerResult>;

export function createWorkerHandler(deps: WorkerDeps): WorkerHandler {
  const baseLog = deps.log ?? createLog();
  const diagnose = deps.diagnose ?? engineDiagnose;
  const clusterTimeoutMs = deps.clusterTimeoutMs ?? 8000;
  const readerFor =
    deps.reader ??
    ((c: ClusterConnection, timeoutMs: number) => createKubeReader(c.kc, { timeoutMs, identity: c.identity }));

  return async (event, context) => {
    const parsed = Job.safeParse(event);
    if (!parsed.success) {
      // Paths and messages only: the payload may carry a response_url.
      baseLog.error('invalid job rejected', {
        issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
      });
      return { outcome: 'invalid-job' };
    }
    const job: Job = parsed.data;
    const log = baseLog.child({ jobId: job.jobId, kind: job.kind, cluster: job.cluster, scope: job.scope });
    // Async invokes can arrive twice (Lambda retries, Slack redeliveries that slipped through).
    if (!(await deps.dedupe.claim(`job:${job.jobId}`))) {
      log.info('duplicate job skipped');
      return { jobId: job.jobId, outcome: 'duplicate' };
    }

    const token = await deps.botToken();
    log.redact(token);
    const client = new webApi.WebClient(token, {
      ...(deps.config.slack.apiUrl ? { slackApiUrl: deps.config.slack.apiUrl } : {}),
      retryConfig: { retries: 2 },
      timeout: 5000,
      logger: slackLogger(log, 'web-api'),
    });
    // The Slack handler already resolved --lang / the user's locale into job.lang.
    const lang = job.lang;
    const ctx = { cluster: job.cluster, scope: job.scope, lang };
    const out = createSlackOutput({ client, job, log, intervalMs: deps.progressIntervalMs ?? 700 });

    const started = await out.start(renderProgress(ctx));
    if (!started) return { jobId: job.jobId, outcome: 'undeliverable' };

    const cluster = deps.config.clusters.find((c) => c.name === job.cluster);
    let report: Report;
    try {
      if (!cluster) throw new Error(`cluster "${job.cluster}" is not configured`);
      const connection = await deps.connect(cluster);
      const reader = readerFor(connection, clusterTimeoutMs);
      report = await withinBudget(
        diagnose(reader, {
          scope: job.scope,
          lang,
          cluster: { name: cluster.name, server: connection.server },
          timeoutMs: clusterTimeoutMs,
          onProgress: (e) => out.progress(renderProgress(ctx, e)),
        }),
        context,
      );
    } catch (error) {
      const message = describeClusterFailure(error);
      // Rotated tokens and moved endpoints live in the secret: read it afresh next time.
      deps.forget?.(job.cluster);
      log.error('diagnosis failed', { error: message });
      await out.finish(renderError({ cluster: job.cluster, message, lang }));
      return { jobId: job.jobId, outcome: 'cluster-error' };
    }
    if (report.status === 'unknown') deps.forget?.(job.cluster);
    const unreadable = nothingReadable(report);
    if (unreadable) {
      // A report of nothing but "could not read" buries the one fact that matters: say it plainly.
      log.warn('cluster could not be read', { error: unreadable });
      await out.finish(renderError({ cluster: job.cluster, message: unreadable, lang }));
      return { jobId: job.jobId, outcome: 'cluster-error' };
    }
    log.info('diagnosis finished', { status: report.status, requests: report.requests, durationMs: report.durationMs });
    let rendered: ReturnType<typeof renderReport>;
    try {
      rendered = renderReport(report, {
        details: job.details,
        requestedBy: job.kind === 'incident' ? undefined : job.userId,
        lang,
        // Fix… only where a remediation is implemented and the cluster has approvers (src/handlers/config/approvers.ts).
        remediationEnabled: remediationEnabled(deps.config, job.cluster),
        remediable: (finding) => Boolean(remediationFor(finding)),
      });
    } catch (error) {
      // Never leave the channel looking at "Checking…" forever.
      log.error('could not render the report', { error });
      await out.finish(renderError({ cluster: job.cluster, message: 'the report could not be rendered', lang }));
      return { jobId: job.jobId, outcome: 'cluster-error' };
    }
    await out.finish(rendered);
    if (job.details) {
      for (const message of renderDetails(report, { lang })) await out.reply(message);
    }
    return { jobId: job.jobId, outcome: 'reported' };
  };
}

/** Time kept in reserve to write the final message before Lambda stops the function. */
const FINISH_RESERVE_MS = 5000;

/** Fails the diagnosis shortly before the function's own timeout, so the user hears about it. */
async function withinBudget<T>(work: Promise<T>, context: Context | undefined): Promise<T> {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (remaining === undefined || !Number.isFinite(remaining)) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error('the check did not finish in time; the API server may be slow or overloaded')),
      Math.max(0, remaining - FINISH_RESERVE_MS),
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** What was denied and to whom, for the user; never the credentials. */
function describeClusterFailure(error: unknown): string {
  if (error instanceof ClusterError) return error.describe();
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Wires the real clients from the environment (one per cold start). */
export function workerHandlerFromEnv(
  env: NodeJS.ProcessEnv,
  options: { log?: Log; dedupe?: DedupeStore } = {},
): WorkerHandler {
  const config = loadConfig(env);
  const log = options.log ?? createLog();
  const secrets = createSecretStore({
    client: new SecretsManagerClient(awsClientConfig(config, env, 'secretsManager')),
    ttlMs: 5 * 60_000,
  });
  let describer: ReturnType<typeof createEksDescriber> | undefined;
  const connector = createClusterConnector({
    secrets,
    // Only for EKS clusters configured without endpoint/CA; built on first use.
    describeCluster: (auth) => {
      describer ??= createEksDescriber();
      return describer(auth);
    },
  });
  return createWorkerHandler({
    config,
    log,
    botToken: async () => (await slackSecretsFrom(config, secrets)).botToken,
    dedupe:
      options.dedupe ??
      createDedupeStore({
        client: new DynamoDBClient(awsClientConfig(config, env, 'dynamodb')),
        table: config.dedupeTable,
      }),
    connect: (cluster) => connector.connect(cluster),
    forget: (name) => {
      connector.invalidate(name);
      const auth = config.clusters.find((c) => c.name === name)?.auth;
      if (auth && 'secretId' in auth) secrets.invalidate(auth.secretId);
    },
  });
}

let fromEnv: WorkerHandler | undefined;

/** The deployed entry point: exactly (event, context). */
export const handler = async (event: unknown, context: Context): Promise<WorkerResult> => {
  fromEnv ??= workerHandlerFromEnv(process.env);
  return fromEnv(event, context);
};
