// The preview page's server side: static files, a live feed of the workspace (Server-Sent Events), and the
// actions a person takes in Slack. Each action becomes the request Slack would send — a slash command, a
// block_actions click, an Events API delivery — signed with the dev signing secret and POSTed over HTTP to the
// real handler endpoint, so the page exercises exactly the path a workspace would.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { slackSignature } from '../../handlers/signature.ts';
import { FAKE_BOT, FAKE_TEAM, type SlackApiFake, type WorkspaceMessage } from '../slack-api.ts';
import { DEV_ALERT_BOT } from '../workspace.ts';

export interface PreviewOptions {
  slack: SlackApiFake;
  /** The handler endpoint, `http://127.0.0.1:PORT/slack/events`. */
  eventsUrl: string;
  signingSecret: string;
}

export interface Preview {
  /** Answers the page's routes; false when the request is not the page's. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  close(): void;
}

const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/preview/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/preview/mrkdwn.js': { file: 'mrkdwn.js', type: 'text/javascript; charset=utf-8' },
  '/preview/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

const userId = z.string().regex(/^[UW][A-Z0-9]{2,20}$/);
const channelId = z.string().regex(/^[CG][A-Z0-9]{2,20}$/);
const ts = z.string().regex(/^\d+\.\d{6}$/);

const Command = z.object({
  user: userId,
  channel: channelId,
  text: z.string().trim().min(1).max(4000),
  threadTs: ts.optional(),
});
const Click = z.object({
  user: userId,
  channel: channelId,
  ts,
  actionId: z.string().min(1).max(255),
  blockId: z.string().max(255).optional(),
  value: z.string().max(2000).optional(),
  text: z.string().max(200).optional(),
});
const Channel = z.object({
  user: userId,
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{0,79}$/, 'channel names are lowercase letters, digits, - and _'),
  /** A private channel: Slack tells the bot nothing until someone invites it. */
  private: z.boolean().optional(),
});
const Invite = z.object({ user: userId, channel: channelId });
const Alert = z.object({
  channel: channelId,
  alertname: z.string().trim().min(1).max(100),
  status: z.enum(['firing', 'resolved']),
  summary: z.string().max(500).optional(),
  labels: z.record(z.string(), z.string().max(200)).optional(),
});

/** The page's alert menu, worded as the kube-prometheus rules word them, with the labels they carry. */
const KNOWN_ALERTS: Record<string, { summary: string; labels: Record<string, string> }> = {
  CoreDNSDown: {
    summary: 'CoreDNS has disappeared from Prometheus target discovery.',
    labels: { job: 'coredns', namespace: 'kube-system' },
  },
  KubeDNSErrorsHigh: {
    summary: 'CoreDNS is returning SERVFAIL for 12% of requests.',
    labels: { job: 'coredns', namespace: 'kube-system', severity: 'warning' },
  },
  KubeProxyDown: {
    summary: 'KubeProxy has disappeared from Prometheus target discovery.',
    labels: { job: 'kube-proxy', namespace: 'kube-system' },
  },
  CNIPodNetworkDown: {
    summary: 'calico-node is not ready on worker-1: pods there cannot reach the pod network.',
    labels: { job: 'calico-node', namespace: 'kube-system', node: 'worker-1' },
  },
};

class BadRequest extends Error {}

