// Cancel on a plan card: the requester only (checked here, on the server, not by hiding the button).
import { type App, autoAcknowledge } from '@slack/bolt';
import { APPROVAL_ACTIONS } from '../../slack/approval-blocks.ts';
import type { ListenerDeps } from './deps.ts';
import { finishedRefusal, loadPlan, planClickOf, type RemediationDeps, refuse, showCard } from './plan-click.ts';

export function registerCancel(app: App, deps: ListenerDeps, rem: RemediationDeps): void {
  app.action(APPROVAL_ACTIONS.cancel, autoAcknowledge, async ({ body, action, client }) => {
    const click = planClickOf({ body, action });
    const loaded = await loadPlan(deps, rem, click, client);
    if (!loaded.ok) return refuse(deps, click, loaded.lang, loaded.refusal);
    const { plan, lang } = loaded;
    if (plan.state !== 'pending') return refuse(deps, click, lang, finishedRefusal(plan));
    if (click.userId !== plan.requester) return refuse(deps, click, lang, { why: 'not-requester' });
    const res = await rem.store.transition(plan.id, {
      teamId: plan.teamId,
      from: ['pending'],
      to: 'cancelled',
      by: click.userId,
    });
    if (!res.ok) return refuse(deps, click, lang, finishedRefusal(res.current ?? plan));
    await showCard(deps, rem, click, res.record);
  });
}
