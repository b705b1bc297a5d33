// The human-readable report. The first screen (TERMINAL_FIRST_SCREEN_LINES) holds the verdict, one status line per
// component, the root cause with its key evidence and the first option's steps; below it comes the rest: the whole
// runbook, what the root cause explains, and every further finding, each once, with evidence lines printed once.
import { placeLabel } from '../engine/i18n.ts';
import type { Finding, Report, RunbookStep, Status } from '../engine/report.ts';
import {
  dedupeEvidence,
  type FindingView,
  type ReportView,
  type RunbookView,
  reportView,
  runbookView,
} from '../engine/report-view.ts';

export interface TextOptions {
  color: boolean;
}

/** Lines of a terminal's first screen: everything needed to act fits in them, the rest is printed below. */
export const TERMINAL_FIRST_SCREEN_LINES = 25;

const COLORS = { red: 31, yellow: 33, green: 32, grey: 90, bold: 1, cyan: 36 } as const;
type Paint = (code: keyof typeof COLORS, text: string) => string;
type Tr = (en: string, ko: string) => string;

interface Ctx {
  paint: Paint;
  tr: Tr;
  lang: Report['lang'];
  color: boolean;
}

/** The report as printed lines: `firstScreen` fits TERMINAL_FIRST_SCREEN_LINES, `below` is the rest. */
export function renderTextParts(report: Report, options: TextOptions): { firstScreen: string[]; below: string[] } {
  const paint = painter(options);
  const ctx: Ctx = {
    paint,
    tr: translate(report),
    lang: report.lang,
    color: options.color,
  };
  const view = reportView(report);

  const head: string[] = [statusLine(report, paint, ctx.tr)];
  for (const component of report.components) {
    head.push(`  ${padStatus(component.status, ctx)} ${component.component.padEnd(10)} ${component.summary}`);
  }
  const below: string[] = [];
  const lead = view.firstScreen.lead;
  if (!lead) {
    // Nothing to act on: say what could not be read, as far as the screen allows.
    const errors = view.failing.flatMap(({ report: c }) =>
      (c.errors ?? []).map((e) => `  ${paint('grey', ctx.tr('unreadable', '읽지 못함'))} (${c.component}): ${e}`),
    );
    const room = TERMINAL_FIRST_SCREEN_LINES - head.length - 1;
    const first = errors.length > room ? errors.slice(0, room - 1) : errors;
    const firstScreen = first.length > 0 ? [...head, '', ...first] : head;
    if (errors.length > first.length) {
      firstScreen.push(
        `  ${ctx.tr(`… ${errors.length - first.length} more below`, `… 나머지 ${errors.length - first.length}개는 아래에`)}`,
      );
      below.push(...errors.slice(first.length));
    }
    return { firstScreen, below: [...below, '', footer(report, paint)] };
  }

  const screen = leadScreen(view, lead, ctx, TERMINAL_FIRST_SCREEN_LINES - head.length - 1);
  below.push(...rest(view, lead, screen.shownSteps, screen.shownEvidence, ctx));
  below.push('', footer(report, paint));
  return { firstScreen: [...head, '', ...screen.lines], below };
}

function painter(options: TextOptions): Paint {
  return (code, text) => (options.color ? `\x1b[${COLORS[code]}m${text}\x1b[0m` : text);
}

function statusLine(report: Report, paint: Paint, tr: Tr): string {
  const { cluster } = report;
  const scopes = (report.scopes ?? [report.scope]).join(' ');
  return `${paint('bold', `netcheck ${scopes}`)} ${cluster.name} (${cluster.flavor}, CNI ${cluster.cni}) — ${paintStatus(report.status, paint, tr)}`;
}

/** The first line of the text report alone (`--quiet`). */
export function renderStatusLine(report: Report, options: TextOptions): string {
  return `${statusLine(report, painter(options), translate(report))}\n`;
}

function translate(report: Report): Tr {
  return report.lang === 'ko' ? (_en, ko) => ko : (en) => en;
}

export function renderText(report: Report, options: TextOptions): string {
  const { firstScreen, below } = renderTextParts(report, options);
  return `${[...firstScreen, ...below].join('\n')}\n`;
}

function footer(report: Report, paint: Paint): string {
  return paint(
    'grey',
    report.lang === 'ko'
      ? `API 요청 ${report.requests}회 · ${Math.round(report.durationMs)}ms · ${report.startedAt} · ${report.cluster.server}`
      : `${report.requests} API requests in ${Math.round(report.durationMs)} ms · ${report.startedAt} · ${report.cluster.server}`,
  );
}

function statusWord(status: Status, tr: Tr): string {
  switch (status) {
    case 'ok':
      return tr('OK', '정상');
    case 'warning':
      return tr('WARNING', '경고');
    case 'critical':
      return tr('CRITICAL', '심각');
    default:
      return tr('UNKNOWN', '알 수 없음');
  }
}

