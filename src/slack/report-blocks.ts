// Renders a Report as Slack Block Kit: a verdict per component, then the root cause with its evidence and runbook,
// then what it caused; everything else briefly. Trims to Slack's limits, root cause first, and says what was left out.
import type { Lang, Report } from '../engine/report.ts';
import { type FindingView, type ReportView, reportView } from '../engine/report-view.ts';
import { ACTIONS, ButtonValue, fixActionId } from './actions.ts';
import {
  type Button,
  componentName,
  context,
  HEADER_EMOJI,
  type KnownBlock,
  MESSAGE_CHAR_BUDGET,
  plain,
  STATUS_EMOJI,
  section,
} from './blocks.ts';
import { componentUnits, type Unit, unitChars } from './finding-blocks.ts';
import { type Labels, labels } from './i18n.ts';
import { LIMITS, type SlackMessage } from './limits.ts';
import { escapeMrkdwn, oneLine, safe } from './mrkdwn.ts';

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
}

const FULL_FINDINGS_BUDGET = 8_000;
const MAX_FIX_BUTTONS = 5;

export interface Layout {
  message: SlackMessage;
  /** Findings the message shows in full. */
  full: Set<string>;
  /** Findings the message shows at all. */
  shown: Set<string>;
}

/** Root causes get the full treatment: the first finding of a component, and every other critical root. */
function showFullInReport(finding: FindingView, index: number): boolean {
  return finding.isRoot && (index === 0 || finding.finding.severity === 'critical');
}

export function layoutReport(report: Report, view: ReportView, options: RenderOptions): Layout {
  const lang = options.lang ?? report.lang;
  const L = labels(lang);
  const name = report.cluster.name;

  const head: KnownBlock[] = [
    {
      type: 'header',
      text: plain(`${HEADER_EMOJI[report.status]} netcheck — ${name}: ${L.status[report.status]}`, LIMITS.headerText),
    },
    section(
      report.components.length > 0
        ? report.components
            .map(
              (c) =>
                `${STATUS_EMOJI[c.status]} *${componentName(L, c.component)}* — ${safe(oneLine(c.summary) || L.status[c.status], 900)}`,
            )
            .join('\n')
        : L.healthy,
    ),
  ];

  const full = new Set<string>();
  const shown = new Set<string>();
  const body: KnownBlock[] = [];
  let chars = JSON.stringify(head).length;
  // Reserve room for the footnote, the buttons and the footer.
  const maxBodyBlocks = LIMITS.blocks - head.length - 3;
  const commit = (unit: Unit) => {
    body.push(...unit.blocks);
    chars += unitChars(unit);
    for (const id of unit.full) full.add(id);
    for (const id of [...unit.full, ...unit.brief]) shown.add(id);
  };
  for (const component of view.failing) {
    // First try: root causes in full. When one does not fit, it and the later ones become one-liners and the
    // component is laid out again, so the reader still sees every finding that fits as a line.
    const demoted = new Set<string>();
    for (let attempt = 0; attempt < 2; attempt++) {
      const units = componentUnits(component, L, (f, i) => showFullInReport(f, i) && !demoted.has(f.finding.id));
      let blocks = body.length;
      let size = chars;
      let rejected = -1;
      for (const [index, unit] of units.entries()) {
        const unitSize = unitChars(unit);
        const mandatory = blocks === 0; // the first unit is the root cause and its runbook: always kept
        // Runbooks beyond the first may use only part of the budget: the rest is for one line per further finding.
        const budget = unit.full.length > 0 ? FULL_FINDINGS_BUDGET : MESSAGE_CHAR_BUDGET;
        if (!mandatory && (blocks + unit.blocks.length > maxBodyBlocks || size + unitSize > budget)) {
          rejected = index;
          break;
        }
        blocks += unit.blocks.length;
        size += unitSize;
      }
      const rejectedUnit = rejected === -1 ? undefined : units[rejected];
      if (attempt === 0 && rejectedUnit && rejectedUnit.full.length > 0) {
        for (const unit of units.slice(rejected)) for (const id of unit.full) demoted.add(id);
        continue;
      }
      for (const unit of rejected === -1 ? units : units.slice(0, rejected)) commit(unit);
      break;
    }
  }

  const all = view.failingFindings;
  const omitted = all.filter((l) => !shown.has(l.finding.id)).length;
  const notFull = all.filter((l) => !full.has(l.finding.id)).length;
  const tail: KnownBlock[] = [];
  const detailsCommand = `/netcheck ${report.scope} --cluster ${name} --details`;
  if (options.details && notFull > 0) tail.push(context([`:thread: ${L.leftOutInThread(notFull)}`]));
  else if (omitted > 0) tail.push(context([`:scissors: ${escapeMrkdwn(L.leftOut(omitted, detailsCommand))}`]));

  if (report.status !== 'ok') {
    const buttons = actionButtons(
      report,
      all.filter((l) => shown.has(l.finding.id)),
      options,
      L,
    );
    if (buttons.length > 0) tail.push({ type: 'actions', elements: buttons });
  }
  tail.push(footer(report, options, L));

  return {
    message: { text: fallbackText(report, all, L), blocks: [...head, ...body, ...tail] },
    full,
    shown,
  };
}

function actionButtons(report: Report, shown: FindingView[], options: RenderOptions, L: Labels): Button[] {
  const target = { cluster: report.cluster.name, scope: report.scope };
  // A cluster name the button schema refuses (a CLI context like arn:aws:…) gets no buttons rather than a bad value.
  if (!ButtonValue.safeParse(target).success) return [];
  const buttons: Button[] = [
    {
      type: 'button',
      action_id: ACTIONS.rerun,
      text: plain(`:repeat: ${L.rerun}`, LIMITS.buttonText),
      value: JSON.stringify(target),
    },
  ];
  if (!options.remediationEnabled) return buttons;
  const seen = new Set<string>();
  for (const { finding } of shown) {
    const remediation = finding.remediation;
    if (!remediation || seen.has(remediation.id) || seen.size >= MAX_FIX_BUTTONS) continue;
    if (options.remediable && !options.remediable(finding)) continue;
    const value = ButtonValue.safeParse({ ...target, remediation: remediation.id, finding: finding.id });
    if (!value.success) continue;
    buttons.push({
      type: 'button',
      action_id: fixActionId(seen.size),
      text: plain(`:wrench: ${L.fix(remediation.title)}`, LIMITS.buttonText),
      value: JSON.stringify(value.data),
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
