// Slack on a bad day, through the real handlers and the Slack Web API fake's failure modes: no report is ever lost
// (retries within the Lambda deadline, a fresh post when the final edit fails, the command's response_url as the last
// resort), an outage never poisons the process, the ack always leaves, and only our workspace is served.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../src/jobs/job.ts';
import { ALICE, type Harness, lambdaContext, OPS, startHarness, WORKER } from './support/slack-harness.ts';
import { buttonRequest, commandRequest, eventRequest } from './support/slack-request.ts';

let h: Harness;
let n = 0;

beforeAll(async () => {
  h = await startHarness({ scenario: 'coredns-loop' });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  for (const method of ['*', 'chat.postMessage', 'chat.update', 'response_url', 'auth.test']) {
    h.slackApi.setFault(method, undefined);
  }
  // Workers a previous test started finish before the next one counts calls.
  await h.lambda.idle();
}, 60_000);

function job(overrides: Partial<Job> = {}): Job {
  return {
    kind: 'slash-command',
    jobId: `command:degraded-${++n}`,
    cluster: 'prod-eu',
    scope: 'dns',
    lang: 'en',
    details: false,
    userId: ALICE,
    channelId: OPS,
    responseUrl: h.slackApi.responseUrl(`degraded-${n}`),
    ...overrides,
  };
}

const context = (remainingMs: number) => {
  const started = Date.now();
  return { ...lambdaContext(WORKER), getRemainingTimeInMillis: () => remainingMs - (Date.now() - started) };
};
const callsSince = (index: number) => h.slackApi.calls.slice(index);
const command = (text: string, extra: { teamId?: string } = {}) =>
  commandRequest(
    {
      text,
      userId: ALICE,
      channelId: OPS,
      triggerId: `degraded.${++n}`,
      responseUrl: h.slackApi.responseUrl(),
      ...extra,
    },
    h.signing,
  );

describe('a Re-run offer that cannot be recorded', () => {
  it('the report still goes out, without its Re-run button, and the worker says why in its log', async () => {
    // The offers table is named but missing: every put fails.
    const broken = await startHarness({ scenario: 'coredns-loop', env: { PLANS_TABLE: 'netcheck-test-missing' } });
    try {
      await broken.send(
        commandRequest(
          {
            text: 'dns',
            userId: ALICE,
            channelId: OPS,
            triggerId: `degraded.${++n}`,
            responseUrl: broken.slackApi.responseUrl(),
          },
          broken.signing,
        ),
      );
      await broken.lambda.idle();
      const final = broken.slackApi.calls.filter((c) => c.method === 'chat.update').at(-1);
      expect(JSON.stringify(final?.body)).toContain('coredns.loop-detected');
      expect(JSON.stringify(final?.body)).not.toContain('netcheck_rerun');
      expect(broken.logs.map((l) => JSON.parse(l).message)).toContain(
        'could not record the Re-run offer; the report goes without Re-run',
      );
    } finally {
      await broken.close();
    }
  });
});

