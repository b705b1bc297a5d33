// The Slack listeners, one file per trigger: each parses its payload, reads the access middleware's verdict,
// and hands the job to the worker. They run before the HTTP response leaves (AwsLambdaReceiver awaits them), so
// each does at most a DynamoDB put and a 202 invoke and never touches a cluster.
import type { App } from '@slack/bolt';
import type { OfferStore } from '../../aws/offers.ts';
import type { DedupeStore, WorkerInvoker } from '../../jobs/ports.ts';
import type { AppConfig } from '../config/schema.ts';
import type { Log } from '../log.ts';
import { createAccessResolver } from './access.ts';
import { registerApprove } from './approve.ts';
import { registerCancel } from './cancel.ts';
import { registerCommand } from './command.ts';
import type { ListenerDeps } from './deps.ts';
import { createEnqueue } from './enqueue.ts';
import { registerFix } from './fix.ts';
import { registerIncident } from './incident.ts';
import { registerMention } from './mention.ts';
import type { RemediationDeps } from './plan-click.ts';
import { registerPlanInputs } from './plan-inputs.ts';
import { registerReject } from './reject.ts';
import { registerRerun } from './rerun.ts';
import { registerRollback } from './rollback.ts';
import { teamGuard } from './team.ts';

export interface SlackAppDeps {
  config: AppConfig;
  worker: WorkerInvoker;
  dedupe: DedupeStore;
  log: Log;
  /** POSTs to a response_url (ephemeral answers to button clicks); bounded by a short timeout. */
  respond: (responseUrl: string, message: Record<string, unknown>) => Promise<void>;
  /** Upper bound on the users.info locale lookup made while the user waits (default 800 ms). */
  localeTimeoutMs?: number;
  /** The user's Slack locale (users.info); defaults to the listener's WebClient. */
  lookupLocale?: (userId: string) => Promise<string | undefined>;
  /** The plans table and the remediator invoker (the remediation flow). */
  remediation?: RemediationDeps;
  /** What Re-run buttons stand for (src/aws/offers.ts); without it every Re-run click is "expired". */
  offers?: OfferStore;
}

/** Registers every trigger. Called once per App, so the locale and user-group caches live once per cold start. */
export function registerListeners(app: App, deps: SlackAppDeps): void {
  const { config, log } = deps;

  app.use(teamGuard({ config, log }));
  // One line per delivery: what it was and whether it is a redelivery; never its text or URLs.
  app.use(async ({ body, context, next }) => {
    // biome-ignore lint/suspicious/noExplicitAny: Slack bodies differ by type; only ids are read.
    const b = body as any;
    log.info('slack request', {
      type: b.command ? 'command' : b.type === 'event_callback' ? `event:${b.event?.type}` : b.type,
      ...(b.actions?.[0]?.action_id ? { action: b.actions[0].action_id } : {}),
      userId: b.user_id ?? b.user?.id ?? b.event?.user,
      ...(context.retryNum ? { retryNum: context.retryNum, retryReason: context.retryReason } : {}),
    });
    await next();
  });

  const listeners: ListenerDeps = {
    config,
    log,
    respond: deps.respond,
    enqueue: createEnqueue(deps),
    access: createAccessResolver({
      config,
      log,
      ...(deps.localeTimeoutMs !== undefined ? { localeTimeoutMs: deps.localeTimeoutMs } : {}),
      ...(deps.lookupLocale ? { lookupLocale: deps.lookupLocale } : {}),
    }),
    ...(deps.remediation ? { remediation: deps.remediation } : {}),
    ...(deps.offers ? { offers: deps.offers } : {}),
  };
  registerCommand(app, listeners);
  registerRerun(app, listeners);
  registerFix(app, listeners, deps.remediation);
  registerMention(app, listeners);
  if (config.incidentChannelPattern) registerIncident(app, listeners, new RegExp(config.incidentChannelPattern));
  if (deps.remediation) {
    registerApprove(app, listeners, deps.remediation);
    registerReject(app, listeners, deps.remediation);
    registerCancel(app, listeners, deps.remediation);
    registerRollback(app, listeners, deps.remediation);
    registerPlanInputs(app, listeners, deps.remediation);
  }
}
