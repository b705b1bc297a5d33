// Renders a Report as Slack Block Kit: a verdict per component, then the root cause with its evidence and runbook,
// then what it caused; everything else briefly. Trims to Slack's limits, root cause first, and says what was left out.
import type { types } from '@slack/bolt';
import type {
  ComponentName,
  ComponentReport,
  Finding,
  Lang,
  Report,
  Scope,
  Severity,
  Status,
} from '../engine/report.ts';
import { ACTIONS, ButtonValue, fixActionId } from './actions.ts';
import { type Labels, labels } from './i18n.ts';
import { LIMITS, type SlackMessage } from './limits.ts';
import { clip, codeBlock, command, escapeMrkdwn, oneLine, pack, safe } from './mrkdwn.ts';

export { ACTIONS, FIX_ACTION_PATTERN, fixActionId, parseButtonValue } from './actions.ts';
export { langFromLocale } from './i18n.ts';
export { checkLimits, LIMITS, type SlackMessage } from './limits.ts';

type KnownBlock = types.KnownBlock;
type SectionBlock = types.SectionBlock;
type Button = types.Button;

export interface RenderOptions {
  /** The further findings go to the thread (`--details`): the footnote says so. */
  details?: boolean;
  /** Slack user id of the person who asked; shown in the footer. */
  requestedBy?: string;
  lang?: Lang;
  /** Offer Fix buttons for findings with a remediation. Off by default: a fix needs an approval flow. */
  remediationEnabled?: boolean;
}

/** Not a Slack limit: a message longer than this is no longer read, and Slack folds it anyway. */
export const MESSAGE_CHAR_BUDGET = 12_000;
const FULL_FINDINGS_BUDGET = 8_000;
const MAX_FIX_BUTTONS = 5;
const MAX_RUNBOOK_STEPS = 15;

const STATUS_EMOJI: Record<Status, string> = {
  ok: ':white_check_mark:',
  warning: ':warning:',
  critical: ':red_circle:',
  unknown: ':grey_question:',
};
const HEADER_EMOJI: Record<Status, string> = { ...STATUS_EMOJI, critical: ':rotating_light:' };
const SEVERITY_EMOJI: Record<Severity, string> = {
  critical: ':red_circle:',
  warning: ':warning:',
  info: ':information_source:',
};
const PROGRESS_EMOJI = ':hourglass_flowing_sand:';

// ---------------------------------------------------------------------------------------------------------------
// Ordering: root causes first, in findings and in components.

interface Located {
  finding: Finding;
  component: ComponentReport;
}

class Graph {
  readonly byId = new Map<string, Located>();
  readonly effects = new Map<string, Located[]>();

  constructor(report: Report) {
    for (const component of report.components) {
      for (const finding of component.findings) {
        if (!this.byId.has(finding.id)) this.byId.set(finding.id, { finding, component });
      }
    }
    for (const component of report.components) {
      for (const finding of component.findings) {
        if (!finding.causedBy || finding.causedBy === finding.id || !this.byId.has(finding.causedBy)) continue;
        const list = this.effects.get(finding.causedBy) ?? [];
        list.push({ finding, component });
        this.effects.set(finding.causedBy, list);
      }
    }
  }

  /** A finding is a root cause when nothing in this report causes it. */
  isRoot(finding: Finding): boolean {
    return !finding.causedBy || finding.causedBy === finding.id || !this.byId.has(finding.causedBy);
  }

  causesOthers(finding: Finding): boolean {
    return (this.effects.get(finding.id)?.length ?? 0) > 0;
  }
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

function orderFindings(component: ComponentReport, graph: Graph): Finding[] {
  const rank = (f: Finding) => (graph.isRoot(f) ? (graph.causesOthers(f) ? 0 : 1) : 2) * 10 + SEVERITY_RANK[f.severity];
  return component.findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map((x) => x.f);
}

/** Failing components, the one holding the root cause of the others first. */
function failingComponents(report: Report, graph: Graph): ComponentReport[] {
  const rank = (c: ComponentReport) =>
    c.findings.some((f) => graph.isRoot(f) && graph.causesOthers(f))
      ? 0
      : c.findings.some((f) => graph.isRoot(f))
        ? 1
        : 2;
  return report.components
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.status !== 'ok')
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map((x) => x.c);
}

// ---------------------------------------------------------------------------------------------------------------
// Building blocks.

function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function sections(pieces: string[]): SectionBlock[] {
  return pack(pieces, LIMITS.sectionText).map(section);
}

