// The diagnosis: collect a snapshot, run the checks for the scope, link root causes, and fold everything into the
// Report contract. Status order (documented in the report): critical > unknown > warning > ok — "we could not look"
// outranks a warning because a hidden critical problem is possible, but not a critical one we did find.
import type { Check, RegisteredCheck } from './check.ts';
import type { ClusterReader } from './cluster-reader.ts';
import { collect, collectedNothing } from './collect.ts';
import { describeComponent } from './describe.ts';
import { findingOf, isFinding } from './finding-shape.ts';
import { translator } from './i18n.ts';
import { dropExplainedFallbacks, type Located, linkRootCauses } from './link.ts';
import { manualStep } from './manual-reasons.ts';
import { datePodStates } from './objects/pods.ts';
import { presentTense, snapshotNow } from './recency.ts';
import { allChecks, componentOfFinding } from './registry.ts';
import type { ComponentName, ComponentReport, Finding, Lang, Report, Scope, Status } from './report.ts';
import {
  COMPONENT_ORDER,
  componentsForScope,
  componentsInScope,
  STATUS_RANK,
  sortComponents,
  sortFindings,
} from './report-view.ts';
import type { SampleBudget } from './sampling.ts';

export interface DiagnoseOptions {
  scope: Scope;
  lang?: Lang;
  cluster: { name: string; server: string };
  /** Per-call timeout is enforced by the reader (create it with the same value); kept here for callers' symmetry. */
  timeoutMs?: number;
  onProgress?: (event: { phase: 'collect' | 'logs' | 'checks' | 'done'; message: string }) => void;
  now?: () => number;
  checks?: readonly Check[];
  /**
   * Parse the report with its zod schema before returning it (the default). Where the report only reaches a person
   * in this process (the CLI's text), skipping it keeps zod off a short run; every finding is still checked.
   */
  validate?: boolean;
  /** Healthy-looking pods whose current log is read per agent workload (sampling.ts); for the bench's comparison. */
  sampling?: SampleBudget;
}

export function worstStatus(statuses: readonly Status[]): Status {
  return statuses.reduce<Status>((worst, s) => (STATUS_RANK[s] > STATUS_RANK[worst] ? s : worst), 'ok');
}

/** Component status: worst finding severity (info never raises it); `unknown` if data is missing and nothing critical was found. */
export function componentStatus(findings: readonly Finding[], hasErrors: boolean): Status {
  if (findings.some((f) => f.severity === 'critical')) return 'critical';
  if (hasErrors) return 'unknown';
  if (findings.some((f) => f.severity === 'warning')) return 'warning';
  return 'ok';
}

function runChecks(
  checks: readonly Check[],
  snapshot: Parameters<Check['run']>[0],
  ctx: Parameters<Check['run']>[1],
  errors: Map<ComponentName, string[]>,
): Located[] {
  const out: Located[] = [];
  for (const check of checks) {
    let findings: Finding[];
    try {
      findings = check.run(snapshot, ctx);
    } catch (error) {
      // One broken check must not hide what the others found.
      errors.get(check.component)!.push(`check ${check.name} failed: ${(error as Error).message}`);
      continue;
    }
    for (const finding of findings as unknown[]) {
      if (!isFinding(finding)) {
        const id = (finding as { id?: unknown } | null)?.id ?? '';
        errors.get(check.component)!.push(`check ${check.name} produced an invalid finding ${id}`);
        continue;
      }
      const copy = findingOf(finding);
      // A MANUAL finding says why there is no Fix button, as the last step of its runbook.
      const doc = (check as Partial<RegisteredCheck>).describe?.[copy.id];
      if (doc?.safety === 'manual' && doc.manual && !copy.remediation) {
        copy.runbook = [...copy.runbook, manualStep(doc.manual, ctx.lang)];
      }
      // Evidence has a time: unless the check dated it itself, it was observed when the snapshot was taken.
      if (!copy.observedAt && snapshot.now) copy.observedAt = snapshot.now;
      copy.evidence = datePodStates(copy.evidence, snapshot.pods, snapshotNow(snapshot));
      out.push({ component: componentOfFinding(copy.id, checks) ?? check.component, finding: copy });
    }
  }
  return out;
}

