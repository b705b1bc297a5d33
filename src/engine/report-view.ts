// What a report means, computed once for every front: which components a scope covers, which finding is a root
// cause and what it caused, the order findings and components are read in, and whether anything could be read at
// all. The diagnosis orders the Report with it; the Slack and text renderers read the ReportView instead of each
// rebuilding the cause graph.
import type {
  ComponentName,
  ComponentReport,
  Finding,
  Report,
  RunbookOption,
  RunbookStep,
  Scope,
  Severity,
  Status,
} from './report.ts';

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
  /** Everything this finding explains: its consequences and theirs, in reading order, each once. */
  explains: LocatedFinding[];
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
  /**
   * The failing components' findings that are neither a root cause nor explained by one: a finding is shown once,
   * as a root cause with its consequences under it or as a further finding, never both.
   */
  furtherFindings: FindingView[];
  /** What the first screen of every front holds: the verdict's lead finding, its key evidence and first steps. */
  firstScreen: FirstScreen;
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

  /** Consequences breadth first, each once, never the finding itself (a cycle stops there). */
  explainedBy(id: string): LocatedFinding[] {
    const out: LocatedFinding[] = [];
    const seen = new Set([id]);
    const queue = [...(this.effects.get(id) ?? [])];
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (seen.has(next.finding.id)) continue;
      seen.add(next.finding.id);
      out.push(next);
      queue.push(...(this.effects.get(next.finding.id) ?? []));
    }
    return out;
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
      explains: this.explainedBy(located.finding.id),
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
  const rootCauses = failingFindings.filter((f) => f.isRootCause);
  const explained = new Set(rootCauses.flatMap((f) => f.explains.map((e) => e.finding.id)));
  const view: ReportView = {
    components,
    failing,
    failingFindings,
    rootCauses,
    furtherFindings: failingFindings.filter((f) => !f.isRootCause && !explained.has(f.finding.id)),
    firstScreen: firstScreen(rootCauses[0] ?? failingFindings.find((f) => f.isRoot) ?? failingFindings[0]),
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

// Runbooks: common steps, named options, verification.

export interface RunbookOptionView {
  option: RunbookOption;
  steps: RunbookStep[];
}

export interface RunbookView {
  /** Steps done first whatever is chosen (the whole runbook when it offers no options). */
  before: RunbookStep[];
  /** The alternatives, recommended first, then in the order offered: follow one. */
  options: RunbookOptionView[];
  /** Steps after the options: the verification every option ends with. */
  after: RunbookStep[];
}

/** Splits a runbook into common steps, options (each with its own steps) and the verification after them. */
export function runbookView(steps: readonly RunbookStep[]): RunbookView {
  const view: RunbookView = { before: [], options: [], after: [] };
  for (const s of steps) {
    if (s.option) {
      const last = view.options.at(-1);
      if (last && last.option.id === s.option.id) last.steps.push(s);
      else view.options.push({ option: s.option, steps: [s] });
    } else (view.options.length > 0 ? view.after : view.before).push(s);
  }
  view.options = stableSort(view.options, (o) => (o.option.recommended ? 0 : 1));
  return view;
}

// ---------------------------------------------------------------------------------------------------------------
// The first screen.

/** Evidence lines the first screen quotes for its lead finding: enough to believe it, short enough to fit. */
export const KEY_EVIDENCE_LINES = 2;

export interface FirstScreen {
  /** The finding the verdict is about: the first root cause, else the first root, else the first failing finding. */
  lead?: FindingView;
  /** The lead's key evidence: its first KEY_EVIDENCE_LINES lines. */
  evidence: string[];
  runbook: RunbookView;
  /** The option the first screen walks through (the recommended or first one), when the runbook offers any. */
  option?: RunbookOption;
  /**
   * The steps the first screen shows, in order: the first option's; without options, the fix itself — from the
   * first step that changes something to the last one (the checks before and the verification after stay below).
   */
  steps: RunbookStep[];
  /** Without options: the index in `runbook.before` of the first of `steps` (0 with options). */
  stepsFrom: number;
}

function firstScreen(lead: FindingView | undefined): FirstScreen {
  const runbook = runbookView(lead?.finding.runbook ?? []);
  const first = runbook.options[0];
  let steps = first ? first.steps : runbook.before;
  let stepsFrom = 0;
  if (!first) {
    const changes = steps.map((st) => st.changes === true);
    let start = changes.indexOf(true);
    // A backup taken just before the change belongs to the fix: nobody should skip it.
    while (start > 0 && /\.bak\b|back ?up/i.test(`${steps[start - 1]!.command ?? ''} ${steps[start - 1]!.text}`))
      start--;
    if (start >= 0) {
      stepsFrom = start;
      steps = steps.slice(start, changes.lastIndexOf(true) + 1);
    }
  }
  const screen: FirstScreen = {
    evidence: (lead?.finding.evidence ?? []).slice(0, KEY_EVIDENCE_LINES),
    runbook,
    steps,
    stepsFrom,
  };
  if (lead) screen.lead = lead;
  if (first) screen.option = first.option;
  return screen;
}

/**
 * Each finding's evidence without the lines an earlier finding (in the given reading order) already quoted:
 * the text output prints a line once. `repeated` counts the lines left out.
 */
export function dedupeEvidence(
  findings: readonly Finding[],
  alreadyShown: Iterable<string> = [],
): Map<Finding, { lines: string[]; repeated: number }> {
  const seen = new Set(alreadyShown);
  const out = new Map<Finding, { lines: string[]; repeated: number }>();
  for (const finding of findings) {
    const lines = finding.evidence.filter((e) => !seen.has(e));
    for (const e of finding.evidence) seen.add(e);
    out.set(finding, { lines, repeated: finding.evidence.length - lines.length });
  }
  return out;
}
