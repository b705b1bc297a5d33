// The package's version and the Node versions it runs on, from package.json (inlined into the built CLI).
import pkg from '../../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;

/** `engines.node` is ">=MAJOR.MINOR[.PATCH]": the one place the supported Node versions are written down. */
export const MIN_NODE: readonly number[] = (/>=\s*([\d.]+)/.exec(pkg.engines.node)?.[1] ?? '0').split('.').map(Number);

/** Whether `version` (e.g. "22.18.0") satisfies MIN_NODE. */
export function nodeSupported(version: string): boolean {
  const have = version.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < MIN_NODE.length; i++) {
    const need = MIN_NODE[i] ?? 0;
    const got = have[i] ?? 0;
    if (got !== need) return got > need;
  }
  return true;
}
