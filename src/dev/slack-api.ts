// The Slack Web API on 127.0.0.1 for `netcheck dev` and the tests: enough of Slack for the real WebClient and
// Bolt's respond(). POST /api/<method> with form-encoded or JSON bodies and a bearer token, answering
// `{ ok, ... }` as Slack does (HTTP 200 even on errors), plus response_url endpoints under /response/<id>.
// It keeps a small workspace (users, channels, messages, threads, ephemerals, modals) so the preview page can
// show what the bot did, and records every call so tests can assert on it.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackApiCall {
  /** Web API method (`chat.postMessage`), or `response_url` for posts to a response URL. */
  method: string;
  /** The decoded request: form fields, with `blocks`/`attachments`/`metadata`/`view` parsed from their JSON. */
  body: Record<string, unknown>;
  token?: string;
  /** For `response_url` posts: the id in /response/<id>. */
  responseId?: string;
  /** What the fake answered. */
  response: Record<string, unknown>;
}

export interface SlackUser {
  name?: string;
  realName?: string;
  locale?: string;
  /** Shown beside the name in the preview (for example "approver"). */
  title?: string;
}

export interface WorkspaceUser {
  id: string;
  name: string;
  realName: string;
  locale: string;
  title?: string;
}

export interface WorkspaceChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  members: string[];
  created: number;
  creator?: string;
}

export interface WorkspaceMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  /** A person's user id, or the bot's user id for the app's own posts. */
  user?: string;
  botId?: string;
  /** Display name of an integration without a user (an alert bot). */
  username?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  /** Set once the message was edited (chat.update or replace_original). */
  editedTs?: string;
  /** Only this user sees it (chat.postEphemeral, ephemeral responses). */
  ephemeralTo?: string;
}

export interface WorkspaceView {
  id: string;
  user?: string;
  view: unknown;
  openedAt: string;
}

/** What the preview page draws: everything the workspace holds, in posting order. */
export interface WorkspaceState {
  team: { id: string; name: string };
  bot: { userId: string; botId: string; name: string };
  users: WorkspaceUser[];
  channels: WorkspaceChannel[];
  messages: WorkspaceMessage[];
  views: WorkspaceView[];
}

/** Where a response_url's answers land: the channel and user of the command or click that got it. */
export interface ResponseTarget {
  channel: string;
  user: string;
  /** The message a button sat on (replace_original / delete_original edit it). */
  messageTs?: string;
  threadTs?: string;
}

export type SlackFault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number; times?: number }
  | { kind: 'hang'; times?: number };

export interface SlackApiFake {
  /** Base URL for WebClient's `slackApiUrl`: http://127.0.0.1:PORT/api/ */
  url: string;
  /** A response_url the fake accepts: http://127.0.0.1:PORT/response/<id>; with a target its posts show up there. */
  responseUrl(id?: string, target?: ResponseTarget): string;
  calls: SlackApiCall[];
  /** Resolves with the first call (already made or future) that matches; rejects after timeoutMs. */
  waitFor(predicate: (call: SlackApiCall) => boolean, timeoutMs?: number): Promise<SlackApiCall>;
  /** The next call of `method` answers `{ ok: false, error }`. Queued: two calls fail the next two. */
  failNext(method: string, error: string): void;
  setUser(id: string, user: SlackUser): void;
  setChannel(id: string, channel: { name: string; isPrivate?: boolean; members?: string[] }): void;
  /** Opens a channel as a person would; the caller tells the app (channel_created). */
  createChannel(name: string, opts: { creator: string; isPrivate?: boolean }): WorkspaceChannel;
  /** A message by a person or an integration (an alert bot), stored as Slack would; the caller sends the event. */
  post(message: Omit<WorkspaceMessage, 'ts'>): WorkspaceMessage;
  /** What an ack body or response shows: a message only `user` sees. */
  whisper(channel: string, user: string, message: { text?: string; blocks?: unknown[]; threadTs?: string }): void;
  message(channel: string, ts: string): WorkspaceMessage | undefined;
  channel(id: string): WorkspaceChannel | undefined;
  state(): WorkspaceState;
  /** Called after every change to the workspace; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  close(): Promise<void>;
  /**
   * Makes a method (`chat.update`, `*` for every Web API method, `response_url` for response URLs) misbehave at the
   * HTTP level, as Slack does on a bad day: a status (429 with Retry-After, 5xx) or a hang (no answer until close).
   * `times` limits it to the next N calls; `undefined` clears it. Failed calls are recorded like the others.
   */
  setFault(method: string, fault: SlackFault | undefined): void;
}

