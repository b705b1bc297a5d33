// Builders every check uses for its Findings: quotes are trimmed so evidence stays readable in Slack.
import type { RemediationId } from './remediation-ids.ts';
import type { Finding, RunbookOption, RunbookStep, RunbookWhere } from './report.ts';

/** Longest quote we put into evidence: enough for a klog line, short enough for Slack. */
export const MAX_QUOTE = 300;

export function truncate(text: string, max = MAX_QUOTE): string {
  const clean = text.trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** Where a command runs and whether it changes something, when the command alone does not tell. */
export interface StepPlace {
  where?: RunbookWhere;
  changes?: boolean;
}

// kubectl verbs that write; everything else kubectl does here only reads.
const KUBECTL_WRITES =
  /\bkubectl\b[^|;&]*?\s(edit|apply|patch|delete|create|replace|scale|set|label|annotate|cordon|uncordon|drain|taint|rollout\s+(restart|undo))\b/;
// Shell commands on a node that change it.
const NODE_WRITES =
  /(\bsed\s+-i\b|\bsystemctl\s+(restart|stop|start|enable|disable|reload)\b|\bmodprobe\b|\brm\s|\bmv\s|\bcp\s|\btee\b|(^|[^0-9&])>\s*\/(?!dev\/null)|\bsysctl\s+-w\b|\b(apt|apt-get|yum|dnf)\s+install\b|\bip\s+link\s+(delete|del|set)\b|\biptables\s+-(F|D|A|I)\b|\bsudo\s+(vi|vim|nano)\b|\bkubeadm\s+(init|join|reset|upgrade)\b)/;
// kubectl that starts a probe pod or runs inside one.
const IN_POD = /\bkubectl\s+(-n\s+\S+\s+)?(run|exec|debug)\b/;

/**
 * Where a command runs, read from the command: kubectl that writes needs cluster-admin, `kubectl run`/`exec` runs
 * in a pod, other kubectl only reads; anything else is a shell command on the node.
 */
export function classifyCommand(command: string): Required<StepPlace> {
  const kubectl = /^\s*kubectl\b/.test(command);
  if (kubectl && KUBECTL_WRITES.test(command)) return { where: 'cluster-admin', changes: true };
  if (kubectl && IN_POD.test(command)) return { where: 'pod', changes: false };
  if (kubectl) return { where: 'kubectl', changes: false };
  return { where: 'node', changes: NODE_WRITES.test(command) };
}

/** One runbook step; a command says where it runs (read from the command unless `place` says otherwise). */
export function step(text: string, command?: string, place: RunbookWhere | StepPlace = {}): RunbookStep {
  if (!command) return { text };
  const given = typeof place === 'string' ? { where: place } : place;
  const read = classifyCommand(command);
  return { text, command, where: given.where ?? read.where, changes: given.changes ?? read.changes };
}

/** The steps of one named alternative (`Option A — …`): followed instead of the other options, never as well. */
export function option(choice: RunbookOption, steps: RunbookStep[]): RunbookStep[] {
  return steps.map((s) => ({ ...s, option: choice }));
}

/** What a check writes: a Finding whose remediation can only name a fix listed in REMEDIATION_IDS. */
export type FindingDraft = Omit<Finding, 'remediation'> & {
  remediation?: { id: RemediationId; title: string; params?: Record<string, string> };
};

/** Builds a Finding, dropping empty evidence and trimming quotes. */
export function makeFinding(finding: FindingDraft): Finding {
  const evidence = finding.evidence.filter((e) => e && e.trim() !== '').map((e) => truncate(e, MAX_QUOTE + 80));
  // A step built by hand still says where its command runs.
  const runbook = finding.runbook.map((s) =>
    s.command && (s.where === undefined || s.changes === undefined)
      ? {
          ...s,
          ...classifyCommand(s.command),
          ...(s.where ? { where: s.where } : {}),
          ...(s.changes !== undefined ? { changes: s.changes } : {}),
        }
      : s,
  );
  const out: Finding = { ...finding, evidence: [...new Set(evidence)], runbook };
  if (!out.impact) delete out.impact;
  if (!out.remediation) delete out.remediation;
  if (!out.causedBy) delete out.causedBy;
  return out;
}
