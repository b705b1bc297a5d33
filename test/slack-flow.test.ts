// The whole Slack story over real HTTP on loopback: a signed /netcheck reaches the handler as API Gateway
// delivers it, the ack comes back at once, the worker (invoked through the Lambda API) diagnoses the sandbox
// cluster and edits one Slack message from "Checking…" to the runbook.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../src/sandbox/scenarios.ts';
import {
  ALICE,
  BOB,
  BOT_TOKEN,
  type Harness,
  lambdaContext,
  MALLORY,
  OPS,
  PAYMENTS,
  SIGNING_SECRET,
  startHarness,
} from './support/slack-harness.ts';
import { apiGatewayEvent, buttonRequest, commandRequest } from './support/slack-request.ts';

let h: Harness;
let triggers = 0;
const trigger = () => `${Date.now()}.${++triggers}.a1b2c3`;

beforeAll(async () => {
  h = await startHarness({ scenario: 'coredns-loop' });
});
afterAll(async () => {
  await h?.close();
});

function command(text: string, opts: { user?: string; triggerId?: string; responseId?: string } = {}) {
  return commandRequest(
    {
      text,
      userId: opts.user ?? ALICE,
      channelId: OPS,
      triggerId: opts.triggerId ?? trigger(),
      responseUrl: h.slackApi.responseUrl(opts.responseId),
    },
    h.signing,
  );
}

const viaResponseUrl = (id: string) =>
  h.slackApi.calls.filter((c) => c.method === 'response_url' && c.responseId === id);
const json = (body: string | undefined) => JSON.parse(body ?? '{}');
const textOf = (call: { body: unknown } | undefined) => JSON.stringify(call?.body);

async function crashLoopingCorednsPods(): Promise<string[]> {
  const scenario = await loadScenario('coredns-loop');
  return scenario.objects
    .filter((o) => o.kind === 'Pod' && o.metadata.name.startsWith('coredns-'))
    .map((o) => o.metadata.name);
}

describe('/netcheck from a permitted user', () => {
  it('acks with an ephemeral "Checking DNS on prod-eu…" and posts the runbook naming the root cause and pod', async () => {
    const callsBefore = h.slackApi.calls.length;
    const res = await h.send(command('dns prod-eu'));

    expect(res.statusCode).toBe(200);
    const ack = json(res.body);
    expect(ack.response_type).toBe('ephemeral');
    expect(ack.text).toMatch(/Checking DNS on prod-eu/);

    await h.lambda.idle();
    const calls = h.slackApi.calls.slice(callsBefore);
    // One message in the channel; anything else posted is the report's rest, in its thread.
    const posted = calls.filter((c) => c.method === 'chat.postMessage' && !c.body.thread_ts);
    const replies = calls.filter((c) => c.method === 'chat.postMessage' && c.body.thread_ts);
    const updates = calls.filter((c) => c.method === 'chat.update');
    expect(posted).toHaveLength(1);
    for (const reply of replies) expect(reply.body.thread_ts).toBe(posted[0]?.response.ts);
    expect(posted[0]?.body.channel).toBe(OPS);
    expect(posted[0]?.token).toBe(BOT_TOKEN);
    expect(updates.length).toBeGreaterThan(0);

    const final = updates.at(-1);
    expect(textOf(final)).toContain('coredns.loop-detected');
    const pods = await crashLoopingCorednsPods();
    expect(pods.some((pod) => textOf(final).includes(pod))).toBe(true);
  });

  it('edits the one progress message in place: every update targets the ts of the first post', async () => {
    const callsBefore = h.slackApi.calls.length;
    await h.send(command('dns'));
    await h.lambda.idle();
    const calls = h.slackApi.calls.slice(callsBefore);
    const post = calls.find((c) => c.method === 'chat.postMessage');
    const postIndex = calls.indexOf(post as (typeof calls)[number]);
    const ts = post?.response.ts;
    expect(ts).toBeTruthy();
    const updates = calls.filter((c) => c.method === 'chat.update');
    expect(updates.length).toBeGreaterThan(0);
    for (const update of updates) {
      expect(calls.indexOf(update)).toBeGreaterThan(postIndex);
      expect(update.body.channel).toBe(OPS);
      expect(update.body.ts).toBe(ts);
    }
    expect(new Set(updates.map((u) => u.body.ts)).size).toBe(1);
  });

  it('answers before the cluster does: with a 5 s API server the ack is back while the worker waits on it', async () => {
    h.sandbox.setLatency({ fixedMs: 5000 });
    try {
      const invocationsBefore = h.lambda.invocations.length;
      const requestsBefore = h.sandbox.requests.length;
      const res = await h.send(command('dns'));
      const answeredAtAck = h.sandbox.requests.slice(requestsBefore).filter((r) => r.status !== 0).length;
      expect(json(res.body).text).toMatch(/Checking DNS on prod-eu/);
      expect(answeredAtAck).toBe(0);
      const invocation = h.lambda.invocations[invocationsBefore];
      expect(invocation?.payload).toMatchObject({ kind: 'slash-command', cluster: 'prod-eu', scope: 'dns' });
      // The worker reaches the cluster after the ack was sent, and is still waiting for its answer.
      while (h.sandbox.requests.length === requestsBefore) await new Promise((r) => setTimeout(r, 10));
      expect(invocation?.result).toBeUndefined();
    } finally {
      h.sandbox.setLatency(undefined);
    }
    await h.lambda.idle();
    expect(h.lambda.invocations.at(-1)?.result).toMatchObject({ outcome: 'reported' });
  });
});

