// The report is netcheck's JSON contract: the CLI prints it, Slack renders it, tests assert on it.
import { z } from 'zod';

export const SCOPES = ['dns', 'cni', 'proxy', 'all'] as const;
export const Scope = z.enum(SCOPES);
export type Scope = z.infer<typeof Scope>;

export const Severity = z.enum(['critical', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

export const Status = z.enum(['ok', 'warning', 'critical', 'unknown']);
export type Status = z.infer<typeof Status>;

export const ComponentName = z.enum(['cni', 'dns', 'kube-proxy']);
export type ComponentName = z.infer<typeof ComponentName>;

export const Lang = z.enum(['en', 'ko']);
export type Lang = z.infer<typeof Lang>;

/**
 * Where a command runs: `node` on each node over ssh, `cluster-admin` with kubectl allowed to change the cluster,
 * `pod` from inside a pod (a probe or `kubectl exec`), `kubectl` with read-only kubectl.
 */
export const RunbookWhere = z.enum(['node', 'cluster-admin', 'pod', 'kubectl']);
export type RunbookWhere = z.infer<typeof RunbookWhere>;

/** A named alternative: the steps that carry it are followed instead of the other options' steps, never as well. */
export const RunbookOption = z.object({
  /** `A`, `B`, …: the order options are offered in. */
  id: z.string().regex(/^[A-Z]$/),
  title: z.string().min(1),
  recommended: z.boolean().optional(),
});
export type RunbookOption = z.infer<typeof RunbookOption>;

export const RunbookStep = z
  .object({
    text: z.string().min(1),
    command: z.string().min(1).optional(),
    /** Where the command runs; every command says it. */
    where: RunbookWhere.optional(),
    /** The command changes something (as opposed to reading). */
    changes: z.boolean().optional(),
    /** The alternative this step belongs to; steps without one are done whatever option is chosen. */
    option: RunbookOption.optional(),
  })
  .refine((s) => s.command === undefined || (s.where !== undefined && s.changes !== undefined), {
    message: 'a command says where it runs and whether it changes something',
  });
export type RunbookStep = z.infer<typeof RunbookStep>;

/**
 * Ordered steps: the common steps first, then each option's steps together (A before B), then the verification
 * steps every option ends with. An option's steps are contiguous, and an option id always has the same title.
 */
export const Runbook = z.array(RunbookStep).superRefine((steps, ctx) => {
  const seen = new Map<string, string>();
  let current: string | undefined;
  for (const [index, s] of steps.entries()) {
    const id = s.option?.id;
    if (id !== undefined && id !== current && seen.has(id))
      ctx.addIssue({ code: 'custom', message: `option ${id} is split`, path: [index] });
    if (id !== undefined && seen.has(id) && seen.get(id) !== s.option?.title)
      ctx.addIssue({ code: 'custom', message: `option ${id} has two titles`, path: [index] });
    if (id !== undefined) seen.set(id, s.option!.title);
    current = id;
  }
});

export const RemediationRef = z.object({
  /** Stable id of an automated fix (a later issue implements the actions). */
  id: z.string().min(1),
  title: z.string().min(1),
  /** What the fix needs to find its objects (namespace, names, node, values the check derived), as strings. */
  params: z.record(z.string(), z.string()).optional(),
});
export type RemediationRef = z.infer<typeof RemediationRef>;

export const Finding = z.object({
  /** Catalog id, e.g. `coredns.loop-detected`. */
  id: z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/),
  severity: Severity,
  title: z.string().min(1),
  /** What is wrong, in one or two sentences, with the real object names. */
  detail: z.string().min(1),
  /** Why it matters: the blast radius, in one sentence. */
  impact: z.string().min(1).optional(),
  /** Short quotes: the pod and its state, the log line, the event. */
  evidence: z.array(z.string()),
  runbook: Runbook,
  /** The id of the finding that causes this one (root cause chain). */
  causedBy: z.string().optional(),
  remediation: RemediationRef.optional(),
  /** When the evidence was observed (ISO 8601): the snapshot's time, or when a recovered problem last happened. */
  observedAt: z.iso.datetime().optional(),
});
export type Finding = z.infer<typeof Finding>;

export const ComponentReport = z.object({
  component: ComponentName,
  status: Status,
  summary: z.string(),
  /** What was found installed, e.g. "CoreDNS (Deployment kube-system/coredns, 2/2 ready)". */
  detected: z.string(),
  findings: z.array(Finding),
  /**
   * The reads that failed, naming verb, resource and identity: why the status is `unknown`, or — on a judged
   * component — the evidence it was judged without (events, logs).
   */
  errors: z.array(z.string()).optional(),
});
export type ComponentReport = z.infer<typeof ComponentReport>;

export const Report = z.object({
  /** 2: runbook steps carry `option`, `where` and `changes` (docs/report-schema.md). */
  schemaVersion: z.literal(2),
  cluster: z.object({
    name: z.string(),
    server: z.string(),
    flavor: z.string(),
    cni: z.string(),
  }),
  scope: Scope,
  /** Set when several scopes were asked for at once (`netcheck dns proxy`); `scope` is then `all`, what was read. */
  scopes: z
    .array(Scope.exclude(['all']))
    .min(2)
    .optional(),
  lang: Lang.optional(),
  startedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  status: Status,
  components: z.array(ComponentReport),
  /** Number of API requests the diagnosis made. */
  requests: z.number().int().nonnegative(),
});
export type Report = z.infer<typeof Report>;

/** JSON Schema of the report, for consumers outside TypeScript. */
export function reportJsonSchema(): unknown {
  return z.toJSONSchema(Report);
}
