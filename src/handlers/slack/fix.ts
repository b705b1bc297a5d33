// The Fix… button under a finding with a remediation. Automated fixes need the approval flow, which is not
// enabled yet: the click is acked and the user is told so, in an ephemeral answer.
import { type App, autoAcknowledge, type SlackActionMiddlewareArgs } from '@slack/bolt';
import { FIX_ACTION_PATTERN } from '../../slack/actions.ts';
import { labels } from '../../slack/i18n.ts';
import { access, accessOf } from './access.ts';
import type { ListenerDeps } from './deps.ts';

export function registerFix(app: App, deps: ListenerDeps): void {
  const requestOf = ({ body }: SlackActionMiddlewareArgs) => ({
    userId: (body as { user?: { id?: string } }).user?.id ?? '',
    channelId: '',
  });
  app.action(FIX_ACTION_PATTERN, autoAcknowledge, access(deps.access, requestOf), async ({ body, context }) => {
    const responseUrl = (body as { response_url?: string }).response_url;
    if (!responseUrl) return;
    await deps.respond(responseUrl, {
      response_type: 'ephemeral',
      replace_original: false,
      text: labels(accessOf(context).lang).fixNeedsApproval,
    });
  });
}
