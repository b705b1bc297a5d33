// Golden files: rendered output compared byte for byte with a reviewed file under test/golden/<kind>/.
// `UPDATE_GOLDEN=1 npx vitest run <file>` rewrites the files instead; review the diff before committing.
import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

const ROOT = new URL('../golden/', import.meta.url);

/** Compares `actual` with test/golden/<kind>/<name>; UPDATE_GOLDEN=1 rewrites the file instead. */
export function expectGolden(kind: string, name: string, actual: string): void {
  const file = new URL(`${kind}/${name}`, ROOT);
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(file, actual);
    return;
  }
  let expected: string;
  try {
    expected = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`golden file ${name} is missing: run with UPDATE_GOLDEN=1 and review it`);
  }
  expect(actual).toBe(expected);
}
