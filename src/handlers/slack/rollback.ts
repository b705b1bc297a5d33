// Roll back on a card whose fix did not verify: a new plan (back to the objects as they were), built and
// dry-run by the remediator and approved like any other. Anyone who may check the cluster may ask for it.
import { type App, autoAcknowledge } from '@slack/bolt';
import { APPROVAL_ACTIONS, approvalLabels } from '../../slack/approval-blocks.ts';
import type { ListenerDeps } from './deps.ts';
import { finishedRefusal, loadPlan, planClickOf, type RemediationDeps, refuse } from './plan-click.ts';

export function registerRollback(app: App, deps: ListenerDeps, rem: RemediationDeps): void {
  app.action(APPROVAL_ACTIONS.rollback, autoAcknowledge, async ({ body, action, client }) => {
    const click = planClickOf({ body, action });
    const loaded = await loadPlan(deps, rem, click, client);
    if (!loaded.ok) return refuse(deps, click, loaded.lang, loaded.refusal);
    const { plan, lang } = loaded;
    if (!['failed', 'verified'].includes(plan.state) || !plan.before || plan.rollbackOf) {
      return refuse(deps, click, lang, finishedRefusal(plan));
    }
    const request = await rem.store.request({
      teamId: plan.teamId,
      cluster: plan.cluster,
      finding: plan.finding,
      remediation: plan.remediation,
      requester: click.userId,
      channelId: plan.channelId,
      ...(plan.threadTs ? { threadTs: plan.threadTs } : {}),
      lang,
      rollbackOf: plan.id,
    });
    await rem.remediator.invoke({ kind: 'rollback', jobId: `plan:${request.id}`, planId: request.id });
    if (click.responseUrl) {
      await deps.respond(click.responseUrl, {
        response_type: 'ephemeral',
        replace_original: false,
        text: approvalLabels(lang).requestAccepted,
      });
    }
  });
}
