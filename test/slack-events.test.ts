// Events API traffic: mentions answered in their thread, incident channels checked on creation, alerts from
// monitoring bots answered in the alert's thread, and the bot's own messages ignored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, type Harness, MALLORY, OPS, startHarness } from './support/slack-harness.ts';
import { eventRequest, signedRequest } from './support/slack-request.ts';

let h: Harness;
let n = 0;
const eventId = () => `Ev${Date.now()}${++n}`;
const ts = () => `${Math.floor(Date.now() / 1000)}.${String(++n).padStart(6, '0')}`;

beforeAll(async () => {
  h = await startHarness({ scenario: 'coredns-loop' });
});
afterAll(async () => {
  await h?.close();
});

async function deliver(event: Record<string, unknown>, id = eventId(), retryNum?: number) {
  const res = await h.send(eventRequest(event, { eventId: id }, { ...h.signing, ...(retryNum ? { retryNum } : {}) }));
  expect(res.statusCode).toBe(200);
  await h.lambda.idle();
  return res;
}

describe('the Events API handshake', () => {
  it('answers a signed url_verification with its challenge', async () => {
    const body = JSON.stringify({ token: 'x', challenge: 'c3RhcnQtY2hhbGxlbmdl', type: 'url_verification' });
    const res = await h.send(signedRequest(body, 'application/json', h.signing));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body ?? '{}')).toEqual({ challenge: 'c3RhcnQtY2hhbGxlbmdl' });
  });
});

describe('mentions', () => {
  it('"@netcheck dns" diagnoses DNS and answers in the thread of the mention', async () => {
    const mentionTs = ts();
    const before = h.slackApi.calls.length;
    await deliver({
      type: 'app_mention',
      user: ALICE,
      channel: OPS,
      text: '<@UNETCHECK1> dns',
      ts: mentionTs,
      event_ts: mentionTs,
    });
    const job = h.jobs().at(-1);
    expect(job).toMatchObject({ cluster: 'prod-eu', scope: 'dns', threadTs: mentionTs, userId: ALICE });
    const post = h.slackApi.calls.slice(before).find((c) => c.method === 'chat.postMessage');
    expect(post?.body.thread_ts).toBe(mentionTs);
    const final = h.slackApi.calls
      .slice(before)
      .filter((c) => c.method === 'chat.update')
      .at(-1);
    expect(JSON.stringify(final?.body)).toContain('coredns.loop-detected');
  });

  it('a mention from a user without access gets a private refusal and nothing runs', async () => {
    const before = { jobs: h.jobs().length, calls: h.slackApi.calls.length };
    const mentionTs = ts();
    await deliver({
      type: 'app_mention',
      user: MALLORY,
      channel: OPS,
      text: '<@UNETCHECK1> dns',
      ts: mentionTs,
      event_ts: mentionTs,
    });
    expect(h.jobs().length).toBe(before.jobs);
    const whisper = h.slackApi.calls.slice(before.calls).find((c) => c.method === 'chat.postEphemeral');
    expect(whisper?.body.user).toBe(MALLORY);
    expect(JSON.stringify(whisper?.body)).toMatch(/not allowed/i);
  });

  it('a redelivered mention (same event_id, X-Slack-Retry-Num) runs once', async () => {
    const id = eventId();
    const mentionTs = ts();
    const event = {
      type: 'app_mention',
      user: ALICE,
      channel: OPS,
      text: '<@UNETCHECK1> dns',
      ts: mentionTs,
      event_ts: mentionTs,
    };
    const before = h.jobs().length;
    await deliver(event, id);
    await deliver(event, id, 1);
    expect(h.jobs().length).toBe(before + 1);
  });
});

describe('incident channels', () => {
  it('a new channel matching the incident pattern gets a check of the default cluster', async () => {
    const before = h.slackApi.calls.length;
    await deliver({
      type: 'channel_created',
      channel: {
        id: 'CINC000001',
        name: 'inc-2231-checkout-down',
        created: Math.floor(Date.now() / 1000),
        creator: ALICE,
      },
    });
    expect(h.jobs().at(-1)).toMatchObject({ kind: 'incident', cluster: 'prod-eu', channelId: 'CINC000001' });
    const calls = h.slackApi.calls.slice(before);
    expect(calls.find((c) => c.method === 'conversations.join')?.body.channel).toBe('CINC000001');
    expect(calls.find((c) => c.method === 'chat.postMessage')?.body.channel).toBe('CINC000001');
  });

  it('other new channels are left alone', async () => {
    const before = h.jobs().length;
    await deliver({ type: 'channel_created', channel: { id: 'CRANDOM001', name: 'random-chat', creator: ALICE } });
    expect(h.jobs().length).toBe(before);
  });

  it('an alerting bot mentioning CoreDNS in an incident channel gets a DNS check in the alert thread', async () => {
    h.slackApi.setChannel?.('CINC000002', { name: 'inc-2232-dns' });
    const alertTs = ts();
    await deliver({
      type: 'message',
      subtype: 'bot_message',
      bot_id: 'BALERTMGR1',
      channel: 'CINC000002',
      text: '[FIRING:1] CoreDNSErrorsHigh prod-eu: SERVFAIL rate 38%',
      ts: alertTs,
    });
    expect(h.jobs().at(-1)).toMatchObject({
      kind: 'incident',
      scope: 'dns',
      channelId: 'CINC000002',
      threadTs: alertTs,
      // The report's Re-run offer belongs to the event's team.
      teamId: 'T0001',
    });
  });

  it('the bot ignores its own messages and people chatting', async () => {
    h.slackApi.setChannel?.('CINC000003', { name: 'inc-2233' });
    const before = h.jobs().length;
    await deliver({
      type: 'message',
      bot_id: 'BNETCHECK1',
      user: 'UNETCHECK1',
      channel: 'CINC000003',
      text: 'CoreDNS loop detected',
      ts: ts(),
    });
    await deliver({
      type: 'message',
      user: ALICE,
      channel: 'CINC000003',
      text: 'is it DNS? it is always DNS',
      ts: ts(),
    });
    expect(h.jobs().length).toBe(before);
  });
});
