// The Slack function hands long work to the worker function with an asynchronous (`Event`) invoke and acks at once.
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { Job } from '../jobs/job.ts';
import type { WorkerInvoker } from '../jobs/ports.ts';

// Lambda's limit for asynchronous invocation payloads.
const MAX_EVENT_BYTES = 1024 * 1024;

export function createWorkerInvoker(opts: { client: LambdaClient; functionName: string }): WorkerInvoker {
  return {
    async invoke(job) {
      // Parsing drops unknown keys, so nothing the caller attached by accident travels along.
      const payload = Buffer.from(JSON.stringify(Job.parse(job)));
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
