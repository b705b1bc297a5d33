// What every plan button (Approve, Reject, Cancel, Roll back) does first: take the opaque id from the click, load
// the plan from the table, check the team, and authorize the clicker again for the plan's cluster. Nothing the
// client sent besides the id is used. Refusals are ephemeral and change nothing.
import type { BlockAction, SlackActionMiddlewareArgs, webApi } from '@slack/bolt';
import { type ApprovalStore, isPlanId, type PlanRecord } from '../../aws/approvals.ts';
import type { OfferStore } from '../../aws/offers.ts';
import type { Lang } from '../../engine/report.ts';
import type { RemediatorInvoker } from '../../jobs/ports.ts';
import { planCard, type Refusal, refusalMessage } from '../../slack/approval-blocks.ts';
import type { ListenerDeps } from './deps.ts';

type WebClient = InstanceType<typeof webApi.WebClient>;

export interface RemediationDeps {
  store: ApprovalStore;
  /** What each Fix… button stands for (recorded by the worker with the report). */
  offers: OfferStore;
  remediator: RemediatorInvoker;
  now?: () => number;
}

export interface PlanClick {
  userId: string;
  teamId: string | undefined;
  channelId: string;
  responseUrl: string | undefined;
  triggerId: string | undefined;
  planId: string;
}

export function planClickOf({ body, action }: Pick<SlackActionMiddlewareArgs, 'body' | 'action'>): PlanClick {
  const b = body as Partial<BlockAction>;
  return {
    userId: b.user?.id ?? '',
    teamId: b.team?.id ?? (b.user as { team_id?: string } | undefined)?.team_id,
    channelId: b.channel?.id ?? (b.container as { channel_id?: string } | undefined)?.channel_id ?? '',
    responseUrl: b.response_url,
    triggerId: b.trigger_id,
    planId: String((action as { value?: unknown }).value ?? ''),
  };
}

/** The approver groups the clicker belongs to (usergroups.users.list), failing closed. */
export async function approverGroupsOf(
  deps: ListenerDeps,
  cluster: string,
  userId: string,
  client: WebClient,
): Promise<string[]> {
  const groups = deps.config.clusters.find((c) => c.name === cluster)?.approverGroups ?? [];
  const found = await Promise.all(
    groups.map(async (group) => {
      try {
        const res = await client.usergroups.users.list({ usergroup: group });
        return res.users?.includes(userId) ? group : undefined;
      } catch (error) {
        deps.log.warn('could not read an approver group', { group, error });
        return undefined;
      }
    }),
  );
  return found.filter((g): g is string => Boolean(g));
}

export type Loaded =
  | { ok: true; plan: PlanRecord; lang: Lang; userGroups: string[] }
  | { ok: false; lang: Lang; refusal: Refusal; plan?: PlanRecord };

/** Loads the plan and re-authorizes the clicker. */
export async function loadPlan(
  deps: ListenerDeps,
  rem: RemediationDeps,
  click: PlanClick,
  client: WebClient,
): Promise<Loaded> {
  const fallback: Lang = deps.config.defaultLang;
  if (!isPlanId(click.planId)) {
    deps.log.warn('plan click refused', { userId: click.userId, reason: 'not a plan id' });
    return { ok: false, lang: fallback, refusal: { why: 'unknown' } };
  }
  const plan = await rem.store.get(click.planId);
  if (!plan || !click.teamId || plan.teamId !== click.teamId) {
    deps.log.warn('plan click refused', {
      userId: click.userId,
      planId: click.planId,
      reason: plan ? 'another team' : 'unknown plan',
    });
    return { ok: false, lang: fallback, refusal: { why: 'unknown' } };
  }
  const lang = await deps.access.languageOf(click.userId, client).catch(() => plan.lang);
  const [allowedGroups, approverGroups] = await Promise.all([
    deps.access.groupsOf(click.userId, client),
    approverGroupsOf(deps, plan.cluster, click.userId, client),
  ]);
  const verdict = deps.access.decide(
    { userId: click.userId, channelId: click.channelId, check: { cluster: plan.cluster } },
    allowedGroups,
  );
  if (!verdict.ok) {
    const reason = verdict.problem === 'no-cluster' ? 'no cluster' : verdict.reason;
    deps.log.warn('plan click refused', { userId: click.userId, planId: plan.id, reason });
    return { ok: false, lang, plan, refusal: { why: 'not-allowed', reason } };
  }
  return { ok: true, plan, lang, userGroups: [...allowedGroups, ...approverGroups] };
}

/** Why a plan in this state takes no decision any more. */
export function finishedRefusal(plan: PlanRecord): Refusal {
  switch (plan.state) {
    case 'expired':
      return { why: 'expired' };
    case 'rejected':
      return { why: 'rejected' };
    case 'cancelled':
      return { why: 'cancelled' };
    case 'approved':
    case 'applied':
    case 'verified':
      return plan.approver
        ? { why: 'already-approved', by: `<@${plan.approver}>` }
        : { why: 'finished', state: plan.state };
    default:
      return { why: 'finished', state: plan.state };
  }
}

export async function refuse(deps: ListenerDeps, click: PlanClick, lang: Lang, refusal: Refusal): Promise<void> {
  if (!click.responseUrl) return;
  const message = refusalMessage(refusal, lang);
  await deps.respond(click.responseUrl, { response_type: 'ephemeral', replace_original: false, ...message });
}

/** Re-renders the card in place (the click's own message). */
export async function showCard(deps: ListenerDeps, rem: RemediationDeps, click: PlanClick, plan: PlanRecord) {
  if (!click.responseUrl) return;
  const message = planCard(plan, plan.lang, (rem.now ?? Date.now)());
  await deps.respond(click.responseUrl, { replace_original: true, ...message }).catch((error) => {
    deps.log.warn('could not update the plan card', { error, planId: plan.id });
  });
}
