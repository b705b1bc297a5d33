import { describe, expect, it } from 'vitest';
import { ACTIONS, buttonValue, FIX_ACTION_PATTERN, fixActionId, parseButtonValue } from './actions.ts';

describe('button values', () => {
  it.each([
    { cluster: 'prod-eu', scope: 'dns' as const },
    {
      cluster: 'staging',
      scope: 'all' as const,
      remediation: 'coredns.forward-upstream',
      finding: 'coredns.loop-detected',
    },
  ])('round-trip %j', (value) => {
    expect(parseButtonValue(buttonValue(value))).toEqual(value);
  });

  it.each([
    ['not JSON', 'prod-eu'],
    ['an array', '["prod-eu","dns"]'],
    ['an unknown scope', '{"cluster":"prod-eu","scope":"everything"}'],
    ['a missing cluster', '{"scope":"dns"}'],
    ['an extra key', '{"cluster":"prod-eu","scope":"dns","admin":true}'],
    ['a cluster name with a path', '{"cluster":"../prod","scope":"dns"}'],
    ['a cluster name with a mention', '{"cluster":"<!channel>","scope":"dns"}'],
    ['a finding id that is not a catalog id', '{"cluster":"prod-eu","scope":"dns","finding":"DROP TABLE"}'],
    ['a remediation of the wrong type', '{"cluster":"prod-eu","scope":"dns","remediation":42}'],
    ['an oversized value', JSON.stringify({ cluster: 'prod-eu', scope: 'dns', pad: 'x'.repeat(2100) })],
    ['an empty value', ''],
  ])('reject %s', (_what, value) => {
    expect(parseButtonValue(value)).toBeUndefined();
  });

  it('refuses to build a value the parser would reject', () => {
    expect(() => buttonValue({ cluster: 'arn:aws:eks:eu-west-1:1:cluster/prod', scope: 'dns' })).toThrow();
  });
});

describe('action ids', () => {
  it('the first Fix button is netcheck_fix, later ones stay unique within the block and match the pattern', () => {
    expect([0, 1, 2].map(fixActionId)).toEqual(['netcheck_fix', 'netcheck_fix:2', 'netcheck_fix:3']);
    for (const id of [0, 1, 2].map(fixActionId)) expect(id).toMatch(FIX_ACTION_PATTERN);
    expect(ACTIONS.rerun).not.toMatch(FIX_ACTION_PATTERN);
  });
});
