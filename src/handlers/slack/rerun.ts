// The Re-run button under a report: its value came back from the client, so it is parsed and authorized again
// as if the user had typed the command. Acked at once; the report it was under is updated in place (chat.update),
// and any other answer is an ephemeral via response_url.
import { type App, autoAcknowledge, type BlockAction, type SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Scope } from '../../engine/report.ts';
import { ACTIONS, parseButtonValue } from '../../slack/actions.ts';
import { labels } from '../../slack/i18n.ts';
import { access, accessOf } from './access.ts';
import { dedupeKey } from './delivery.ts';
import type { ListenerDeps } from './deps.ts';

type Args = SlackActionMiddlewareArgs;

/** The fields of a block_actions body the rerun reads; each may be missing. */
function clickOf({ body, action }: Pick<Args, 'body' | 'action'>) {
  const b = body as Partial<BlockAction>;
  return {
    userId: b.user?.id ?? '',
    channelId: b.channel?.id ?? (b.container as { channel_id?: string } | undefined)?.channel_id,
    responseUrl: b.response_url,
    teamId: b.team?.id,
    triggerId: b.trigger_id,
    target: parseButtonValue((action as { value?: string }).value ?? ''),
    // The message the button is under: the report to update in place, and the thread it lives in.
    messageTs: b.message?.ts ?? (b.container as { message_ts?: string } | undefined)?.message_ts,
    messageThreadTs: (b.message as { thread_ts?: string } | undefined)?.thread_ts,
  };
}

export function registerRerun(app: App, deps: ListenerDeps): void {
  const { log } = deps;
  const requestOf = (args: Args) => {
    const click = clickOf(args);
    return {
      userId: click.userId,
      channelId: click.channelId ?? '',
      ...(click.target && click.channelId ? { check: { cluster: click.target.cluster } } : {}),
    };
  };

  app.action(ACTIONS.rerun, autoAcknowledge, access(deps.access, requestOf), async ({ body, action, context }) => {
    const { lang, verdict } = accessOf(context);
    const t = labels(lang);
    const { userId, channelId, responseUrl, teamId, triggerId, target, messageTs, messageThreadTs } = clickOf({
      body,
      action,
    });
    const answer = (text: string) =>
      responseUrl
        ? deps.respond(responseUrl, { response_type: 'ephemeral', replace_original: false, text })
        : undefined;
    if (!target || !channelId || !verdict) {
      log.warn('rerun button with an invalid value ignored', { userId });
      return answer(t.buttonExpired);
    }
    if (!verdict.ok) {
      // The button names its cluster, so "no cluster" cannot happen; a refusal says why.
      const reason = verdict.problem === 'no-cluster' ? 'no cluster named' : verdict.reason;
      log.warn('rerun refused', { userId, channelId, cluster: target.cluster, reason });
      return answer(t.refused(reason));
    }
    try {
      await deps.enqueue({
        kind: 'rerun',
        jobId: dedupeKey(body) ?? `action:${triggerId}`,
        cluster: verdict.cluster,
        scope: target.scope as Scope,
        lang,
        details: false,
        userId,
        channelId,
        ...(responseUrl ? { responseUrl } : {}),
        ...(teamId ? { teamId } : {}),
        ...(messageTs ? { messageTs } : {}),
        ...(messageThreadTs ? { messageThreadTs } : {}),
        ...(target.rest ? { threadRest: target.rest } : {}),
      });
    } catch (error) {
      log.error('could not start the worker', { error, cluster: target.cluster });
      return answer(t.couldNotStart);
    }
  });
}
