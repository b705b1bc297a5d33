import { describe, expect, it } from 'vitest';
import { slackSignature, verifySlackSignature } from './signature.ts';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const body = 'command=%2Fnetcheck&text=dns';
const now = Date.UTC(2026, 10, 27, 7, 0, 0);
const ts = String(Math.floor(now / 1000));

describe('Slack request signatures', () => {
  it('match the documented example from Slack', () => {
    // https://api.slack.com/authentication/verifying-requests-from-slack
    const exampleBody =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature(secret, 1531420618, exampleBody)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it('accepts a request signed with the signing secret within five minutes', () => {
    const signature = slackSignature(secret, ts, body);
    expect(
      verifySlackSignature({ signingSecret: secret, timestamp: ts, signature, rawBody: body, nowMs: now }),
    ).toEqual({
      ok: true,
    });
  });

  it('rejects a body changed after signing', () => {
    const signature = slackSignature(secret, ts, body);
    const verdict = verifySlackSignature({
      signingSecret: secret,
      timestamp: ts,
      signature,
      rawBody: `${body}x`,
      nowMs: now,
    });
    expect(verdict).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a signature made with another secret, even of the same length', () => {
    const signature = slackSignature('another-secret-of-some-length!!!', ts, body);
    expect(
      verifySlackSignature({ signingSecret: secret, timestamp: ts, signature, rawBody: body, nowMs: now }).ok,
    ).toBe(false);
    expect(
      verifySlackSignature({ signingSecret: secret, timestamp: ts, signature: 'v0=abc', rawBody: body, nowMs: now }).ok,
    ).toBe(false);
  });

  it('rejects replays older than five minutes and timestamps more than five minutes ahead', () => {
    const old = String(Math.floor(now / 1000) - 301);
    const ahead = String(Math.floor(now / 1000) + 301);
    const check = (t: string) =>
      verifySlackSignature({
        signingSecret: secret,
        timestamp: t,
        signature: slackSignature(secret, t, body),
        rawBody: body,
        nowMs: now,
      });
    expect(check(old)).toEqual({ ok: false, reason: 'stale' });
    expect(check(ahead)).toEqual({ ok: false, reason: 'future' });
    expect(check(String(Math.floor(now / 1000) - 299)).ok).toBe(true);
  });

  it('rejects requests without the signing headers', () => {
    expect(
      verifySlackSignature({
        signingSecret: secret,
        timestamp: undefined,
        signature: 'v0=1',
        rawBody: body,
        nowMs: now,
      }),
    ).toEqual({
      ok: false,
      reason: 'missing-headers',
    });
    expect(
      verifySlackSignature({ signingSecret: secret, timestamp: 'soon', signature: 'v0=1', rawBody: body, nowMs: now })
        .ok,
    ).toBe(false);
  });
});
