// Every human-facing string is written in English and Korean side by side; the report carries one of them.
import type { Lang, RunbookWhere } from './report.ts';

export type Translate = (en: string, ko: string) => string;

export function translator(lang: Lang | undefined): Translate {
  return lang === 'ko' ? (_en, ko) => ko : (en) => en;
}

// ---------------------------------------------------------------------------------------------------------------
// Korean particles: picked from the final sound of the word they follow, never written as 이(가) or 을(를).

/** Particle pairs: the form after a final consonant, then the form after a vowel. */
export type Particle = '이/가' | '을/를' | '은/는' | '과/와' | '으로/로' | '이에요/예요';

/** How a word ends when read aloud: with a final consonant (ㄹ counted apart, it takes 로), or a vowel. */
export type FinalSound = 'consonant' | 'rieul' | 'vowel';

// Digits as read in Korean: 영 일 이 삼 사 오 육 칠 팔 구.
const DIGIT_SOUND: Record<string, FinalSound> = {
  '0': 'consonant',
  '1': 'rieul',
  '2': 'vowel',
  '3': 'consonant',
  '4': 'vowel',
  '5': 'vowel',
  '6': 'consonant',
  '7': 'rieul',
  '8': 'rieul',
  '9': 'vowel',
};

/**
 * The final sound of a word: a Hangul syllable's own final consonant; a digit as read in Korean; a Latin word by
 * how Korean engineers read it (…l/…le → ㄹ as in 파일; …m, n, ng, k, p and a vowel + t close the syllable as in
 * 업스트림, 쿠블릿; anything else is open as in 프록시, 포워드, 코어디엔에스). Trailing quotes, backticks, brackets and punctuation are skipped.
 */
export function finalSound(word: string): FinalSound {
  const text = word.replace(/[\s`'"’”)\]}>.,:;!?/*_~-]+$/u, '');
  const last = text.at(-1);
  if (!last) return 'vowel';
  const code = last.charCodeAt(0);
  if (code >= 0xac00 && code <= 0xd7a3) {
    const final = (code - 0xac00) % 28;
    if (final === 0) return 'vowel';
    return final === 8 ? 'rieul' : 'consonant';
  }
  if (last in DIGIT_SOUND) return DIGIT_SOUND[last]!;
  const lower = text.toLowerCase();
  if (/[A-Z]{2,}$/.test(text)) {
    // A spelled-out acronym (DNS, CNI, IP) ends in a letter name: 엘 → ㄹ; 엠 엔 알 → closed; the rest are open.
    return /l$/.test(lower) ? 'rieul' : /[mnr]$/.test(lower) ? 'consonant' : 'vowel';
  }
  if (/(l|le)$/.test(lower)) return 'rieul';
  if (/(m|n|ng|k|p|[aeiou]t)$/.test(lower)) return 'consonant';
  return 'vowel';
}

/** `word` followed by the right form of the particle: josa('컨피그맵', '이/가') → '컨피그맵이', josa('proxy', '을/를') → 'proxy를'. */
export function josa(word: string, particle: Particle): string {
  const [afterConsonant, afterVowel] = particle.split('/') as [string, string];
  const sound = finalSound(word);
  if (particle === '으로/로') return word + (sound === 'consonant' ? afterConsonant : afterVowel);
  return word + (sound === 'vowel' ? afterVowel : afterConsonant);
}

/** Where a runbook command runs, said as a reader needs it. */
export const WHERE_LABEL: Record<RunbookWhere, { en: string; ko: string }> = {
  node: { en: 'on each node (ssh)', ko: '각 노드에서 ssh로 실행' },
  'cluster-admin': { en: 'with cluster-admin kubectl', ko: 'cluster-admin 권한의 kubectl로 실행' },
  pod: { en: 'from a pod', ko: '파드 안에서 실행' },
  kubectl: { en: 'with read-only kubectl', ko: '읽기 전용 kubectl로 실행' },
};

export const CHANGES_LABEL = { en: 'makes a change', ko: '변경 작업' } as const;

/** "on each node (ssh) · makes a change": where a step's command runs and whether it changes something. */
export function placeLabel(step: { where?: RunbookWhere; changes?: boolean }, lang: Lang | undefined): string {
  if (!step.where) return '';
  const l = lang === 'ko' ? 'ko' : 'en';
  return step.changes ? `${WHERE_LABEL[step.where][l]} · ${CHANGES_LABEL[l]}` : WHERE_LABEL[step.where][l];
}
