// The Fix… button under a finding. The button carries only an opaque offer id: the offer (recorded by the worker
// with the report) names the cluster, channel, report, finding and remediation. The offer is loaded, its team
// checked, the clicker authorized again for its cluster; the request is recorded in the plans table under a fresh
// opaque id, linked to the offer with one conditional write (a replayed click finds it taken), and the remediator
// is started with a `plan` job (a 202 invoke), all inside Slack's 3 s. A remediation that needs a human choice
// (upstream resolvers) asks for it in a modal first.
import { type App, autoAcknowledge, type BlockAction, type SlackActionMiddlewareArgs } from '@slack/bolt';
import { newPlanId } from '../../aws/approvals.ts';
import { type FixOffer, isOfferId } from '../../aws/offers.ts';
import { FIX_ACTION_PATTERN } from '../../slack/actions.ts';
import { approvalLabels, inputModal, type Refusal, refusalMessage } from '../../slack/approval-blocks.ts';
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
    // Where the card goes when the offer names no report message (a report delivered through response_url).
    threadTs: message?.thread_ts ?? message?.ts,
    offerId: String((action as { value?: unknown }).value ?? ''),
  };
}

/** Why an offer that is already linked to a plan takes no new request, or undefined when that plan ended. */
async function takenBy(rem: RemediationDeps, offer: FixOffer): Promise<Refusal | undefined> {
  if (!offer.planId) return undefined;
  const plan = await rem.store.get(offer.planId);
  if (!plan) return undefined;
  if (plan.state === 'verified') return { why: 'already-fixed', by: `<@${plan.approver ?? plan.requester}>` };
  if (plan.state === 'pending' || plan.state === 'approved' || plan.state === 'applied') {
    return { why: 'already-requested', by: `<@${plan.requester}>` };
  }
  return undefined;
}

export function registerFix(app: App, deps: ListenerDeps, rem?: RemediationDeps): void {
  // Only the language here: the cluster comes from the offer, so the clicker is authorized once it is loaded.
  const requestOf = (args: Args) => {
    const click = clickOf(args);
    return { userId: click.userId, channelId: click.channelId ?? '' };
  };
  app.action(
    FIX_ACTION_PATTERN,
    autoAcknowledge,
    access(deps.access, requestOf),
    async ({ body, action, context, client }) => {
      const { lang } = accessOf(context);
      const t = labels(lang);
      const A = approvalLabels(lang);
      const click = clickOf({ body, action });
      const answer = (text: string) =>
        click.responseUrl
          ? deps.respond(click.responseUrl, { response_type: 'ephemeral', replace_original: false, text })
          : undefined;
      const refuse = (refusal: Refusal) =>
        click.responseUrl
          ? deps.respond(click.responseUrl, {
              response_type: 'ephemeral',
              replace_original: false,
              ...refusalMessage(refusal, lang),
            })
          : undefined;
      // Without the remediation flow configured there is nothing to request, whatever the button says.
      if (!rem) return answer(t.fixNeedsApproval);
      // Forged, unknown, expired, another team's or another channel's: one answer, nothing recorded.
      const offer = isOfferId(click.offerId) ? await rem.offers.get(click.offerId) : undefined;
      if (!offer || !click.teamId || offer.teamId !== click.teamId || offer.channelId !== click.channelId) {
        deps.log.warn('fix button refused', {
          userId: click.userId,
          reason: offer ? 'another team or channel' : 'unknown or expired offer',
        });
        return refuse({ why: 'offer-unknown' });
      }
      const allowedGroups = await deps.access.groupsOf(click.userId, client);
      const verdict = deps.access.decide(
        { userId: click.userId, channelId: offer.channelId, check: { cluster: offer.cluster } },
        allowedGroups,
      );
      if (!verdict.ok) {
        const reason = verdict.problem === 'no-cluster' ? 'no cluster named' : verdict.reason;
        deps.log.warn('fix refused', { userId: click.userId, cluster: offer.cluster, reason });
        return answer(t.refused(reason));
      }
      // Loaded on the first Fix… click, not at cold start: the catalogue and its YAML parser stay off the ack path.
      const { remediationById } = await import('../../remediate/registry.ts');
      const remediation = remediationById(offer.remediation);
      if (!remediation?.answers.includes(offer.finding) || !remediationEnabled(deps.config, verdict.cluster)) {
        return answer(A.notEnabled);
      }
      const taken = await takenBy(rem, offer);
      if (taken) return refuse(taken);
      // The plan id is chosen first so the offer can be claimed for it before anything is recorded: of two
      // clicks on one button, only the one whose claim wins opens a plan.
      const planId = newPlanId();
      const claimed = await rem.offers.claim(offer.id, {
        teamId: offer.teamId,
        previous: offer.planId,
        planId,
      });
      if (!claimed.ok) {
        const again = claimed.offer && (await takenBy(rem, claimed.offer));
        return refuse(again ?? { why: 'offer-unknown' });
      }
      const threadTs = offer.reportTs ?? click.threadTs;
      const request = await rem.store.request({
        id: planId,
        teamId: offer.teamId,
        cluster: verdict.cluster,
        finding: offer.finding,
        remediation: remediation.id,
        requester: click.userId,
        channelId: offer.channelId,
        ...(threadTs ? { threadTs } : {}),
        ...(offer.reportTs ? { reportTs: offer.reportTs } : {}),
        ...(offer.scope ? { reportScope: offer.scope } : {}),
        offerId: offer.id,
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
