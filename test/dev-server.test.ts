// `netcheck dev`: the same handlers behind a real HTTP listener on 127.0.0.1, a sandbox cluster behind them.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devCommand } from '../src/cli/dev-command.ts';
import type { Io } from '../src/cli/io.ts';
import { type DevServer, startDevServer } from '../src/dev/dev-server.ts';
import { DEV_OPS_CHANNEL, DEV_USERS } from '../src/dev/workspace.ts';
import { createLog } from '../src/handlers/log.ts';
import { type SlackApiFake, startSlackApiFake } from './fakes/slack-api.ts';
import { runCli } from './support/cli.ts';
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

  it('pointed at another Slack API, refuses to start without that workspace’s signing secret, naming it', async () => {
    const io = memoryIo({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slackApi.url });
    const code = await devCommand(['--scenario', 'coredns-loop'], io);
    expect(code).toBe(2);
    expect(io.err()).toContain('SLACK_SIGNING_SECRET');
    expect(io.out()).toBe('');
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

/** Runs `script` in a new bash that inherits nothing from this process but PATH, as a freshly opened terminal. */
function freshShell(script: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    // No rc files: bash reads ~/.bashrc when its stdin is a pipe, and this machine's is not ours to test.
    const child = spawn('bash', ['--norc', '--noprofile', '-c', script], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      err += c;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

interface PageState {
  messages: { channel: string; text: string; ephemeralTo?: string; user?: string; threadTs?: string }[];
}

describe('netcheck dev with nothing configured: the built-in Slack API and the preview page', () => {
  let io: ReturnType<typeof memoryIo>;
  let stop: AbortController;
  let running: Promise<number>;
  let page: string;
  let events: string;

  beforeAll(async () => {
    io = memoryIo({});
    stop = new AbortController();
    let settled = false;
    running = devCommand(['--scenario', 'coredns-loop', '--port', '0'], io, stop.signal).finally(() => {
      settled = true;
    });
    while (!settled && !io.out().includes('Slack preview: open')) await new Promise((r) => setTimeout(r, 20));
    page = /Slack preview: open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(io.out())?.[1] ?? '';
    events = /listening on (\S+)/.exec(io.out())?.[1] ?? '';
  });
  afterAll(async () => {
    stop?.abort();
    await running;
  });

  const state = async () => (await (await fetch(`${page}preview/state`)).json()) as PageState;
  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${page}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('prints the page on 127.0.0.1 and the handler endpoint beside it', () => {
    expect(page).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(events).toBe(`${page}slack/events`);
  });

  it('serves the page itself, with nothing loaded from elsewhere', async () => {
    const html = await (await fetch(page)).text();
    expect(html).toContain('<script type="module" src="/preview/app.js">');
    for (const asset of ['/preview/app.js', '/preview/mrkdwn.js', '/preview/app.css']) {
      const res = await fetch(new URL(asset, page));
      expect(res.status).toBe(200);
      expect(await res.text()).not.toMatch(/(src|href)=["']?https?:|@import|url\(\s*["']?https?:/);
    }
    expect(html).not.toMatch(/(src|href)=["']https?:/);
  });

  it('its sample curl works pasted into a fresh shell: signed, acked, and the report lands in #ops', async () => {
    const lines = io.out().split('\n');
    const start = lines.findIndex((l) => l.startsWith('Or send a signed'));
    const script = lines
      .slice(start + 1)
      .filter((l) => l.startsWith('  '))
      .join('\n');
    expect(script).toContain('openssl dgst -sha256 -hmac');
    const { code, out, err } = await freshShell(script);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Checking DNS'),
    });
    await expect
      .poll(
        async () =>
          (await state()).messages.some(
            (m) => m.channel === DEV_OPS_CHANNEL && m.text.includes('coredns.loop-detected'),
          ),
        {
          timeout: 20_000,
        },
      )
      .toBe(true);
    // ...and what its first screen left out follows in its thread.
    await expect
      .poll(
        async () =>
          (await state()).messages.some(
            (m) => m.channel === DEV_OPS_CHANNEL && m.threadTs && m.text.includes('Further findings on sandbox'),
          ),
        { timeout: 20_000 },
      )
      .toBe(true);
  });

  it('keeps the signing secret out of what it prints, in a file only its owner can read', () => {
    const file = /cat '([^']+)'/.exec(io.out())?.[1] ?? '';
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o077).toBe(0);
    const secret = readFileSync(file, 'utf8');
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(io.out()).not.toContain(secret);
    expect(io.err()).not.toContain(secret);
  });

  it('answers bad input from the page with a clear 400 and changes nothing', async () => {
    const before = (await state()).messages.length;
    const res = await postJson('preview/command', { user: 'alice', channel: DEV_OPS_CHANNEL, text: '' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/user: .*text: /);
    const channel = await postJson('preview/channel', { user: DEV_USERS.alice, name: 'Not A Channel!' });
    expect(channel.status).toBe(400);
    expect(((await channel.json()) as { error: string }).error).toContain('lowercase');
    expect((await state()).messages.length).toBe(before);
  });

  it('acts only for a page on its own origin: another Host or a form post is refused', async () => {
    const before = (await state()).messages.length;
    // fetch() will not send a foreign Host header; node:http sends what a rebound DNS name would.
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${page}preview/command`,
        { method: 'POST', headers: { host: 'attacker.example', 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ user: DEV_USERS.alice, channel: DEV_OPS_CHANNEL, text: '/netcheck dns' }));
    });
    expect(rebound).toBe(403);
    const form = await fetch(`${page}preview/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `user=${DEV_USERS.alice}&channel=${DEV_OPS_CHANNEL}&text=%2Fnetcheck+dns`,
    });
    expect(form.status).toBe(415);
    expect((await state()).messages.length).toBe(before);
  });

  it('answers a slash command no app registered as Slack does: not a valid command, to the typist only', async () => {
    const res = await postJson('preview/command', {
      user: DEV_USERS.bob,
      channel: DEV_OPS_CHANNEL,
      text: '/deploy prod',
    });
    expect(res.status).toBe(200);
    const last = (await state()).messages.at(-1);
    expect(last).toMatchObject({ ephemeralTo: DEV_USERS.bob, text: '`/deploy` is not a valid command.' });
  });

  it('stops cleanly and removes the secret file', async () => {
    const file = /cat '([^']+)'/.exec(io.out())?.[1] ?? '';
    stop.abort();
    expect(await running).toBe(0);
    expect(existsSync(file)).toBe(false);
  });
});

describe('the Quick start demo', () => {
  it('finishes on its own with exit 0 (CI can run it) and points at the Slack preview', async () => {
    const result = await runCli(['demo']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('coredns.loop-detected');
    expect(result.stdout).toContain(
      'npm run netcheck -- dev --scenario coredns-loop, then open http://127.0.0.1:3000/',
    );
  });
});
