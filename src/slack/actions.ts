// Buttons carry only opaque ids in `value` (offers and plans recorded server-side): the value comes back from the
// Slack client, so the listener loads what it stands for and authorizes the clicker again.
// zod/mini: this module is in the Slack function's bundle (src/jobs/vocabulary.ts).
import * as z from 'zod/mini';
import type { Labels } from './i18n.ts';
import { LIMITS } from './limits.ts';

export const ACTIONS = { rerun: 'netcheck_rerun', fix: 'netcheck_fix' } as const;

/**
 * Block Kit wants action ids unique within a block, so a second Fix button is `netcheck_fix:2`, and so on.
 * Listeners that handle every Fix button match this pattern.
 */
export const FIX_ACTION_PATTERN = /^netcheck_fix(?::\d+)?$/;

export function fixActionId(index: number): string {
  return index === 0 ? ACTIONS.fix : `${ACTIONS.fix}:${index + 1}`;
}

export const ClusterName = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'not a cluster name'));

/** The Re-run button: its value is only a Re-run offer's opaque id (src/aws/offers.ts). */
export function rerunButton(offerId: string, L: Pick<Labels, 'rerun'>) {
  return {
    type: 'button' as const,
    action_id: ACTIONS.rerun,
    text: { type: 'plain_text' as const, text: `:repeat: ${L.rerun}`.slice(0, LIMITS.buttonText), emoji: true },
    value: offerId,
  };
}
