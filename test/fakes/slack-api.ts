// The Slack Web API on 127.0.0.1, enough for the real WebClient and Bolt's respond(): POST /api/<method> with
// form-encoded or JSON bodies and a bearer token, answering `{ ok, ... }` as Slack does (HTTP 200 even on errors);
// plus response_url endpoints under /response/<id>. Every call is recorded for assertions.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackApiCall {
  /** Web API method (`chat.postMessage`), or `response_url` for posts to a response URL. */
  method: string;
  /** The decoded request: form fields, with `blocks`/`attachments`/`metadata` parsed from their JSON. */
  body: Record<string, unknown>;
  token?: string;
  /** For `response_url` posts: the id in /response/<id>. */
  responseId?: string;
  /** What the fake answered. */
  response: Record<string, unknown>;
}

export interface SlackUser {
  name?: string;
  locale?: string;
}

export interface SlackApiFake {
  /** Base URL for WebClient's `slackApiUrl`: http://127.0.0.1:PORT/api/ */
  url: string;
  /** A response_url the fake accepts: http://127.0.0.1:PORT/response/<id> */
  responseUrl(id?: string): string;
  calls: SlackApiCall[];
  /** Resolves with the first call (already made or future) that matches; rejects after timeoutMs. */
  waitFor(predicate: (call: SlackApiCall) => boolean, timeoutMs?: number): Promise<SlackApiCall>;
  /** The next call of `method` answers `{ ok: false, error }`. Queued: two calls fail the next two. */
  failNext(method: string, error: string): void;
  setUser(id: string, user: SlackUser): void;
  setChannel(id: string, channel: { name: string }): void;
  close(): Promise<void>;
}

export const FAKE_TEAM = { id: 'T0NETCHECK', name: 'netcheck-test', url: 'https://netcheck-test.slack.com/' };
export const FAKE_BOT = { userId: 'UNETCHECK1', botId: 'BNETCHECK1', name: 'netcheck' };