export function createPreview(options: PreviewOptions): Preview {
  const { slack, eventsUrl, signingSecret } = options;
  const { host: eventsHost } = new URL(eventsUrl);
  const feeds = new Set<ServerResponse>();
  let eventCounter = 0;
  let pending: NodeJS.Timeout | undefined;

  const broadcast = () => {
    pending = undefined;
    const data = `event: state\ndata: ${JSON.stringify(slack.state())}\n\n`;
    for (const feed of feeds) feed.write(data);
  };
  // Several API calls land together (post, then edits): one snapshot per burst.
  const unsubscribe = slack.onChange(() => {
    pending ??= setTimeout(broadcast, 25);
  });
  const heartbeat = setInterval(() => {
    for (const feed of feeds) feed.write(': keep-alive\n\n');
  }, 15_000);
  heartbeat.unref();

  /** POSTs what Slack would, signed as Slack signs it; answers with the handler's HTTP response. */
  const deliver = async (body: string, contentType: string) => {
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await fetch(eventsUrl, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(signingSecret, timestamp, body),
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, text: await res.text() };
  };

  const event = (payload: Record<string, unknown>) =>
    deliver(
      JSON.stringify({
        token: 'preview-verification-token',
        team_id: FAKE_TEAM.id,
        api_app_id: 'A0NETCHECK',
        event: { ...payload, event_ts: payload.event_ts ?? payload.ts ?? `${Date.now() / 1000}` },
        type: 'event_callback',
        event_id: `Ev${Date.now().toString(36).toUpperCase()}${++eventCounter}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: FAKE_TEAM.id, user_id: FAKE_BOT.userId, is_bot: true }],
      }),
      'application/json',
    );

  const messageEvent = (message: WorkspaceMessage) => ({
    type: 'message',
    channel: message.channel,
    channel_type: slack.channel(message.channel)?.isPrivate ? 'group' : 'channel',
    ts: message.ts,
    text: message.text,
    ...(message.user ? { user: message.user } : {}),
    ...(message.botId ? { bot_id: message.botId, subtype: 'bot_message' } : {}),
    ...(message.username ? { username: message.username } : {}),
    ...(message.attachments ? { attachments: message.attachments } : {}),
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
  });

  const actions = {
    /** `/netcheck …` is a slash command; anything else is a message (and an app_mention when it names the bot). */
    async command(input: z.infer<typeof Command>) {
      const command = /^(\/[a-z0-9_-]+)(?:\s+([\s\S]*))?$/i.exec(input.text);
      const channel = slack.channel(input.channel);
      if (!channel) throw new BadRequest(`no channel ${input.channel}`);
      if (command && command[1]!.toLowerCase() !== '/netcheck') {
        // Slack answers commands no app registered itself, without sending anything anywhere.
        slack.whisper(channel.id, input.user, { text: `\`${command[1]}\` is not a valid command.` });
        return { status: 200 };
      }
      if (command) {
        const user = slack.state().users.find((u) => u.id === input.user);
        const responseUrl = slack.responseUrl(`cmd-${randomUUID()}`, {
          channel: input.channel,
          user: input.user,
          ...(input.threadTs ? { threadTs: input.threadTs } : {}),
        });
        const body = new URLSearchParams({
          token: 'preview-verification-token',
          team_id: FAKE_TEAM.id,
          team_domain: FAKE_TEAM.name,
          channel_id: channel.id,
          channel_name: channel.name,
          user_id: input.user,
          user_name: user?.name ?? input.user.toLowerCase(),
          command: command[1]!.toLowerCase(),
          text: command[2]?.trim() ?? '',
          api_app_id: 'A0NETCHECK',
          is_enterprise_install: 'false',
          response_url: responseUrl,
          trigger_id: `${Date.now()}.${randomUUID()}`,
        }).toString();
        const answer = await deliver(body, 'application/x-www-form-urlencoded');
        // The ack body is what Slack shows the user at once (ephemeral unless it says in_channel).
        if (answer.status === 200 && answer.text.trim().startsWith('{')) {
          const ack = JSON.parse(answer.text) as { text?: string; blocks?: unknown[]; response_type?: string };
          if (ack.response_type === 'in_channel') {
            slack.post({
              channel: channel.id,
              user: FAKE_BOT.userId,
              botId: FAKE_BOT.botId,
              text: ack.text ?? '',
              ...(ack.blocks ? { blocks: ack.blocks } : {}),
            });
          } else {
            slack.whisper(channel.id, input.user, {
              text: ack.text ?? '',
              ...(ack.blocks ? { blocks: ack.blocks } : {}),
              ...(input.threadTs ? { threadTs: input.threadTs } : {}),
            });
          }
        } else if (answer.status !== 200) {
          slack.whisper(channel.id, input.user, {
            text: `${command[1]} failed with the error "http_${answer.status}"`,
          });
        }
        return { status: answer.status };
      }
      // People type "@netcheck"; Slack sends the mention as <@U…>.
      const text = input.text.replace(/(^|\s)@netcheck\b/gi, `$1<@${FAKE_BOT.userId}>`);
      const posted = slack.post({
        channel: channel.id,
        user: input.user,
        text,
        ...(input.threadTs ? { threadTs: input.threadTs } : {}),
      });
      const results = [await event(messageEvent(posted))];
      if (text.includes(`<@${FAKE_BOT.userId}>`)) {
        const { type: _type, channel_type: _channelType, ...rest } = messageEvent(posted);
        results.push(await event({ ...rest, type: 'app_mention' }));
      }
      return { status: Math.max(...results.map((r) => r.status)), ts: posted.ts };
    },

    async click(input: z.infer<typeof Click>) {
      const visible = slack
        .state()
        .messages.find(
          (m) => m.channel === input.channel && m.ts === input.ts && (!m.ephemeralTo || m.ephemeralTo === input.user),
        );
      if (!visible) throw new BadRequest('no such message');
      const user = slack.state().users.find((u) => u.id === input.user);
      const isEphemeral = Boolean(visible.ephemeralTo);
      const responseUrl = slack.responseUrl(`act-${randomUUID()}`, {
        channel: input.channel,
        user: input.user,
        ...(isEphemeral ? {} : { messageTs: input.ts }),
        ...(visible.threadTs ? { threadTs: visible.threadTs } : {}),
      });
      const channel = slack.channel(input.channel);
      const payload = {
        type: 'block_actions',
        user: { id: input.user, username: user?.name ?? input.user, name: user?.name, team_id: FAKE_TEAM.id },
        api_app_id: 'A0NETCHECK',
        token: 'preview-verification-token',
        container: { type: 'message', message_ts: input.ts, channel_id: input.channel, is_ephemeral: isEphemeral },
        trigger_id: `${Date.now()}.${randomUUID()}`,
        team: { id: FAKE_TEAM.id, domain: FAKE_TEAM.name },
        channel: { id: input.channel, name: channel?.name ?? input.channel },
        ...(isEphemeral
          ? {}
          : {
              message: {
                type: 'message',
                ts: visible.ts,
                text: visible.text,
                user: visible.user,
                bot_id: visible.botId,
                blocks: visible.blocks,
                ...(visible.threadTs ? { thread_ts: visible.threadTs } : {}),
              },
            }),
        response_url: responseUrl,
        actions: [
          {
            action_id: input.actionId,
            block_id: input.blockId ?? 'actions',
            ...(input.value !== undefined ? { value: input.value } : {}),
            type: 'button',
            text: { type: 'plain_text', text: input.text ?? input.actionId, emoji: true },
            action_ts: `${(Date.now() / 1000).toFixed(6)}`,
          },
        ],
      };
      const answer = await deliver(
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        'application/x-www-form-urlencoded',
      );
      return { status: answer.status };
    },

    async channel(input: z.infer<typeof Channel>) {
      if (slack.state().channels.some((c) => c.name === input.name)) throw new BadRequest(`#${input.name} exists`);
      const channel = slack.createChannel(input.name, { creator: input.user, isPrivate: input.private === true });
      // As in Slack: a private channel sends the bot no channel_created; it starts when the bot is invited.
      if (input.private) return { status: 200, channel: channel.id };
      const answer = await event({
        type: 'channel_created',
        channel: { id: channel.id, name: channel.name, created: channel.created, creator: input.user },
      });
      return { status: answer.status, channel: channel.id };
    },

    /** Alertmanager's Slack notifier: a bot message whose words are in a coloured attachment. */
    async alert(input: z.infer<typeof Alert>) {
      const channel = slack.channel(input.channel);
      if (!channel) throw new BadRequest(`no channel ${input.channel}`);
      const known = KNOWN_ALERTS[input.alertname];
      const labels: Record<string, string> = { severity: 'critical', ...known?.labels, ...input.labels };
      const tag = input.status === 'firing' ? '[FIRING:1]' : '[RESOLVED]';
      const title = `${tag} ${input.alertname}`;
      const summary = input.summary ?? known?.summary ?? `${input.alertname} on ${labels.cluster ?? 'the cluster'}`;
      const text = [
        `*Alert:* ${summary} - \`${labels.severity}\``,
        `*Description:* ${summary}`,
        '*Details:*',
        ...Object.entries({ alertname: input.alertname, ...labels }).map(([k, v]) => `  • *${k}:* \`${v}\``),
      ].join('\n');
      const posted = slack.post({
        channel: channel.id,
        botId: DEV_ALERT_BOT.botId,
        username: DEV_ALERT_BOT.username,
        text: '',
        attachments: [
          {
            color: input.status === 'firing' ? 'danger' : 'good',
            title,
            title_link: 'http://127.0.0.1:9093/#/alerts',
            text,
            fallback: `${title} | ${summary}`,
            mrkdwn_in: ['text'],
          },
        ],
      });
      const answer = await event(messageEvent(posted));
      return { status: answer.status, ts: posted.ts };
    },
  };

  /** `/invite @netcheck` in a private channel: the bot becomes a member and gets member_joined_channel. */
  const invite = async (input: z.infer<typeof Invite>) => {
    const channel = slack.channel(input.channel);
    if (!channel) throw new BadRequest(`no channel ${input.channel}`);
    if (!channel.isPrivate) throw new BadRequest(`#${channel.name} is public: the bot joins it by itself`);
    if (channel.members.includes(FAKE_BOT.userId)) throw new BadRequest(`netcheck is already in ${channel.name}`);
    slack.setChannel(channel.id, {
      name: channel.name,
      isPrivate: true,
      members: [...channel.members, FAKE_BOT.userId],
    });
    const answer = await event({
      type: 'member_joined_channel',
      user: FAKE_BOT.userId,
      channel: channel.id,
      channel_type: 'G',
      team: FAKE_TEAM.id,
      inviter: input.user,
    });
    return { status: answer.status };
  };

  const routes: Record<string, { schema: z.ZodType; run: (input: never) => Promise<unknown> }> = {
    '/preview/command': { schema: Command, run: actions.command },
    '/preview/click': { schema: Click, run: actions.click },
    '/preview/channel': { schema: Channel, run: actions.channel },
    '/preview/alert': { schema: Alert, run: actions.alert },
    '/preview/invite': { schema: Invite, run: invite },
  };

  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));

  return {
    async handle(req, res) {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const isPage = path === '/' || path.startsWith('/preview/');
      if (!isPage) return false;
      // Another site open in the same browser must not drive the bot (DNS rebinding, cross-site POSTs):
      // only this host, and JSON bodies, which a cross-site form cannot send without a preflight.
      const host = req.headers.host ?? '';
      if (host !== eventsHost && host !== eventsHost.replace('127.0.0.1', 'localhost')) {
        json(res, 403, { error: 'the preview answers on 127.0.0.1 only' });
        return true;
      }
      if (req.method === 'GET' && STATIC[path]) {
        const { file, type } = STATIC[path];
        const content = await readFile(new URL(file, import.meta.url));
        res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(content);
        return true;
      }
      if (req.method === 'GET' && path === '/preview/state') {
        json(res, 200, slack.state());
        return true;
      }
      if (req.method === 'GET' && path === '/preview/events') {
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        res.write(`event: state\ndata: ${JSON.stringify(slack.state())}\n\n`);
        feeds.add(res);
        req.on('close', () => feeds.delete(res));
        return true;
      }
      const route = routes[path];
      if (!route || req.method !== 'POST') {
        json(res, 404, { error: 'not found' });
        return true;
      }
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
        json(res, 415, { error: 'send application/json' });
        return true;
      }
      let input: unknown;
      try {
        input = JSON.parse(await readLimited(req, 64 * 1024));
      } catch (error) {
        json(res, 400, { error: (error as Error).message });
        return true;
      }
      const parsed = route.schema.safeParse(input);
      if (!parsed.success) {
        json(res, 400, {
          error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
        });
        return true;
      }
      try {
        json(res, 200, await route.run(parsed.data as never));
      } catch (error) {
        if (error instanceof BadRequest) json(res, 400, { error: error.message });
        else json(res, 502, { error: `the handler could not be reached: ${(error as Error).message}` });
      }
      return true;
    },
    close() {
      unsubscribe();
      clearInterval(heartbeat);
      if (pending) clearTimeout(pending);
      for (const feed of feeds) feed.end();
      feeds.clear();
    },
  };
}

async function readLimited(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