function context(elements: string[]): KnownBlock {
  return {
    type: 'context',
    elements: elements
      .slice(0, LIMITS.contextElements)
      .map((text) => ({ type: 'mrkdwn', text: clip(text, LIMITS.contextText) })),
  };
}

function plain(text: string, max: number): { type: 'plain_text'; text: string; emoji: true } {
  return { type: 'plain_text', text: clip(text, max), emoji: true };
}

function componentName(L: Labels, name: ComponentName): string {
  return L.component[name] ?? name;
}

/** A unit of layout: kept or dropped as a whole when the message is trimmed. */
interface Unit {
  blocks: KnownBlock[];
  /** Findings this unit shows in full (with evidence and runbook). */
  full: string[];
  /** Findings this unit shows as one line. */
  brief: string[];
}

function unitChars(unit: Unit): number {
  return JSON.stringify(unit.blocks).length;
}

function componentHeading(component: ComponentReport, L: Labels): KnownBlock[] {
  const pieces = [
    `${STATUS_EMOJI[component.status]} *${componentName(L, component.component)}* · ${L.status[component.status]}`,
    component.detected ? `_${safe(oneLine(component.detected), 500)}_` : '',
  ].filter(Boolean);
  const errors = (component.errors ?? []).slice(0, 10);
  if (errors.length > 0) {
    pieces.push(`*${L.couldNotRead}:*`, ...errors.map((e) => `• ${safe(e, 400)}`));
    const more = (component.errors?.length ?? 0) - errors.length;
    if (more > 0) pieces.push(`• ${L.andMore(more)}`);
  }
  return [{ type: 'divider' }, ...sections(pieces)];
}

function fullFinding(located: Located, graph: Graph, L: Labels): KnownBlock[] {
  const { finding } = located;
  const isRootCause = graph.isRoot(finding) && graph.causesOthers(finding);
  const title = `${SEVERITY_EMOJI[finding.severity]} *${isRootCause ? `${L.rootCause}: ` : ''}${safe(oneLine(finding.title), 250)}*  \`${finding.id}\``;
  const what = [title, safe(finding.detail, 1500)];
  // In the thread a symptom is shown in full: say what it comes from.
  if (!graph.isRoot(finding) && finding.causedBy) what.push(`_${L.causedBy(`\`${finding.causedBy}\``)}_`);
  if (finding.evidence.length > 0) {
    what.push(
      `*${L.evidence}*\n${codeBlock(finding.evidence.filter(Boolean), { maxLineLength: 300, maxLength: 1400 })}`,
    );
  }

  const how: string[] = [];
  if (finding.impact) how.push(`*${L.whyItMatters}*\n${safe(finding.impact, 1000)}`);
  if (finding.runbook.length > 0) {
    how.push(`*${L.howToFix}*`);
    const steps = finding.runbook.slice(0, MAX_RUNBOOK_STEPS);
    steps.forEach((step, index) => {
      const line = `${index + 1}. ${safe(step.text, 600)}`;
      how.push(step.command ? `${line}\n${command(step.command, 1800)}` : line);
    });
    const more = finding.runbook.length - steps.length;
    if (more > 0) how.push(`_${L.andMore(more)}_`);
  }

  const caused: string[] = [];
  const effects = graph.effects.get(finding.id) ?? [];
  if (effects.length > 0) {
    caused.push(`*${L.whatItCaused}*`);
    for (const effect of effects.slice(0, 10)) {
      const where = effect.component === located.component ? '' : ` · ${componentName(L, effect.component.component)}`;
      caused.push(
        `• ${SEVERITY_EMOJI[effect.finding.severity]} ${safe(oneLine(effect.finding.title), 250)} \`${effect.finding.id}\`${where}`,
      );
    }
    if (effects.length > 10) caused.push(`• ${L.andMore(effects.length - 10)}`);
  }
  return [...sections(what), ...sections(how), ...sections(caused)];
}