/** Fields the WebClient form-encodes as JSON strings. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'unfurl_links_json']);

export async function startSlackApiFake(): Promise<SlackApiFake> {
  const calls: SlackApiCall[] = [];
  const failures = new Map<string, string[]>();
  const users = new Map<string, SlackUser>();
  const channels = new Map<string, { name: string }>();
  const waiters = new Set<{ predicate: (call: SlackApiCall) => boolean; resolve: (call: SlackApiCall) => void }>();
  let tsCounter = 0;
  let responseCounter = 0;
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++tsCounter).padStart(6, '0')}`;

  const record = (call: SlackApiCall) => {
    calls.push(call);
    for (const waiter of waiters) {
      if (waiter.predicate(call)) {
        waiters.delete(waiter);
        waiter.resolve(call);
      }
    }
  };

  const answer = (method: string, body: Record<string, unknown>): Record<string, unknown> => {
    const str = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: FAKE_TEAM.url,
          team: FAKE_TEAM.name,
          user: FAKE_BOT.name,
          team_id: FAKE_TEAM.id,
          user_id: FAKE_BOT.userId,
          bot_id: FAKE_BOT.botId,
          is_enterprise_install: false,
        };
      case 'chat.postMessage': {
        const channel = str('channel');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!str('text') && !body.blocks && !body.attachments) return { ok: false, error: 'no_text' };
        const ts = nextTs();
        return {
          ok: true,
          channel,
          ts,
          message: {
            type: 'message',
            text: str('text') ?? '',
            ts,
            bot_id: FAKE_BOT.botId,
            blocks: body.blocks,
            ...(str('thread_ts') ? { thread_ts: str('thread_ts') } : {}),
          },
        };
      }
      case 'chat.update': {
        const channel = str('channel');
        const ts = str('ts');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!ts) return { ok: false, error: 'message_not_found' };
        return {
          ok: true,
          channel,
          ts,
          text: str('text') ?? '',
          message: { text: str('text') ?? '', blocks: body.blocks },
        };
      }
      case 'chat.postEphemeral':
        if (!str('channel')) return { ok: false, error: 'channel_not_found' };
        if (!str('user')) return { ok: false, error: 'user_not_in_channel' };
        return { ok: true, message_ts: nextTs() };
      case 'conversations.info': {
        const id = str('channel');
        if (!id) return { ok: false, error: 'channel_not_found' };
        const name = channels.get(id)?.name ?? id.toLowerCase();
        return { ok: true, channel: { id, name, is_channel: true, is_member: true, created: 1_700_000_000 } };
      }
      case 'users.info': {
        const id = str('user');
        if (!id) return { ok: false, error: 'user_not_found' };
        const user = users.get(id) ?? {};
        const withLocale = body.include_locale === true || body.include_locale === 'true';
        return {
          ok: true,
          user: {
            id,
            team_id: FAKE_TEAM.id,
            name: user.name ?? id.toLowerCase(),
            real_name: user.name ?? id,
            tz: 'Etc/UTC',
            is_bot: false,
            ...(withLocale ? { locale: user.locale ?? 'en-US' } : {}),
          },
        };
      }
      case 'views.open':
        return { ok: true, view: { id: `V${String(calls.length).padStart(8, '0')}` } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const server = createServer(async (req, res) => {
    const reply = (status: number, payload: Record<string, unknown>) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(payload));
    };
    let body: Record<string, unknown>;
    try {
      body = decode(req, await readBody(req));
    } catch {
      return reply(200, { ok: false, error: 'invalid_form_data' });
    }
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;

    const responseMatch = /^\/response\/([^/]+)$/.exec(path);
    if (responseMatch && req.method === 'POST') {
      const response = { ok: true };
      record({ method: 'response_url', responseId: decodeURIComponent(responseMatch[1]!), body, response });
      return reply(200, response);
    }
    const apiMatch = /^\/api\/([A-Za-z.]+)$/.exec(path);
    if (!apiMatch || req.method !== 'POST') return reply(404, { ok: false, error: 'unknown_method' });
    const method = apiMatch[1]!;
    const token = bearer(req) ?? (typeof body.token === 'string' ? body.token : undefined);
    const { token: _omit, ...fields } = body;
    let response: Record<string, unknown>;
    const queued = failures.get(method);
    if (!token || !/^xox[bpa]-/.test(token)) response = { ok: false, error: 'invalid_auth' };
    else if (queued && queued.length > 0) response = { ok: false, error: queued.shift()! };
    else response = answer(method, fields);
    record({ method, body: fields, ...(token ? { token } : {}), response });
    reply(200, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    url: `${base}/api/`,
    responseUrl: (id) => `${base}/response/${encodeURIComponent(id ?? `r${++responseCounter}`)}`,
    calls,
    waitFor(predicate, timeoutMs = 5000) {
      const done = calls.find(predicate);
      if (done) return Promise.resolve(done);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (call: SlackApiCall) => {
            clearTimeout(timer);
            resolve(call);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `no matching Slack API call within ${timeoutMs} ms; seen: ${calls.map((c) => c.method).join(', ') || 'none'}`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    failNext(method, error) {
      const queue = failures.get(method) ?? [];
      queue.push(error);
      failures.set(method, queue);
    },
    setUser: (id, user) => users.set(id, { ...users.get(id), ...user }),
    setChannel: (id, channel) => channels.set(id, channel),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function bearer(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

function decode(req: IncomingMessage, raw: string): Record<string, unknown> {
  const type = String(req.headers['content-type'] ?? '');
  if (raw.trim() === '') return {};
  if (type.includes('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  }
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (JSON_FIELDS.has(key)) {
      try {
        body[key] = JSON.parse(value);
        continue;
      } catch {
        // Slack would reject it; keep the raw text so the test can see what was sent.
      }
    }
    body[key] = value;
  }
  return body;
}
