// One component laid out as trimmable units: its heading, root causes in full (evidence, why it matters, runbook,
// what it caused), every other finding as one line. Shared by the report and the thread's details.
import { placeLabel } from '../engine/i18n.ts';
import type { ComponentReport, Lang, RunbookStep } from '../engine/report.ts';
import { type ComponentView, type FindingView, type RunbookView, runbookView } from '../engine/report-view.ts';
import { componentName, type KnownBlock, SEVERITY_EMOJI, STATUS_EMOJI, section, sections } from './blocks.ts';
import type { Labels } from './i18n.ts';
import { LIMITS } from './limits.ts';
import { codeBlock, command, oneLine, safe } from './mrkdwn.ts';

const MAX_RUNBOOK_STEPS = 15;

/** A unit of layout: kept or dropped as a whole when the message is trimmed. */
export interface Unit {
  blocks: KnownBlock[];
  /** Findings this unit shows in full (with evidence and runbook). */
  full: string[];
  /** Findings this unit shows as one line. */
  brief: string[];
}

export function unitChars(unit: Unit): number {
  return JSON.stringify(unit.blocks).length;
}

export function componentHeading(component: ComponentReport, L: Labels): KnownBlock[] {
  const pieces = [
    // No status word: the report's status lines already said it once.
    `${STATUS_EMOJI[component.status]} *${componentName(L, component.component)}*`,
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

export function fullFinding(view: FindingView, L: Labels, lang: Lang | undefined): KnownBlock[] {
  const { finding } = view;
  const title = `${SEVERITY_EMOJI[finding.severity]} *${view.isRootCause ? `${L.rootCause}: ` : ''}${safe(oneLine(finding.title), 250)}*  \`${finding.id}\``;
  const what = [title, safe(finding.detail, 1500)];
  // In the thread a symptom is shown in full: say what it comes from.
  if (view.cause && finding.causedBy) what.push(`_${L.causedBy(`\`${finding.causedBy}\``)}_`);
  if (finding.evidence.length > 0) {
    what.push(
      `*${L.evidence}*\n${codeBlock(finding.evidence.filter(Boolean), { maxLineLength: 300, maxLength: 1400 })}`,
    );
  }

  const how: string[] = [];
  if (finding.impact) how.push(`*${L.whyItMatters}*\n${safe(finding.impact, 1000)}`);
  if (finding.runbook.length > 0) {
    how.push(`*${L.howToFix}*`);
    how.push(...runbookTexts(runbookView(finding.runbook), L, lang));
  }

  const caused: string[] = [];
  const effects = view.consequences;
  if (effects.length > 0) {
    caused.push(`*${L.whatItCaused}*`);
    for (const effect of effects.slice(0, 10)) {
      const where = effect.component === view.component ? '' : ` · ${componentName(L, effect.component)}`;
      caused.push(
        `• ${SEVERITY_EMOJI[effect.finding.severity]} ${safe(oneLine(effect.finding.title), 250)} \`${effect.finding.id}\`${where}`,
      );
    }
    if (effects.length > 10) caused.push(`• ${L.andMore(effects.length - 10)}`);
  }
  return [...sections(what), ...sections(how), ...sections(caused)];
}

function briefLine(view: FindingView, L: Labels): string {
  const { finding, cause } = view;
  let line = `${SEVERITY_EMOJI[finding.severity]} *${safe(finding.title, 200)}* \`${finding.id}\` — ${safe(finding.detail, 350)}`;
  if (cause && finding.causedBy) {
    const elsewhere =
      cause.component !== view.component ? `, ${L.seeComponent(componentName(L, cause.component))}` : '';
    line += ` _(${L.causedBy(`\`${finding.causedBy}\``)}${elsewhere})_`;
  }
  return line;
}

/** The component's heading, the findings `showFull` picks in full, the rest as one line each (packed into few sections). */
export function componentUnits(
  component: ComponentView,
  L: Labels,
  showFull: (f: FindingView, i: number) => boolean,
  lang?: Lang,
): Unit[] {
  const units: Unit[] = [];
  const heading = componentHeading(component.report, L);
  const briefs: FindingView[] = [];
  component.findings.forEach((finding, index) => {
    if (showFull(finding, index))
      units.push({ blocks: fullFinding(finding, L, lang), full: [finding.finding.id], brief: [] });
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
    const line = briefLine(finding, L);
    const id = finding.finding.id;
    if (!current) {
      current = {
        text: `${units.length === 0 || units.some((u) => u.brief.length > 0) ? '' : furtherHeading}${line}`,
        ids: [id],
      };
    } else if (current.text.length + 1 + line.length <= LIMITS.sectionText) {
      current.text += `\n${line}`;
      current.ids.push(id);
    } else {
      flush();
      current = { text: line, ids: [id] };
    }
  }
  flush();
  // The heading travels with the first unit, so a component is never shown without anything under it.
  const [first, ...rest] = units;
  if (!first) return [{ blocks: heading, full: [], brief: [] }];
  return [{ ...first, blocks: [...heading, ...first.blocks] }, ...rest];
}

/** One numbered step: its text, where its command runs (and whether it changes something), then the command. */
export function stepText(step: RunbookStep, n: number, lang: Lang | undefined): string {
  const place = placeLabel(step, lang);
  const line = `${n}. ${safe(step.text, 600)}${place ? ` _(${place})_` : ''}`;
  return step.command ? `${line}\n${command(step.command, 1800)}` : line;
}

/**
 * A runbook as text pieces: the common steps, each option under its own heading (follow one), then the
 * verification. `skip` leaves out the first option's first steps when the report above already showed them.
 */
export function runbookTexts(
  rb: RunbookView,
  L: Labels,
  lang: Lang | undefined,
  skip?: { firstOption: number; from?: number },
): string[] {
  const out: string[] = [];
  const list = (steps: RunbookStep[], from = 0, to = steps.length) =>
    steps.slice(from, Math.min(to, MAX_RUNBOOK_STEPS)).map((st, i) => stepText(st, from + i + 1, lang));
  if (rb.options.length === 0) {
    // The report showed steps from+1 … from+firstOption: the steps around them come here, in one numbering.
    const from = skip?.from ?? 0;
    const end = from + (skip?.firstOption ?? 0);
    out.push(...list(rb.before, 0, from));
    if (end > from) out.push(`_${L.seeAbove(L.stepRange(from + 1, end))}_`);
    out.push(...list(rb.before, end));
    const more = rb.before.length - MAX_RUNBOOK_STEPS;
    if (more > 0) out.push(`_${L.andMore(more)}_`);
    return out;
  }
  if (rb.before.length > 0) out.push(`*${L.beforeYouChoose}*`, ...list(rb.before));
  rb.options.forEach((o, index) => {
    const heading = L.option(o.option.id, o.option.title, o.option.recommended === true);
    if (index === 0 && skip) {
      if (skip.firstOption >= o.steps.length) out.push(`_${L.seeAbove(heading)}_`);
      else out.push(`*${L.continued(heading)}*`, ...list(o.steps, skip.firstOption));
      return;
    }
    out.push(`*${index === 0 ? heading : L.orOption(heading)}*`, ...list(o.steps));
  });
  if (rb.after.length > 0) out.push(`*${L.thenVerify}*`, ...list(rb.after));
  return out;
}
