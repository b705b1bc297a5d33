// The worker Lambda, invoked asynchronously by the Slack handler: connect to the cluster, diagnose,
// and keep one Slack message up to date from "Checking…" to the final runbook.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { webApi } from '@slack/bolt';
import type { Context } from 'aws-lambda';
import { createDedupeStore } from '../../aws/dedupe.ts';
import { createEksDescriber } from '../../aws/eks-describe.ts';
import { createIncidentStore } from '../../aws/incidents.ts';
import { createOfferStore, type NewOffer, type OfferStore } from '../../aws/offers.ts';
import { createSecretStore } from '../../aws/secrets.ts';
import { type ClusterConnection, createClusterConnector } from '../../cluster/connect.ts';
import { createKubeReader } from '../../cluster/k8s-reader.ts';
import { ClusterError, type ClusterReader } from '../../engine/cluster-reader.ts';
import { diagnose as engineDiagnose, nothingReadable } from '../../engine/index.ts';
import type { Report, Scope } from '../../engine/report.ts';
import type { IncidentStore } from '../../incidents/index.ts';
import { Job } from '../../jobs/job.ts';
import type { DedupeStore } from '../../jobs/ports.ts';
import { remediationFor } from '../../remediate/registry.ts';
import { renderDetails } from '../../slack/details-blocks.ts';
import { renderError } from '../../slack/error-blocks.ts';
import { recheckedNote, withNotes } from '../../slack/incident-blocks.ts';
import { renderProgress } from '../../slack/progress-blocks.ts';
import { renderReport } from '../../slack/report-blocks.ts';
import { remediationEnabled } from '../config/approvers.ts';
import { loadConfig } from '../config/load.ts';
import type { AppConfig, ClusterConfig } from '../config/schema.ts';
import { createConfigSource, perConfig } from '../config/source.ts';
import { createLog, type Log, slackLogger } from '../log.ts';
import { awsClientConfig, parameterStoreFor, slackSecretsFrom } from '../runtime.ts';
import { type Checked, type Progress, recordRecheck, rerunTarget, runIncident } from './incident.ts';
import { createSlackOutput } from './slack-output.ts';
import { postRest, restOf } from './thread-rest.ts';

export interface WorkerDeps {
  config: AppConfig;
  botToken: () => Promise<string>;
  dedupe: DedupeStore;
  connect: (cluster: ClusterConfig) => Promise<ClusterConnection>;
  /** Drops the cached connection and credentials of a cluster that could not be read (rotated token, moved endpoint). */
  forget?: (clusterName: string) => void;
  /** Defaults to the HTTPS reader; tests may wrap it. `deadlineAt` (epoch ms) bounds the whole diagnosis. */
  reader?: (connection: ClusterConnection, timeoutMs: number, deadlineAt?: number) => ClusterReader;
  diagnose?: typeof engineDiagnose;
  log?: Log;
  /** Minimum time between two progress edits of the Slack message (chat.update is rate limited). */
  progressIntervalMs?: number;
  /** Per-call timeout of cluster requests. */
  clusterTimeoutMs?: number;
  /** Per-call timeout of Slack Web API calls (default 3 s; retried within the Lambda's deadline). */
  slackTimeoutMs?: number;
  /** Fix… and Re-run offers (src/aws/offers.ts): without it a report has no Fix or Re-run buttons. */
  offers?: OfferStore;
  /** Incident state (one report per incident); without it, every incident trigger posts its own report. */
  incidents?: IncidentStore;
  now?: () => number;
}

export interface WorkerResult {
  jobId?: string;
  outcome: 'invalid-job' | 'duplicate' | 'reported' | 'cluster-error' | 'undeliverable' | 'updated';
}

export type WorkerHandler = (event: unknown, context: Context) => Promise<WorkerResult>;

