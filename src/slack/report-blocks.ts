// Renders a Report as Slack Block Kit, first screen only: the verdict, one status line per failing component, the
// root cause with its key evidence and the first option's steps, within SLACK_FIRST_SCREEN_LINES. Everything else
// (the rest of the runbook, what the root cause caused, further findings) is in the thread (details-blocks.ts).
import type { Lang, Report } from '../engine/report.ts';
import { type FindingView, type ReportView, reportView } from '../engine/report-view.ts';
import { ClusterName, fixActionId, rerunButton } from './actions.ts';
import {
  type Button,
  componentName,
  context,
  HEADER_EMOJI,
  type KnownBlock,
  plain,
  SEVERITY_EMOJI,
  STATUS_EMOJI,
  section,
  sections,
} from './blocks.ts';
import { stepText } from './finding-blocks.ts';
import { type Labels, labels } from './i18n.ts';
import { LIMITS, type SlackMessage } from './limits.ts';
import { codeBlock, escapeMrkdwn, oneLine, safe } from './mrkdwn.ts';

export interface RenderOptions {
  /** The further findings go to the thread (`--details`): the footnote says so. */
  details?: boolean;
  /** Slack user id of the person who asked; shown in the footer. */
  requestedBy?: string;
  lang?: Lang;
  /** Offer Fix buttons for findings with a remediation. Off by default: a fix needs an approval flow. */
  remediationEnabled?: boolean;
  /** Which findings have an implemented remediation (src/remediate registry); without it, any with an id. */
  remediable?: (finding: Report['components'][number]['findings'][number]) => boolean;
  /**
   * The opaque id the Re-run button carries (a Re-run offer the caller records with the cluster, scope and thread
   * digest), or undefined for no Re-run button: a button never carries its target itself.
   */
  rerunId?: string;
  /**
   * The opaque id a Fix… button carries for this finding (an offer the caller records), or undefined for no
   * button. Without it there are no Fix buttons: a button never carries the finding or remediation itself.
   */
  offerFix?: (finding: Report['components'][number]['findings'][number], remediationId: string) => string | undefined;
}

const MAX_FIX_BUTTONS = 5;

/**
 * The first screen of a Slack report: the top-level message is at most this many rendered lines (renderedLines).
 * It holds the verdict, the root cause with its key evidence and the first option's steps; the rest is in the thread.
 */
export const SLACK_FIRST_SCREEN_LINES = 15;

/**
 * Lines of a message as Slack draws them before wrapping (which depends on the window): a header, a context row
 * and a row of buttons are one line each, a divider none, a section as many as its text has (a code fence opens
 * and closes its block and is not a line of its own).
 */
