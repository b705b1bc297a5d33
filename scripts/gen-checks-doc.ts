// Generates docs/checks.md from the check registry, the way kube-score generates its checks README: one row per
// finding id, so the list readers see is the list the engine runs. `npm run docs` rewrites the file;
// test/docs.test.ts fails when the committed file differs from what this script generates.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RegisteredCheck, RemediationSafety } from '../src/engine/check.ts';
import { allChecks } from '../src/engine/registry.ts';
import type { ComponentName, Severity } from '../src/engine/report.ts';
import { REMEDIATIONS } from '../src/remediate/registry.ts';
import { loadScenarioSync, scenarioNames } from '../src/sandbox/scenarios.ts';

export const CHECKS_DOC = fileURLToPath(new URL('../docs/checks.md', import.meta.url));

/** What the docs say about one finding id. */
export interface CatalogueEntry {
  id: string;
  component: ComponentName;
  /** The check module that emits it. */
  check: string;
  /** Severities it is reported with; empty when neither metadata nor a sandbox scenario says. */
  severities: Severity[];
  /** What it means. Undefined until the check describes its findings (see `describedBy`). */
  summary?: string;
  /** The fix, in one sentence. Undefined until the check describes its findings. */
  fix?: string;
  /** Implemented remediations (src/remediate) that answer this finding id; empty when there is none. */
  remediations: string[];
  /** Remediation ids its check offers that have no implementation yet (not attributable to one finding id). */
  unimplemented?: string[];
  /** How far its fix may be automated, where the failure catalogue says. */
  safety?: RemediationSafety;
  /** MANUAL: why there is no Fix button. */
  manual?: string;
  /** AUTO class without an implemented fix: why. */
  notAutomated?: string;
  /** Sandbox scenarios that reproduce it (`netcheck sandbox --scenario NAME`). */
  scenarios: string[];
}

/** The slice of a scenario the catalogue reads: which findings a correct diagnosis reports, by severity. */
export interface ScenarioExpectation {
  name: string;
  expect: { critical: string[]; warning: string[] };
}

const SEVERITY_ORDER: Severity[] = ['critical', 'warning', 'info'];

/**
 * The adapter between the registry and the docs: id, component and check module come from the registry; severity
 * from the check's own metadata, else from the sandbox scenarios that reproduce the finding (their expectations are
 * verified against real diagnoses by the scenario tests); summary, fix, safety and remediations from the check.
 */
export function catalogueOf(
  checks: readonly RegisteredCheck[],
  scenarios: readonly ScenarioExpectation[] = sandboxScenarios(),
  remediations: readonly { id: string; answers: readonly string[] }[] = REMEDIATIONS,
): CatalogueEntry[] {
  const entries: CatalogueEntry[] = [];
  const seen = new Set<string>();
  for (const check of checks) {
    for (const id of check.emits) {
      if (seen.has(id)) continue;
      seen.add(id);
      const meta = check.describe[id];
      const reproducing = scenarios.filter((s) => s.expect.critical.includes(id) || s.expect.warning.includes(id));
      const observed = new Set<Severity>();
      for (const s of reproducing) {
        if (s.expect.critical.includes(id)) observed.add('critical');
        if (s.expect.warning.includes(id)) observed.add('warning');
      }
      const entry: CatalogueEntry = {
        id,
        component: check.component,
        check: check.name,
        severities: meta ? [...meta.severities] : SEVERITY_ORDER.filter((s) => observed.has(s)),
        // Per finding id: only the fixes that answer this id, not every fix the check can offer.
        remediations: check.remediations.filter((r) => remediations.some((x) => x.id === r && x.answers.includes(id))),
        scenarios: reproducing.map((s) => s.name),
      };
      const unimplemented = check.remediations.filter((r) => !remediations.some((x) => x.id === r));
      if (unimplemented.length > 0) entry.unimplemented = unimplemented;
      if (meta?.summary) entry.summary = meta.summary;
      if (meta?.fix) entry.fix = meta.fix;
      if (meta?.safety) entry.safety = meta.safety;
      if (meta?.manual) entry.manual = meta.manual;
      if (meta?.notAutomated) entry.notAutomated = meta.notAutomated;
      entries.push(entry);
    }
  }
  return entries;
}

