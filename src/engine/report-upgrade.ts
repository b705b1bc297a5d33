// Reads a report of an earlier schema version as the current one (docs/report-schema.md, "Migration"): version 1
// runbook steps gain `where` and `changes`, read from their command as netcheck itself reads them.
import { classifyCommand } from './findings.ts';
import { Report } from './report.ts';

interface LooseStep {
  command?: string;
  where?: unknown;
  changes?: unknown;
}

/** A version-1 or version-2 report, as a valid version-2 Report (throws on anything else). */
export function upgradeReport(input: unknown): Report {
  const raw = structuredClone(input) as {
    schemaVersion?: number;
    components?: { findings?: { runbook?: LooseStep[] }[] }[];
  };
  if (raw && typeof raw === 'object' && (raw.schemaVersion === 1 || raw.schemaVersion === 2)) {
    for (const component of raw.components ?? [])
      for (const finding of component.findings ?? [])
        for (const step of finding.runbook ?? []) {
          if (typeof step.command !== 'string') continue;
          const read = classifyCommand(step.command);
          if (step.where === undefined) step.where = read.where;
          if (step.changes === undefined) step.changes = read.changes;
        }
    raw.schemaVersion = 2;
  }
  return Report.parse(raw);
}
