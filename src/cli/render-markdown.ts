// The report as Markdown, for pasting into a ticket or a CI job summary ($GITHUB_STEP_SUMMARY): a status table, then
// each failing component's findings, root cause first, with evidence and the runbook's commands in code blocks.
import type { ComponentReport, Finding, Report, Status } from '../engine/report.ts';

const STATUS: Record<Status, string> = {
  ok: '✅ OK',
  warning: '⚠️ WARNING',
  critical: '🔴 CRITICAL',
  unknown: '❔ UNKNOWN',
};
const SEVERITY: Record<Finding['severity'], string> = { critical: '🔴 CRITICAL', warning: '⚠️ WARNING', info: 'ℹ️ INFO' };

/** Table cells and headings must not break the table or start markup. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
/** A fence longer than any backtick run inside, so a quoted log line cannot close it. */
const fence = (text: string) => '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));

export function renderMarkdown(report: Report): string {
  const ko = report.lang === 'ko';
  const { cluster } = report;
  const scopes = (report.scopes ?? [report.scope]).join(' ');
  const out: string[] = [
    `## netcheck ${scopes}: ${cell(cluster.name)} — ${STATUS[report.status]}`,
    '',
    `${cell(cluster.flavor)}, CNI ${cell(cluster.cni)} · ${report.requests} API requests in ${Math.round(report.durationMs)} ms · ${report.startedAt}`,
    '',
    `| ${ko ? '구성 요소' : 'component'} | ${ko ? '상태' : 'status'} | ${ko ? '요약' : 'summary'} |`,
    '|---|---|---|',
    ...report.components.map((c) => `| ${c.component} | ${STATUS[c.status]} | ${cell(c.summary)} |`),
  ];
  for (const component of report.components) {
    if (component.status === 'ok') continue;
    out.push('', `### ${component.component}: ${cell(component.detected)}`);
    for (const error of component.errors ?? []) out.push('', `- ${ko ? '읽지 못함' : 'Unreadable'}: ${error}`);
    for (const finding of rootFirst(component)) out.push(...renderFinding(finding, report, ko));
  }
  return `${out.join('\n')}\n`;
}

function rootFirst(component: ComponentReport): Finding[] {
  const ids = new Set(component.findings.map((f) => f.id));
  const isRoot = (f: Finding) => !f.causedBy || !ids.has(f.causedBy);
  return [...component.findings.filter(isRoot), ...component.findings.filter((f) => !isRoot(f))];
}

function renderFinding(finding: Finding, report: Report, ko: boolean): string[] {
  const lines = ['', `#### ${SEVERITY[finding.severity]} ${cell(finding.title)} \`${finding.id}\``, '', finding.detail];
  if (finding.causedBy) {
    const cause = report.components.flatMap((c) => c.findings).find((f) => f.id === finding.causedBy);
    lines.push(
      '',
      `**${ko ? '원인' : 'Caused by'}:** ${cause ? `${cause.title} \`${cause.id}\`` : `\`${finding.causedBy}\``}`,
    );
  }
  if (finding.impact) lines.push('', `**${ko ? '영향' : 'Why it matters'}:** ${finding.impact}`);
  if (finding.evidence.length > 0) {
    const text = finding.evidence.join('\n');
    lines.push('', `**${ko ? '근거' : 'Evidence'}:**`, '', `${fence(text)}text`, text, fence(text));
  }
  if (finding.runbook.length > 0) {
    lines.push('', `**${ko ? '조치 순서' : 'Fix'}:**`, '');
    finding.runbook.forEach((step, index) => {
      lines.push(`${index + 1}. ${step.text}`);
      if (step.command) {
        const f = fence(step.command);
        lines.push(`   ${f}sh`, ...step.command.split('\n').map((l) => `   ${l}`), `   ${f}`);
      }
    });
  }
  if (finding.remediation) {
    lines.push(
      '',
      `${ko ? '자동 조치 가능' : 'Automated fix available'}: ${finding.remediation.title} (\`${finding.remediation.id}\`)`,
    );
  }
  return lines;
}