export function sandboxScenarios(): ScenarioExpectation[] {
  return scenarioNames().map((name) => {
    const { expect } = loadScenarioSync(name);
    return { name, expect };
  });
}

/** How the table names each reason a MANUAL finding has no Fix button (src/engine/manual-reasons.ts says it in full). */
const MANUAL_LABEL: Record<string, string> = {
  node: 'node access',
  design: 'design decision',
  outside: 'outside the cluster API',
  'diagnose-first': 'cause to read first',
  consequence: 'fix the root cause',
  intent: 'may be intended',
  distribution: 'distribution-managed',
  nothing: 'nothing to change',
};

const COMPONENTS: { name: ComponentName; title: string }[] = [
  { name: 'cni', title: 'Pod network (CNI)' },
  { name: 'kube-proxy', title: 'kube-proxy' },
  { name: 'dns', title: 'Cluster DNS' },
];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

export function renderChecksDoc(entries: readonly CatalogueEntry[]): string {
  const out: string[] = [
    '# Checks',
    '',
    '<!-- Generated by scripts/gen-checks-doc.ts from the check registry: run `npm run docs`, do not edit. -->',
    '',
    'Every finding netcheck can report, by component. The signals behind each id, its fix and the traps that must',
    'not raise it are in [failure-catalog.md](failure-catalog.md); what a healthy cluster looks like is in',
    '[healthy-shapes.md](healthy-shapes.md).',
    '',
    '- **Severity**: as the finding is reported; `—` when no check metadata or sandbox scenario states it yet.',
    '- **Remediation**: the automated fixes (`netcheck fix ID`, the Slack Fix button) that answer this finding, and the',
    '  safety class of the fix (auto-safe, auto-guarded, manual) where the failure catalogue gives one; an id marked',
    '  "not implemented" is offered by the check but has no fix in src/remediate yet. A manual class names why there is',
    '  no Fix button (the runbook says it in full); an automatable class without a fix says why after the dash.',
    '- **Scenario**: a sandbox scenario that reproduces it: `netcheck sandbox --scenario NAME`.',
    '',
    `${entries.length} finding ids from ${new Set(entries.map((e) => e.check)).size} checks.`,
  ];
  for (const component of COMPONENTS) {
    const rows = entries.filter((e) => e.component === component.name);
    if (rows.length === 0) continue;
    out.push(
      '',
      `## ${component.title}`,
      '',
      '| Finding | Check | Severity | What it means | Fix | Remediation | Scenario |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const e of rows) {
      const listed = [
        ...e.remediations.map((r) => `\`${r}\``),
        ...(e.unimplemented ?? []).map((r) => `\`${r}\` (not implemented)`),
      ];
      const offered = listed.length === 0 ? 'no' : listed.join(', ');
      const why = e.manual ? `: ${MANUAL_LABEL[e.manual] ?? e.manual}` : '';
      const remediation =
        (e.safety ? `${offered} (${e.safety}${why})` : offered) + (e.notAutomated ? ` — ${e.notAutomated}` : '');
      out.push(
        `| \`${e.id}\` | \`${e.check}\` | ${e.severities.join(' / ') || '—'} | ${cell(e.summary ?? '—')} | ${cell(
          e.fix ?? '—',
        )} | ${remediation} | ${e.scenarios.map((s) => `\`${s}\``).join(', ') || '—'} |`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/** The text docs/checks.md must hold. */
export function generateChecksDoc(): string {
  return renderChecksDoc(catalogueOf(allChecks));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(CHECKS_DOC, generateChecksDoc());
  process.stdout.write(`wrote ${CHECKS_DOC}\n`);
}
