// The Slack Web API fake other integration tests rely on, driven by the real WebClient over HTTP.
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/slack/report-blocks.ts';
import { type SlackApiFake, startSlackApiFake } from './slack-api.ts';

const TOKEN = 'xoxb-1111-2222-faketoken';
let slack: SlackApiFake;
let client: InstanceType<typeof webApi.WebClient>;

beforeAll(async () => {
  slack = await startSlackApiFake();
  client = new webApi.WebClient(TOKEN, { slackApiUrl: slack.url, retryConfig: { retries: 0 }, timeout: 2000 });
});
afterAll(() => slack.close());

const lastCall = () => slack.calls.at(-1)!;

describe('Slack Web API fake', () => {
  it('listens on loopback only', () => {
    expect(slack.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    expect(slack.responseUrl('abc')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/response\/abc$/);
  });

  it('answers auth.test with the bot identity and records the bearer token', async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: 'UNETCHECK1', bot_id: 'BNETCHECK1', team_id: 'T0NETCHECK' });
    expect(lastCall()).toMatchObject({ method: 'auth.test', token: TOKEN });
  });

  it('decodes form-encoded blocks, returns a ts, and accepts chat.update of that ts', async () => {
    const message = renderReport(
      {
        schemaVersion: 2,
        cluster: { name: 'prod-eu', server: 'https://10.0.0.1:6443', flavor: 'kubeadm', cni: 'calico' },
        scope: 'dns',
        startedAt: '2026-11-27T06:40:00.000Z',
        durationMs: 10,
        status: 'ok',
        components: [{ component: 'dns', status: 'ok', summary: 'CoreDNS healthy', detected: 'CoreDNS', findings: [] }],
        requests: 3,
      },
      {},
    );
    const posted = await client.chat.postMessage({ channel: 'COPS000001', text: message.text, blocks: message.blocks });
    expect(posted.ok).toBe(true);
    expect(posted.channel).toBe('COPS000001');
    expect(posted.ts).toMatch(/^\d+\.\d{6}$/);
    expect(lastCall().body.blocks).toEqual(message.blocks);
    expect(lastCall().response).toMatchObject({ ts: posted.ts });

    const updated = await client.chat.update({ channel: 'COPS000001', ts: posted.ts!, text: 'done' });
    expect(updated).toMatchObject({ ok: true, ts: posted.ts });
    expect(lastCall()).toMatchObject({ method: 'chat.update', body: { ts: posted.ts, text: 'done' } });
  });

  it('gives each message its own ts', async () => {
    const a = await client.chat.postMessage({ channel: 'C1', text: 'a' });
    const b = await client.chat.postMessage({ channel: 'C1', text: 'b', thread_ts: a.ts! });
    expect(a.ts).not.toBe(b.ts);
    expect(lastCall().body.thread_ts).toBe(a.ts);
  });

  it('returns the user locale only when asked, as set per user', async () => {
    slack.setUser('UKOREAN001', { locale: 'ko-KR', name: 'minji' });
    const withLocale = await client.users.info({ user: 'UKOREAN001', include_locale: true });
    expect(withLocale.user).toMatchObject({ id: 'UKOREAN001', name: 'minji', locale: 'ko-KR' });
    const without = await client.users.info({ user: 'UKOREAN001' });
    expect(without.user?.locale).toBeUndefined();
  });

  it('answers conversations.info and chat.postEphemeral', async () => {
    slack.setChannel('CINC000001', { name: 'inc-4242-dns' });
    expect((await client.conversations.info({ channel: 'CINC000001' })).channel).toMatchObject({
      name: 'inc-4242-dns',
    });
    expect(await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'only you' })).toMatchObject({
      ok: true,
    });
  });

  it('fails the next call of a method as Slack does, then recovers', async () => {
    slack.failNext('chat.postMessage', 'not_in_channel');
    await expect(client.chat.postMessage({ channel: 'CPRIVATE01', text: 'x' })).rejects.toMatchObject({
      data: { ok: false, error: 'not_in_channel' },
    });
    await expect(client.chat.postMessage({ channel: 'CPRIVATE01', text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('rejects calls without a token as invalid_auth', async () => {
    const anonymous = new webApi.WebClient(undefined, {
      slackApiUrl: slack.url,
      retryConfig: { retries: 0 },
      timeout: 2000,
    });
    await expect(anonymous.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    expect(lastCall().token).toBeUndefined();
  });

  it('answers unknown methods with unknown_method', async () => {
    await expect(client.apiCall('pins.add', { channel: 'C1' })).rejects.toMatchObject({
      data: { error: 'unknown_method' },
    });
  });

  it('records JSON posts to a response_url', async () => {
    const res = await fetch(slack.responseUrl('cmd-1'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'in_channel', replace_original: false, text: 'report' }),
    });
    expect(res.status).toBe(200);
    expect(lastCall()).toMatchObject({
      method: 'response_url',
      responseId: 'cmd-1',
      body: { response_type: 'in_channel', replace_original: false, text: 'report' },
    });
  });

  it('waitFor resolves on a later call and rejects naming what it saw when none comes', async () => {
    const waiting = slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.text === 'later');
    await client.chat.postMessage({ channel: 'C1', text: 'later' });
    expect((await waiting).body.channel).toBe('C1');
    await expect(slack.waitFor((c) => c.method === 'never.called', 20)).rejects.toThrow(
      /no matching Slack API call.*auth\.test/,
    );
  });
});
