// The Finding contract (report.ts) checked in plain TypeScript: the diagnosis guards every check's output with it
// without loading zod, whose import and first parse cost a short CLI run tens of milliseconds. The zod schema stays
// the contract: finding-shape.test.ts holds the two to the same verdicts, and reports that leave the process
// (JSON, YAML, Slack) are still parsed with it.
import type { Finding } from './report.ts';

const ID = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const SEVERITIES = new Set(['critical', 'warning', 'info']);

const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const optional = (v: unknown, test: (v: unknown) => boolean) => v === undefined || test(v);
const record = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether `value` satisfies the Finding schema; extra keys are allowed (zod strips them), as with `Finding.parse`. */
export function isFinding(value: unknown): value is Finding {
  if (!record(value)) return false;
  const f = value;
  return (
    typeof f.id === 'string' &&
    ID.test(f.id) &&
    SEVERITIES.has(f.severity as string) &&
    text(f.title) &&
    text(f.detail) &&
    optional(f.impact, text) &&
    Array.isArray(f.evidence) &&
    f.evidence.every((e) => typeof e === 'string') &&
    Array.isArray(f.runbook) &&
    f.runbook.every((s) => record(s) && text(s.text) && optional(s.command, text)) &&
    optional(f.causedBy, (v) => typeof v === 'string') &&
    optional(f.remediation, (r) => record(r) && text(r.id) && text(r.title))
  );
}

/** A copy with only the schema's keys, in its order, as `Finding.parse` returns it. */
export function findingOf(f: Finding): Finding {
  return {
    id: f.id,
    severity: f.severity,
    title: f.title,
    detail: f.detail,
    ...(f.impact !== undefined ? { impact: f.impact } : {}),
    evidence: [...f.evidence],
    runbook: f.runbook.map((s) => (s.command === undefined ? { text: s.text } : { text: s.text, command: s.command })),
    ...(f.causedBy !== undefined ? { causedBy: f.causedBy } : {}),
    ...(f.remediation !== undefined ? { remediation: { id: f.remediation.id, title: f.remediation.title } } : {}),
  };
}
