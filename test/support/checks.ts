// Running one check in a unit test, and the contract every finding keeps.
import { expect } from 'vitest';
import type { Check, CheckContext, Snapshot } from '../../src/engine/check.ts';
import { translator } from '../../src/engine/i18n.ts';
import { Finding, type Lang } from '../../src/engine/report.ts';

/** The context the diagnosis hands every check. */
export function checkContext(lang: Lang = 'en'): CheckContext {
  return { lang, tr: translator(lang) };
}

/** Runs one check against a snapshot. */
export function runCheck(check: Check, snapshot: Snapshot, lang: Lang = 'en'): Finding[] {
  return check.run(snapshot, checkContext(lang));
}

/** Runs a check in English and Korean and returns the finding with `id` from both runs (undefined when absent). */
export function bilingual(check: Check, snapshot: Snapshot, id: string): { en?: Finding; ko?: Finding } {
  const en = runCheck(check, snapshot, 'en').find((f) => f.id === id);
  const ko = runCheck(check, snapshot, 'ko').find((f) => f.id === id);
  return { en, ko };
}

/** Every command of a runbook, joined, for "names the real pod/namespace" assertions. */
export function commands(finding: Finding | undefined): string {
  return (finding?.runbook ?? []).map((s) => s.command ?? '').join('\n');
}

/**
 * Runs `check` and asserts what every finding keeps: schema-valid and declared in `check.emits`.
 *
 * Without `id` it returns every English finding (often none). With `id` it also asserts the bilingual contract of
 * that finding: emitted in both languages with the same id/severity/evidence/commands, Korean prose different from
 * English, a runbook of more than one step that ends with a verification step. Then it returns the English finding.
 */
export function expectFinding(check: Check, snapshot: Snapshot): Finding[];
export function expectFinding(check: Check, snapshot: Snapshot, id: string): Finding;
export function expectFinding(check: Check, snapshot: Snapshot, id?: string): Finding | Finding[] {
  const findings = runCheck(check, snapshot);
  for (const f of findings) {
    expect(Finding.safeParse(f).success).toBe(true);
    expect(check.emits).toContain(f.id);
  }
  if (id === undefined) return findings;
  const { en, ko } = bilingual(check, snapshot, id);
  expect(en, `${check.name} should emit ${id}`).toBeDefined();
  expect(ko).toBeDefined();
  Finding.parse(en);
  Finding.parse(ko);
  expect(check.emits).toContain(id);
  expect(ko!.severity).toBe(en!.severity);
  expect(ko!.evidence).toEqual(en!.evidence);
  expect(ko!.runbook.map((s) => s.command)).toEqual(en!.runbook.map((s) => s.command));
  expect(ko!.runbook.map((s) => s.text)).not.toEqual(en!.runbook.map((s) => s.text));
  expect(ko!.detail).not.toBe(en!.detail);
  expect(/[\uac00-\ud7a3]/.test(ko!.detail + ko!.runbook[0]!.text)).toBe(true);
  expect(en!.evidence.length).toBeGreaterThan(0);
  expect(en!.runbook.length).toBeGreaterThan(1);
  expect(en!.runbook.at(-1)!.command ?? en!.runbook.at(-1)!.text).toMatch(
    /nslookup|rollout status|get events|get nodes/,
  );
  return en!;
}
