// The change an approver sees: a unified diff of the object before against the server's dry-run result, as YAML
// without the fields the server owns, with only changed lines and three lines of context.
import { stringify } from 'yaml';
import type { KubeObject } from '../engine/cluster-reader.ts';

const SERVER_FIELDS = ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation'] as const;

/** YAML of an object with the server-owned metadata and status removed; '' for an absent object. */
export function objectYaml(obj: KubeObject | null | undefined): string {
  if (!obj) return '';
  const clean = structuredClone(obj);
  for (const f of SERVER_FIELDS) delete clean.metadata[f];
  delete clean.status;
  return stringify(clean, { lineWidth: 0 });
}

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Longest-common-subsequence line diff: objects are small, so O(n·m) is fine. */
function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) ops.push({ kind: '-', line: a[i++]! });
    else ops.push({ kind: '+', line: b[j++]! });
  }
  while (i < n) ops.push({ kind: '-', line: a[i++]! });
  while (j < m) ops.push({ kind: '+', line: b[j++]! });
  return ops;
}

const split = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/** A unified diff of two texts (`--- a`, `+++ b`, `@@` hunks); '' when they are equal. */
export function unifiedDiff(before: string, after: string, labels = { a: 'before', b: 'after' }, context = 3): string {
  const a = split(before);
  const b = split(after);
  const ops = diffLines(a, b);
  const changed = ops.map((o, k) => (o.kind !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) return '';
  // Group changes whose context windows touch into one hunk.
  const hunks: [number, number][] = [];
  for (const k of changed) {
    const last = hunks[hunks.length - 1];
    if (last && k - last[1] <= 2 * context) last[1] = k;
    else hunks.push([k, k]);
  }
  const out = [`--- ${labels.a}`, `+++ ${labels.b}`];
  for (const [first, lastChange] of hunks) {
    const start = Math.max(0, first - context);
    const end = Math.min(ops.length - 1, lastChange + context);
    // Line numbers: count old/new lines before the hunk.
    let oldLine = 1;
    let newLine = 1;
    for (let k = 0; k < start; k++) {
      if (ops[k]!.kind !== '+') oldLine++;
      if (ops[k]!.kind !== '-') newLine++;
    }
    const body = ops.slice(start, end + 1);
    const oldCount = body.filter((o) => o.kind !== '+').length;
    const newCount = body.filter((o) => o.kind !== '-').length;
    out.push(
      `@@ -${oldCount === 0 ? oldLine - 1 : oldLine},${oldCount} +${newCount === 0 ? newLine - 1 : newLine},${newCount} @@`,
    );
    for (const o of body) out.push(`${o.kind}${o.line}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * The diff for one change: `before` as read, `after` as the dry run returned it (null after a delete).
 * Labelled with the object so a multi-change plan reads as one patch.
 */
export function objectDiff(
  before: KubeObject | null | undefined,
  after: KubeObject | null | undefined,
  label: string,
): string {
  return unifiedDiff(objectYaml(before), objectYaml(after), {
    a: before ? `a/${label}` : '/dev/null',
    b: after ? `b/${label}` : '/dev/null',
  });
}
