// The Slack function hands long work to the worker function with an asynchronous (`Event`) invoke and acks at once.
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
// zod/mini and the mini vocabulary keep classic zod out of the Slack function (src/config/vocabulary.ts).
import * as z from 'zod/mini';
import { Lang, Scope } from '../config/vocabulary.ts';

/** The worker's payload. Only what the worker needs: never secrets (they are read from Secrets Manager). */
export const WorkerJob = z.object({
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
export type WorkerJob = z.infer<typeof WorkerJob>;

// Lambda's limit for asynchronous invocation payloads.
const MAX_EVENT_BYTES = 1024 * 1024;

export interface WorkerInvoker {
  invoke(job: WorkerJob): Promise<void>;
}

export function createWorkerInvoker(opts: { client: LambdaClient; functionName: string }): WorkerInvoker {
  return {
    async invoke(job) {
      // Parsing drops unknown keys, so nothing the caller attached by accident travels along.
      const payload = Buffer.from(JSON.stringify(WorkerJob.parse(job)));
      if (payload.length > MAX_EVENT_BYTES)
        throw new Error(`worker job ${job.jobId} is ${payload.length} bytes (>1 MB)`);
      const out = await opts.client.send(
        new InvokeCommand({ FunctionName: opts.functionName, InvocationType: 'Event', Payload: payload }),
      );
      if (out.StatusCode !== 202) {
        throw new Error(`invoking ${opts.functionName} returned status ${out.StatusCode}, expected 202`);
      }
    },
  };
}
