// Buttons carry their target as JSON in `value`. The value comes back from the Slack client, so it is parsed
// strictly here and never trusted for authorization: the action handler checks the user and cluster again.
// zod/mini: this module is in the Slack function's bundle (src/jobs/vocabulary.ts).
import * as z from 'zod/mini';
import { FindingId, Scope } from '../jobs/vocabulary.ts';
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

export const ButtonValue = z.strictObject({
  cluster: ClusterName,
  scope: Scope,
  remediation: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]{0,99}$/))),
  finding: z.optional(FindingId.check(z.maxLength(200))),
  /** Re-run only: a digest of the rest posted in the report's thread, so a re-check posts it again only if it changed. */
  rest: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,32}$/))),
});
export type ButtonValue = z.infer<typeof ButtonValue>;

export function buttonValue(value: ButtonValue): string {
  return JSON.stringify(ButtonValue.parse(value));
}

export function parseButtonValue(value: string): ButtonValue | undefined {
  if (typeof value !== 'string' || value.length > LIMITS.buttonValue) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return undefined;
  }
  const parsed = ButtonValue.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
