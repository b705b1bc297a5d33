// The rest of a report (what its first screen left out) goes to the report's thread by itself: once when the
// report is posted, and after a re-check that updated the report in place (Re-run, an incident follow-up) only
// when the rest changed, as one reply marked "updated". A digest of the rest travels with the report (the Re-run
// button's `rest`, the incident record's `restKey`), so telling "changed" needs no read of the thread.
import { createHash } from 'node:crypto';
import type { Lang, Report } from '../../engine/report.ts';
import { renderNothingFurther, renderRest } from '../../slack/details-blocks.ts';
import type { SlackMessage } from '../../slack/limits.ts';

/** The digest of a rest, or undefined when there is none (the first screen showed everything). */
export function restKey(rest: readonly SlackMessage[]): string | undefined {
  if (rest.length === 0) return undefined;
  return createHash('sha256').update(JSON.stringify(rest)).digest('base64url').slice(0, 16);
}

/** The rest of a report and its digest, as the worker renders them beside the report. */
export function restOf(report: Report, lang: Lang): { rest: SlackMessage[]; key?: string } {
  const rest = renderRest(report, { lang });
  const key = restKey(rest);
  return key ? { rest, key } : { rest };
}

export interface Recheck {
  /** The digest of the rest the thread already holds; undefined when it holds none. */
  previous: string | undefined;
  at: Date;
}

/**
 * Posts the rest in the thread: all of it after a first report; after a re-check only when it changed (marked
 * "updated"), or one line saying nothing further applies when the earlier rest is now obsolete.
 * Returns how many replies were posted.
 */
export async function postRest(
  send: (message: SlackMessage) => Promise<void>,
  checked: { report: Report; restKey?: string },
  lang: Lang,
  recheck?: Recheck,
): Promise<number> {
  if (recheck && checked.restKey === recheck.previous) return 0;
  const messages = recheck?.previous
    ? renderRest(checked.report, { lang, updatedAt: recheck.at })
    : renderRest(checked.report, { lang });
  if (messages.length === 0 && recheck?.previous) messages.push(renderNothingFurther(recheck.at, lang));
  for (const message of messages) await send(message);
  return messages.length;
}
