// The ack function hands a plan/apply/rollback job to the remediator function with an asynchronous invoke.
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { RemediationJob } from '../jobs/job.ts';
import type { RemediatorInvoker } from '../jobs/ports.ts';

export function createRemediatorInvoker(opts: { client: LambdaClient; functionName: string }): RemediatorInvoker {
  return {
    async invoke(job) {
      // Parsing drops unknown keys: the payload is a kind, a job id and a plan id, nothing else.
      const payload = Buffer.from(JSON.stringify(RemediationJob.parse(job)));
      const out = await opts.client.send(
        new InvokeCommand({ FunctionName: opts.functionName, InvocationType: 'Event', Payload: payload }),
      );
      if (out.StatusCode !== 202) {
        throw new Error(`invoking ${opts.functionName} returned status ${out.StatusCode}, expected 202`);
      }
    },
  };
}
