// What a report means, computed once for every front: which components a scope covers, which finding is a root
// cause and what it caused, the order findings and components are read in, and whether anything could be read at
// all. The diagnosis orders the Report with it; the Slack and text renderers read the ReportView instead of each
// rebuilding the cause graph.
import type { ComponentName, ComponentReport, Finding, Report, Scope, Severity, Status } from './report.ts';

// ---------------------------------------------------------------------------------------------------------------
// Scope → components.

/** The order components are listed in when nothing else decides: the layers from the bottom up. */
export const COMPONENT_ORDER: readonly ComponentName[] = ['cni', 'kube-proxy', 'dns'];

/** Components a scope reports on. */
export function componentsInScope(scope: Scope): ComponentName[] {
  if (scope === 'dns') return ['dns'];
  if (scope === 'cni') return ['cni'];
  if (scope === 'proxy') return ['kube-proxy'];
  return [...COMPONENT_ORDER];
}

/** Components whose data is collected and whose checks run: `dns` also looks at what can be its root cause. */
export function componentsForScope(scope: Scope): ComponentName[] {
  return scope === 'dns' ? [...COMPONENT_ORDER] : componentsInScope(scope);
}

// ---------------------------------------------------------------------------------------------------------------
// The cause graph.

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
export const STATUS_RANK: Record<Status, number> = { critical: 3, unknown: 2, warning: 1, ok: 0 };

export interface LocatedFinding {
  component: ComponentName;
  finding: Finding;
}

/** A finding with its place in the cause graph of the report it belongs to. */
export interface FindingView extends LocatedFinding {
  /** Nothing in this report causes it (it has no `causedBy`, or its cause is not in the report). */
  isRoot: boolean;
  /** A root that explains at least one other finding of the report. */
  isRootCause: boolean;
  /** The finding named by `causedBy`, when it is in the report and is not the finding itself. */
  cause?: LocatedFinding;
  /** The findings that name this one as their cause, in report order. */
  consequences: LocatedFinding[];
}

export interface ComponentView {
  report: ComponentReport;
  /** Root causes first, then other roots, then symptoms; by severity within each, report order on ties. */
  findings: FindingView[];
}

export interface ReportView {
  /** Every component, in report order (the diagnosis already put the root cause's component first). */
  components: ComponentView[];
  /** Components that are not ok: the one holding a root cause first, then those holding any root. */
  failing: ComponentView[];
  /** Every finding of the failing components, in reading order. */
  failingFindings: FindingView[];
  /** The failing components' root causes, each with what it caused. */
  rootCauses: FindingView[];
  /** The failing components' findings that are not root causes. */
  furtherFindings: FindingView[];
  /** When nothing could be read at all (unreachable, bad credentials): why, in one sentence; else undefined. */
  nothingReadable?: string;
}

class CauseGraph {
  private readonly byId = new Map<string, LocatedFinding>();
  private readonly effects = new Map<string, LocatedFinding[]>();

  constructor(all: readonly LocatedFinding[]) {
    for (const located of all) if (!this.byId.has(located.finding.id)) this.byId.set(located.finding.id, located);
    for (const located of all) {
      const cause = this.causeOf(located.finding);
      if (!cause) continue;
      const list = this.effects.get(cause.finding.id) ?? [];
      list.push(located);
      this.effects.set(cause.finding.id, list);
    }
  }

  causeOf(finding: Finding): LocatedFinding | undefined {
    if (!finding.causedBy || finding.causedBy === finding.id) return undefined;
    return this.byId.get(finding.causedBy);
  }

  view(located: LocatedFinding): FindingView {
    const cause = this.causeOf(located.finding);
    const consequences = this.effects.get(located.finding.id) ?? [];
    const view: FindingView = {
      ...located,
      isRoot: !cause,
      isRootCause: !cause && consequences.length > 0,
      consequences,
    };
    if (cause) view.cause = cause;
    return view;
  }
}

function stableSort<T>(items: readonly T[], rank: (item: T) => number): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index)
    .map(({ item }) => item);
}

// ---------------------------------------------------------------------------------------------------------------
// The Report's own order (the JSON contract), applied by the diagnosis.