function paintStatus(status: Status, paint: Paint, tr: Tr): string {
  const color = status === 'ok' ? 'green' : status === 'warning' ? 'yellow' : status === 'critical' ? 'red' : 'grey';
  return paint(color, statusWord(status, tr));
}

/** A status word padded to one column width (Korean words are two columns per syllable). */
function padStatus(status: Status, ctx: Ctx): string {
  const word = statusWord(status, ctx.tr);
  const width = [...word].reduce((w, ch) => w + (/[가-힣]/.test(ch) ? 2 : 1), 0);
  return paintStatus(status, ctx.paint, ctx.tr) + ' '.repeat(Math.max(0, 8 - width));
}

function severityWord(finding: Finding, ctx: Ctx): string {
  if (finding.severity === 'critical') return ctx.paint('red', ctx.tr('CRITICAL', '심각'));
  if (finding.severity === 'warning') return ctx.paint('yellow', ctx.tr('WARNING', '경고'));
  return ctx.paint('cyan', ctx.tr('INFO', '정보'));
}

function stepLines(step: RunbookStep, n: number, ctx: Ctx, indent = 6): string[] {
  const pad = ' '.repeat(indent);
  const place = placeLabel(step, ctx.lang);
  const lines = [`${pad}${n}. ${step.text}${place ? ` ${ctx.paint('grey', `(${place})`)}` : ''}`];
  // Only the first line gets the prompt, so a heredoc is copied as written.
  if (step.command) {
    const [first = '', ...more] = step.command.split('\n');
    lines.push(`${pad}   ${ctx.paint('cyan', `$ ${first}`)}`);
    for (const line of more) lines.push(`${pad}     ${ctx.paint('cyan', line)}`);
  }
  return lines;
}

function optionHeading(view: RunbookView['options'][number], ctx: Ctx): string {
  const { option } = view;
  const recommended = option.recommended ? ctx.tr(' (recommended)', ' (권장)') : '';
  return ctx.tr(
    `Option ${option.id} — ${option.title}${recommended}`,
    `옵션 ${option.id} — ${option.title}${recommended}`,
  );
}

/** The lead finding on the first screen, within `room` lines: title, detail, key evidence, the first steps. */
function leadScreen(
  view: ReportView,
  lead: FindingView,
  ctx: Ctx,
  room: number,
): { lines: string[]; shownSteps: number; shownEvidence: string[] } {
  const { finding } = lead;
  const { paint, tr } = ctx;
  const label = lead.isRootCause ? tr('Root cause', '근본 원인') : severityWord(finding, ctx);
  const top = [
    `${paint('bold', `${label}: ${finding.title}`)} ${paint('grey', `[${finding.id}]`)} · ${lead.component}`,
  ];
  top.push(...wrap(finding.detail, 4));
  const screen = view.firstScreen;
  const fix = screen.option
    ? `    ${tr('Fix', '조치')}: ${optionHeading(screen.runbook.options[0]!, ctx)}`
    : `    ${tr('Fix', '조치 순서')}:`;
  const evidenceFor = (n: number) =>
    n === 0
      ? []
      : [
          `    ${tr('Evidence', '근거')}:`,
          ...screen.evidence.slice(0, n).map((e) => `      ${paint('grey', '│')} ${e}`),
        ];
  const total = screen.steps.length;
  // With too little room the evidence shrinks to its first line, and only then do the last steps move below (the
  // pointer says how many): one line of evidence is what makes the root cause believable.
  const attempt = (keep: number) => {
    const lines = [...top, ...evidenceFor(keep)];
    if (total > 0) lines.push(fix);
    let shown = 0;
    for (const step of screen.steps) {
      const next = stepLines(step, screen.stepsFrom + shown + 1, ctx);
      if (lines.length + next.length + 1 > room) break;
      lines.push(...next);
      shown++;
    }
    // A first step too long for the screen (a heredoc) is still named; its command follows below.
    const first = screen.steps[0];
    if (shown === 0 && first && lines.length + 2 <= room)
      lines.push(
        `      ${screen.stepsFrom + 1}. ${first.text} ${ctx.paint('grey', `(${tr('command below', '명령은 아래에')})`)}`,
      );
    const more = pointer(view, lead, total - shown, ctx);
    if (more) lines.push(more);
    return { lines, shownSteps: shown, shownEvidence: screen.evidence.slice(0, keep) };
  };
  const keeps = [...new Set([screen.evidence.length, Math.min(1, screen.evidence.length)])];
  for (const keep of keeps) {
    const laid = attempt(keep);
    if (laid.shownSteps === total && laid.lines.length <= room) return laid;
  }
  const fallback = attempt(Math.min(1, screen.evidence.length));
  return { ...fallback, lines: fallback.lines.slice(0, room) };
}

