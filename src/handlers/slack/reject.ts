// Reject on a plan card: an approver (the requester cancels instead) ends a pending plan; nothing changes.
import { type App, autoAcknowledge } from '@slack/bolt';
import { APPROVAL_ACTIONS } from '../../slack/approval-blocks.ts';
import { mayApprove } from '../config/approvers.ts';
import type { ListenerDeps } from './deps.ts';
import { finishedRefusal, loadPlan, planClickOf, type RemediationDeps, refuse, showCard } from './plan-click.ts';

export function registerReject(app: App, deps: ListenerDeps, rem: RemediationDeps): void {
  app.action(APPROVAL_ACTIONS.reject, autoAcknowledge, async ({ body, action, client }) => {
    const click = planClickOf({ body, action });
    const loaded = await loadPlan(deps, rem, click, client);
    if (!loaded.ok) return refuse(deps, click, loaded.lang, loaded.refusal);
    const { plan, lang, userGroups } = loaded;
    if (plan.state !== 'pending') return refuse(deps, click, lang, finishedRefusal(plan));
    // Whoever may approve may reject, the requester included (rejecting one's own plan is a cancel).
    const who = mayApprove(deps.config, { cluster: plan.cluster, userId: click.userId, userGroups, requester: '' });
    if (!who.ok) return refuse(deps, click, lang, { why: 'not-approver' });
    const res = await rem.store.transition(plan.id, {
      teamId: plan.teamId,
      from: ['pending'],
      to: 'rejected',
      by: click.userId,
      set: { approver: click.userId },
    });
    if (!res.ok) return refuse(deps, click, lang, finishedRefusal(res.current ?? plan));
    await showCard(deps, rem, click, res.record);
  });
}