/** Root causes first (findings others point at, that point at nothing), then critical, warning, info. */
export function sortFindings(findings: Finding[], all: readonly Finding[] = findings): Finding[] {
  const causes = new Set(all.map((f) => f.causedBy).filter(Boolean));
  const rootRank = (f: Finding) => (causes.has(f.id) && !f.causedBy ? 0 : 1);
  return stableSort(findings, (f) => rootRank(f) * 10 + SEVERITY_RANK[f.severity]);
}

/** The component holding a root cause first, then by status, then bottom layer first. */
export function sortComponents(components: ComponentReport[]): ComponentReport[] {
  const causes = new Set(components.flatMap((c) => c.findings.map((f) => f.causedBy)).filter(Boolean));
  const hasRoot = (c: ComponentReport) => c.findings.some((f) => causes.has(f.id) && !f.causedBy);
  return [...components].sort(
    (a, b) =>
      Number(hasRoot(b)) - Number(hasRoot(a)) ||
      STATUS_RANK[b.status] - STATUS_RANK[a.status] ||
      COMPONENT_ORDER.indexOf(a.component) - COMPONENT_ORDER.indexOf(b.component),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The view the renderers read.

/** A report of nothing but "could not read": every component unknown and not one finding. */
export function nothingReadable(report: Report): string | undefined {
  const blind =
    report.components.length > 0 && report.components.every((c) => c.status === 'unknown' && c.findings.length === 0);
  if (!blind) return undefined;
  return report.components.flatMap((c) => c.errors ?? [])[0] ?? 'every check failed to read the cluster';
}

export function reportView(report: Report): ReportView {
  const graph = new CauseGraph(
    report.components.flatMap((c) => c.findings.map((finding) => ({ component: c.component, finding }))),
  );
  const roleRank = (f: FindingView) => (f.isRootCause ? 0 : f.isRoot ? 1 : 2);
  const components: ComponentView[] = report.components.map((c) => ({
    report: c,
    findings: stableSort(
      c.findings.map((finding) => graph.view({ component: c.component, finding })),
      (f) => roleRank(f) * 10 + SEVERITY_RANK[f.finding.severity],
    ),
  }));
  const failing = stableSort(
    components.filter((c) => c.report.status !== 'ok'),
    (c) => (c.findings.some((f) => f.isRootCause) ? 0 : c.findings.some((f) => f.isRoot) ? 1 : 2),
  );
  const failingFindings = failing.flatMap((c) => c.findings);
  const view: ReportView = {
    components,
    failing,
    failingFindings,
    rootCauses: failingFindings.filter((f) => f.isRootCause),
    furtherFindings: failingFindings.filter((f) => !f.isRootCause),
  };
  const unreadable = nothingReadable(report);
  if (unreadable !== undefined) view.nothingReadable = unreadable;
  return view;
}

// ---------------------------------------------------------------------------------------------------------------
// The verdict every front acts on (the CLI's exit code, CI gates).

export interface Verdict {
  /**
   * 1: a critical finding, even alongside unknowns. 2: nothing could be judged, or nothing critical but some component
   * is unknown. 0: every component asked for was judged and none is critical.
   */
  exitCode: 0 | 1 | 2;
  /** Whenever a component could not be judged: which, and why, in one sentence. */
  sentence?: string;
}

export function verdict(report: Report): Verdict {
  const critical = report.components.some(
    (c) => c.status === 'critical' || c.findings.some((f) => f.severity === 'critical'),
  );
  const blind = nothingReadable(report);
  if (report.components.length === 0) {
    return { exitCode: 2, sentence: `nothing could be judged on ${report.cluster.name}` };
  }
  if (blind !== undefined && !critical) {
    return { exitCode: 2, sentence: `could not diagnose ${report.cluster.name}: ${blind}` };
  }
  const unknown = report.components.filter((c) => c.status === 'unknown');
  if (unknown.length === 0) return { exitCode: critical ? 1 : 0 };
  const names = unknown.map((c) => c.component).join(', ');
  const first = unknown[0]!;
  const reason = first.errors?.[0] ?? first.summary;
  const others = unknown.reduce((n, c) => n + (c.errors?.length ?? 0), 0) - 1;
  const more = others > 0 ? ` (and ${others} more failed read${others === 1 ? '' : 's'})` : '';
  return {
    exitCode: critical ? 1 : 2,
    sentence: `${names} on ${report.cluster.name} could not be judged: ${reason}${more}`,
  };
}
