// `netcheck dev`: the same handlers behind a real HTTP listener on 127.0.0.1, a sandbox cluster behind them.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devCommand } from '../src/cli/dev-command.ts';
import type { Io } from '../src/cli/io.ts';
import { type DevServer, startDevServer } from '../src/dev/dev-server.ts';
import { createLog } from '../src/handlers/log.ts';
import { type SlackApiFake, startSlackApiFake } from './fakes/slack-api.ts';
import { commandRequest, type SignedRequest } from './support/slack-request.ts';

const SIGNING_SECRET = 'dev-signing-secret-7d1c0e9b4a';
const BOT_TOKEN = 'xoxb-9999-8888-devtoken';

function memoryIo(env: NodeJS.ProcessEnv): Io & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => {
    out += c;
  });
  stderr.on('data', (c) => {
    err += c;
  });
  return { stdout, stderr, env, out: () => out, err: () => err };
}

const post = (url: string, request: SignedRequest) =>
  fetch(url, { method: 'POST', headers: request.headers, body: request.body });

let slackApi: SlackApiFake;
let dev: DevServer;
const logs: string[] = [];

beforeAll(async () => {
  slackApi = await startSlackApiFake();
  dev = await startDevServer({
    scenario: 'coredns-loop',
    port: 0,
    env: { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slackApi.url },
    log: createLog({ write: (line) => logs.push(line) }),
  });
});
afterAll(async () => {
  await dev?.close();
  await slackApi?.close();
});

describe('netcheck dev', () => {
  it('serves a signed /netcheck over HTTP: ack first, then the runbook from the sandbox in the channel', async () => {
    const request = commandRequest(
      {
        text: 'dns',
        userId: 'UANYONE001',
        channelId: 'CDEV000001',
        triggerId: 'dev.1',
        responseUrl: slackApi.responseUrl(),
      },
      { signingSecret: SIGNING_SECRET },
    );
    const res = await post(dev.url, request);
    expect(res.status).toBe(200);
    const ack = (await res.json()) as { response_type: string; text: string };
    expect(ack.response_type).toBe('ephemeral');
    expect(ack.text).toMatch(/Checking DNS on sandbox/);
    await dev.lambda.idle();
    const final = slackApi.calls.filter((c) => c.method === 'chat.update').at(-1);
    expect(JSON.stringify(final?.body)).toContain('coredns.loop-detected');
    // The worker really read the sandbox cluster, with the bot's token from the local Secrets Manager.
    expect(dev.sandbox.requests.some((r) => r.user === dev.sandbox.identities.bot)).toBe(true);
  });

  it('answers 401 to an unsigned request and runs nothing', async () => {
    const before = dev.lambda.invocations.length;
    const res = await fetch(dev.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'command=%2Fnetcheck&text=dns',
    });
    expect(res.status).toBe(401);
    expect(dev.lambda.invocations.length).toBe(before);
  });

  it('refuses to start without SLACK_API_URL, naming it', async () => {
    const io = memoryIo({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN });
    const code = await devCommand(['--scenario', 'coredns-loop'], io);
    expect(code).toBe(2);
    expect(io.err()).toContain('SLACK_API_URL');
  });

  it('prints a ready line with a signed sample curl and stops cleanly when asked', async () => {
    const io = memoryIo({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slackApi.url,
    });
    const stop = new AbortController();
    let settled = false;
    const running = devCommand(['--scenario', 'coredns-loop', '--port', '0'], io, stop.signal).finally(() => {
      settled = true;
    });
    while (!settled && !io.out().includes('listening on')) await new Promise((r) => setTimeout(r, 20));
    expect(io.out()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\/slack\/events/);
    expect(io.out()).toContain('x-slack-signature');
    stop.abort();
    expect(await running).toBe(0);
  });

  it('keeps the secrets out of its logs', () => {
    const all = logs.join('\n');
    expect(all).not.toContain(SIGNING_SECRET);
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain(dev.sandbox.tokens.bot);
  });
});
