// The Slack listeners: parse, authorize, hand the job to the worker, answer. They run before the HTTP
// response leaves (AwsLambdaReceiver awaits them), so each does at most a DynamoDB put and a 202 invoke
// and never touches a cluster.
import type { App, webApi } from '@slack/bolt';
import type { z } from 'zod/mini';
import type { WorkerJob } from '../aws/worker-invoker.ts';
import { authorize, clustersFor, defaultClusterFor } from '../config/load.ts';
import type { AppConfig } from '../config/schema.ts';
import { translator } from '../engine/i18n.ts';
import type { Lang, Scope } from '../engine/report.ts';
import { ACTIONS, FIX_ACTION_PATTERN, parseButtonValue } from '../slack/actions.ts';
import { parseCommand, renderAck, renderUsage } from '../slack/command.ts';
import { langFromLocale } from '../slack/i18n.ts';
import type { Log } from './log.ts';
import { dedupeKey, isIncidentChannel, mentionText, scopeFromAlert } from './triggers.ts';

export type Job = z.infer<typeof WorkerJob>;

export interface SlackAppDeps {
  config: AppConfig;
  /** Starts the worker asynchronously (Lambda InvocationType Event): resolves on the 202. */
  worker: { invoke(job: Job): Promise<unknown> };
  /** Claims a delivery key once; false when a previous delivery (a Slack retry's original) already did. */
  dedupe: { claim(key: string): Promise<boolean> };
  log: Log;
  /** POSTs to a response_url (ephemeral answers to button clicks); bounded by a short timeout. */
  respond: (responseUrl: string, message: Record<string, unknown>) => Promise<void>;
  /** Upper bound on the users.info locale lookup made while the user waits (default 800 ms). */
  localeTimeoutMs?: number;
  /** The user's Slack locale (users.info); defaults to the listener's WebClient. */
  lookupLocale?: (userId: string) => Promise<string | undefined>;
}

type WebClient = InstanceType<typeof webApi.WebClient>;
type ParsedCommand = ReturnType<typeof parseCommand>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

type EnqueueOutcome = 'enqueued' | 'duplicate';

