// Every human-facing string is written in English and Korean side by side; the report carries one of them.
import type { Lang } from './report.ts';

export type Translate = (en: string, ko: string) => string;

export function translator(lang: Lang | undefined): Translate {
  return lang === 'ko' ? (_en, ko) => ko : (en) => en;
}
