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

export const RunbookStep = z.object({
  text: z.string().min(1),
  command: z.string().min(1).optional(),
});
export type RunbookStep = z.infer<typeof RunbookStep>;

export const RemediationRef = z.object({
  /** Stable id of an automated fix (a later issue implements the actions). */
  id: z.string().min(1),
  title: z.string().min(1),
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
  runbook: z.array(RunbookStep),
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
  /** Why the status is `unknown`: the calls that failed, naming verb, resource and identity. */
  errors: z.array(z.string()).optional(),
});
export type ComponentReport = z.infer<typeof ComponentReport>;

export const Report = z.object({
  schemaVersion: z.literal(1),
  cluster: z.object({
    name: z.string(),
    server: z.string(),
    flavor: z.string(),
    cni: z.string(),
  }),
  scope: Scope,
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
