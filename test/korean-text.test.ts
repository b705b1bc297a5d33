// Korean that a Korean engineer would write, in every rendered report: no particle written both ways, one term per
// Kubernetes kind (docs/korean-glossary.md), and English kind names only inside code and commands.
import { describe, expect, it } from 'vitest';
import { renderText } from '../src/cli/render-text.ts';
import { renderDetails } from '../src/slack/details-blocks.ts';
import { renderReport } from '../src/slack/report-blocks.ts';
import { ENGLISH_KIND, FALLBACK_PARTICLE, NON_GLOSSARY, proseOfSlack, proseOfText } from './support/korean-text.ts';
import { scenarioNames, scenarioReport } from './support/scenario-reports.ts';

function problems(lines: string[]): string[] {
  const found: string[] = [];
  for (const line of lines) {
    if (!/[가-힣]/.test(line)) continue;
    if (FALLBACK_PARTICLE.test(line)) found.push(`fallback particle: ${line.trim()}`);
    for (const [variant, term] of NON_GLOSSARY) if (variant.test(line)) found.push(`write ${term}: ${line.trim()}`);
    const english = ENGLISH_KIND.exec(line);
    if (english) found.push(`English kind ${english[2]}: ${line.trim()}`);
  }
  return found;
}

describe('the scan itself', () => {
  it('catches fallback particles, non-glossary terms and English kinds in prose, not in code', () => {
    expect(problems(['컨피그맵을(를) 확인합니다.'])).toHaveLength(1);
    expect(problems(['포드를 재시작합니다.'])).toHaveLength(1);
    expect(problems(['ConfigMap을 확인합니다.'])).toHaveLength(1);
    expect(
      problems(
        proseOfSlack([
          {
            text: '',
            blocks: [
              { type: 'section', text: { type: 'mrkdwn', text: '`kubectl edit ConfigMap` 으로 컨피그맵을 고칩니다.' } },
            ],
          } as never,
        ]),
      ),
    ).toEqual([]);
    expect(
      problems(proseOfText('    근거:\n      │ ConfigMap coredns not found\n         $ kubectl get ConfigMap')),
    ).toEqual([]);
  });
});

describe('every Korean report', () => {
  for (const name of scenarioNames()) {
    it(`${name}: text and Slack (report and thread)`, async () => {
      const report = await scenarioReport(name, 'ko');
      const slack = [
        renderReport(report, { remediationEnabled: true, offerFix: () => 'AAAAAAAAAAAAAAAAAAAAAA' }),
        ...renderDetails(report, {}),
      ];
      expect([
        ...problems(proseOfText(renderText(report, { color: false }))),
        ...problems(proseOfSlack(slack)),
      ]).toEqual([]);
    });
  }
});
