// The one contract between the Slack function (producer) and the worker function (consumer): an asynchronous
// Lambda payload. zod/mini keeps classic zod out of the ack function's bundle (src/jobs/vocabulary.ts).
import * as z from 'zod/mini';
import { Lang, Scope } from './vocabulary.ts';

/**
 * A diagnosis of one cluster, answered in Slack. `kind` says what triggered it, and is the discriminator future
 * job kinds (an approved fix, say) extend: they add a member to `Job` under a kind of their own.
 * Only what the worker needs: never secrets (the worker reads them from Secrets Manager).
 */
export const DiagnoseJob = z.object({
  kind: z.enum(['slash-command', 'rerun', 'incident']),
  /** Idempotency key: the worker may see the same job twice. */
  jobId: z.string().check(z.minLength(1)),
  cluster: z.string().check(z.minLength(1)),
  scope: Scope,
  lang: Lang,
  details: z.boolean(),
  userId: z.string(),
  channelId: z.string(),
  responseUrl: z.optional(z.url()),
  threadTs: z.optional(z.string()),
  teamId: z.optional(z.string()),
  /** When the response_url was received (epoch ms): Slack honours it for 30 minutes. */
  responseUrlIssuedAt: z.optional(z.number()),
  /** Re-run: the message the button was under, and its thread; the worker updates the report in place. */
  messageTs: z.optional(z.string()),
  messageThreadTs: z.optional(z.string()),
  /** Re-run: the digest of the rest its report's thread already holds (the button's `rest`), if any. */
  threadRest: z.optional(z.string()),
  /** Incident jobs: what triggered them, so the worker tells the first trigger from a follow-up. */
  incident: z.optional(z.lazy(() => IncidentTrigger)),
});
export type DiagnoseJob = z.infer<typeof DiagnoseJob>;

/**
 * A remediation step for the remediator function: only the opaque plan id travels. Everything else (cluster,
 * finding, changes, who asked, who approved) is loaded from the plans table, so a forged payload names at most
 * a plan that already exists, in the state it is in.
 */
export const RemediationJob = z.object({
  kind: z.enum(['plan', 'apply', 'rollback']),
  jobId: z.string().check(z.minLength(1)),
  planId: z.string().check(z.regex(/^[A-Za-z0-9_-]{22}$/)),
});
export type RemediationJob = z.infer<typeof RemediationJob>;

/** Every job the worker accepts, told apart by `kind`. */
export const Job = z.discriminatedUnion('kind', [DiagnoseJob]);
export type Job = z.infer<typeof Job>;
export type JobKind = Job['kind'];

/** Why the incident's cluster was chosen (src/incidents/cluster.ts ClusterReason). */
export const ClusterReason = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('label'), key: z.string(), value: z.string() }),
  z.object({ kind: z.literal('channel-pattern'), value: z.string() }),
  z.object({ kind: z.literal('channel-mapping'), channel: z.string() }),
  z.object({ kind: z.literal('default'), ignored: z.array(z.string()) }),
]);

/** The alert an incident job was triggered by (src/incidents/lifecycle.ts Alert, without its labels). */
export const IncidentAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  name: z.string(),
  title: z.string(),
  count: z.number(),
  fingerprint: z.string(),
  scope: Scope,
});

/** An incident trigger: a new incident channel, the bot invited into a private one, or an alert in one. */
export const IncidentTrigger = z.object({
  trigger: z.enum(['channel-created', 'bot-joined', 'alert']),
  clusterReason: ClusterReason,
  alert: z.optional(IncidentAlert),
});
export type IncidentTrigger = z.infer<typeof IncidentTrigger>;
