// The ports both functions depend on, declared once; the adapters live in src/aws (DynamoDB, Lambda) and src/dev.
import type { Job, RemediationJob } from './job.ts';

/** Claims a key once: how a Slack retry or a repeated async invoke is told from its original. */
export interface DedupeStore {
  /** True the first time `key` is claimed within the TTL, false for every repeat. */
  claim(key: string): Promise<boolean>;
}

/** Starts the worker asynchronously (Lambda InvocationType Event): resolves on the 202, before the job runs. */
export interface WorkerInvoker {
  invoke(job: Job): Promise<void>;
}

/** Starts the remediator asynchronously (Event invoke) with a plan/apply/rollback job: only a plan id travels. */
export interface RemediatorInvoker {
  invoke(job: RemediationJob): Promise<void>;
}
