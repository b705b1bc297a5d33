import { describe, expect, it } from 'vitest';
import * as report from '../engine/report.ts';
import { FindingId, Lang, Scope } from './vocabulary.ts';

describe('the Slack function vocabulary', () => {
  it('names the same scopes and languages as the report contract', () => {
    expect(Scope.options).toEqual(report.Scope.options);
    expect(Lang.options).toEqual(report.Lang.options);
  });

  it.each(['coredns.loop-detected', 'kube-proxy.iptables-missing', 'Coredns.loop', 'coredns', 'a.b.c', 'x.'])(
    'accepts the finding id %j exactly when the report does',
    (id) => {
      expect(FindingId.safeParse(id).success).toBe(report.Finding.shape.id.safeParse(id).success);
    },
  );

  it('explains problems in English, like classic zod', () => {
    const result = Scope.safeParse('everything');
    expect(result.error?.issues[0]?.message).toBe(report.Scope.safeParse('everything').error?.issues[0]?.message);
  });
});