export function createWorkerHandler(deps: WorkerDeps): WorkerHandler {
  const baseLog = deps.log ?? createLog();
  const diagnose = deps.diagnose ?? engineDiagnose;
  const clusterTimeoutMs = deps.clusterTimeoutMs ?? 8000;
  const now = deps.now ?? Date.now;
  const readerFor =
    deps.reader ??
    ((c: ClusterConnection, timeoutMs: number, deadlineAt?: number) =>
      createKubeReader(c.kc, { timeoutMs, identity: c.identity, ...(deadlineAt ? { deadlineAt } : {}) }));

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
      // Retries (429 after Retry-After, 5xx, timeouts) are slack-output's, bounded by the Lambda deadline; the
      // client's own would sleep through any Retry-After, however long.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: deps.slackTimeoutMs ?? 3000,
      logger: slackLogger(log, 'web-api'),
    });
    // The Slack handler already resolved --lang / the user's locale into job.lang.
    const lang = job.lang;
    const ctx = { cluster: job.cluster, scope: job.scope, lang };
    // A Re-run updates the report it belongs to; everything else starts a message of its own.
    const target = await rerunTarget(job, deps.incidents, now());
    const remaining = context?.getRemainingTimeInMillis?.();
    const out = createSlackOutput({
      client,
      job: target.job,
      log,
      intervalMs: deps.progressIntervalMs ?? 700,
      ...(remaining !== undefined && Number.isFinite(remaining) ? { deadlineAt: Date.now() + remaining - 500 } : {}),
    });

    const check = async (scope: Scope, onProgress?: (e: Progress) => void): Promise<Checked> => {
      const cluster = deps.config.clusters.find((c) => c.name === job.cluster);
      let report: Report;
      try {
        if (!cluster) throw new Error(`cluster "${job.cluster}" is not configured`);
        const connection = await deps.connect(cluster);
        // One hanging read may take most of the budget, never all of it: the others and the logs still fit.
        const deadlineAt = diagnosisDeadline(context);
        const perRequestMs =
          deadlineAt === undefined
            ? clusterTimeoutMs
            : Math.min(clusterTimeoutMs, Math.max(1000, Math.round((deadlineAt - Date.now()) * 0.6)));
        const reader = readerFor(connection, perRequestMs, deadlineAt);
        report = await withinBudget(
          diagnose(reader, {
            scope,
            lang,
            cluster: { name: cluster.name, server: connection.server },
            timeoutMs: clusterTimeoutMs,
            ...(onProgress ? { onProgress } : {}),
          }),
          context,
        );
      } catch (error) {
        const message = describeClusterFailure(error);
        // Rotated tokens and moved endpoints live in the secret: read it afresh next time.
        deps.forget?.(job.cluster);
        log.error('diagnosis failed', { error: message });
        return { ok: false, message: renderError({ cluster: job.cluster, message, lang }) };
      }
      if (report.status === 'unknown') deps.forget?.(job.cluster);
      const unreadable = nothingReadable(report);
      if (unreadable) {
        // A report of nothing but "could not read" buries the one fact that matters: say it plainly.
        log.warn('cluster could not be read', { error: unreadable });
        return { ok: false, message: renderError({ cluster: job.cluster, message: unreadable, lang }) };
      }
      log.info('diagnosis finished', {
        status: report.status,
        requests: report.requests,
        durationMs: report.durationMs,
      });
      try {
        // Fix… only where a remediation is implemented and the cluster has approvers (src/handlers/config/approvers.ts),
        // and only as an offer recorded here: the button carries its random id, nothing else.
        // What the first screen leaves out goes to the thread by itself; the report's pointer says so.
        const { key } = restOf(report, lang);
        const offers: (NewOffer & { id: string })[] = [];
        const { offers: offerStore } = deps;
        // An incident job from an older Slack function may carry no team: with exactly one workspace, it is that one.
        const teams = deps.config.slack.teamIds ?? [];
        const teamId = job.teamId ?? (teams.length === 1 ? teams[0] : undefined);
        // Re-run is an offer too (cluster, scope, thread digest): the button carries only its random id.
        const rerunId = offerStore && teamId ? offerStore.newId() : undefined;
        const render = (withFixes: boolean, withRerun: boolean) =>
          renderReport(report, {
            details: true,
            ...(withRerun && rerunId ? { rerunId } : {}),
            requestedBy: job.kind === 'incident' ? undefined : job.userId,
            lang,
            remediationEnabled: withFixes && remediationEnabled(deps.config, job.cluster),
            remediable: (finding) => Boolean(remediationFor(finding)),
            ...(offerStore && teamId
              ? {
                  offerFix: (finding, remediation) => {
                    // A second render (without Re-run) reuses the offers of the first.
                    const known = offers.find((o) => o.remediation === remediation && o.finding === finding.id);
                    if (known) return known.id;
                    const reportTs = out.ts();
                    const offer = {
                      id: offerStore.newId(),
                      teamId,
                      cluster: job.cluster,
                      channelId: job.channelId,
                      ...(reportTs ? { reportTs } : {}),
                      scope,
                      finding: finding.id,
                      ...subjectOf(finding),
                      remediation,
                      observedAt: finding.observedAt ?? report.startedAt,
                    };
                    offers.push(offer);
                    return offer.id;
                  },
                }
              : {}),
          });
        let message = render(true, true);
        const reportTs = out.ts();
        // A report without Fix or Re-run buttons beats no report.
        const [fixesOk, rerunOk] = await Promise.all([
          offers.length && offerStore
            ? offerStore.record(offers).then(
                () => true,
                (error) => {
                  log.warn('could not record the Fix offers; the report goes without Fix buttons', { error });
                  return false;
                },
              )
            : true,
          // Recorded only when the report shows the button (a healthy report has none).
          rerunId && offerStore && teamId && JSON.stringify(message.blocks).includes(rerunId)
            ? offerStore
                .recordRerun({
                  id: rerunId,
                  teamId,
                  cluster: job.cluster,
                  channelId: job.channelId,
                  scope,
                  ...(reportTs ? { reportTs } : {}),
                  ...(key ? { rest: key } : {}),
                })
                .then(
                  () => true,
                  (error) => {
                    log.warn('could not record the Re-run offer; the report goes without Re-run', { error });
                    return false;
                  },
                )
            : true,
        ]);
        if (!fixesOk || !rerunOk) message = render(fixesOk, rerunOk);
        return { ok: true, report, message, ...(key ? { restKey: key } : {}) };
      } catch (error) {
        // Never leave the channel looking at "Checking…" forever.
        log.error('could not render the report', { error });
        return {
          ok: false,
          message: renderError({ cluster: job.cluster, message: 'the report could not be rendered', lang }),
        };
      }
    };

    /** A Re-run offer for a message other than the report (the contradiction note), or undefined without one. */
    const offerRerun = async (scope: Scope): Promise<string | undefined> => {
      const teams = deps.config.slack.teamIds ?? [];
      const teamId = job.teamId ?? (teams.length === 1 ? teams[0] : undefined);
      if (!deps.offers || !teamId) return undefined;
      const id = deps.offers.newId();
      try {
        await deps.offers.recordRerun({ id, teamId, cluster: job.cluster, channelId: job.channelId, scope });
        return id;
      } catch (error) {
        log.warn('could not record the Re-run offer; the message goes without Re-run', { error });
        return undefined;
      }
    };

    if (job.kind === 'incident' && job.incident && deps.incidents) {
      const outcome = await runIncident({
        job,
        incident: job.incident,
        store: deps.incidents,
        client,
        log,
        out,
        check: (scope, onProgress) => check(scope, onProgress),
        offerRerun: (scope) => offerRerun(scope),
        progress: (e) => renderProgress(ctx, e),
        now,
        cooldownMs: deps.config.incidentCooldownMs,
      });
      return { jobId: job.jobId, outcome };
    }

    const started = await out.start(renderProgress(ctx));
    if (!started) return { jobId: job.jobId, outcome: 'undeliverable' };
    const result = await check(job.scope, (e) => out.progress(renderProgress(ctx, e)));
    // A report updated in place says when it was re-checked, so the reader knows it is not the old one.
    const delivered = await out.finish(
      job.messageTs ? withNotes(result.message, [recheckedNote(new Date(now()), lang)]) : result.message,
    );
    if (!result.ok) return { jobId: job.jobId, outcome: 'cluster-error' };
    if (!delivered) return { jobId: job.jobId, outcome: 'undeliverable' };
    // A Re-run of an incident's report is its latest check: later updates say what changed since this one.
    if (target.incident && deps.incidents)
      await recordRecheck(deps.incidents, target.incident, result.report, now(), log, result.restKey);
    if (job.details && !result.restKey) {
      // Asked for details that the report already shows in full: say so rather than stay silent.
      for (const message of renderDetails(result.report, { lang })) await out.reply(message);
    } else if (out.ts()) {
      // Only under a channel message: a degraded Slack that took the report through response_url gets no extras.
      const previous = target.incident ? target.incident.restKey || undefined : job.threadRest;
      await postRest(
        (message) => out.reply(message),
        result,
        lang,
        job.messageTs ? { previous, at: new Date(now()) } : undefined,
      );
    }
    return { jobId: job.jobId, outcome: 'reported' };
  };
}