/** "↓ below: 2 more steps, option B, verification, 3 further findings" — empty when nothing is below. */
function pointer(view: ReportView, lead: FindingView, stepsLeft: number, ctx: Ctx): string {
  const { tr } = ctx;
  const rb = view.firstScreen.runbook;
  const parts: string[] = [];
  const screen = view.firstScreen;
  const tail = rb.options.length === 0 ? rb.before.length - screen.stepsFrom - screen.steps.length : rb.after.length;
  if (stepsLeft > 0) parts.push(tr(`${stepsLeft} more step(s)`, `나머지 단계 ${stepsLeft}개`));
  if ((screen.option && rb.before.length > 0) || screen.stepsFrom > 0)
    parts.push(tr('checks before the fix', '조치 전 확인'));
  for (const o of rb.options.slice(1)) parts.push(tr(`option ${o.option.id}`, `옵션 ${o.option.id}`));
  if (tail > 0) parts.push(tr('verification', '확인 단계'));
  if (lead.explains.length > 0)
    parts.push(tr(`what it caused (${lead.explains.length})`, `이 원인이 일으킨 문제 ${lead.explains.length}개`));
  const further = view.failingFindings.filter((f) => f !== lead && !lead.explains.some((e) => e.finding === f.finding));
  const furtherCount = further.filter((f) => view.furtherFindings.includes(f) || f.isRootCause).length;
  if (furtherCount > 0) parts.push(tr(`${furtherCount} further finding(s)`, `추가 발견 사항 ${furtherCount}개`));
  if (parts.length === 0) return '';
  return `    ${ctx.paint('grey', `↓ ${tr('below', '아래에')}: ${parts.join(', ')}`)}`;
}

/** Everything the first screen left out, each finding once. */
function rest(view: ReportView, lead: FindingView, shownSteps: number, shownEvidence: string[], ctx: Ctx): string[] {
  const { paint, tr } = ctx;
  const out: string[] = ['', paint('grey', '─'.repeat(60))];
  const { finding } = lead;
  const screen = view.firstScreen;
  const leadComponent = view.failing.find((c) => c.report.component === lead.component)?.report;
  out.push(paint('bold', `── ${lead.component}: ${leadComponent?.detected ?? ''}`));
  for (const error of leadComponent?.errors ?? [])
    out.push(`  ${paint('grey', tr('unreadable', '읽지 못함'))}: ${error}`);
  // The lead continues here without its title again: the first screen already named it.
  out.push('', `  ${paint('bold', tr('Root cause, continued', '근본 원인 (이어서)'))}`);
  if (finding.impact) out.push(`    ${tr('Why it matters', '영향')}: ${finding.impact}`);
  const moreEvidence = finding.evidence.filter((e) => !shownEvidence.includes(e));
  if (moreEvidence.length > 0) {
    out.push(`    ${shownEvidence.length > 0 ? tr('More evidence', '추가 근거') : tr('Evidence', '근거')}:`);
    for (const e of moreEvidence) out.push(`      ${paint('grey', '│')} ${e}`);
  }
  out.push(...runbookLines(screen.runbook, ctx, { skipFirst: shownSteps, firstIsShown: true, from: screen.stepsFrom }));
  if (finding.remediation)
    out.push(
      `    ${tr('Automated fix available', '자동 조치 가능')}: ${finding.remediation.title} (${finding.remediation.id})`,
    );
  const explained = lead.explains;
  if (explained.length > 0) {
    out.push(`    ${tr('What it caused', '이 원인이 일으킨 문제')}:`);
    for (const e of explained)
      out.push(
        `      • ${severityWord(e.finding, ctx)} ${e.finding.title} ${paint('grey', `[${e.finding.id}]`)} · ${e.component}`,
      );
  }

  // Every other finding once: other root causes with what they explain, then further findings, by component.
  const leadExplains = new Set(explained.map((e) => e.finding.id));
  const others = view.failingFindings.filter(
    (f) => f !== lead && !leadExplains.has(f.finding.id) && (f.isRootCause || view.furtherFindings.includes(f)),
  );
  const deduped = dedupeEvidence(
    others.map((f) => f.finding),
    finding.evidence,
  );
  let heading = '';
  for (const other of others) {
    if (other.component !== heading) {
      heading = other.component;
      if (heading !== lead.component || out.length === 0) {
        const c = view.failing.find((v) => v.report.component === heading)?.report;
        out.push('', paint('bold', `── ${heading}: ${c?.detected ?? ''}`));
        for (const error of c?.errors ?? []) out.push(`  ${paint('grey', tr('unreadable', '읽지 못함'))}: ${error}`);
      }
    }
    out.push(...fullFinding(other, deduped.get(other.finding)!, ctx));
  }
  // Components that failed without any finding (unreadable) still say why.
  for (const c of view.failing) {
    if (c.findings.length > 0 || c.report.component === lead.component) continue;
    out.push('', paint('bold', `── ${c.report.component}: ${c.report.detected}`));
    for (const error of c.report.errors ?? []) out.push(`  ${paint('grey', tr('unreadable', '읽지 못함'))}: ${error}`);
  }
  return out;
}