describe('Slack redeliveries', () => {
  it('a retry of an accepted command (X-Slack-Retry-Num, same trigger_id) does not run the worker twice', async () => {
    const triggerId = trigger();
    const first = await h.send(command('dns', { triggerId }));
    const retry = await h.send(
      commandRequest(
        { text: 'dns', userId: ALICE, channelId: OPS, triggerId, responseUrl: h.slackApi.responseUrl() },
        { ...h.signing, retryNum: 1, retryReason: 'http_timeout' },
      ),
    );
    expect(first.statusCode).toBe(200);
    expect(retry.statusCode).toBe(200);
    await h.lambda.idle();
    expect(h.jobs().filter((job) => job.jobId.includes(triggerId))).toHaveLength(1);
  });
});

describe('how API Gateway delivers the body', () => {
  it('a base64-encoded body with Korean text is verified and parsed as UTF-8', async () => {
    const request = command('디엔에스');
    const event = apiGatewayEvent(request);
    event.body = Buffer.from(request.body, 'utf8').toString('base64');
    event.isBase64Encoded = true;
    const res = await h.slack(event, lambdaContext('netcheck-test-slack'));
    expect(res.statusCode).toBe(200);
    // The usage names the unknown word exactly as typed: nothing was mangled on the way.
    expect(res.body).toContain('디엔에스');
  });
});

describe('requests that are not from Slack', () => {
  it('a bad signature gets 401 and nothing runs or posts', async () => {
    const before = { invocations: h.lambda.invocations.length, calls: h.slackApi.calls.length };
    const forged = commandRequest(
      { text: 'dns', userId: ALICE, channelId: OPS, triggerId: trigger(), responseUrl: h.slackApi.responseUrl() },
      { signingSecret: 'not-the-signing-secret-000000' },
    );
    const res = await h.send(forged);
    expect(res.statusCode).toBe(401);
    await h.lambda.idle();
    expect(h.lambda.invocations.length).toBe(before.invocations);
    expect(h.slackApi.calls.length).toBe(before.calls);
  });

  it('a correctly signed but stale request (older than 5 minutes) gets 401 and nothing runs', async () => {
    const before = { invocations: h.lambda.invocations.length, calls: h.slackApi.calls.length };
    const stale = commandRequest(
      { text: 'dns', userId: ALICE, channelId: OPS, triggerId: trigger(), responseUrl: h.slackApi.responseUrl() },
      { ...h.signing, timestamp: Math.floor(Date.now() / 1000) - 6 * 60 },
    );
    const res = await h.send(stale);
    expect(res.statusCode).toBe(401);
    await h.lambda.idle();
    expect(h.lambda.invocations.length).toBe(before.invocations);
    expect(h.slackApi.calls.length).toBe(before.calls);
  });
});

