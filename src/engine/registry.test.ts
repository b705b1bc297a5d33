// The registry is the source of docs/checks.md and of the list of fixes: every check must say what each finding it
// emits means, and which fixes it can offer, so nothing a report shows is undocumented.
import { describe, expect, it } from 'vitest';
import { allChecks } from './registry.ts';
import { REMEDIATION_IDS } from './remediation-ids.ts';

describe('registry metadata', () => {
  it('check names and finding ids are unique', () => {
    const names = allChecks.map((c) => c.name);
    const ids = allChecks.flatMap((c) => c.emits);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(allChecks.map((c) => [c.name, c] as const))('%s describes exactly the finding ids it emits', (_, check) => {
    expect(Object.keys(check.describe).sort()).toEqual([...check.emits].sort());
    for (const doc of Object.values(check.describe)) {
      expect(doc.severities.length).toBeGreaterThan(0);
      expect(doc.summary).toMatch(/^\S.*[.!]$/);
      expect(doc.fix).toMatch(/^\S.*[.!]$/);
    }
  });

  it('every listed remediation id is offered by some check, and no check offers one twice', () => {
    const offered = allChecks.flatMap((c) => c.remediations);
    expect([...new Set(offered)].sort()).toEqual([...REMEDIATION_IDS].sort());
    for (const check of allChecks) expect(new Set(check.remediations).size).toBe(check.remediations.length);
  });
});
