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

// What zod's z.iso.datetime() accepts by default: UTC with a Z, optional fractional seconds.
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const WHERE = new Set(['node', 'cluster-admin', 'pod', 'kubectl']);
const OPTION_ID = /^[A-Z]$/;

function isOption(v: unknown): boolean {
  return (
    record(v) &&
    typeof v.id === 'string' &&
    OPTION_ID.test(v.id) &&
    text(v.title) &&
    optional(v.recommended, (r) => typeof r === 'boolean')
  );
}

function isStep(s: unknown): boolean {
  if (!record(s) || !text(s.text) || !optional(s.command, text)) return false;
  if (!optional(s.where, (w) => WHERE.has(w as string))) return false;
  if (!optional(s.changes, (c) => typeof c === 'boolean') || !optional(s.option, isOption)) return false;
  // Every command says where it runs and whether it changes something.
  return s.command === undefined || (s.where !== undefined && s.changes !== undefined);
}

/** An option's steps are contiguous and its id keeps one title (the Runbook refinement). */
function isRunbook(steps: unknown): boolean {
  if (!Array.isArray(steps) || !steps.every(isStep)) return false;
  const seen = new Map<string, string>();
  let current: string | undefined;
  for (const s of steps as { option?: { id: string; title: string } }[]) {
    const id = s.option?.id;
    if (id !== undefined && seen.has(id) && (id !== current || seen.get(id) !== s.option!.title)) return false;
    if (id !== undefined) seen.set(id, s.option!.title);
    current = id;
  }
  return true;
}

const isParams = (v: unknown) => record(v) && Object.values(v).every((x) => typeof x === 'string');

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
    isRunbook(f.runbook) &&
    optional(f.causedBy, (v) => typeof v === 'string') &&
    optional(f.observedAt, (v) => typeof v === 'string' && ISO.test(v)) &&
    optional(f.remediation, (r) => record(r) && text(r.id) && text(r.title) && optional(r.params, isParams))
  );
}

type Step = Finding['runbook'][number];

function stepOf(s: Step): Step {
  return {
    text: s.text,
    ...(s.command !== undefined ? { command: s.command } : {}),
    ...(s.where !== undefined ? { where: s.where } : {}),
    ...(s.changes !== undefined ? { changes: s.changes } : {}),
    ...(s.option !== undefined
      ? {
          option: {
            id: s.option.id,
            title: s.option.title,
            ...(s.option.recommended !== undefined ? { recommended: s.option.recommended } : {}),
          },
        }
      : {}),
  };
}

/** A copy with only the schema's keys, in its order, as `Finding.parse` returns it. */
export function findingOf(f: Finding): Finding {
  const r = f.remediation;
  return {
    id: f.id,
    severity: f.severity,
    title: f.title,
    detail: f.detail,
    ...(f.impact !== undefined ? { impact: f.impact } : {}),
    evidence: [...f.evidence],
    runbook: f.runbook.map(stepOf),
    ...(f.causedBy !== undefined ? { causedBy: f.causedBy } : {}),
    ...(r !== undefined
      ? { remediation: { id: r.id, title: r.title, ...(r.params !== undefined ? { params: { ...r.params } } : {}) } }
      : {}),
    ...(f.observedAt !== undefined ? { observedAt: f.observedAt } : {}),
  };
}
