// The worker on its own: what it accepts, what it does once, and what it tells the channel when the cluster
// cannot be read. Jobs arrive through the real LambdaClient → local Invoke endpoint, as from the Slack handler.

import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../src/jobs/job.ts';
import { netcheckRbacObjects } from '../src/sandbox/scenarios.ts';
import { localAwsClientConfig } from './fakes/aws-local.ts';
import { ALICE, BOB, type Harness, lambdaContext, OPS, startHarness, WORKER } from './support/slack-harness.ts';
import { commandRequest } from './support/slack-request.ts';

let h: Harness;
let lambda: LambdaClient;
let n = 0;

beforeAll(async () => {
  h = await startHarness({ scenario: 'coredns-loop' });
  lambda = new LambdaClient(localAwsClientConfig(h.lambda.endpoint));
});
afterAll(async () => {
  lambda?.destroy();
  await h?.close();
});

function job(overrides: Partial<Job> = {}): Job {
  return {
    kind: 'slash-command',
    jobId: `command:worker-test-${++n}`,
    cluster: 'prod-eu',
    scope: 'dns',
    lang: 'en',
    details: false,
    userId: ALICE,
    channelId: OPS,
    responseUrl: h.slackApi.responseUrl(),
    ...overrides,
  };
}

/** Runs the worker synchronously through the Lambda API and returns its result. */
async function run(payload: unknown) {
  const out = await lambda.send(
    new InvokeCommand({
      FunctionName: WORKER,
      InvocationType: 'RequestResponse',
      Payload: Buffer.from(JSON.stringify(payload)),
    }),
  );
  return JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8'));
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const callsSince = (index: number) => h.slackApi.calls.slice(index);

describe('the worker', () => {
  it('rejects a payload that is not a Job, logs it, and touches nothing', async () => {
    const before = { calls: h.slackApi.calls.length, requests: h.sandbox.requests.length };
    const result = await run({ kind: 'rm-rf', cluster: 'prod-eu' });
    expect(result).toEqual({ outcome: 'invalid-job' });
    expect(h.slackApi.calls.length).toBe(before.calls);
    expect(h.sandbox.requests.length).toBe(before.requests);
    expect(h.logs.some((l) => JSON.parse(l).message === 'invalid job rejected')).toBe(true);
  });

  it('runs a job id once even when Lambda delivers it twice', async () => {
    const payload = job();
    const before = h.slackApi.calls.length;
    expect(await run(payload)).toMatchObject({ outcome: 'reported' });
    expect(await run(payload)).toMatchObject({ outcome: 'duplicate' });
    // One report (its rest, if any, goes to its thread, once).
    const posts = callsSince(before).filter((c) => c.method === 'chat.postMessage');
    expect(posts.filter((c) => !c.body.thread_ts)).toHaveLength(1);
    const replies = posts.filter((c) => c.body.thread_ts);
    expect(new Set(replies.map((c) => c.body.text)).size).toBe(replies.length);
  });

  it('with --details, posts the findings the report left out into the report thread', async () => {
    const before = h.slackApi.calls.length;
    await run(job({ details: true }));
    const posts = callsSince(before).filter((c) => c.method === 'chat.postMessage');
    expect(posts.length).toBeGreaterThan(1);
    const reportTs = posts[0]?.response.ts;
    for (const reply of posts.slice(1)) expect(reply.body.thread_ts).toBe(reportTs);
  });

  it('incident jobs answer in the alert thread', async () => {
    const before = h.slackApi.calls.length;
    await run(job({ kind: 'incident', threadTs: '1700000000.000900', responseUrl: undefined }));
    const post = callsSince(before).find((c) => c.method === 'chat.postMessage');
    expect(post?.body.thread_ts).toBe('1700000000.000900');
  });

  it('when the API server rejects the token, says so in the channel, naming who was rejected', async () => {
    h.secrets.set(
      'netcheck/clusters/staging',
      JSON.stringify({
        server: h.sandbox.url,
        caData: Buffer.from(h.sandbox.caPem).toString('base64'),
        token: 'revoked-token',
      }),
    );
    const before = h.slackApi.calls.length;
    expect(await run(job({ cluster: 'staging' }))).toMatchObject({ outcome: 'cluster-error' });
    const final = callsSince(before)
      .filter((c) => c.method === 'chat.update')
      .at(-1);
    const text = JSON.stringify(final?.body);
    expect(text).toMatch(/rejected the credentials/);
    expect(text).toContain('(401)');
    expect(text).not.toContain('revoked-token');
  });

  it('when the cluster cannot be reached, says so instead of going quiet', async () => {
    h.secrets.set(
      'netcheck/clusters/staging',
      JSON.stringify({
        server: `https://127.0.0.1:${await closedPort()}`,
        caData: Buffer.from(h.sandbox.caPem).toString('base64'),
        token: h.sandbox.tokens.bot,
      }),
    );
    const before = h.slackApi.calls.length;
    expect(await run(job({ cluster: 'staging' }))).toMatchObject({ outcome: 'cluster-error' });
    const final = callsSince(before)
      .filter((c) => c.method === 'chat.update')
      .at(-1);
    expect(JSON.stringify(final?.body)).toMatch(/could not reach the API server/);
  });

  it('when RBAC forbids a read, names the verb, the resource and the identity', async () => {
    const original = netcheckRbacObjects().find(
      (o) => o.kind === 'ClusterRole' && o.metadata.name === 'netcheck-reader',
    );
    if (!original) throw new Error('netcheck-reader ClusterRole not found');
    const withoutPods = structuredClone(original);
    // biome-ignore lint/suspicious/noExplicitAny: RBAC rules as plain JSON.
    withoutPods.rules = original.rules.map((r: any) => ({
      ...r,
      resources: r.resources.filter((x: string) => x !== 'pods'),
    }));
    h.sandbox.apply([withoutPods]);
    try {
      const before = h.slackApi.calls.length;
      await run(job());
      const final = callsSince(before)
        .filter((c) => c.method === 'chat.update')
        .at(-1);
      const text = JSON.stringify(final?.body);
      expect(text).toMatch(/cannot list pods/);
      expect(text).toContain(h.sandbox.identities.bot);
    } finally {
      h.sandbox.apply([original]);
    }
  });
});

describe('the time budget', () => {
  it('posts that the check ran out of time before Lambda would stop the worker mid-diagnosis', async () => {
    h.sandbox.setLatency({ fixedMs: 1500 });
    try {
      const before = h.slackApi.calls.length;
      // 5.2 s left of the function's timeout, 5 s of it reserved for the answer: 200 ms for the diagnosis.
      const context = { ...lambdaContext(WORKER), getRemainingTimeInMillis: () => 5200 };
      const result = await h.worker(job(), context);
      expect(result.outcome).toBe('cluster-error');
      const final = callsSince(before)
        .filter((c) => c.method === 'chat.update')
        .at(-1);
      expect(JSON.stringify(final?.body)).toMatch(/did not finish in time/);
    } finally {
      h.sandbox.setLatency(undefined);
    }
  });
});

describe('language', () => {
  it('a user whose Slack locale is ko-KR gets the ack and the report in Korean', async () => {
    h.slackApi.setUser(BOB, { locale: 'ko-KR' });
    // staging works again for this test
    h.secrets.set(
      'netcheck/clusters/staging',
      JSON.stringify({
        server: h.sandbox.url,
        caData: Buffer.from(h.sandbox.caPem).toString('base64'),
        token: h.sandbox.tokens.bot,
      }),
    );
    const res = await h.send(
      commandRequest(
        {
          text: 'dns staging',
          userId: BOB,
          channelId: OPS,
          triggerId: `ko.${++n}`,
          responseUrl: h.slackApi.responseUrl(),
        },
        h.signing,
      ),
    );
    const before = h.slackApi.calls.length;
    expect(JSON.parse(res.body ?? '{}').text).toMatch(/[\uac00-\ud7a3]/);
    await h.lambda.idle();
    expect(h.jobs().at(-1)).toMatchObject({ lang: 'ko', userId: BOB });
    const final = callsSince(before)
      .filter((c) => c.method === 'chat.update')
      .at(-1);
    expect(String(final?.body.text)).toMatch(/[\uac00-\ud7a3]/);
  });

  it('--lang en wins over the Korean locale', async () => {
    const res = await h.send(
      commandRequest(
        {
          text: 'dns staging --lang en',
          userId: BOB,
          channelId: OPS,
          triggerId: `en.${++n}`,
          responseUrl: h.slackApi.responseUrl(),
        },
        h.signing,
      ),
    );
    expect(JSON.parse(res.body ?? '{}').text).toMatch(/Checking DNS on staging/);
    await h.lambda.idle();
    expect(h.jobs().at(-1)).toMatchObject({ lang: 'en' });
  });
});

describe('a degraded API server', () => {
  it('one list hangs: the worker posts the partial report within its deadline, naming what it could not read', async () => {
    h.sandbox.setFaults([{ kind: 'hang', path: '^/api/v1/nodes$' }]);
    try {
      const before = h.slackApi.calls.length;
      // 10 s left: the diagnosis gets until 6.5 s before the end, a single request 60% of that.
      const result = await h.worker(job({ scope: 'all' }), {
        ...lambdaContext(WORKER),
        getRemainingTimeInMillis: () => 10_000,
      });
      expect(result.outcome).toBe('reported');
      const final = callsSince(before)
        .filter((c) => c.method === 'chat.update')
        .at(-1);
      const text = JSON.stringify(final?.body);
      expect(text).toContain('coredns.loop-detected');
      expect(text).toMatch(/timed out trying to list nodes/);
      expect(text).not.toMatch(/did not finish in time/);
    } finally {
      h.sandbox.setFaults([]);
    }
  });
});