export function renderedLines(message: SlackMessage): number {
  let lines = 0;
  for (const block of message.blocks as { type: string; text?: { text?: string } }[]) {
    if (block.type === 'divider') continue;
    if (block.type !== 'section') {
      lines += 1;
      continue;
    }
    const text = (block.text?.text ?? '').replace(/```\n?/g, '\n');
    lines += text.split('\n').filter((line) => line.trim() !== '').length;
  }
  return lines;
}

export interface Layout {
  message: SlackMessage;
  /** Findings the message shows in full. */
  full: Set<string>;
  /** Findings the message shows at all. */
  shown: Set<string>;
  /** Steps of the first screen's list (the first option's, or the runbook's) the message shows. */
  shownSteps: number;
  /** Evidence lines of the lead the message quotes. */
  shownEvidence: number;
  /** Something is left for the thread. */
  hasMore: boolean;
}

const lineCount = (text: string) =>
  text
    .replace(/```\n?/g, '\n')
    .split('\n')
    .filter((l) => l.trim() !== '').length;

export function layoutReport(report: Report, view: ReportView, options: RenderOptions): Layout {
  const lang = options.lang ?? report.lang;
  const L = labels(lang);
  const name = report.cluster.name;

  // Failing components in reading order: the one holding the root cause first.
  const failing = view.failing.map((c) => c.report);
  const ok = report.components.filter((c) => c.status === 'ok');
  // A component that could not be read says why on its own line, first error included: never a silent gap.
  const statusLines = failing.map((c) => {
    const summary = oneLine(c.summary) || L.status[c.status];
    const error = c.errors?.[0];
    // Without a lead finding the errors get their own section below instead.
    const why =
      error && view.firstScreen.lead && !summary.includes(error) ? ` — ${L.couldNotRead}: ${oneLine(error)}` : '';
    return `${STATUS_EMOJI[c.status]} *${componentName(L, c.component)}* — ${safe(summary + why, 900)}`;
  });
  // Healthy components share one line: the header already gave the verdict.
  if (ok.length > 0)
    statusLines.push(
      `${STATUS_EMOJI.ok} ${ok.map((c) => `*${componentName(L, c.component)}*`).join(' · ')} — ${L.status.ok}`,
    );
  const head: KnownBlock[] = [
    {
      type: 'header',
      text: plain(`${HEADER_EMOJI[report.status]} netcheck — ${name}: ${L.status[report.status]}`, LIMITS.headerText),
    },
    section(statusLines.length > 0 ? statusLines.join('\n') : L.healthy),
  ];

  const screen = view.firstScreen;
  const lead = screen.lead;
  const full = new Set<string>();
  const shown = new Set<string>();
  const body: KnownBlock[] = [];
  let shownSteps = 0;
  let shownEvidence = 0;
  const showButtons = report.status !== 'ok';
  // Lines the frame takes whatever the body holds: header and status lines, the pointer, buttons and footer.
  const frame = 1 + statusLines.length + 1 + (showButtons ? 1 : 0) + 1;
  const room = SLACK_FIRST_SCREEN_LINES - frame;

  if (lead) {
    const { finding } = lead;
    const title = `${SEVERITY_EMOJI[finding.severity]} *${lead.isRootCause ? `${L.rootCause}: ` : ''}${safe(oneLine(finding.title), 250)}*  \`${finding.id}\``;
    const what = (keep: number) =>
      [
        title,
        safe(oneLine(finding.detail), 1500),
        keep > 0 ? codeBlock(screen.evidence.slice(0, keep), { maxLineLength: 300, maxLength: 1400 }) : '',
      ]
        .filter(Boolean)
        .join('\n');
    const heading = screen.option
      ? `*${L.howToFix}: ${L.option(screen.option.id, screen.option.title, screen.option.recommended === true)}*`
      : `*${L.howToFix}*`;
    const lay = (keep: number) => {
      const top = what(keep);
      let used = lineCount(top) + (screen.steps.length > 0 ? 1 : 0);
      const steps: string[] = [];
      for (const [index, st] of screen.steps.entries()) {
        const text = stepText(st, screen.stepsFrom + index + 1, lang);
        if (used + lineCount(text) > room) break;
        steps.push(text);
        used += lineCount(text);
      }
      // A first step too long for the screen (a heredoc) is still named; its command is in the thread.
      const first = screen.steps[0];
      if (steps.length === 0 && first && used + 1 <= room)
        steps.push(`${screen.stepsFrom + 1}. ${safe(first.text, 600)} _(${L.commandInThread})_`);
      return { top, steps, keep, used };
    };
    // Key evidence shrinks to one line before any of the first option's steps moves to the thread.
    const keeps = [...new Set([screen.evidence.length, Math.min(1, screen.evidence.length)])];
    let laid = lay(keeps.at(-1) ?? 0);
    for (const keep of keeps) {
      const attempt = lay(keep);
      if (attempt.steps.length === screen.steps.length && attempt.used <= room) {
        laid = attempt;
        break;
      }
    }
    body.push(section(laid.top));
    if (laid.steps.length > 0) body.push(...sections([heading, ...laid.steps]));
    shownSteps = laid.steps.filter((t) => !t.endsWith(`_(${L.commandInThread})_`)).length;
    shownEvidence = laid.keep;
    shown.add(finding.id);
    if (
      shownSteps === finding.runbook.length &&
      shownEvidence === finding.evidence.length &&
      !finding.impact &&
      lead.explains.length === 0
    )
      full.add(finding.id);
  } else {
    // Nothing to act on: what could not be read, as far as the screen allows.
    const errors = failing.flatMap((c) => (c.errors ?? []).map((e) => `• ${safe(e, 400)}`));
    const lines = Math.max(0, room - 1);
    if (errors.length > 0) {
      const kept = errors.length > lines ? errors.slice(0, Math.max(0, lines - 1)) : errors;
      if (kept.length < errors.length) kept.push(`• ${L.andMore(errors.length - kept.length)}`);
      body.push(section([`*${L.couldNotRead}:*`, ...kept].join('\n')));
    }
  }

  const hasMore = lead !== undefined && thread(view, lead, shownSteps, shownEvidence, L).length > 0;
  const tail: KnownBlock[] = [];
  if (lead && hasMore) {
    const parts = thread(view, lead, shownSteps, shownEvidence, L);
    const where = options.details
      ? `:thread: ${escapeMrkdwn(L.inThread(parts))}`
      : `:heavy_plus_sign: ${escapeMrkdwn(L.notShown(parts))} ${L.detailsCommand(`/netcheck ${report.scope} --cluster ${name} --details`)}`;
    tail.push(context([where]));
  }
  if (showButtons) {
    const buttons = actionButtons(report, lead ? [lead] : [], options, L);
    if (buttons.length > 0) tail.push({ type: 'actions', elements: buttons });
  }
  tail.push(footer(report, options, L));

  return {
    message: { text: fallbackText(report, view.failingFindings, L), blocks: [...head, ...body, ...tail] },
    full,
    shown,
    shownSteps,
    shownEvidence,
    hasMore,
  };
}

/** What the thread holds beyond the first screen, named for the pointer line; empty when nothing is left. */
function thread(view: ReportView, lead: FindingView, shownSteps: number, shownEvidence: number, L: Labels): string[] {
  const screen = view.firstScreen;
  const rb = screen.runbook;
  const parts: string[] = [];
  const left = screen.steps.length - shownSteps;
  if (left > 0) parts.push(L.moreSteps(left));
  const tail = rb.options.length === 0 ? rb.before.length - screen.stepsFrom - screen.steps.length : rb.after.length;
  if ((screen.option && rb.before.length > 0) || screen.stepsFrom > 0) parts.push(L.checksBefore);
  for (const o of rb.options.slice(1)) parts.push(L.optionShort(o.option.id));
  if (tail > 0) parts.push(L.verification);
  if (lead.explains.length > 0) parts.push(L.causedCount(lead.explains.length));
  const further = otherFindings(view, lead).length;
  if (further > 0) parts.push(L.furtherCount(further));
  if (parts.length === 0 && (lead.finding.impact || shownEvidence < lead.finding.evidence.length))
    parts.push(L.whyItMatters.toLowerCase());
  return parts;
}

/** Every failing finding but the lead and what it explains: other root causes, then further findings. */
export function otherFindings(view: ReportView, lead: FindingView): FindingView[] {
  const explained = new Set(lead.explains.map((e) => e.finding.id));
  return view.failingFindings.filter(
    (f) => f !== lead && !explained.has(f.finding.id) && (f.isRootCause || view.furtherFindings.includes(f)),
  );
}

function actionButtons(report: Report, shown: FindingView[], options: RenderOptions, L: Labels): Button[] {
  // A cluster name no listener accepts (a CLI context like arn:aws:…) gets no buttons: they could only be refused.
  if (!ClusterName.safeParse(report.cluster.name).success) return [];
  const buttons: Button[] = [];
  if (options.rerunId) buttons.push(rerunButton(options.rerunId, L));
  if (!options.remediationEnabled || !options.offerFix) return buttons;
  const seen = new Set<string>();
  for (const { finding } of shown) {
    const remediation = finding.remediation;
    if (!remediation || seen.has(remediation.id) || seen.size >= MAX_FIX_BUTTONS) continue;
    if (options.remediable && !options.remediable(finding)) continue;
    const offerId = options.offerFix(finding, remediation.id);
    if (!offerId) continue;
    buttons.push({
      type: 'button',
      action_id: fixActionId(seen.size),
      text: plain(`:wrench: ${L.fix(remediation.title)}`, LIMITS.buttonText),
      value: offerId,
      style: 'primary',
      confirm: {
        title: plain(L.fixConfirmTitle, LIMITS.confirmTitle),
        text: plain(L.fixConfirmText(remediation.title, report.cluster.name), LIMITS.confirmText),
        confirm: plain(L.fixConfirm, LIMITS.confirmButton),
        deny: plain(L.fixDeny, LIMITS.confirmButton),
      },
    });
    seen.add(remediation.id);
  }
  return buttons;
}

function footer(report: Report, options: RenderOptions, L: Labels): KnownBlock {
  const started = Date.parse(report.startedAt);
  const epoch = Math.floor(started / 1000);
  const fallback = `${new Date(started).toISOString().replace('T', ' ').slice(0, 16)} UTC`;
  const elements: string[] = [];
  if (options.requestedBy) {
    const user = /^[UW][A-Z0-9]{2,}$/.test(options.requestedBy)
      ? `<@${options.requestedBy}>`
      : escapeMrkdwn(options.requestedBy);
    elements.push(L.requestedBy(user));
  }
  elements.push(
    L.checked(report.components.map((c) => componentName(L, c.component)).join(', ') || '—'),
    L.apiCalls(report.requests),
    L.duration(report.durationMs),
    `<!date^${epoch}^{date_short_pretty} {time}|${fallback}>`,
    safe(L.cluster(report.cluster.flavor, report.cluster.cni), 300),
  );
  return context(elements);
}

/** The notification text: cluster, scope, verdict and the root cause in one line. */
function fallbackText(report: Report, failing: FindingView[], L: Labels): string {
  const verdict = `${report.cluster.name} ${L.scope[report.scope]}: ${L.status[report.status]}`;
  const primary = failing.find((f) => f.isRoot) ?? failing[0];
  let why: string;
  if (primary) {
    why = `${primary.finding.title} (${primary.finding.id})`;
    if (failing.length > 1) why += ` +${failing.length - 1}`;
  } else {
    const unknown = report.components.find((c) => c.status !== 'ok');
    why = unknown ? (unknown.errors?.[0] ?? unknown.summary) : L.healthy;
  }
  return safe(`${verdict} — ${why}`, 500);
}

export function renderReport(report: Report, options: RenderOptions = {}): SlackMessage {
  return layoutReport(report, reportView(report), options).message;
}