function briefLine(located: Located, graph: Graph, L: Labels): string {
  const { finding } = located;
  let line = `${SEVERITY_EMOJI[finding.severity]} *${safe(finding.title, 200)}* \`${finding.id}\` — ${safe(finding.detail, 350)}`;
  if (!graph.isRoot(finding) && finding.causedBy) {
    const cause = graph.byId.get(finding.causedBy)!;
    const elsewhere =
      cause.component !== located.component ? `, ${L.seeComponent(componentName(L, cause.component.component))}` : '';
    line += ` _(${L.causedBy(`\`${finding.causedBy}\``)}${elsewhere})_`;
  }
  return line;
}

/** The component's heading, its root causes in full, the rest as one line each (packed into few sections). */
function componentUnits(
  component: ComponentReport,
  graph: Graph,
  L: Labels,
  showFull: (f: Finding, i: number) => boolean,
): Unit[] {
  const findings = orderFindings(component, graph);
  const units: Unit[] = [];
  const heading = componentHeading(component, L);
  const briefs: Finding[] = [];
  findings.forEach((finding, index) => {
    if (showFull(finding, index))
      units.push({ blocks: fullFinding({ finding, component }, graph, L), full: [finding.id], brief: [] });
    else briefs.push(finding);
  });
  // Brief lines packed into sections; each section is one unit so trimming can drop the tail.
  let current: { text: string; ids: string[] } | undefined;
  const flush = () => {
    if (current) units.push({ blocks: [section(current.text)], full: [], brief: current.ids });
    current = undefined;
  };
  const furtherHeading = units.length > 0 ? `*${L.furtherFindings}*\n` : '';
  for (const finding of briefs) {
    const line = briefLine({ finding, component }, graph, L);
    if (!current) {
      current = {
        text: `${units.length === 0 || units.some((u) => u.brief.length > 0) ? '' : furtherHeading}${line}`,
        ids: [finding.id],
      };
    } else if (current.text.length + 1 + line.length <= LIMITS.sectionText) {
      current.text += `\n${line}`;
      current.ids.push(finding.id);
    } else {
      flush();
      current = { text: line, ids: [finding.id] };
    }
  }
  flush();
  // The heading travels with the first unit, so a component is never shown without anything under it.
  const [first, ...rest] = units;
  if (!first) return [{ blocks: heading, full: [], brief: [] }];
  return [{ ...first, blocks: [...heading, ...first.blocks] }, ...rest];
}

// ---------------------------------------------------------------------------------------------------------------
// The report.

interface Layout {
  message: SlackMessage;
  full: Set<string>;
  shown: Set<string>;
}

function failingFindings(report: Report, graph: Graph): Located[] {
  return failingComponents(report, graph).flatMap((component) =>
    orderFindings(component, graph).map((finding) => ({ finding, component })),
  );
}

/** Root causes get the full treatment: the first finding of a component, and every other critical root. */
function showFullInReport(graph: Graph) {
  return (finding: Finding, index: number) => graph.isRoot(finding) && (index === 0 || finding.severity === 'critical');
}

function layoutReport(report: Report, options: RenderOptions): Layout {
  const lang = options.lang ?? report.lang;
  const L = labels(lang);
  const graph = new Graph(report);
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

  const failing = failingComponents(report, graph);
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
  for (const component of failing) {
    // First try: root causes in full. When one does not fit, it and the later ones become one-liners and the
    // component is laid out again, so the reader still sees every finding that fits as a line.
    const demoted = new Set<string>();
    for (let attempt = 0; attempt < 2; attempt++) {
      const units = componentUnits(component, graph, L, (f, i) => showFullInReport(graph)(f, i) && !demoted.has(f.id));
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

  const all = failingFindings(report, graph);
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
    message: { text: fallbackText(report, all, graph, L), blocks: [...head, ...body, ...tail] },
    full,
    shown,
  };
}

function actionButtons(report: Report, shown: Located[], options: RenderOptions, L: Labels): Button[] {
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
function fallbackText(report: Report, failing: Located[], graph: Graph, L: Labels): string {
  const verdict = `${report.cluster.name} ${L.scope[report.scope]}: ${L.status[report.status]}`;
  const primary = failing.find((l) => graph.isRoot(l.finding)) ?? failing[0];
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
  return layoutReport(report, options).message;
}

/** Every finding the report did not show in full, with its evidence and runbook, for the thread (`--details`). */
export function renderDetails(report: Report, options: { lang?: Lang } = {}): SlackMessage[] {
  const lang = options.lang ?? report.lang;
  const L = labels(lang);
  const graph = new Graph(report);
  const { full } = layoutReport(report, { ...options, details: true });
  const units: Unit[] = [];
  for (const component of failingComponents(report, graph)) {
    if (!component.findings.some((f) => !full.has(f.id))) continue;
    const rest = componentUnits(component, graph, L, (f) => !full.has(f.id));
    units.push(...rest.filter((u) => u.full.length > 0));
  }
  if (units.length === 0) return [{ text: L.noFurtherFindings, blocks: [section(L.noFurtherFindings)] }];

  // Chunk into messages that fit: one title block each, then whole units.
  const chunks: Unit[][] = [];
  let current: Unit[] = [];
  let blocks = 0;
  let chars = 0;
  for (const unit of units) {
    const size = unitChars(unit);
    if (current.length > 0 && (blocks + unit.blocks.length > LIMITS.blocks - 1 || chars + size > MESSAGE_CHAR_BUDGET)) {
      chunks.push(current);
      current = [];
      blocks = 0;
      chars = 0;
    }
    current.push(unit);
    blocks += unit.blocks.length;
    chars += size;
  }
  chunks.push(current);
  return chunks.map((chunk, index) => {
    const title = L.detailsTitle(report.cluster.name, index + 1, chunks.length);
    const ids = chunk.flatMap((u) => u.full);
    return {
      text: safe(`${title}: ${ids.join(', ')}`, 500),
      blocks: [section(`*${safe(title, 300)}*`), ...chunk.flatMap((u) => u.blocks)].slice(0, LIMITS.blocks),
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Progress, acknowledgement, usage and errors.

export interface JobRef {
  cluster: string;
  scope: Scope;
  lang?: Lang;
}

/** A step from the engine (`{ phase, message }`) or any text; known phases are translated. */
export type ProgressStep = string | { phase?: string; message: string };

export function renderProgress(job: JobRef, step?: ProgressStep): SlackMessage {
  const L = labels(job.lang);
  const text = L.checking(L.scope[job.scope], job.cluster);
  const blocks: KnownBlock[] = [
    section(`${PROGRESS_EMOJI} ${L.checking(`*${L.scope[job.scope]}*`, `*${safe(job.cluster, 200)}*`)}`),
  ];
  if (step !== undefined) {
    const stepText = typeof step === 'string' ? step : ((step.phase && L.phase[step.phase]) ?? step.message);
    if (stepText) blocks.push(context([`${safe(stepText, 500)}…`.replace(/……$/, '…')]));
  }
  return { text: escapeMrkdwn(text), blocks };
}

export function renderAck(job: JobRef): { response_type: 'ephemeral'; text: string } {
  const L = labels(job.lang);
  return {
    response_type: 'ephemeral',
    text: `${PROGRESS_EMOJI} ${escapeMrkdwn(L.checking(L.scope[job.scope], job.cluster))} ${L.ackSuffix}`,
  };
}

const USAGE = '/netcheck <dns|cni|proxy|all|help> [--cluster NAME] [--lang en|ko] [--details]';

export function renderUsage(options: { clusters: string[]; error?: string; lang?: Lang }): {
  response_type: 'ephemeral';
  text: string;
  blocks: KnownBlock[];
} {
  const L = labels(options.lang);
  const blocks: KnownBlock[] = [];
  if (options.error) blocks.push(section(`:warning: ${safe(options.error, 1000)}`));
  const subcommands = (['dns', 'cni', 'proxy', 'all', 'help'] as const).map((s) => `• \`${s}\` — ${L.subcommands[s]}`);
  blocks.push(section([`*${L.usageTitle}*`, `\`${escapeMrkdwn(USAGE)}\``, ...subcommands].join('\n')));
  blocks.push(section(L.options.map((o) => `• ${o}`).join('\n')));
  if (options.clusters.length === 0) blocks.push(section(L.noClusters));
  else {
    const prefix = `*${L.clustersYouMayCheck}:* `;
    const names: string[] = [];
    let length = prefix.length;
    for (const [index, cluster] of options.clusters.entries()) {
      const item = `\`${safe(cluster, 100)}\``;
      const rest = options.clusters.length - index;
      if (length + item.length + 2 + 20 > LIMITS.sectionText && rest > 0) {
        names.push(L.andMore(rest));
        break;
      }
      names.push(item);
      length += item.length + 2;
    }
    blocks.push(section(prefix + names.join(', ')));
  }
  blocks.push(context([L.examples]));
  const text = options.error ? `${escapeMrkdwn(options.error)} — ${escapeMrkdwn(USAGE)}` : escapeMrkdwn(USAGE);
  return { response_type: 'ephemeral', text: clip(text, 1000), blocks };
}

export function renderError(options: { cluster: string; message: string; lang?: Lang }): SlackMessage {
  const L = labels(options.lang);
  const title = L.couldNotCheck(options.cluster);
  return {
    text: safe(`${title}: ${options.message}`, 500),
    blocks: [section(`:no_entry: *${safe(title, 300)}*\n${safe(options.message, 2500)}`), context([L.errorHint])],
  };
}
