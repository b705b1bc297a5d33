// Running one check outside a diagnosis (tests).
import type { Check, CheckContext, Snapshot } from './check.ts';
import { translator } from './i18n.ts';
import type { Finding, Lang } from './report.ts';

export function checkContext(lang: Lang = 'en'): CheckContext {
  return { lang, tr: translator(lang) };
}

/** Runs one check against a snapshot (tests). */
export function runCheck(check: Check, snapshot: Snapshot, lang: Lang = 'en'): Finding[] {
  return check.run(snapshot, checkContext(lang));
}