export const FAKE_TEAM = { id: 'T0NETCHECK', name: 'netcheck-test', url: 'https://netcheck-test.slack.com/' };
export const FAKE_BOT = { userId: 'UNETCHECK1', botId: 'BNETCHECK1', name: 'netcheck' };

/** Fields the WebClient form-encodes as JSON strings. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'unfurl_links_json', 'view']);

export interface SlackApiOptions {
  users?: Record<string, SlackUser>;
  channels?: Record<string, { name: string; isPrivate?: boolean; members?: string[] }>;
  /** User groups (id → member ids) for usergroups.users.list. */
  userGroups?: Record<string, string[]>;
}

export async function startSlackApiFake(options: SlackApiOptions = {}): Promise<SlackApiFake> {
  const calls: SlackApiCall[] = [];
  const failures = new Map<string, string[]>();
  const faults = new Map<string, SlackFault>();
  /** The fault for this call, consuming one of its `times`. */
  const faultFor = (method: string): SlackFault | undefined => {
    const fault = faults.get(method) ?? (method === 'response_url' ? undefined : faults.get('*'));
    if (!fault) return undefined;
    if (fault.times !== undefined) {
      if (fault.times <= 0) return undefined;
      fault.times--;
    }
    return fault;
  };
  const users = new Map<string, SlackUser>(Object.entries(options.users ?? {}));
  const channels = new Map<string, WorkspaceChannel>();
  const messages: WorkspaceMessage[] = [];
  const views: WorkspaceView[] = [];
  const groups = new Map<string, string[]>(Object.entries(options.userGroups ?? {}));
  const targets = new Map<string, ResponseTarget>();
  const listeners = new Set<() => void>();
  const waiters = new Set<{ predicate: (call: SlackApiCall) => boolean; resolve: (call: SlackApiCall) => void }>();
  let tsCounter = 0;
  let idCounter = 0;
  let responseCounter = 0;
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++tsCounter).padStart(6, '0')}`;
  const changed = () => {
    for (const listener of listeners) listener();
  };

  const putChannel = (
    id: string,
    spec: { name: string; isPrivate?: boolean; members?: string[]; creator?: string },
  ) => {
    const previous = channels.get(id);
    const channel: WorkspaceChannel = {
      id,
      name: spec.name,
      isPrivate: spec.isPrivate ?? previous?.isPrivate ?? false,
      members: spec.members ?? previous?.members ?? [FAKE_BOT.userId],
      created: previous?.created ?? Math.floor(Date.now() / 1000),
      ...(spec.creator ? { creator: spec.creator } : {}),
    };
    channels.set(id, channel);
    return channel;
  };
  for (const [id, spec] of Object.entries(options.channels ?? {})) putChannel(id, spec);
  /** Channels come into being when first named, as the lenient test fake always allowed. */
  const channelFor = (id: string) => channels.get(id) ?? putChannel(id, { name: id.toLowerCase() });

  const store = (message: Omit<WorkspaceMessage, 'ts'>, ts = nextTs()): WorkspaceMessage => {
    const stored: WorkspaceMessage = { ...message, ts };
    messages.push(stored);
    changed();
    return stored;
  };
  const find = (channel: string, ts: string) =>
    messages.find((m) => m.channel === channel && m.ts === ts && !m.ephemeralTo);
  const userOf = (id: string): WorkspaceUser => {
    const user = users.get(id) ?? {};
    return {
      id,
      name: user.name ?? id.toLowerCase(),
      realName: user.realName ?? user.name ?? id,
      locale: user.locale ?? 'en-US',
      ...(user.title ? { title: user.title } : {}),
    };
  };
  const channelJson = (c: WorkspaceChannel) => ({
    id: c.id,
    name: c.name,
    is_channel: !c.isPrivate,
    is_group: c.isPrivate,
    is_private: c.isPrivate,
    is_member: c.members.includes(FAKE_BOT.userId),
    created: c.created,
    ...(c.creator ? { creator: c.creator } : {}),
  });
  const messageJson = (m: WorkspaceMessage) => ({
    type: 'message',
    ts: m.ts,
    text: m.text,
    ...(m.user ? { user: m.user } : {}),
    ...(m.botId ? { bot_id: m.botId } : {}),
    ...(m.username ? { username: m.username } : {}),
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    ...(m.editedTs ? { edited: { user: m.user, ts: m.editedTs } } : {}),
  });
  const content = (body: Record<string, unknown>) => ({
    text: typeof body.text === 'string' ? body.text : '',
    ...(Array.isArray(body.blocks) ? { blocks: body.blocks as unknown[] } : {}),
    ...(Array.isArray(body.attachments) ? { attachments: body.attachments as unknown[] } : {}),
  });

  const answer = (method: string, body: Record<string, unknown>): Record<string, unknown> => {
    const str = (key: string) =>
      typeof body[key] === 'string' && body[key] !== '' ? (body[key] as string) : undefined;
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
        const id = str('channel');
        if (!id) return { ok: false, error: 'channel_not_found' };
        if (!str('text') && !body.blocks && !body.attachments) return { ok: false, error: 'no_text' };
        const channel = channelFor(id);
        if (channel.isPrivate && !channel.members.includes(FAKE_BOT.userId))
          return { ok: false, error: 'not_in_channel' };
        const threadTs = str('thread_ts');
        const stored = store({
          channel: id,
          user: FAKE_BOT.userId,
          botId: FAKE_BOT.botId,
          ...content(body),
          ...(threadTs ? { threadTs } : {}),
        });
        return { ok: true, channel: id, ts: stored.ts, message: { ...messageJson(stored), bot_id: FAKE_BOT.botId } };
      }
      case 'chat.update': {
        const channel = str('channel');
        const ts = str('ts');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!ts) return { ok: false, error: 'message_not_found' };
        const message = find(channel, ts);
        if (message) {
          // Slack keeps what the update leaves out only for attachments; text and blocks are replaced.
          const next = content(body);
          message.text = next.text;
          if ('blocks' in body) message.blocks = next.blocks;
          if ('attachments' in body) message.attachments = next.attachments;
          message.editedTs = nextTs();
          changed();
        }
        return {
          ok: true,
          channel,
          ts,
          text: str('text') ?? '',
          message: { text: str('text') ?? '', blocks: body.blocks },
        };
      }
      case 'chat.delete': {
        const channel = str('channel');
        const ts = str('ts');
        const index = messages.findIndex((m) => m.channel === channel && m.ts === ts && !m.ephemeralTo);
        if (index < 0) return { ok: false, error: 'message_not_found' };
        messages.splice(index, 1);
        changed();
        return { ok: true, channel, ts };
      }
      case 'chat.postEphemeral': {
        const channel = str('channel');
        const user = str('user');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!user) return { ok: false, error: 'user_not_in_channel' };
        channelFor(channel);
        const threadTs = str('thread_ts');
        const stored = store({
          channel,
          user: FAKE_BOT.userId,
          botId: FAKE_BOT.botId,
          ephemeralTo: user,
          ...content(body),
          ...(threadTs ? { threadTs } : {}),
        });
        return { ok: true, message_ts: stored.ts };
      }
      case 'chat.getPermalink': {
        const channel = str('channel');
        const ts = str('message_ts');
        if (!channel || !ts || !find(channel, ts)) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel, permalink: `${FAKE_TEAM.url}archives/${channel}/p${ts.replace('.', '')}` };
      }
      case 'conversations.info': {
        const id = str('channel');
        if (!id) return { ok: false, error: 'channel_not_found' };
        return { ok: true, channel: channelJson(channelFor(id)) };
      }
      case 'conversations.join': {
        const id = str('channel');
        if (!id) return { ok: false, error: 'channel_not_found' };
        const channel = channelFor(id);
        if (channel.isPrivate) return { ok: false, error: 'method_not_supported_for_channel_type' };
        if (!channel.members.includes(FAKE_BOT.userId)) {
          channel.members.push(FAKE_BOT.userId);
          changed();
        }
        return { ok: true, channel: channelJson(channel) };
      }
      case 'conversations.create': {
        const name = str('name');
        if (!name || !/^[a-z0-9][a-z0-9_-]{0,79}$/.test(name)) return { ok: false, error: 'invalid_name_specials' };
        if ([...channels.values()].some((c) => c.name === name)) return { ok: false, error: 'name_taken' };
        const isPrivate = body.is_private === true || body.is_private === 'true';
        return { ok: true, channel: channelJson(addChannel(name, { creator: FAKE_BOT.userId, isPrivate })) };
      }
      case 'conversations.list': {
        const list = [...channels.values()].filter((c) => !c.isPrivate || c.members.includes(FAKE_BOT.userId));
        return { ok: true, channels: list.map(channelJson), response_metadata: { next_cursor: '' } };
      }
      case 'conversations.members': {
        const id = str('channel');
        if (!id || !channels.has(id)) return { ok: false, error: 'channel_not_found' };
        return { ok: true, members: channels.get(id)!.members, response_metadata: { next_cursor: '' } };
      }
      case 'conversations.history': {
        const id = str('channel');
        if (!id || !channels.has(id)) return { ok: false, error: 'channel_not_found' };
        const top = messages.filter((m) => m.channel === id && !m.ephemeralTo && (!m.threadTs || m.threadTs === m.ts));
        return { ok: true, messages: top.reverse().map(messageJson), has_more: false };
      }
      case 'conversations.replies': {
        const id = str('channel');
        const ts = str('ts');
        if (!id || !ts || !find(id, ts)) return { ok: false, error: 'thread_not_found' };
        const thread = messages.filter((m) => m.channel === id && !m.ephemeralTo && (m.ts === ts || m.threadTs === ts));
        return { ok: true, messages: thread.map(messageJson), has_more: false };
      }
      case 'users.info': {
        const id = str('user');
        if (!id) return { ok: false, error: 'user_not_found' };
        const user = userOf(id);
        const withLocale = body.include_locale === true || body.include_locale === 'true';
        return {
          ok: true,
          user: {
            id,
            team_id: FAKE_TEAM.id,
            name: user.name,
            real_name: user.realName,
            tz: 'Etc/UTC',
            is_bot: false,
            ...(withLocale ? { locale: user.locale } : {}),
          },
        };
      }
      case 'usergroups.users.list': {
        const id = str('usergroup');
        if (!id || !groups.has(id)) return { ok: false, error: 'no_such_subteam' };
        return { ok: true, users: groups.get(id) };
      }
      case 'views.open': {
        const view = body.view;
        if (!str('trigger_id')) return { ok: false, error: 'invalid_trigger_id' };
        if (!view || typeof view !== 'object') return { ok: false, error: 'invalid_arguments' };
        const opened: WorkspaceView = { id: `V${String(++idCounter).padStart(8, '0')}`, view, openedAt: nextTs() };
        views.push(opened);
        changed();
        return { ok: true, view: { id: opened.id, ...(view as Record<string, unknown>) } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const addChannel = (name: string, opts: { creator: string; isPrivate?: boolean }) => {
    const id = `C${String(++idCounter).padStart(9, '0')}`;
    const members = opts.isPrivate ? [opts.creator] : [opts.creator];
    const channel = putChannel(id, { name, isPrivate: opts.isPrivate ?? false, members, creator: opts.creator });
    changed();
    return channel;
  };

  /** A response_url post lands where Slack would show it: in place, in the channel, or to the user alone. */
  const deliverResponse = (target: ResponseTarget, body: Record<string, unknown>) => {
    const original = target.messageTs ? find(target.channel, target.messageTs) : undefined;
    if (body.delete_original === true && original) {
      messages.splice(messages.indexOf(original), 1);
      return changed();
    }
    if (body.replace_original === true && original) {
      Object.assign(original, content(body), { editedTs: nextTs() });
      return changed();
    }
    const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : target.threadTs;
    store({
      channel: target.channel,
      user: FAKE_BOT.userId,
      botId: FAKE_BOT.botId,
      ...content(body),
      ...(body.response_type === 'in_channel' ? {} : { ephemeralTo: target.user }),
      ...(threadTs ? { threadTs } : {}),
    });
  };

  const record = (call: SlackApiCall) => {
    calls.push(call);
    for (const waiter of waiters) {
      if (waiter.predicate(call)) {
        waiters.delete(waiter);
        waiter.resolve(call);
      }
    }
  };

  const server = createServer(async (req, res) => {
    const reply = (status: number, payload: Record<string, unknown>) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(payload));
    };
    /** Answers a faulted call; true when it did. */
    const misbehave = (method: string, body: Record<string, unknown>, extra: Partial<SlackApiCall> = {}): boolean => {
      const fault = faultFor(method);
      if (!fault) return false;
      if (fault.kind === 'hang') {
        record({ method, body, ...extra, response: { hang: true } });
        return true; // never answered; close() drops the socket
      }
      const response = { ok: false, error: fault.status === 429 ? 'ratelimited' : `http_${fault.status}` };
      record({ method, body, ...extra, response: { ...response, status: fault.status } });
      res.writeHead(fault.status, {
        'content-type': 'application/json; charset=utf-8',
        ...(fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {}),
      });
      res.end(JSON.stringify(response));
      return true;
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
      const responseId = decodeURIComponent(responseMatch[1]!);
      if (misbehave('response_url', body, { responseId })) return;
      const response = { ok: true };
      const target = targets.get(responseId);
      if (target) deliverResponse(target, body);
      record({ method: 'response_url', responseId, body, response });
      return reply(200, response);
    }
    const apiMatch = /^\/api\/([A-Za-z.]+)$/.exec(path);
    if (!apiMatch || req.method !== 'POST') return reply(404, { ok: false, error: 'unknown_method' });
    const method = apiMatch[1]!;
    const token = bearer(req) ?? (typeof body.token === 'string' ? body.token : undefined);
    const { token: _omit, ...fields } = body;
    if (misbehave(method, fields, token ? { token } : {})) return;
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
    responseUrl(id, target) {
      const responseId = id ?? `r${++responseCounter}`;
      if (target) targets.set(responseId, target);
      return `${base}/response/${encodeURIComponent(responseId)}`;
    },
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
    setUser: (id, user) => {
      users.set(id, { ...users.get(id), ...user });
      changed();
    },
    setChannel: (id, channel) => {
      putChannel(id, channel);
      changed();
    },
    createChannel: addChannel,
    post: (message) => store(message),
    whisper(channel, user, message) {
      store({
        channel,
        user: FAKE_BOT.userId,
        botId: FAKE_BOT.botId,
        ephemeralTo: user,
        text: message.text ?? '',
        ...(message.blocks ? { blocks: message.blocks } : {}),
        ...(message.threadTs ? { threadTs: message.threadTs } : {}),
      });
    },
    message: find,
    channel: (id) => channels.get(id),
    state: () => ({
      team: { id: FAKE_TEAM.id, name: FAKE_TEAM.name },
      bot: { ...FAKE_BOT },
      users: [...users.keys()].map(userOf),
      channels: [...channels.values()].map((c) => ({ ...c, members: [...c.members] })),
      messages: messages.map((m) => ({ ...m })),
      views: [...views],
    }),
    setFault(method, fault) {
      if (fault) faults.set(method, { ...fault });
      else faults.delete(method);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        listeners.clear();
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
