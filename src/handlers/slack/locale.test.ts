// The locale lookup made while the user waits for the ack, against the Slack Web API fake over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackApiFake, startSlackApiFake } from '#test/fakes/slack-api.ts';
import { createLocaleLookup } from './locale.ts';

const TOKEN = 'xoxb-1111-2222-localetoken';
let slack: SlackApiFake;

beforeAll(async () => {
  slack = await startSlackApiFake();
  slack.setUser('UKOREAN001', { locale: 'ko-KR' });
});
afterAll(() => slack.close());

describe('the user locale lookup', () => {
  it("returns the user's Slack locale, asking users.info with the bot token", async () => {
    const lookup = createLocaleLookup({ token: TOKEN, apiUrl: slack.url, timeoutMs: 2000 });
    await expect(lookup('UKOREAN001')).resolves.toBe('ko-KR');
    expect(slack.calls.at(-1)).toMatchObject({
      method: 'users.info',
      token: TOKEN,
      body: { user: 'UKOREAN001', include_locale: 'true' },
    });
  });

  it('accepts an API URL without the trailing slash', async () => {
    const lookup = createLocaleLookup({ token: TOKEN, apiUrl: slack.url.replace(/\/$/, ''), timeoutMs: 2000 });
    await expect(lookup('UOTHER0001')).resolves.toBe('en-US');
  });

  it("rejects with Slack's error code, never the token, when Slack refuses the call", async () => {
    const lookup = createLocaleLookup({ token: 'not-a-slack-token', apiUrl: slack.url, timeoutMs: 2000 });
    const error = (await lookup('UKOREAN001').catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('users.info failed: invalid_auth');
    expect(error.message).not.toContain('not-a-slack-token');
  });

  it('rejects, rather than throwing, when the configured API URL is not a URL', async () => {
    const lookup = createLocaleLookup({ token: TOKEN, apiUrl: 'not a url', timeoutMs: 2000 });
    await expect(lookup('UKOREAN001')).rejects.toThrow(/Invalid URL/);
  });
});