function summarize(
  component: ComponentName,
  status: Status,
  findings: Finding[],
  all: Located[],
  errors: string[],
  tr: (en: string, ko: string) => string,
): string {
  const label =
    component === 'dns'
      ? tr('Cluster DNS', '클러스터 DNS')
      : component === 'cni'
        ? tr('Pod network (CNI)', '파드 네트워크(CNI)')
        : 'kube-proxy';
  const lead = findings.find((f) => f.severity !== 'info');
  const notCovered = findings.find((f) => f.id.endsWith('.not-covered'));
  if (!lead && notCovered) return notCovered.title;
  if (!lead) {
    if (status === 'unknown')
      return tr(
        `${label} could not be fully checked: ${errors[0] ?? ''}`,
        `${label}를 모두 확인하지 못했습니다: ${errors[0] ?? ''}`,
      );
    return tr(`${label} looks healthy.`, `${label}에 문제가 없습니다.`);
  }
  const more = findings.filter((f) => f.severity !== 'info').length - 1;
  const rest = more > 0 ? tr(` (+${more} more)`, ` (외 ${more}건)`) : '';
  const cause = lead.causedBy ? all.find((l) => l.finding.id === lead.causedBy) : undefined;
  if (cause && cause.component !== component) {
    return tr(
      `${lead.title}, caused by ${cause.component}: ${cause.finding.title}${rest}`,
      `${lead.title} — 원인: ${cause.component}: ${cause.finding.title}${rest}`,
    );
  }
  return `${lead.title}${rest}`;
}

export async function diagnose(reader: ClusterReader, options: DiagnoseOptions): Promise<Report> {
  const now = options.now ?? Date.now;
  const started = now();
  const startCount = reader.requestCount;
  const lang = options.lang ?? 'en';
  const tr = translator(lang);
  const progress = options.onProgress;

  const snapshot = presentTense(
    await collect(reader, {
      scope: options.scope,
      onProgress: progress,
      now: () => started,
      sampling: options.sampling,
    }),
  );

  progress?.({ phase: 'checks', message: 'running checks' });
  const toCheck = componentsForScope(options.scope);
  // A component the distribution manages its own way gets only its not-covered note, never upstream-layout checks.
  const notCovered = new Set((snapshot.fingerprint.notCovered ?? []).map((n) => n.component));
  const checks = (options.checks ?? allChecks).filter(
    (c) => toCheck.includes(c.component) && (!notCovered.has(c.component) || c.name.endsWith('-not-covered')),
  );
  const errors = new Map<ComponentName, string[]>(COMPONENT_ORDER.map((c) => [c, []]));
  // Failed reads that only lacked evidence: the component is still judged and lists them after the blocking ones.
  const gaps = new Map<ComponentName, string[]>(COMPONENT_ORDER.map((c) => [c, []]));
  for (const failure of snapshot.failures) {
    for (const c of failure.components) (failure.supplementary ? gaps : errors).get(c)?.push(failure.error.describe());
  }
  // When not a single object could be read, every check would judge an empty cluster: report unknown instead.
  const located = collectedNothing(snapshot)
    ? []
    : linkRootCauses(dropExplainedFallbacks(runChecks(checks, snapshot, { lang, tr }, errors)));

  // dns scope: show a lower layer only when it is where a DNS finding's cause lives.
  const shown = new Set(componentsInScope(options.scope));
  if (options.scope === 'dns') {
    for (const { component, finding } of located) {
      if (component !== 'dns' || !finding.causedBy) continue;
      const cause = located.find((l) => l.finding.id === finding.causedBy);
      if (cause) shown.add(cause.component);
    }
  }

  const allFindings = located.map((l) => l.finding);
  const unordered: ComponentReport[] = COMPONENT_ORDER.filter((c) => shown.has(c)).map((component) => {
    const findings = sortFindings(
      located.filter((l) => l.component === component).map((l) => l.finding),
      allFindings,
    );
    const blocking = [...new Set(errors.get(component) ?? [])];
    const missing = [...new Set(gaps.get(component) ?? [])].filter((e) => !blocking.includes(e));
    const componentErrors = [...blocking, ...missing];
    const status = componentStatus(findings, blocking.length > 0);
    const judgedWithout =
      status !== 'unknown' && missing.length > 0
        ? tr(` (judged without: ${missing[0]})`, ` (다음 없이 판단함: ${missing[0]})`)
        : '';
    const report: ComponentReport = {
      component,
      status,
      summary: summarize(component, status, findings, located, componentErrors, tr) + judgedWithout,
      detected: describeComponent(component, snapshot, tr),
      findings,
    };
    if (componentErrors.length > 0) report.errors = componentErrors;
    return report;
  });
  // Lead with the component that holds a root cause, then by status.
  const components = sortComponents(unordered);

  progress?.({ phase: 'done', message: 'done' });
  const report: Report = {
    schemaVersion: 2,
    cluster: {
      name: options.cluster.name,
      server: options.cluster.server,
      flavor: snapshot.fingerprint.flavor,
      cni: snapshot.fingerprint.cni,
    },
    scope: options.scope,
    lang,
    startedAt: new Date(started).toISOString(),
    durationMs: Math.max(0, now() - started),
    status: worstStatus(components.map((c) => c.status)),
    components,
    requests: Math.max(0, reader.requestCount - startCount),
  };
  if (options.validate === false) return report;
  const { Report: ReportSchema } = await import('./report.ts');
  return ReportSchema.parse(report);
}
