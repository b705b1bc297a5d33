// The text report as a terminal shows it: the first screen is enough to act, the rest follows below, each finding
// once. Every sandbox scenario is diagnosed in-process and rendered in both languages.
import { describe, expect, it } from 'vitest';
import { expectGolden as expectGoldenFile } from '#test/support/golden.ts';
import { scenarioNames, scenarioReport } from '#test/support/scenario-reports.ts';
import { reportView } from '../engine/report-view.ts';
import { renderText, renderTextParts, TERMINAL_FIRST_SCREEN_LINES } from './render-text.ts';

/** Compares with test/golden/text/<name>.txt (UPDATE_GOLDEN=1 rewrites it). */
const expectGolden = (name: string, actual: string) => expectGoldenFile('text', `${name}.txt`, actual);

const GOLDEN_SCENARIOS = ['coredns-loop', 'no-cni', 'kube-proxy-config-path', 'kubeadm-calico'];

describe('golden text output (the runbook layout)', () => {
  for (const name of GOLDEN_SCENARIOS) {
    for (const lang of ['en', 'ko'] as const) {
      it(`${name} (${lang}) matches its golden file`, async () => {
        expectGolden(`${name}.${lang}`, renderText(await scenarioReport(name, lang), { color: false }));
      });
    }
  }
});

describe('the first screen of every scenario', () => {
  for (const name of scenarioNames()) {
    for (const lang of ['en', 'ko'] as const) {
      it(`${name} (${lang}): verdict, root cause, key evidence and the first option's steps in ${TERMINAL_FIRST_SCREEN_LINES} lines`, async () => {
        const report = await scenarioReport(name, lang);
        const { firstScreen, below } = renderTextParts(report, { color: false });
        const screen = firstScreen.join('\n');
        expect(firstScreen.length).toBeLessThanOrEqual(TERMINAL_FIRST_SCREEN_LINES);
        expect(firstScreen[0]).toContain(name);
        const lead = reportView(report).firstScreen;
        if (!lead.lead) {
          expect(reportView(report).failingFindings).toEqual([]);
          return;
        }
        expect(screen).toContain(`[${lead.lead.finding.id}]`);
        expect(screen).toContain(lead.lead.finding.evidence[0]!);
        // Every step of the first option is on the first screen, or the screen says how many follow below.
        const shown = lead.steps.filter((s) => screen.includes(s.text));
        expect(shown.length).toBeGreaterThan(0);
        expect(shown).toEqual(lead.steps.slice(0, shown.length));
        if (shown.length < lead.steps.length) expect(screen).toMatch(/more step|나머지 단계/);
        for (const s of shown)
          if (s.command)
            expect(screen.includes(s.command.split('\n')[0]!) || /command below|명령은 아래에/.test(screen)).toBe(true);
        // Nothing of the first screen's lead is lost: the rest of its runbook is below.
        for (const s of lead.lead.finding.runbook) expect(`${screen}\n${below.join('\n')}`).toContain(s.text);
      });
    }
  }
});

describe('no repetition', () => {
  for (const name of scenarioNames()) {
    it(`${name}: each finding's title line, the status line and each evidence line are printed once`, async () => {
      const report = await scenarioReport(name);
      const text = renderText(report, { color: false });
      const count = (needle: string) => text.split(needle).length - 1;
      expect(count(`— ${report.status === 'ok' ? 'OK' : report.status.toUpperCase()}`)).toBe(1);
      const view = reportView(report);
      const explained = new Set(view.rootCauses.flatMap((r) => r.explains.map((e) => e.finding.id)));
      for (const { finding: f } of view.failingFindings) {
        // A consequence is one bullet under its root cause; every other finding is one title line.
        const lines = text.split('\n').filter((l) => l.includes(`[${f.id}]`));
        expect(lines.length, f.id).toBe(1);
        expect(lines[0]!.trim().startsWith('•'), f.id).toBe(explained.has(f.id));
        for (const e of f.evidence) expect(count(`│ ${e}\n`), e).toBeLessThanOrEqual(1);
      }
    });
  }

  it('a root cause in CNI lists the DNS symptom under it, and the symptom does not come back as a further finding', async () => {
    const text = renderText(await scenarioReport('no-cni'), { color: false });
    const bullets = text.split('\n').filter((l) => l.trim().startsWith('•'));
    expect(bullets.some((l) => l.includes('coredns.'))).toBe(true);
    expect(text).not.toMatch(/\n {2}\S+ .*\[coredns\.unschedulable-node-not-ready\]\n/);
  });
});

describe('where commands run', () => {
  it('marks node commands and changes in the CoreDNS loop runbook, and offers option B below', async () => {
    const text = renderText(await scenarioReport('coredns-loop'), { color: false });
    expect(text).toMatch(/Fix: Option A — Fix the node resolver \(recommended\)/);
    expect(text).toMatch(/\(on each node \(ssh\) · makes a change\)\n\s+\$ sudo sed -i/);
    expect(text).toMatch(/Or Option B — Pin upstreams in the Corefile:/);
    expect(text.indexOf('Then verify')).toBeGreaterThan(text.indexOf('Option B'));
  });
});
