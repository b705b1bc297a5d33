// The Re-run button under a report. The button carries only an opaque offer id: the Re-run offer (recorded by
// the worker with the report) names the cluster, scope, channel and the thread-rest digest. The offer is loaded,
// its team and channel checked, the clicker authorized again for its cluster as if they had typed the command.
// Acked at once; the report it was under is updated in place (chat.update), and any other answer is an ephemeral
// via response_url.
import { type App, autoAcknowledge, type BlockAction, type SlackActionMiddlewareArgs } from '@slack/bolt';
import { isOfferId } from '../../aws/offers.ts';
import { ACTIONS } from '../../slack/actions.ts';
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
    teamId: b.team?.id ?? (b.user as { team_id?: string } | undefined)?.team_id,
    triggerId: b.trigger_id,
    offerId: String((action as { value?: unknown }).value ?? ''),
    // The message the button is under: the report to update in place, and the thread it lives in.
    messageTs: b.message?.ts ?? (b.container as { message_ts?: string } | undefined)?.message_ts,
    messageThreadTs: (b.message as { thread_ts?: string } | undefined)?.thread_ts,
  };
}

export function registerRerun(app: App, deps: ListenerDeps): void {
  const { log } = deps;
  // Only the language here: the cluster comes from the offer, so the clicker is authorized once it is loaded.
  const requestOf = (args: Args) => {
    const click = clickOf(args);
    return { userId: click.userId, channelId: click.channelId ?? '' };
  };

  app.action(
    ACTIONS.rerun,
    autoAcknowledge,
    access(deps.access, requestOf),
    async ({ body, action, context, client }) => {
      const { lang } = accessOf(context);
      const t = labels(lang);
      const { userId, channelId, responseUrl, teamId, triggerId, offerId, messageTs, messageThreadTs } = clickOf({
        body,
        action,
      });
      const answer = (text: string) =>
        responseUrl
          ? deps.respond(responseUrl, { response_type: 'ephemeral', replace_original: false, text })
          : undefined;
      // Forged, unknown, expired, old JSON, another team's or another channel's: one answer, nothing enqueued.
      const offer = deps.offers && isOfferId(offerId) ? await deps.offers.getRerun(offerId) : undefined;
      if (!offer || !teamId || offer.teamId !== teamId || !channelId || offer.channelId !== channelId) {
        log.warn('rerun button refused', {
          userId,
          reason: offer ? 'another team or channel' : 'unknown or expired offer',
        });
        return answer(t.buttonExpired);
      }
      const allowedGroups = await deps.access.groupsOf(userId, client);
      const verdict = deps.access.decide({ userId, channelId, check: { cluster: offer.cluster } }, allowedGroups);
      if (!verdict.ok) {
        // The offer names its cluster, so "no cluster" cannot happen; a refusal says why.
        const reason = verdict.problem === 'no-cluster' ? 'no cluster named' : verdict.reason;
        log.warn('rerun refused', { userId, channelId, cluster: offer.cluster, reason });
        return answer(t.refused(reason));
      }
      try {
        await deps.enqueue({
          kind: 'rerun',
          jobId: dedupeKey(body) ?? `action:${triggerId}`,
          cluster: verdict.cluster,
          scope: offer.scope,
          lang,
          details: false,
          userId,
          channelId,
          ...(responseUrl ? { responseUrl } : {}),
          teamId,
          ...(messageTs ? { messageTs } : {}),
          ...(messageThreadTs ? { messageThreadTs } : {}),
          ...(offer.rest ? { threadRest: offer.rest } : {}),
        });
      } catch (error) {
        log.error('could not start the worker', { error, cluster: offer.cluster });
        return answer(t.couldNotStart);
      }
    },
  );
}
