import { describe, expect, it } from 'vitest';
import { ACTIONS, ClusterName, FIX_ACTION_PATTERN, fixActionId, rerunButton } from './actions.ts';

describe('button values', () => {
  it('the Re-run button carries only the offer id it is given', () => {
    const button = rerunButton('Rerun0ffer1d0000000000', { rerun: 'Re-run' });
    expect(button).toEqual({
      type: 'button',
      action_id: ACTIONS.rerun,
      text: { type: 'plain_text', text: ':repeat: Re-run', emoji: true },
      value: 'Rerun0ffer1d0000000000',
    });
  });

  it.each(['../prod', '<!channel>', 'arn:aws:eks:eu-west-1:1:cluster/prod', ''])('%j is not a cluster name', (name) => {
    expect(ClusterName.safeParse(name).success).toBe(false);
  });
});

describe('action ids', () => {
  it('the first Fix button is netcheck_fix, later ones stay unique within the block and match the pattern', () => {
    expect([0, 1, 2].map(fixActionId)).toEqual(['netcheck_fix', 'netcheck_fix:2', 'netcheck_fix:3']);
    for (const id of [0, 1, 2].map(fixActionId)) expect(id).toMatch(FIX_ACTION_PATTERN);
    expect(ACTIONS.rerun).not.toMatch(FIX_ACTION_PATTERN);
  });
});
