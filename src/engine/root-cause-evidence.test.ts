// "A root cause needs its own evidence": every finding id that a link rule can name as a cause has its minimal
// evidence condition written beside its check, and the linker never makes the link when the cause quotes nothing.
import { describe, expect, it } from 'vitest';
import { CNI_ROOT_CAUSE_EVIDENCE } from './checks/cni/evidence.ts';
import { DNS_ROOT_CAUSE_EVIDENCE } from './checks/dns/evidence.ts';
import { PROXY_ROOT_CAUSE_EVIDENCE } from './checks/kube-proxy/evidence.ts';
import { LINK_RULES, type LinkRule, type Located, linkRootCauses } from './link.ts';
import { allChecks, componentOfFinding } from './registry.ts';
import type { Finding, Severity } from './report.ts';

const CONDITIONS: Record<string, string> = {
  ...DNS_ROOT_CAUSE_EVIDENCE,
  ...CNI_ROOT_CAUSE_EVIDENCE,
  ...PROXY_ROOT_CAUSE_EVIDENCE,
};
const emitted = allChecks.flatMap((c) =>
  c.emits.map((id) => ({ id, severities: (c.describe[id]?.severities ?? []) as readonly Severity[] })),
);
const matches = (p: string | RegExp, id: string) => (typeof p === 'string' ? p === id : p.test(id));

/** Every (rule, cause id, cause severity, one concrete effect id) the registry makes possible. */
function links(): { rule: LinkRule; cause: string; severity: Severity; effect: string }[] {
  const out: { rule: LinkRule; cause: string; severity: Severity; effect: string }[] = [];
  for (const rule of LINK_RULES) {
    const effect = emitted.find((e) => matches(rule.effect, e.id))?.id;
    if (!effect) continue;
    for (const candidate of rule.causes) {
      for (const e of emitted) {
        if (e.id === effect || !matches(candidate.id, e.id)) continue;
        const severity = candidate.severity ?? e.severities[0];
        if (!severity || !e.severities.includes(severity)) continue;
        if (!out.some((l) => l.cause === e.id)) out.push({ rule, cause: e.id, severity, effect });
      }
    }
  }
  return out;
}

function finding(id: string, severity: Severity, evidence: string[]): Finding {
  return { id, severity, title: id, detail: id, evidence, runbook: [{ text: 'x' }] };
}

function link(effectId: string, causeId: string, severity: Severity, evidence: string[]): Finding {
  const effect = finding(effectId, 'critical', ['Warning BackOff pod/coredns-7c65d6cfc9-4xkzq']);
  const all: Located[] = [
    { component: componentOfFinding(effectId)!, finding: effect },
    { component: componentOfFinding(causeId)!, finding: finding(causeId, severity, evidence) },
  ];
  linkRootCauses(all);
  return effect;
}

describe('root-cause evidence', () => {
  const all = links();

  it('covers the ids the link rules can name as causes', () => {
    expect(all.length).toBeGreaterThan(30);
  });

  for (const { cause, severity, effect } of all) {
    it(`${cause}: has a written evidence condition, and explains ${effect} only with evidence of its own`, () => {
      expect(CONDITIONS[cause], `evidence condition for ${cause} in its check folder's evidence.ts`).toMatch(/\w{3,}/);
      expect(link(effect, cause, severity, []).causedBy).toBeUndefined();
      expect(link(effect, cause, severity, ['  ']).causedBy).toBeUndefined();
      expect(link(effect, cause, severity, ['quoted evidence line']).causedBy).toBe(cause);
    });
  }

  it('an info note (history) is never a cause, whatever it quotes', () => {
    expect(
      link('dns.service-no-endpoints', 'coredns.no-replicas', 'info', ['replicas 0 last week']).causedBy,
    ).toBeUndefined();
  });

  it('every written condition names an id some check emits (no stale entries)', () => {
    for (const id of Object.keys(CONDITIONS))
      expect(
        emitted.map((e) => e.id),
        id,
      ).toContain(id);
  });
});
