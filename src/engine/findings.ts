// Builders every check uses for its Findings: quotes are trimmed so evidence stays readable in Slack.
import type { RemediationId } from './remediation-ids.ts';
import type { Finding, RunbookStep } from './report.ts';

/** Longest quote we put into evidence: enough for a klog line, short enough for Slack. */
export const MAX_QUOTE = 300;

export function truncate(text: string, max = MAX_QUOTE): string {
  const clean = text.trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

export function step(text: string, command?: string): RunbookStep {
  return command ? { text, command } : { text };
}

/** What a check writes: a Finding whose remediation can only name a fix listed in REMEDIATION_IDS. */
export type FindingDraft = Omit<Finding, 'remediation'> & {
  remediation?: { id: RemediationId; title: string; params?: Record<string, string> };
};

/** Builds a Finding, dropping empty evidence and trimming quotes. */
export function makeFinding(finding: FindingDraft): Finding {
  const evidence = finding.evidence.filter((e) => e && e.trim() !== '').map((e) => truncate(e, MAX_QUOTE + 80));
  const out: Finding = { ...finding, evidence: [...new Set(evidence)] };
  if (!out.impact) delete out.impact;
  if (!out.remediation) delete out.remediation;
  if (!out.causedBy) delete out.causedBy;
  return out;
}
