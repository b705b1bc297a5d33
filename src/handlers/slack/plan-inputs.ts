// The modal a Fix… click opens for a remediation with inputs (IP lists only). The submission names the pending
// request by its opaque id (private_metadata); the values are validated here, stored with the request, and the
// remediator is started. A bad value is answered under its field and changes nothing.
import type { App, SlackViewMiddlewareArgs } from '@slack/bolt';
import { isPlanId } from '../../aws/approvals.ts';
import { INPUT_MODAL_CALLBACK, parseIpList } from '../../slack/approval-blocks.ts';
import type { ListenerDeps } from './deps.ts';
import type { RemediationDeps } from './plan-click.ts';

export function registerPlanInputs(app: App, _deps: ListenerDeps, rem: RemediationDeps): void {
  app.view(INPUT_MODAL_CALLBACK, async ({ ack, body, view }: SlackViewMiddlewareArgs) => {
    const userId = body.user.id;
    const teamId = body.team?.id ?? body.user.team_id;
    const planId = view.private_metadata;
    const plan = isPlanId(planId) ? await rem.store.get(planId) : undefined;
    // Only the requester's own pending request, in this workspace.
    if (!plan || plan.teamId !== teamId || plan.requester !== userId || plan.state !== 'pending' || plan.diffHash) {
      await ack();
      return;
    }
    // Loaded on the first Fix… click, not at cold start: the catalogue and its YAML parser stay off the ack path.
    const { remediationById } = await import('../../remediate/registry.ts');
    const remediation = remediationById(plan.remediation);
    const inputs: Record<string, string[]> = {};
    const errors: Record<string, string> = {};
    for (const spec of remediation?.inputs ?? []) {
      const raw = view.state.values[`input:${spec.name}`]?.value?.value ?? '';
      const parsed = parseIpList(String(raw), plan.lang);
      if (parsed.ok) inputs[spec.name] = parsed.ips;
      else errors[`input:${spec.name}`] = parsed.error;
    }
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const res = await rem.store.transition(plan.id, {
      teamId: plan.teamId,
      from: ['pending'],
      to: 'pending',
      by: userId,
      unexpired: true,
      note: 'inputs given',
      set: { inputs },
    });
    if (res.ok) await rem.remediator.invoke({ kind: 'plan', jobId: `plan:${plan.id}`, planId: plan.id });
  });
}