export function registerListeners(app: App, deps: SlackAppDeps): void {
  const { config, log } = deps;
  const incidentPattern = config.incidentChannelPattern ? new RegExp(config.incidentChannelPattern) : undefined;

  /** Claims the delivery, then invokes the worker. The job id is the delivery key, so the worker dedupes too. */
  const enqueueOnce = async (job: Job): Promise<EnqueueOutcome> => {
    if (!(await deps.dedupe.claim(job.jobId))) {
      log.info('duplicate delivery: already accepted, not running again', { jobId: job.jobId, kind: job.kind });
      return 'duplicate';
    }
    await deps.worker.invoke(job);
    log.info('job enqueued', { jobId: job.jobId, kind: job.kind, cluster: job.cluster, scope: job.scope });
    return 'enqueued';
  };

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

  // `--lang` wins; otherwise the user's Slack locale (ko-KR → Korean), looked up once per user and bounded
  // in time because the user is waiting for the ack; otherwise the configured default.
  const locales = new Map<string, { lang: Lang | undefined; until: number }>();
  const languageOf = async (parsed: ParsedCommand | undefined, userId: string, client: WebClient): Promise<Lang> => {
    if (parsed?.ok && parsed.command.kind === 'check' && parsed.command.lang) return parsed.command.lang;
    const cached = locales.get(userId);
    if (cached && cached.until > Date.now()) return cached.lang ?? config.defaultLang;
    if (!/^[UW][A-Z0-9]+$/.test(userId)) return config.defaultLang;
    const locale = deps.lookupLocale
      ? deps.lookupLocale(userId)
      : client.users.info({ user: userId, include_locale: true }).then((info) => info.user?.locale);
    const lookup = locale
      .then((userLocale) => {
        const lang = userLocale ? langFromLocale(userLocale) : undefined;
        // Cached even when the race below was lost: the next command from this user is answered right.
        locales.set(userId, { lang, until: Date.now() + 60 * 60_000 });
        return lang;
      })
      .catch((error: unknown) => {
        log.warn('could not read the user locale', { error, userId });
        return undefined;
      });
    const lang = await Promise.race([lookup, sleep(deps.localeTimeoutMs ?? 800).then(() => undefined)]);
    return lang ?? config.defaultLang;
  };

  // allowedGroups: the members of each configured user group (usergroups:read), cached for five minutes.
  const groupIds = [...new Set(config.clusters.flatMap((c) => c.allowedGroups ?? []))];
  const members = new Map<string, { users: Set<string>; until: number }>();
  const groupsOf = async (userId: string, client: WebClient): Promise<string[]> => {
    if (groupIds.length === 0) return [];
    const lists = await Promise.all(
      groupIds.map(async (group) => {
        const cached = members.get(group);
        if (cached && cached.until > Date.now()) return cached.users;
        try {
          const res = await client.usergroups.users.list({ usergroup: group });
          const users = new Set(res.users ?? []);
          members.set(group, { users, until: Date.now() + 5 * 60_000 });
          return users;
        } catch (error) {
          // Fail closed: a group we cannot read grants nothing.
          log.warn('could not read a user group', { group, error });
          return new Set<string>();
        }
      }),
    );
    return groupIds.filter((_, i) => lists[i]?.has(userId));
  };

  app.command(/.*/, async ({ command, ack, body, client }) => {
    const parsed = parseCommand(command.text ?? '');
    const [lang, userGroups] = await Promise.all([
      languageOf(parsed, command.user_id, client),
      groupsOf(command.user_id, client),
    ]);
    const access = { userId: command.user_id, channelId: command.channel_id, userGroups };
    const usage = (error?: string) =>
      ack(renderUsage({ clusters: clustersFor(config, access), lang, ...(error ? { error } : {}) }));

    if (!parsed.ok) return usage(parsed.error);
    if (parsed.command.kind === 'help') return usage();
    const { scope, details } = parsed.command;
    const cluster = parsed.command.cluster ?? defaultClusterFor(config, access);
    if (!cluster) {
      if (clustersFor(config, access).length === 0)
        return ack({ response_type: 'ephemeral', text: refusal(lang, NO_CLUSTER) });
      return usage(translator(lang)('Name a cluster to check.', '확인할 클러스터를 지정하세요.'));
    }
    if (!config.clusters.some((c) => c.name === cluster)) {
      return usage(translator(lang)(`Unknown cluster "${cluster}".`, `알 수 없는 클러스터 "${cluster}"입니다.`));
    }
    const verdict = authorize(config, { ...access, cluster });
    if (!verdict.ok) {
      log.warn('check refused', {
        userId: access.userId,
        channelId: access.channelId,
        cluster,
        reason: verdict.reason,
      });
      return ack({ response_type: 'ephemeral', text: refusal(lang, verdict.reason) });
    }
    const key = dedupeKey(body) ?? `command:${command.trigger_id}`;
    try {
      await enqueueOnce({
        kind: 'slash-command',
        jobId: key,
        cluster,
        scope,
        lang,
        details,
        userId: access.userId,
        channelId: access.channelId,
        responseUrl: command.response_url,
        teamId: command.team_id,
      });
    } catch (error) {
      log.error('could not start the worker', { error, cluster });
      return ack({ response_type: 'ephemeral', text: enqueueFailed(lang) });
    }
    return ack(renderAck({ cluster, scope, lang }));
  });

  app.action(ACTIONS.rerun, async ({ ack, body, action, client }) => {
    await ack();
    // biome-ignore lint/suspicious/noExplicitAny: block_actions bodies are checked field by field below.
    const b = body as any;
    const userId: string = b.user?.id;
    const channelId: string | undefined = b.channel?.id ?? b.container?.channel_id;
    const responseUrl: string | undefined = b.response_url;
    const lang = await languageOf(undefined, userId, client);
    const answer = (text: string) =>
      responseUrl
        ? deps.respond(responseUrl, { response_type: 'ephemeral', replace_original: false, text })
        : undefined;
    // The value came back from the client: parse it, and authorize again as if the user had typed it.
    const target = parseButtonValue((action as { value?: string }).value ?? '');
    if (!target || !channelId) {
      log.warn('rerun button with an invalid value ignored', { userId });
      return answer(
        translator(lang)(
          'This button is no longer valid; run /netcheck again.',
          '이 버튼은 더 이상 유효하지 않습니다. /netcheck 를 다시 실행하세요.',
        ),
      );
    }
    const verdict = authorize(config, {
      userId,
      channelId,
      userGroups: await groupsOf(userId, client),
      cluster: target.cluster,
    });
    if (!verdict.ok) {
      log.warn('rerun refused', { userId, channelId, cluster: target.cluster, reason: verdict.reason });
      return answer(refusal(lang, verdict.reason));
    }
    try {
      await enqueueOnce({
        kind: 'rerun',
        jobId: dedupeKey(body) ?? `action:${b.trigger_id}`,
        cluster: target.cluster,
        scope: target.scope as Scope,
        lang,
        details: false,
        userId,
        channelId,
        ...(responseUrl ? { responseUrl } : {}),
        ...(b.team?.id ? { teamId: b.team.id } : {}),
      });
    } catch (error) {
      log.error('could not start the worker', { error, cluster: target.cluster });
      return answer(enqueueFailed(lang));
    }
  });

  app.action(FIX_ACTION_PATTERN, async ({ ack, body, client }) => {
    await ack();
    const responseUrl = (body as { response_url?: string }).response_url;
    const t = translator(await languageOf(undefined, (body as { user?: { id?: string } }).user?.id ?? '', client));
    if (responseUrl) {
      await deps.respond(responseUrl, {
        response_type: 'ephemeral',
        replace_original: false,
        text: t(
          'Automated fixes need an approval flow, which is not enabled yet. Follow the runbook steps in the report.',
          '자동 조치에는 승인 절차가 필요하며 아직 활성화되지 않았습니다. 보고서의 런북 단계를 따라 주세요.',
        ),
      });
    }
  });

  app.event('app_mention', async ({ event, body, client }) => {
    const userId = event.user ?? '';
    const channelId = event.channel;
    const threadTs = event.thread_ts ?? event.ts;
    const access = { userId, channelId, userGroups: await groupsOf(userId, client) };
    const said = mentionText(event.text ?? '');
    let parsed = parseCommand(said);
    // People write "@netcheck is DNS broken?": fall back to the keywords when it is not a command.
    const guessed = parsed.ok ? undefined : scopeFromAlert(said);
    if (guessed) parsed = { ok: true, command: { kind: 'check', scope: guessed, details: false } };
    const lang = await languageOf(parsed, userId, client);
    const whisper = (text: string, blocks?: unknown[]) =>
      client.chat.postEphemeral({
        channel: channelId,
        user: userId,
        thread_ts: threadTs,
        text,
        ...(blocks ? { blocks } : {}),
      } as never);

    if (!parsed.ok || parsed.command.kind === 'help') {
      const usage = renderUsage({
        clusters: clustersFor(config, access),
        lang,
        ...(!parsed.ok ? { error: parsed.error } : {}),
      });
      await whisper(usage.text, usage.blocks as unknown[]);
      return;
    }
    const cluster = parsed.command.cluster ?? defaultClusterFor(config, access);
    if (!cluster) {
      const none = clustersFor(config, access).length === 0;
      await whisper(
        none
          ? refusal(lang, NO_CLUSTER)
          : translator(lang)('Name a cluster to check.', '확인할 클러스터를 지정하세요.'),
      );
      return;
    }
    const verdict = authorize(config, { ...access, cluster });
    if (!verdict.ok) {
      log.warn('check refused', { userId, channelId, cluster, reason: verdict.reason });
      await whisper(refusal(lang, verdict.reason));
      return;
    }
    await enqueueOnce({
      kind: 'slash-command',
      jobId: dedupeKey(body) ?? `event:${event.ts}`,
      cluster,
      scope: parsed.command.scope,
      lang,
      details: parsed.command.details,
      userId,
      channelId,
      threadTs,
      ...((body as { team_id?: string }).team_id ? { teamId: (body as { team_id?: string }).team_id } : {}),
    });
  });

  if (!incidentPattern) return;

  // A new incident channel: check the default cluster and post the result there before anyone asks.
  app.event('channel_created', async ({ event, body }) => {
    const channel = event.channel as { id: string; name: string; creator?: string };
    if (!isIncidentChannel(channel.name, incidentPattern)) return;
    const cluster = incidentCluster(config);
    if (!cluster)
      return log.warn('incident channel created but no default cluster is configured', { channel: channel.id });
    await enqueueOnce({
      kind: 'incident',
      jobId: dedupeKey(body) ?? `event:channel_created:${channel.id}`,
      cluster,
      scope: 'all',
      lang: config.defaultLang,
      details: false,
      userId: channel.creator ?? '',
      channelId: channel.id,
    });
  });

  // An alerting bot posts into an incident channel about DNS/kube-proxy/CNI: answer in its thread.
  app.event('message', async ({ event, body, client, context }) => {
    // biome-ignore lint/suspicious/noExplicitAny: message events are a union of many subtypes.
    const message = event as any;
    if (!message.bot_id || message.bot_id === context.botId) return;
    if (message.thread_ts && message.thread_ts !== message.ts) return; // replies are not new alerts
    const scope = scopeFromAlert(alertText(message));
    if (!scope) return;
    const info = await client.conversations.info({ channel: message.channel });
    if (!isIncidentChannel(info.channel?.name, incidentPattern)) return;
    const cluster = incidentCluster(config);
    if (!cluster) return;
    await enqueueOnce({
      kind: 'incident',
      jobId: dedupeKey(body) ?? `event:message:${message.ts}`,
      cluster,
      scope,
      lang: config.defaultLang,
      details: false,
      userId: message.user ?? message.bot_id,
      channelId: message.channel,
      threadTs: message.ts,
    });
  });
}

