// The message a job ends with when it could not check the cluster at all: what went wrong and where to look.
import type { Lang } from '../engine/report.ts';
import { context, section } from './blocks.ts';
import { labels } from './i18n.ts';
import type { SlackMessage } from './limits.ts';
import { safe } from './mrkdwn.ts';

export function renderError(options: { cluster: string; message: string; lang?: Lang }): SlackMessage {
  const L = labels(options.lang);
  const title = L.couldNotCheck(options.cluster);
  return {
    text: safe(`${title}: ${options.message}`, 500),
    blocks: [section(`:no_entry: *${safe(title, 300)}*\n${safe(options.message, 2500)}`), context([L.errorHint])],
  };
}
