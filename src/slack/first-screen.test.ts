// The Slack report of every sandbox scenario, diagnosed in-process, in both languages: the top-level message fits
// the first screen and holds the verdict, the root cause, its key evidence and the first option's steps; the
// thread holds the rest, and no finding is shown in full twice.
import { describe, expect, it } from 'vitest';
import { scenarioNames, scenarioReport } from '#test/support/scenario-reports.ts';
import { reportView } from '../engine/report-view.ts';
import { renderDetails } from './details-blocks.ts';
import { checkLimits } from './limits.ts';
import { escapeMrkdwn } from './mrkdwn.ts';
import { renderedLines, renderReport, SLACK_FIRST_SCREEN_LINES } from './report-blocks.ts';

const text = (blocks: unknown) => JSON.stringify(blocks);

describe('renderedLines', () => {
  it('counts a header, a context row and buttons as one line each, sections by their lines, code fences as none', () => {
    const message = {
      text: 't',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'h' } },
        { type: 'section', text: { type: 'mrkdwn', text: 'a\nb\n```c\nd```' } },
        { type: 'divider' },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'x' }] },
      ],
    } as never;
    expect(renderedLines(message)).toBe(6);
  });
});

describe('the Slack first screen of every scenario', () => {
  for (const name of scenarioNames()) {
    for (const lang of ['en', 'ko'] as const) {
      it(`${name} (${lang})`, async () => {
        const report = await scenarioReport(name, lang);
        const message = renderReport(report, { remediationEnabled: true, offerFix: () => 'AAAAAAAAAAAAAAAAAAAAAA' });
        expect(checkLimits(message)).toEqual([]);
        expect(renderedLines(message)).toBeLessThanOrEqual(SLACK_FIRST_SCREEN_LINES);
        const top = text(message.blocks);
        expect(top).toContain(`netcheck — ${name}`);
        const screen = reportView(report).firstScreen;
        if (!screen.lead) return;
        const { finding } = screen.lead;
        expect(top).toContain(`\`${finding.id}\``);
        expect(top).toContain(text(escapeMrkdwn(finding.evidence[0]!.slice(0, 60))).slice(1, -1));
        const shown = screen.steps.filter((s) => top.includes(text(escapeMrkdwn(s.text.slice(0, 80))).slice(1, -1)));
        expect(shown.length).toBeGreaterThan(0);
        expect(shown).toEqual(screen.steps.slice(0, shown.length));
        if (shown.length < screen.steps.length) expect(top).toMatch(/more steps?|나머지 단계/);

        // The thread has the rest; each finding is shown in full once across report and thread.
        const thread = renderDetails(report, {})
          .map((m) => text(m.blocks))
          .join('\n');
        for (const f of reportView(report).failingFindings) {
          const heading = `\`${f.finding.id}\``;
          const inTop = top.split(heading).length - 1;
          const inThread = thread.split(heading).length - 1;
          expect(inTop + inThread, f.finding.id).toBeGreaterThan(0);
          expect(inTop, f.finding.id).toBeLessThanOrEqual(1);
        }
      });
    }
  }
});
