// "Did you mean": the closest known word to a typo, as the Slack front answers `/netcheck dsn`.
import { editDistance } from '../engine/suggest.ts';

/** The candidate within 2 edits (1 for words of three letters or fewer), if there is one; the first closest wins. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = word.replace(/^-+/, '').length <= 3 ? 1 : 2;
  return bestDistance <= allowed ? best : undefined;
}

/** ` Did you mean "x"?` or the empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closest(word, candidates);
  return match ? ` Did you mean "${match}"?` : '';
}
