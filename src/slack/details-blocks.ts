// The thread under a report: everything its first screen left out, each finding once — the rest of the root cause
// (why it matters, more evidence, the checks before the fix, the other options, the verification), what it caused,
// then every further finding in full — chunked into messages that fit.
import type { Lang, Report } from '../engine/report.ts';
import { reportView } from '../engine/report-view.ts';
import { type KnownBlock, MESSAGE_CHAR_BUDGET, SEVERITY_EMOJI, section, sections } from './blocks.ts';
import { componentHeading, fullFinding, runbookTexts, type Unit, unitChars } from './finding-blocks.ts';
import { labels } from './i18n.ts';
import { LIMITS, type SlackMessage } from './limits.ts';
import { codeBlock, safe } from './mrkdwn.ts';
import { layoutReport, otherFindings } from './report-blocks.ts';

export interface DetailsOptions {
  lang?: Lang;
  /** This rest replaces one posted earlier in the thread (a Re-run or an incident update changed it). */
  updatedAt?: Date;
}

/** Everything the report's first screen did not show, for its thread. */
export function renderDetails(report: Report, options: DetailsOptions = {}): SlackMessage[] {
  const rest = renderRest(report, options);
  if (rest.length > 0) return rest;
  const L = labels(options.lang ?? report.lang);
  return [{ text: L.noFurtherFindings, blocks: [section(L.noFurtherFindings)] }];
}

/** A reply saying the rest posted earlier no longer applies: the report above now holds everything. */
export function renderNothingFurther(updatedAt: Date, lang?: Lang): SlackMessage {
  const text = labels(lang).nothingFurtherNow(`${updatedAt.toISOString().slice(11, 16)} UTC`);
  return { text, blocks: [section(text)] };
}

/**
 * The rest of the report for its thread, posted automatically under the report: empty when the first screen
 * showed everything.
 */
export function renderRest(report: Report, options: DetailsOptions = {}): SlackMessage[] {
  const lang = options.lang ?? report.lang;
  const L = labels(lang);
  const view = reportView(report);
  const layout = layoutReport(report, view, { lang, details: true });
  const lead = view.firstScreen.lead;
  if (!lead || !layout.hasMore) return [];

  const units: Unit[] = [];
  const { finding } = lead;
  const rest: string[] = [`${SEVERITY_EMOJI[finding.severity]} *${L.rootCauseContinued}*  \`${finding.id}\``];
  if (finding.impact) rest.push(`*${L.whyItMatters}*\n${safe(finding.impact, 1000)}`);
  const moreEvidence = finding.evidence.slice(layout.shownEvidence);
  if (moreEvidence.length > 0)
    rest.push(`*${L.evidence}*\n${codeBlock(moreEvidence, { maxLineLength: 300, maxLength: 1400 })}`);
  const steps = runbookTexts(view.firstScreen.runbook, L, lang, {
    firstOption: layout.shownSteps,
    from: view.firstScreen.stepsFrom,
  });
  if (steps.length > 0) rest.push(`*${L.howToFix}*`, ...steps);
  units.push({ blocks: sections(rest), full: [finding.id], brief: [] });

  // What the root cause explains, in full, under one heading; then every other finding, by component.
  lead.explains.forEach((located, index) => {
    const explained = view.failingFindings.find((f) => f.finding === located.finding);
    if (!explained) return;
    const blocks: KnownBlock[] = [{ type: 'divider' }];
    if (index === 0) blocks.push(section(`*${L.whatItCaused}*`));
    units.push({ blocks: [...blocks, ...fullFinding(explained, L, lang)], full: [located.finding.id], brief: [] });
  });
  let component = '';
  otherFindings(view, lead).forEach((other, index) => {
    const blocks: KnownBlock[] = [];
    if (index === 0) blocks.push({ type: 'divider' }, section(`*${L.furtherFindings}*`));
    if (other.component !== component) {
      component = other.component;
      const c = view.failing.find((v) => v.report.component === component);
      if (c) blocks.push(...componentHeading(c.report, L));
    }
    units.push({ blocks: [...blocks, ...fullFinding(other, L, lang)], full: [other.finding.id], brief: [] });
  });

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
    const base = L.detailsTitle(report.cluster.name, index + 1, chunks.length);
    const title = options.updatedAt
      ? `${base} — ${L.detailsUpdated(`${options.updatedAt.toISOString().slice(11, 16)} UTC`)}`
      : base;
    const ids = chunk.flatMap((u) => u.full);
    return {
      text: safe(`${title}: ${ids.join(', ')}`, 500),
      blocks: [section(`*${safe(title, 300)}*`), ...chunk.flatMap((u) => u.blocks)].slice(0, LIMITS.blocks),
    };
  });
}
