// The thread under a report (`--details`): every finding the report did not show in full, with its evidence and
// runbook, chunked into messages that fit.
import type { Lang, Report } from '../engine/report.ts';
import { reportView } from '../engine/report-view.ts';
import { MESSAGE_CHAR_BUDGET, section } from './blocks.ts';
import { componentUnits, type Unit, unitChars } from './finding-blocks.ts';
import { labels } from './i18n.ts';
import { LIMITS, type SlackMessage } from './limits.ts';
import { safe } from './mrkdwn.ts';
import { layoutReport } from './report-blocks.ts';

/** Every finding the report did not show in full, with its evidence and runbook, for the thread (`--details`). */
export function renderDetails(report: Report, options: { lang?: Lang } = {}): SlackMessage[] {
  const lang = options.lang ?? report.lang;
  const L = labels(lang);
  const view = reportView(report);
  const { full } = layoutReport(report, view, { ...options, details: true });
  const units: Unit[] = [];
  for (const component of view.failing) {
    if (!component.findings.some((f) => !full.has(f.finding.id))) continue;
    const rest = componentUnits(component, L, (f) => !full.has(f.finding.id));
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