describe('no report is ever lost', () => {
  it('429 on every chat call: retried after Retry-After, then the report goes through response_url, once', async () => {
    h.slackApi.setFault('chat.postMessage', { kind: 'status', status: 429, retryAfterSeconds: 1 });
    h.slackApi.setFault('chat.update', { kind: 'status', status: 429, retryAfterSeconds: 1 });
    const before = h.slackApi.calls.length;
    const payload = job();
    const result = await h.worker(payload, context(30_000));
    expect(result.outcome).toBe('reported');
    const calls = callsSince(before);
    const posts = calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts.length).toBeGreaterThan(1); // retried
    expect(posts.every((c) => c.response.status === 429)).toBe(true);
    const viaUrl = calls.filter((c) => c.method === 'response_url');
    expect(viaUrl).toHaveLength(1);
    expect(viaUrl[0]!.responseId).toBe(payload.responseUrl!.split('/').at(-1));
    expect(JSON.stringify(viaUrl[0]!.body)).toContain('coredns.loop-detected');
  });

  it('a Retry-After beyond the Lambda deadline is not waited for: straight to response_url', async () => {
    h.slackApi.setFault('chat.postMessage', { kind: 'status', status: 429, retryAfterSeconds: 25 });
    const before = h.slackApi.calls.length;
    const result = await h.worker(job(), context(12_000));
    expect(result.outcome).toBe('reported');
    const calls = callsSince(before);
    expect(calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    expect(calls.filter((c) => c.method === 'response_url')).toHaveLength(1);
  });

  it('5xx on chat.update: the report is posted anew and "Checking…" is removed, never left on screen', async () => {
    h.slackApi.setFault('chat.update', { kind: 'status', status: 503 });
    const before = h.slackApi.calls.length;
    const result = await h.worker(job(), context(30_000));
    expect(result.outcome).toBe('reported');
    const calls = callsSince(before);
    const [progress, report] = calls.filter((c) => c.method === 'chat.postMessage');
    expect(String(progress?.body.text)).toMatch(/Checking/);
    expect(JSON.stringify(report?.body)).toContain('coredns.loop-detected');
    const deleted = calls.find((c) => c.method === 'chat.delete');
    expect(deleted?.body).toMatchObject({ channel: OPS, ts: progress?.response.ts });
    expect(calls.filter((c) => c.method === 'response_url')).toEqual([]);
  });

  it('every Web API method hangs: each call times out within the deadline and the report still arrives', async () => {
    h.slackApi.setFault('*', { kind: 'hang' });
    const before = h.slackApi.calls.length;
    const result = await h.worker(job(), context(20_000));
    expect(result.outcome).toBe('reported');
    const viaUrl = callsSince(before).filter((c) => c.method === 'response_url');
    expect(viaUrl).toHaveLength(1);
    expect(JSON.stringify(viaUrl[0]!.body)).toContain('coredns.loop-detected');
  }, 30_000);

  it('every Web API method hangs: the ack still answers within Slack’s 3 s', async () => {
    h.slackApi.setFault('*', { kind: 'hang' });
    const res = await h.send(command('dns'));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body ?? '{}').text).toMatch(/Checking DNS on prod-eu/);
  }, 3000);
});

describe('the response_url’s own limits', () => {
  it('older than 30 minutes it is not used: the worker says the report could not be delivered', async () => {
    h.slackApi.setFault('chat.postMessage', { kind: 'status', status: 500 });
    const before = h.slackApi.calls.length;
    const result = await h.worker(job({ responseUrlIssuedAt: Date.now() - 31 * 60_000 }), context(15_000));
    expect(result.outcome).toBe('undeliverable');
    expect(callsSince(before).filter((c) => c.method === 'response_url')).toEqual([]);
    expect(h.logs.some((l) => /could not deliver the message/.test(l))).toBe(true);
  });

  it('the ack stamps when the response_url was issued, for the worker to judge its age', async () => {
    const before = h.lambda.invocations.length;
    await h.send(command('dns'));
    await h.lambda.idle();
    const stamped = h.jobs().slice(before)[0]?.responseUrlIssuedAt;
    expect(typeof stamped).toBe('number');
    expect(Math.abs(Date.now() - Number(stamped))).toBeLessThan(60_000);
  });
});

describe('only our workspace', () => {
  it("another team's command is refused before any work, with a log line", async () => {
    const before = { jobs: h.lambda.invocations.length, calls: h.slackApi.calls.length, logs: h.logs.length };
    const res = await h.send(command('dns', { teamId: 'T0EVIL' }));
    expect(res.statusCode).toBe(200);
    expect(res.body ?? '').not.toMatch(/Checking/);
    await h.lambda.idle();
    expect(h.lambda.invocations.length).toBe(before.jobs);
    expect(callsSince(before.calls)).toEqual([]); // not even a locale lookup
    const refusals = h.logs.slice(before.logs).map((l) => JSON.parse(l));
    expect(refusals.find((l) => l.message === 'request from another Slack team refused')).toMatchObject({
      teamId: 'T0EVIL',
    });
  });

  it("another team's button click and mention are refused too", async () => {
    // Even a genuine Re-run offer: the team guard refuses the click before it is looked at.
    const offers = h.offers();
    const value = offers.newId();
    await offers.recordRerun({ id: value, teamId: 'T0EVIL', cluster: 'prod-eu', channelId: OPS, scope: 'dns' });
    const before = { jobs: h.lambda.invocations.length, calls: h.slackApi.calls.length };
    const click = await h.send(
      buttonRequest(
        {
          actionId: 'netcheck_rerun',
          value,
          userId: ALICE,
          channelId: OPS,
          triggerId: `degraded.${++n}`,
          responseUrl: h.slackApi.responseUrl(),
          teamId: 'T0EVIL',
        },
        h.signing,
      ),
    );
    const mention = await h.send(
      eventRequest(
        { type: 'app_mention', user: ALICE, channel: OPS, text: '<@UNETCHECK1> dns', ts: '1700000001.000100' },
        { eventId: `Ev${++n}`, teamId: 'T0EVIL' },
        h.signing,
      ),
    );
    expect([click.statusCode, mention.statusCode]).toEqual([200, 200]);
    await h.lambda.idle();
    expect(h.lambda.invocations.length).toBe(before.jobs);
    expect(callsSince(before.calls)).toEqual([]);
    expect(h.logs.filter((l) => /another Slack team refused/.test(l)).length).toBeGreaterThanOrEqual(2);
  });

  it('our own team is served as usual', async () => {
    const res = await h.send(command('dns', { teamId: 'T0001' }));
    expect(JSON.parse(res.body ?? '{}').text).toMatch(/Checking DNS on prod-eu/);
    await h.lambda.idle();
  });
});