describe('who may check what', () => {
  it('refuses a user without access, saying why, and runs nothing', async () => {
    const before = h.lambda.invocations.length;
    const res = await h.send(command('dns prod-eu', { user: MALLORY }));
    const body = json(res.body);
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toMatch(/not allowed/i);
    expect(body.text).toContain('prod-eu');
    expect(h.lambda.invocations.length).toBe(before);
  });

  it('refuses a cluster that may only be checked from another channel, saying so', async () => {
    const before = h.lambda.invocations.length;
    const res = await h.send(command('dns payments'));
    const body = json(res.body);
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toMatch(/cannot be checked from this channel/);
    expect(h.lambda.invocations.length).toBe(before);
  });

  it('help lists the subcommands and the clusters this user may check', async () => {
    const res = await h.send(command('help', { user: BOB }));
    const body = json(res.body);
    expect(body.response_type).toBe('ephemeral');
    const shown = JSON.stringify(body);
    for (const sub of ['dns', 'cni', 'proxy', 'all']) expect(shown).toContain(`\`${sub}\``);
    // biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON.
    const clusterLine = body.blocks.map((b: any) => b.text?.text ?? '').find((t: string) => t.includes('staging'));
    expect(clusterLine).toBeDefined();
    expect(clusterLine).not.toContain('prod-eu');
  });

  it('a typo gets the usage with the error and the clusters, and runs nothing', async () => {
    const before = h.lambda.invocations.length;
    const res = await h.send(command('dsn'));
    const shown = JSON.stringify(json(res.body));
    expect(shown).toContain('dsn');
    expect(shown).toContain('prod-eu');
    expect(h.lambda.invocations.length).toBe(before);
  });

  it('an unknown cluster gets the usage listing the clusters the user may check', async () => {
    const res = await h.send(command('dns prod-us'));
    const shown = JSON.stringify(json(res.body));
    expect(shown).toContain('prod-us');
    expect(shown).toContain('prod-eu');
  });
});

describe('when the bot is not in the channel', () => {
  it('posts the report through the command response_url instead', async () => {
    h.slackApi.failNext('chat.postMessage', 'not_in_channel');
    const responseId = `fallback-${trigger()}`;
    await h.send(command('dns', { responseId }));
    await h.lambda.idle();
    const viaUrl = viaResponseUrl(responseId);
    expect(viaUrl.length).toBeGreaterThan(0);
    const final = viaUrl.at(-1);
    expect(final?.body.response_type).toBe('in_channel');
    expect(final?.body.replace_original).toBe(false);
    expect(JSON.stringify(final?.body)).toContain('coredns.loop-detected');
  });
});

