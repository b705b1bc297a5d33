// Incidents nobody asked about yet: a new incident channel, or an alert bot posting about DNS/kube-proxy/CNI
// in one. The operator opted in with NETCHECK_INCIDENT_CHANNEL_PATTERN; the decisions live in src/incidents.
import type { App } from '@slack/bolt';
import {
  type AlertMessage,
  alertText,
  incidentCluster,
  incidentKey,
  isIncidentChannel,
  scopeFromAlert,
} from '../../incidents/index.ts';
import { dedupeKey } from './delivery.ts';
import type { ListenerDeps } from './deps.ts';

/** The fields of a message event an alert is read from (message events are a union of many subtypes). */
interface PostedMessage extends AlertMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  bot_id?: string;
  user?: string;
}

export function registerIncident(app: App, deps: ListenerDeps, pattern: RegExp): void {
  const { config, log } = deps;

  // A new incident channel: check the default cluster and post the result there before anyone asks.
  app.event('channel_created', async ({ event, body }) => {
    const channel = event.channel as { id: string; name: string; creator?: string };
    if (!isIncidentChannel(channel.name, pattern)) return;
    const cluster = incidentCluster(config.clusters);
    if (!cluster)
      return log.warn('incident channel created but no default cluster is configured', { channel: channel.id });
    await deps.enqueue({
      kind: 'incident',
      jobId: incidentKey(dedupeKey(body), { kind: 'channel-created', channelId: channel.id }),
      cluster,
      scope: 'all',
      lang: config.defaultLang,
      details: false,
      userId: channel.creator ?? '',
      channelId: channel.id,
    });
  });

  // An alerting bot posts into an incident channel about DNS/kube-proxy/CNI: answer in its thread.
  app.event('message', async ({ event, body, client, context }) => {
    const message = event as unknown as PostedMessage;
    if (!message.bot_id || message.bot_id === context.botId) return;
    if (message.thread_ts && message.thread_ts !== message.ts) return; // replies are not new alerts
    const scope = scopeFromAlert(alertText(message));
    if (!scope) return;
    const info = await client.conversations.info({ channel: message.channel });
    if (!isIncidentChannel(info.channel?.name, pattern)) return;
    const cluster = incidentCluster(config.clusters);
    if (!cluster) return;
    await deps.enqueue({
      kind: 'incident',
      jobId: incidentKey(dedupeKey(body), { kind: 'alert', messageTs: message.ts }),
      cluster,
      scope,
      lang: config.defaultLang,
      details: false,
      userId: message.user ?? message.bot_id,
      channelId: message.channel,
      threadTs: message.ts,
    });
  });
}
