// Builds API Gateway v2 events exactly as Slack would send them through an HTTP API: signed, with the
// raw body Slack signs (form-encoded commands, `payload=` interactivity, JSON events).
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { slackSignature } from '../../src/handlers/signature.ts';

export interface Signing {
  signingSecret: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  /** Replaces the computed signature (to forge one). */
  signature?: string;
  /** Adds X-Slack-Retry-Num / X-Slack-Retry-Reason, as Slack does on redelivery. */
  retryNum?: number;
  retryReason?: string;
}

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

export function signedRequest(body: string, contentType: string, signing: Signing): SignedRequest {
  const timestamp = signing.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signing.signature ?? slackSignature(signing.signingSecret, timestamp, body),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (signing.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(signing.retryNum);
    headers['x-slack-retry-reason'] = signing.retryReason ?? 'http_timeout';
  }
  return { headers, body };
}

export function apiGatewayEvent(request: SignedRequest, path = '/slack/events'): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { ...request.headers },
    body: request.body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'Slackbot 1.0' },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: `POST ${path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  };
}

export interface CommandFields {
  text: string;
  userId: string;
  channelId: string;
  triggerId: string;
  responseUrl: string;
  command?: string;
  teamId?: string;
  userName?: string;
  channelName?: string;
}

/** A slash command as Slack posts it: application/x-www-form-urlencoded. */
export function commandRequest(fields: CommandFields, signing: Signing): SignedRequest {
  const body = new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: fields.teamId ?? 'T0001',
    team_domain: 'acme',
    channel_id: fields.channelId,
    channel_name: fields.channelName ?? 'ops',
    user_id: fields.userId,
    user_name: fields.userName ?? 'alice',
    command: fields.command ?? '/netcheck',
    text: fields.text,
    api_app_id: 'A0001',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId,
  }).toString();
  return signedRequest(body, 'application/x-www-form-urlencoded', signing);
}

/** An Events API delivery: JSON `event_callback`. */
export function eventRequest(
  event: Record<string, unknown>,
  ids: { eventId: string; teamId?: string },
  signing: Signing,
): SignedRequest {
  const body = JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: ids.teamId ?? 'T0001',
    api_app_id: 'A0001',
    event,
    type: 'event_callback',
    event_id: ids.eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: ids.teamId ?? 'T0001', user_id: 'UBOT', is_bot: true }],
  });
  return signedRequest(body, 'application/json', signing);
}

export interface ButtonClick {
  actionId: string;
  value: string;
  userId: string;
  channelId: string;
  triggerId: string;
  responseUrl: string;
  messageTs?: string;
  actionTs?: string;
  teamId?: string;
  /** The thread the clicked message is in (a reply carries its thread_ts). */
  threadTs?: string;
}

/** A block_actions interaction: form-encoded `payload=<JSON>`. */
export function buttonRequest(click: ButtonClick, signing: Signing): SignedRequest {
  const messageTs = click.messageTs ?? '1700000000.000100';
  const payload = {
    type: 'block_actions',
    user: { id: click.userId, username: 'alice', team_id: click.teamId ?? 'T0001' },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: messageTs, channel_id: click.channelId, is_ephemeral: false },
    trigger_id: click.triggerId,
    team: { id: click.teamId ?? 'T0001', domain: 'acme' },
    channel: { id: click.channelId, name: 'ops' },
    message: {
      type: 'message',
      ts: messageTs,
      text: 'netcheck report',
      user: 'UBOT',
      bot_id: 'BBOT',
      ...(click.threadTs ? { thread_ts: click.threadTs } : {}),
    },
    response_url: click.responseUrl,
    actions: [
      {
        action_id: click.actionId,
        block_id: 'actions',
        value: click.value,
        type: 'button',
        text: { type: 'plain_text', text: 'Re-run' },
        action_ts:
          click.actionTs ??
          `${Math.floor(Date.now() / 1000)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
      },
    ],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return signedRequest(body, 'application/x-www-form-urlencoded', signing);
}
