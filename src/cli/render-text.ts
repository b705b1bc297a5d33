// The human-readable report: one status line per component, then the runbook of each failing one, root cause first.
import type { Report, Status } from '../engine/report.ts';
import { type FindingView, reportView } from '../engine/report-view.ts';

export interface TextOptions {
  color: boolean;
}

const COLORS = { red: 31, yellow: 33, green: 32, grey: 90, bold: 1, cyan: 36 } as const;

function painter(options: TextOptions): Paint {
  return (code, text) => (options.color ? `\x1b[${COLORS[code]}m${text}\x1b[0m` : text);
}

function statusLine(report: Report, paint: Paint): string {
  const { cluster } = report;
  const scopes = (report.scopes ?? [report.scope]).join(' ');
  return `${paint('bold', `netcheck ${scopes}`)} ${cluster.name} (${cluster.flavor}, CNI ${cluster.cni}) — ${paintStatus(report.status, paint)}`;
}

/** The first line of the text report alone (`--quiet`). */
export function renderStatusLine(report: Report, options: TextOptions): string {
  return `${statusLine(report, painter(options))}\n`;
}

export function renderText(report: Report, options: TextOptions): string {
  const paint = painter(options);
  const ko = report.lang === 'ko';
  const out: string[] = [];
  const { cluster } = report;
  out.push(statusLine(report, paint));
  for (const component of report.components) {
    out.push(
      `  ${paintStatus(component.status, paint).padEnd(options.color ? 17 : 8)} ${component.component.padEnd(10)} ${component.summary}`,
    );
  }
  for (const { report: component, findings } of reportView(report).failing) {
    out.push('', paint('bold', `── ${component.component}: ${component.detected}`));
    for (const error of component.errors ?? [])
      out.push(`  ${paint('grey', ko ? '읽지 못함' : 'unreadable')}: ${error}`);
    for (const finding of findings) out.push(...renderFinding(finding, paint, ko));
  }
  out.push(
    '',
    paint(
      'grey',
      `${report.requests} API requests in ${Math.round(report.durationMs)} ms · ${report.startedAt} · ${cluster.server}`,
    ),
  );
  return `${out.join('\n')}\n`;
}

type Paint = (code: keyof typeof COLORS, text: string) => string;

function paintStatus(status: Status, paint: Paint): string {
  switch (status) {
    case 'ok':
      return paint('green', 'OK');
    case 'warning':
      return paint('yellow', 'WARNING');
    case 'critical':
      return paint('red', 'CRITICAL');
    default:
      return paint('grey', 'UNKNOWN');
  }
}

function renderFinding({ finding, cause: located }: FindingView, paint: Paint, ko: boolean): string[] {
  const severity =
    finding.severity === 'critical'
      ? paint('red', 'CRITICAL')
      : finding.severity === 'warning'
        ? paint('yellow', 'WARNING')
        : paint('cyan', 'INFO');
  const lines = ['', `  ${severity} ${paint('bold', finding.title)} ${paint('grey', `[${finding.id}]`)}`];
  lines.push(...wrap(finding.detail, 4));
  if (finding.causedBy) {
    const cause = located?.finding;
    lines.push(`    ${ko ? '원인' : 'Caused by'}: ${cause ? `${cause.title} [${cause.id}]` : finding.causedBy}`);
  }
  if (finding.impact) lines.push(`    ${ko ? '영향' : 'Why it matters'}: ${finding.impact}`);
  if (finding.evidence.length > 0) {
    lines.push(`    ${ko ? '근거' : 'Evidence'}:`);
    for (const evidence of finding.evidence) lines.push(`      ${paint('grey', '│')} ${evidence}`);
  }
  if (finding.runbook.length > 0) {
    lines.push(`    ${ko ? '조치 순서' : 'Fix'}:`);
    finding.runbook.forEach((step, index) => {
      lines.push(`      ${index + 1}. ${step.text}`);
      if (step.command)
        for (const line of step.command.split('\n')) lines.push(`         ${paint('cyan', `$ ${line}`)}`);
    });
  }
  if (finding.remediation) {
    lines.push(
      `    ${ko ? '자동 조치 가능' : 'Automated fix available'}: ${finding.remediation.title} (${finding.remediation.id})`,
    );
  }
  return lines;
}

function wrap(text: string, indent: number, width = 100): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width - indent) {
      lines.push(pad + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(pad + line);
  return lines;
}
