// The Fix… button under a finding. The clicker must be allowed to check the cluster; the request is recorded in
// the plans table under a fresh opaque id and the remediator is started with a `plan` job (a 202 invoke), all
// inside Slack's 3 s. A remediation that needs a human choice (upstream resolvers) asks for it in a modal first.
import { type App, autoAcknowledge, type BlockAction, type SlackActionMiddlewareArgs } from '@slack/bolt';
import { FIX_ACTION_PATTERN, parseButtonValue } from '../../slack/actions.ts';
import { approvalLabels, inputModal } from '../../slack/approval-blocks.ts';
import { labels } from '../../slack/i18n.ts';
import { remediationEnabled } from '../config/approvers.ts';
import { access, accessOf } from './access.ts';
import type { ListenerDeps } from './deps.ts';
import type { RemediationDeps } from './plan-click.ts';

type Args = SlackActionMiddlewareArgs;

function clickOf({ body, action }: Pick<Args, 'body' | 'action'>) {
  const b = body as Partial<BlockAction>;
  const message = b.message as { ts?: string; thread_ts?: string } | undefined;
  return {
    userId: b.user?.id ?? '',
    teamId: b.team?.id ?? (b.user as { team_id?: string } | undefined)?.team_id,
    channelId: b.channel?.id ?? (b.container as { channel_id?: string } | undefined)?.channel_id,
    responseUrl: b.response_url,
    triggerId: b.trigger_id,
    // The card goes in the report's thread (the report itself, or the thread it is in).
    threadTs: message?.thread_ts ?? message?.ts,
    target: parseButtonValue((action as { value?: string }).value ?? ''),
  };
}

export function registerFix(app: App, deps: ListenerDeps, rem?: RemediationDeps): void {
  const requestOf = (args: Args) => {
    const click = clickOf(args);
    return {
      userId: click.userId,
      channelId: click.channelId ?? '',
      ...(click.target && click.channelId ? { check: { cluster: click.target.cluster } } : {}),
    };
  };
  app.action(
    FIX_ACTION_PATTERN,
    autoAcknowledge,
    access(deps.access, requestOf),
    async ({ body, action, context, client }) => {
      const { lang, verdict } = accessOf(context);
      const t = labels(lang);
      const A = approvalLabels(lang);
      const click = clickOf({ body, action });
      const answer = (text: string) =>
        click.responseUrl
          ? deps.respond(click.responseUrl, { response_type: 'ephemeral', replace_original: false, text })
          : undefined;
      // Without the remediation flow configured there is nothing to request, whatever the button says.
      if (!rem) return answer(t.fixNeedsApproval);
      const { target } = click;
      if (!target?.remediation || !target.finding || !click.channelId || !verdict) {
        deps.log.warn('fix button with an invalid value ignored', { userId: click.userId });
        return answer(t.buttonExpired);
      }
      if (!verdict.ok) {
        const reason = verdict.problem === 'no-cluster' ? 'no cluster named' : verdict.reason;
        deps.log.warn('fix refused', { userId: click.userId, cluster: target.cluster, reason });
        return answer(t.refused(reason));
      }
      // Loaded on the first Fix… click, not at cold start: the catalogue and its YAML parser stay off the ack path.
      const { remediationById } = await import('../../remediate/registry.ts');
      const remediation = remediationById(target.remediation);
      if (!remediation?.answers.includes(target.finding) || !remediationEnabled(deps.config, verdict.cluster)) {
        return answer(A.notEnabled);
      }
      if (!click.teamId) return answer(t.buttonExpired);
      const request = await rem.store.request({
        teamId: click.teamId,
        cluster: verdict.cluster,
        finding: target.finding,
        remediation: remediation.id,
        requester: click.userId,
        channelId: click.channelId,
        ...(click.threadTs ? { threadTs: click.threadTs } : {}),
        lang,
      });
      if (remediation.inputs?.length) {
        if (!click.triggerId) return answer(t.buttonExpired);
        await client.views.open({
          trigger_id: click.triggerId,
          view: inputModal(request.id, remediation.inputs, lang) as never,
        });
        return;
      }
      try {
        await rem.remediator.invoke({ kind: 'plan', jobId: `plan:${request.id}`, planId: request.id });
      } catch (error) {
        deps.log.error('could not start the remediator', { error, planId: request.id });
        await rem.store.transition(request.id, {
          teamId: request.teamId,
          from: ['pending'],
          to: 'failed',
          by: 'remediator',
          set: { reason: 'the remediator could not be started' },
        });
        return answer(t.couldNotStart);
      }
      return answer(A.requestAccepted);
    },
  );
}
