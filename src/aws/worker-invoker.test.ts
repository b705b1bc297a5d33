import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localAwsClientConfig } from '#test/fakes/aws-local.ts';
import { type LocalLambda, startLambdaInvokeEndpoint } from '#test/fakes/lambda-invoke.ts';
import type { Job } from '../jobs/job.ts';
import { createWorkerInvoker } from './worker-invoker.ts';

const job: Job = {
  kind: 'slash-command',
  jobId: 'trigger-1',
  cluster: 'prod',
  scope: 'dns',
  lang: 'ko',
  details: false,
  userId: 'U1',
  channelId: 'C1',
  responseUrl: 'https://hooks.slack.com/commands/T1/1/abc',
};

let lambda: LocalLambda;
let client: LambdaClient;
const seen: unknown[] = [];
let release: () => void = () => {};

beforeAll(async () => {
  lambda = await startLambdaInvokeEndpoint(
    {
      'netcheck-test-worker': async (event) => {
        // Held until the test releases it, to prove the invoke returned before the work was done.
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        seen.push(event);
        return { handled: true };
      },
      echo: async (event) => ({ echoed: event }),
      broken: async () => {
        throw new TypeError('worker exploded');
      },
    },
    { onAsyncError: () => {} },
  );
  client = new LambdaClient(localAwsClientConfig(lambda.endpoint));
});
afterAll(async () => {
  client.destroy();
  await lambda.close();
});
beforeEach(() => {
  lambda.invocations.length = 0;
  seen.length = 0;
});

describe('createWorkerInvoker', () => {
  it('invokes the worker asynchronously and returns before the worker finishes', async () => {
    const invoker = createWorkerInvoker({ client, functionName: 'netcheck-test-worker' });
    await invoker.invoke(job);
    expect(seen).toEqual([]);
    expect(lambda.invocations).toEqual([
      { functionName: 'netcheck-test-worker', invocationType: 'Event', payload: job },
    ]);
    release();
    await lambda.idle();
    expect(seen).toEqual([job]);
    expect(lambda.invocations[0]?.result).toEqual({ handled: true });
  });

  it('sends only the validated job fields', async () => {
    const invoker = createWorkerInvoker({ client, functionName: 'netcheck-test-worker' });
    await invoker.invoke({ ...job, botToken: 'xoxb-leak' } as Job);
    release();
    await lambda.idle();
    expect(lambda.invocations[0]?.payload).toEqual(job);
  });

  it('refuses an invalid job before calling Lambda', async () => {
    const invoker = createWorkerInvoker({ client, functionName: 'netcheck-test-worker' });
    await expect(invoker.invoke({ ...job, scope: 'everything' } as unknown as Job)).rejects.toThrow(/scope/);
    expect(lambda.invocations).toEqual([]);
  });

  it('reaches the endpoint named by AWS_ENDPOINT_URL_LAMBDA, which the SDK reads itself', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_LAMBDA;
    process.env.AWS_ENDPOINT_URL_LAMBDA = lambda.endpoint;
    const { endpoint: _unused, ...noEndpoint } = localAwsClientConfig(lambda.endpoint);
    const envClient = new LambdaClient(noEndpoint);
    try {
      await createWorkerInvoker({ client: envClient, functionName: 'netcheck-test-worker' }).invoke(job);
      release();
      await lambda.idle();
      expect(lambda.invocations).toHaveLength(1);
    } finally {
      envClient.destroy();
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_LAMBDA;
      else process.env.AWS_ENDPOINT_URL_LAMBDA = saved;
    }
  });

  it('surfaces an unknown function as the SDK ResourceNotFoundException', async () => {
    const invoker = createWorkerInvoker({
      client,
      functionName: 'arn:aws:lambda:us-east-1:000000000000:function:nope',
    });
    await expect(invoker.invoke(job)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('local Lambda endpoint', () => {
  it('answers RequestResponse invocations with the function result', async () => {
    const out = await client.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from(JSON.stringify({ hello: 'world' })) }),
    );
    expect(out.StatusCode).toBe(200);
    expect(JSON.parse(Buffer.from(out.Payload!).toString())).toEqual({ echoed: { hello: 'world' } });
  });

  it('reports a synchronous function error in FunctionError, like Lambda', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'broken', Payload: Buffer.from('{}') }));
    expect(out.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(out.Payload!).toString())).toMatchObject({ errorMessage: 'worker exploded' });
  });

  it('records a failed asynchronous invocation once it finished', async () => {
    await client.send(
      new InvokeCommand({ FunctionName: 'broken', InvocationType: 'Event', Payload: Buffer.from('{}') }),
    );
    await lambda.idle();
    expect(lambda.invocations[0]).toMatchObject({ functionName: 'broken', error: 'worker exploded' });
  });

  it('rejects asynchronous payloads over 1 MB', async () => {
    const big = Buffer.from(JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }));
    await expect(
      client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: big })),
    ).rejects.toMatchObject({ name: 'RequestTooLargeException' });
  });
});
