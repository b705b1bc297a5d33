// Approve on a plan card: an approver of the cluster who is not the requester, before the plan expires. The
// pending → approved change is one conditional write: of many simultaneous clicks exactly one starts the apply.
import { type App, autoAcknowledge } from '@slack/bolt';
import { APPROVAL_ACTIONS } from '../../slack/approval-blocks.ts';
import { mayApprove } from '../config/approvers.ts';
import type { ListenerDeps } from './deps.ts';
import { finishedRefusal, loadPlan, planClickOf, type RemediationDeps, refuse, showCard } from './plan-click.ts';

export function registerApprove(app: App, deps: ListenerDeps, rem: RemediationDeps): void {
  app.action(APPROVAL_ACTIONS.approve, autoAcknowledge, async ({ body, action, client }) => {
    const click = planClickOf({ body, action });
    const loaded = await loadPlan(deps, rem, click, client);
    if (!loaded.ok) return refuse(deps, click, loaded.lang, loaded.refusal);
    const { plan, lang, userGroups } = loaded;
    if (plan.state !== 'pending') return refuse(deps, click, lang, finishedRefusal(plan));
    const who = mayApprove(deps.config, {
      cluster: plan.cluster,
      userId: click.userId,
      userGroups,
      requester: plan.requester,
    });
    if (!who.ok) {
      deps.log.warn('approval refused', { planId: plan.id, userId: click.userId, why: who.why });
      return refuse(deps, click, lang, who.why === 'requester' ? { why: 'requester' } : { why: 'not-approver' });
    }
    const res = await rem.store.transition(plan.id, {
      teamId: plan.teamId,
      from: ['pending'],
      to: 'approved',
      by: click.userId,
      unexpired: true,
      planned: true,
      set: { approver: click.userId, ...(who.selfApproval ? { selfApproval: true } : {}) },
    });
    if (!res.ok) {
      const current = res.current ?? plan;
      return refuse(deps, click, lang, current.state === 'pending' ? { why: 'expired' } : finishedRefusal(current));
    }
    await showCard(deps, rem, click, res.record);
    try {
      await rem.remediator.invoke({ kind: 'apply', jobId: `apply:${plan.id}`, planId: plan.id });
    } catch (error) {
      deps.log.error('could not start the remediator', { error, planId: plan.id });
      await rem.store.transition(plan.id, {
        teamId: plan.teamId,
        from: ['approved'],
        to: 'failed',
        by: 'remediator',
        set: { reason: 'the remediator could not be started; nothing was changed' },
      });
    }
  });
}