describe('load', () => {
  it('30 concurrent commands: every one acked, exactly one job and one report each, no duplicates', async () => {
    const before = { jobs: h.lambda.invocations.length, calls: h.slackApi.calls.length };
    const responses = await Promise.all(Array.from({ length: 30 }, () => h.send(command('dns'))));
    for (const res of responses) expect(JSON.parse(res.body ?? '{}').text).toMatch(/Checking DNS on prod-eu/);
    await h.lambda.idle();
    const jobs = h.jobs().slice(before.jobs);
    expect(jobs).toHaveLength(30);
    expect(new Set(jobs.map((j) => j.jobId)).size).toBe(30);
    const calls = callsSince(before.calls);
    const progress = calls.filter((c) => c.method === 'chat.postMessage' && /Checking/.test(String(c.body.text)));
    expect(progress).toHaveLength(30);
    const finals = calls.filter(
      (c) => c.method === 'chat.update' && JSON.stringify(c.body).includes('coredns.loop-detected'),
    );
    expect(new Set(finals.map((c) => c.body.ts)).size).toBe(30);
    // One final report per progress message, no duplicates.
    const perMessage = new Map<string, number>();
    for (const c of finals) perMessage.set(String(c.body.ts), (perMessage.get(String(c.body.ts)) ?? 0) + 1);
    expect([...perMessage.values()].every((count) => count === 1)).toBe(true);
  }, 120_000);
});

describe('an auth.test outage does not poison the process', () => {
  let own: Harness;
  beforeAll(async () => {
    // Without SLACK_BOT_ID/SLACK_BOT_USER_ID the handler learns the bot's ids from auth.test.
    own = await startHarness({ scenario: 'coredns-loop', env: { SLACK_BOT_ID: '', SLACK_BOT_USER_ID: '' } });
  });
  afterAll(async () => {
    await own?.close();
  });

  const ownCommand = () =>
    commandRequest(
      { text: 'dns', userId: ALICE, channelId: OPS, triggerId: `auth.${++n}`, responseUrl: own.slackApi.responseUrl() },
      own.signing,
    );
  const authTests = () => own.slackApi.calls.filter((c) => c.method === 'auth.test');

  it('during the outage the command is still acked and run; after it, the next request bootstraps', async () => {
    own.slackApi.setFault('auth.test', { kind: 'status', status: 503 });
    const during = await own.send(ownCommand());
    expect(JSON.parse(during.body ?? '{}').text).toMatch(/Checking DNS on prod-eu/);
    expect(authTests().length).toBeGreaterThan(0);
    expect(own.logs.some((l) => /auth\.test failed; retrying on the next request/.test(l))).toBe(true);

    own.slackApi.setFault('auth.test', undefined);
    const failedSoFar = authTests().length;
    const after = await own.send(ownCommand());
    expect(JSON.parse(after.body ?? '{}').text).toMatch(/Checking DNS on prod-eu/);
    expect(authTests().length).toBe(failedSoFar + 1);
    expect(authTests().at(-1)?.response.ok).toBe(true);

    // Success is cached: no auth.test per request from now on.
    await own.send(ownCommand());
    expect(authTests().length).toBe(failedSoFar + 1);
    await own.lambda.idle();
    expect(own.jobs()).toHaveLength(3);
  });
});