describe('buttons on the report', () => {
  // biome-ignore lint/suspicious/noExplicitAny: walking Block Kit JSON.
  function rerunButtonOf(blocks: any[]): string | undefined {
    for (const block of blocks ?? []) {
      for (const el of block.elements ?? []) if (el.action_id === 'netcheck_rerun') return el.value;
      if (block.accessory?.action_id === 'netcheck_rerun') return block.accessory.value;
    }
    return undefined;
  }

  async function lastReportButton(): Promise<string> {
    const updates = h.slackApi.calls.filter((c) => c.method === 'chat.update');
    const value = rerunButtonOf(updates.at(-1)?.body.blocks as unknown[]);
    if (!value) throw new Error('the report has no re-run button');
    return value;
  }

  it('re-run re-authorizes the clicking user and runs the check again', async () => {
    await h.send(command('dns'));
    await h.lambda.idle();
    const value = await lastReportButton();
    const before = h.lambda.invocations.length;
    const res = await h.send(
      buttonRequest(
        {
          actionId: 'netcheck_rerun',
          value,
          userId: ALICE,
          channelId: OPS,
          triggerId: trigger(),
          responseUrl: h.slackApi.responseUrl(),
        },
        h.signing,
      ),
    );
    expect(res.statusCode).toBe(200);
    await h.lambda.idle();
    const jobs = h.jobs().slice(before);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ kind: 'rerun', cluster: 'prod-eu', userId: ALICE });
  });

  it('re-run by a user who may not check that cluster is refused', async () => {
    const value = await lastReportButton();
    const before = h.lambda.invocations.length;
    const responseId = `refusal-${trigger()}`;
    await h.send(
      buttonRequest(
        {
          actionId: 'netcheck_rerun',
          value,
          userId: BOB,
          channelId: OPS,
          triggerId: trigger(),
          responseUrl: h.slackApi.responseUrl(responseId),
        },
        h.signing,
      ),
    );
    await h.lambda.idle();
    expect(h.lambda.invocations.length).toBe(before);
    const answer = viaResponseUrl(responseId).at(-1);
    expect(answer?.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(answer?.body)).toMatch(/not allowed/i);
  });

  /** Clicks Re-run as ALICE in OPS with `value`; returns the private answer, if any. */
  async function clickRerun(value: string, userId = ALICE) {
    const responseId = `rerun-${trigger()}`;
    await h.send(
      buttonRequest(
        {
          actionId: 'netcheck_rerun',
          value,
          userId,
          channelId: OPS,
          triggerId: trigger(),
          responseUrl: h.slackApi.responseUrl(responseId),
        },
        h.signing,
      ),
    );
    await h.lambda.idle();
    return viaResponseUrl(responseId).at(-1);
  }

  it('the Re-run button carries only an opaque id; the offer behind it names the report', async () => {
    await h.send(command('dns staging', { user: BOB }));
    await h.lambda.idle();
    const value = await lastReportButton();
    expect(value).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(value).not.toContain('staging');
    expect(await h.offers().getRerun(value)).toMatchObject({
      teamId: 'T0001',
      cluster: 'staging',
      channelId: OPS,
      scope: 'dns',
    });
  });

  it.each([
    ['a forged id', () => 'AAAAAAAAAAAAAAAAAAAAAA'],
    ['an old JSON value naming the target', () => JSON.stringify({ cluster: 'staging', scope: 'dns' })],
    ['a value that is not a valid target', () => '{"cluster":"prod-eu","scope":"dns","sudo":true}'],
  ])('%s is refused as an expired button, privately, and starts nothing', async (_what, value) => {
    const before = h.lambda.invocations.length;
    const answer = await clickRerun(value());
    expect(h.lambda.invocations.length).toBe(before);
    expect(answer?.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(answer?.body)).toContain('no longer valid; run /netcheck again');
  });

  it("another team's Re-run offer is refused, though the clicker may check its cluster", async () => {
    const store = h.offers();
    const id = store.newId();
    await store.recordRerun({ id, teamId: 'T0OTHER01', cluster: 'staging', channelId: OPS, scope: 'dns' });
    const before = h.lambda.invocations.length;
    const answer = await clickRerun(id);
    expect(h.lambda.invocations.length).toBe(before);
    expect(JSON.stringify(answer?.body)).toContain('no longer valid');
  });

  it("another channel's Re-run offer is refused", async () => {
    const store = h.offers();
    const id = store.newId();
    await store.recordRerun({ id, teamId: 'T0001', cluster: 'staging', channelId: PAYMENTS, scope: 'dns' });
    const before = h.lambda.invocations.length;
    const answer = await clickRerun(id);
    expect(h.lambda.invocations.length).toBe(before);
    expect(JSON.stringify(answer?.body)).toContain('no longer valid');
  });

  it('an expired Re-run offer (older than 7 days) is refused; a 6-day-old one still runs', async () => {
    const DAY = 24 * 3600_000;
    const record = async (ageMs: number) => {
      const store = h.offers(() => Date.now() - ageMs);
      const id = store.newId();
      await store.recordRerun({ id, teamId: 'T0001', cluster: 'staging', channelId: OPS, scope: 'cni' });
      return id;
    };
    const before = h.lambda.invocations.length;
    expect(JSON.stringify((await clickRerun(await record(7 * DAY + 60_000)))?.body)).toContain('no longer valid');
    expect(h.lambda.invocations.length).toBe(before);
    await clickRerun(await record(6 * DAY));
    expect(h.jobs().slice(before)).toMatchObject([{ kind: 'rerun', cluster: 'staging', scope: 'cni', userId: ALICE }]);
  });

  it('fix answers that the approval flow is not enabled yet, privately', async () => {
    const responseId = `fix-${trigger()}`;
    await h.send(
      buttonRequest(
        {
          actionId: 'netcheck_fix',
          value: 'x',
          userId: ALICE,
          channelId: OPS,
          triggerId: trigger(),
          responseUrl: h.slackApi.responseUrl(responseId),
        },
        h.signing,
      ),
    );
    const answer = viaResponseUrl(responseId).at(-1);
    expect(answer?.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(answer?.body)).toMatch(/not enabled/i);
  });
});

describe('logs', () => {
  it('never contain the signing secret, the bot token, the cluster token or a response_url', async () => {
    await h.lambda.idle();
    const all = h.logs.join('\n');
    expect(h.logs.length).toBeGreaterThan(0);
    expect(all).not.toContain(SIGNING_SECRET);
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain(h.sandbox.tokens.bot);
    expect(all).not.toContain(h.slackApi.responseUrl('fallback'));
    expect(all).not.toMatch(/v0=[0-9a-f]{64}/);
    for (const line of h.logs) expect(() => JSON.parse(line)).not.toThrow();
  });
});
