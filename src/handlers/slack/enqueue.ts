// Hands a job to the worker exactly once per delivery. The listeners run before the HTTP response leaves
// (AwsLambdaReceiver awaits them), so this is the ack's only I/O: a DynamoDB put and a 202 invoke.
import type { Job } from '../../jobs/job.ts';
import type { DedupeStore, WorkerInvoker } from '../../jobs/ports.ts';
import type { Log } from '../log.ts';

export type EnqueueOutcome = 'enqueued' | 'duplicate';
export type Enqueue = (job: Job) => Promise<EnqueueOutcome>;

/** Claims the delivery, then invokes the worker. The job id is the delivery key, so the worker dedupes too. */
export function createEnqueue(deps: { dedupe: DedupeStore; worker: WorkerInvoker; log: Log }): Enqueue {
  const { dedupe, worker, log } = deps;
  return async (job) => {
    if (!(await dedupe.claim(job.jobId))) {
      log.info('duplicate delivery: already accepted, not running again', { jobId: job.jobId, kind: job.kind });
      return 'duplicate';
    }
    // The response_url is the worker's last resort and expires 30 minutes after Slack issued it.
    await worker.invoke(
      job.responseUrl && job.responseUrlIssuedAt === undefined ? { ...job, responseUrlIssuedAt: Date.now() } : job,
    );
    log.info('job enqueued', { jobId: job.jobId, kind: job.kind, cluster: job.cluster, scope: job.scope });
    return 'enqueued';
  };
}