/** Incidents are not requested by a person: the operator opted in with the channel pattern; use the default cluster. */
function incidentCluster(config: AppConfig): string | undefined {
  return (
    config.clusters.find((c) => c.default)?.name ??
    (config.clusters.length === 1 ? config.clusters[0]?.name : undefined)
  );
}

// biome-ignore lint/suspicious/noExplicitAny: alert bots put their text in text, attachments or blocks.
function alertText(message: any): string {
  const parts: string[] = [message.text ?? ''];
  for (const a of message.attachments ?? []) parts.push(a.title ?? '', a.text ?? '', a.fallback ?? '');
  return parts.join('\n');
}

const NO_CLUSTER = 'you are not allowed to check any cluster from this channel';

/** The reason comes from authorize() and names the cluster and what is missing (user or channel). */
function refusal(lang: Lang, reason: string): string {
  const sentence = `${reason.charAt(0).toUpperCase()}${reason.slice(1)}`;
  return translator(lang)(`:no_entry: ${sentence}.`, `:no_entry: 허용되지 않습니다: ${reason}.`);
}

function enqueueFailed(lang: Lang): string {
  return translator(lang)(
    ':warning: Could not start the check right now. Please try again in a minute.',
    ':warning: 지금은 점검을 시작할 수 없습니다. 잠시 후 다시 시도하세요.',
  );
}
