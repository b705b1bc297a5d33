// Incidents nobody asked about yet: a new incident channel, the bot invited into a private one, or an alert bot
// posting about DNS/kube-proxy/CNI in one. The operator opted in with NETCHECK_INCIDENT_CHANNEL_PATTERN; the
// decisions live in src/incidents, and the worker tells the first trigger of an incident from its follow-ups.
import type { App } from '@slack/bolt';
import {
  type AlertBotMessage,
  chooseIncidentCluster,
  incidentKey,
  isIncidentChannel,
  readAlert,
} from '../../incidents/index.ts';
import { dedupeKey } from './delivery.ts';
import type { ListenerDeps } from './deps.ts';

/** The fields of a message event an alert is read from (message events are a union of many subtypes). */
interface PostedMessage extends AlertBotMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  bot_id?: string;
  user?: string;
}

export function registerIncident(app: App, deps: ListenerDeps, pattern: RegExp): void {
  const { config, log } = deps;
  const choose = (channel: { id: string; name?: string | undefined }, labels?: Record<string, string>) =>
    chooseIncidentCluster({
      clusters: config.clusters,
      channel,
      pattern,
      labelKeys: config.incidentClusterLabels,
      ...(labels ? { labels } : {}),
    });

  /** A new incident channel, or a private one the bot was invited to: check and post before anyone asks. */
  const opened = async (
    channel: { id: string; name: string },
    trigger: 'channel-created' | 'bot-joined',
    userId: string,
    body: unknown,
  ) => {
    if (!isIncidentChannel(channel.name, pattern)) return;
    const chosen = choose(channel);
    if (!chosen) return log.warn('incident channel but no default cluster is configured', { channel: channel.id });
    await deps.enqueue({
      kind: 'incident',
      jobId: incidentKey(dedupeKey(body), { kind: 'channel-created', channelId: channel.id }),
      cluster: chosen.cluster,
      scope: 'all',
      lang: config.defaultLang,
      details: false,
      userId,
      channelId: channel.id,
      ...teamOf(body),
      incident: { trigger, clusterReason: chosen.reason },
    });
  };

  app.event('channel_created', async ({ event, body }) => {
    const channel = event.channel as { id: string; name: string; creator?: string };
    await opened(channel, 'channel-created', channel.creator ?? '', body);
  });

  // Private channels send no channel_created to the bot: being invited into one (groups:read) is its start.
  app.event('member_joined_channel', async ({ event, body, client, context }) => {
    if (event.user !== context.botUserId || event.channel_type !== 'G') return;
    const info = await client.conversations.info({ channel: event.channel });
    const name = info.channel?.name;
    if (name) await opened({ id: event.channel, name }, 'bot-joined', event.inviter ?? '', body);
  });

  // An alerting bot posts into an incident channel (public: message.channels, private: message.groups).
  app.event('message', async ({ event, body, client, context }) => {
    const message = event as unknown as PostedMessage;
    if (!message.bot_id || message.bot_id === context.botId) return;
    if (message.thread_ts && message.thread_ts !== message.ts) return; // replies are not new alerts
    const alert = readAlert(message);
    if (!alert) return;
    const info = await client.conversations.info({ channel: message.channel });
    const name = info.channel?.name;
    if (!isIncidentChannel(name, pattern)) return;
    const chosen = choose({ id: message.channel, name }, alert.labels);
    if (!chosen)
      return log.warn('alert in an incident channel but no cluster could be chosen', { channel: message.channel });
    const { labels: _labels, ...said } = alert;
    await deps.enqueue({
      kind: 'incident',
      jobId: incidentKey(dedupeKey(body), { kind: 'alert', messageTs: message.ts }),
      cluster: chosen.cluster,
      scope: alert.scope,
      lang: config.defaultLang,
      details: false,
      userId: message.user ?? message.bot_id,
      channelId: message.channel,
      threadTs: message.ts,
      ...teamOf(body),
      incident: { trigger: 'alert', clusterReason: chosen.reason, alert: said },
    });
  });
}

/** The event's team, so the report's Re-run offer belongs to it (the team guard already let only ours through). */
function teamOf(body: unknown): { teamId?: string } {
  const teamId = (body as { team_id?: unknown } | undefined)?.team_id;
  return typeof teamId === 'string' && teamId ? { teamId } : {};
}