function runbookLines(
  rb: RunbookView,
  ctx: Ctx,
  shown: { skipFirst: number; firstIsShown: boolean; from?: number } = { skipFirst: 0, firstIsShown: false },
): string[] {
  const { tr } = ctx;
  const out: string[] = [];
  const list = (steps: RunbookStep[], from = 0, to = steps.length) =>
    steps.slice(from, to).flatMap((s, i) => stepLines(s, from + i + 1, ctx));
  if (rb.options.length === 0) {
    if (!shown.firstIsShown) {
      if (rb.before.length > 0) out.push(`    ${tr('Fix', '조치 순서')}:`, ...list(rb.before));
      return out;
    }
    // The first screen showed steps from+1 … from+skipFirst: the steps around them are printed here, one numbering.
    const from = shown.from ?? 0;
    const end = from + shown.skipFirst;
    if (from === 0 && end >= rb.before.length) return out;
    out.push(`    ${tr('Fix, the other steps', '조치 순서 (나머지 단계)')}:`, ...list(rb.before, 0, from));
    if (shown.skipFirst > 0)
      out.push(
        `      ${ctx.paint('grey', from + 1 === end ? tr(`step ${end}: above`, `${end}단계: 위 참고`) : tr(`steps ${from + 1}–${end}: above`, `${from + 1}–${end}단계: 위 참고`))}`,
      );
    out.push(...list(rb.before, end));
    return out;
  }
  if (rb.before.length > 0) out.push(`    ${tr('Before you choose', '선택하기 전에')}:`, ...list(rb.before));
  rb.options.forEach((o, index) => {
    if (index === 0 && shown.firstIsShown) {
      if (shown.skipFirst >= o.steps.length) out.push(`    ${optionHeading(o, ctx)}: ${tr('see above', '위 참고')}`);
      else out.push(`    ${optionHeading(o, ctx)} (${tr('continued', '이어서')}):`, ...list(o.steps, shown.skipFirst));
      return;
    }
    out.push(`    ${index === 0 ? '' : tr('Or ', '또는 ')}${optionHeading(o, ctx)}:`, ...list(o.steps));
  });
  if (rb.after.length > 0)
    out.push(`    ${tr('Then verify (after any option)', '확인 (어느 옵션이든 마친 뒤)')}:`, ...list(rb.after));
  return out;
}

function fullFinding(
  { finding, cause, explains }: FindingView,
  evidence: { lines: string[]; repeated: number },
  ctx: Ctx,
): string[] {
  const { paint, tr } = ctx;
  const lines = [
    '',
    `  ${severityWord(finding, ctx)} ${paint('bold', finding.title)} ${paint('grey', `[${finding.id}]`)}`,
  ];
  lines.push(...wrap(finding.detail, 4));
  if (finding.causedBy) {
    const c = cause?.finding;
    lines.push(`    ${tr('Caused by', '원인')}: ${c ? `${c.title} [${c.id}]` : finding.causedBy}`);
  }
  if (finding.impact) lines.push(`    ${tr('Why it matters', '영향')}: ${finding.impact}`);
  if (evidence.lines.length > 0 || evidence.repeated > 0) {
    lines.push(`    ${tr('Evidence', '근거')}:`);
    for (const e of evidence.lines) lines.push(`      ${paint('grey', '│')} ${e}`);
    if (evidence.repeated > 0)
      lines.push(
        `      ${paint('grey', tr(`(${evidence.repeated} line(s) quoted above)`, `(위에 인용한 ${evidence.repeated}줄 생략)`))}`,
      );
  }
  lines.push(...runbookLines(runbookView(finding.runbook), ctx));
  if (finding.remediation)
    lines.push(
      `    ${tr('Automated fix available', '자동 조치 가능')}: ${finding.remediation.title} (${finding.remediation.id})`,
    );
  if (explains.length > 0) {
    lines.push(`    ${tr('What it caused', '이 원인이 일으킨 문제')}:`);
    for (const e of explains)
      lines.push(
        `      • ${severityWord(e.finding, ctx)} ${e.finding.title} ${paint('grey', `[${e.finding.id}]`)} · ${e.component}`,
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
