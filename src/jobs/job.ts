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