/** What a finding's fix is about (its namespace/name or node), for the offer's record. */
function subjectOf(finding: Report['components'][number]['findings'][number]): { subject?: string } {
  const p = finding.remediation?.params ?? {};
  const name = p.name ?? p.configMap ?? p.daemonSet ?? p.pod ?? p.node;
  if (!name) return {};
  return { subject: (p.namespace ? `${p.namespace}/${name}` : name).slice(0, 200) };
}

/** Time kept in reserve to write the final message before Lambda stops the function. */
const FINISH_RESERVE_MS = 5000;
/** The reader's deadline comes this much earlier still, so a partial report is ready before the backstop fires. */
const POST_MARGIN_MS = FINISH_RESERVE_MS + 1500;

/** The diagnosis deadline (epoch ms) from the function's remaining time, minus the margin to post the result. */
export function diagnosisDeadline(context: Context | undefined, now = Date.now()): number | undefined {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (remaining === undefined || !Number.isFinite(remaining)) return undefined;
  return now + Math.max(1000, remaining - POST_MARGIN_MS);
}

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
  options: { log?: Log; dedupe?: DedupeStore; incidents?: IncidentStore } = {},
): WorkerHandler {
  const config = loadConfig(env);
  const log = options.log ?? createLog();
  const secrets = createSecretStore({
    client: new SecretsManagerClient(awsClientConfig(config, env, 'secretsManager')),
    ttlMs: 5 * 60_000,
  });
  const dynamo = new DynamoDBClient(awsClientConfig(config, env, 'dynamodb'));
  const dedupe = options.dedupe ?? createDedupeStore({ client: dynamo, table: config.dedupeTable });
  const incidents = options.incidents ?? createIncidentStore({ client: dynamo, table: config.incidentTable });
  // Fix and Re-run offers live in the plans table (the worker may only put `offer:` items there, infra/iam/worker-statements.cjs).
  const offers = config.offersTable ? createOfferStore({ client: dynamo, table: config.offersTable }) : undefined;
  let describer: ReturnType<typeof createEksDescriber> | undefined;
  // The clusters may live in a run-time document: connections are rebuilt with it when it changes.
  return perConfig(
    createConfigSource(config, secrets, () => parameterStoreFor(config, env)),
    (current) => {
      const connector = createClusterConnector({
        secrets,
        // Only for EKS clusters configured without endpoint/CA; built on first use.
        describeCluster: (auth) => {
          describer ??= createEksDescriber();
          return describer(auth);
        },
      });
      return createWorkerHandler({
        config: current,
        log,
        botToken: async () => (await slackSecretsFrom(current, secrets)).botToken,
        dedupe,
        incidents,
        ...(offers ? { offers } : {}),
        connect: (cluster) => connector.connect(cluster),
        forget: (name) => {
          connector.invalidate(name);
          const auth = current.clusters.find((c) => c.name === name)?.auth;
          if (auth && 'secretId' in auth) secrets.invalidate(auth.secretId);
        },
      });
    },
  );
}

let fromEnv: WorkerHandler | undefined;

/** The deployed entry point: exactly (event, context). */
export const handler = async (event: unknown, context: Context): Promise<WorkerResult> => {
  fromEnv ??= workerHandlerFromEnv(process.env);
  return fromEnv(event, context);
};
