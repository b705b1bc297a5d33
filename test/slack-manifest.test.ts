// The Slack app manifest must grant every scope its events and features need, and point Slack at our one route.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Manifest {
  features: { slash_commands: { command: string; url: string; usage_hint: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
  };
}

const manifest = parse(readFileSync(new URL('../infra/slack/manifest.yml', import.meta.url), 'utf8')) as Manifest;

// docs.slack.dev/reference/events: the scope each bot event requires.
const EVENT_SCOPES: Record<string, string> = {
  app_mention: 'app_mentions:read',
  'message.channels': 'channels:history',
  channel_created: 'channels:read',
  'message.groups': 'groups:history',
  // Private incident channels: the bot learns of one when it is invited (it gets no channel_created for them).
  member_joined_channel: 'groups:read',
};
const EVENTS_URL = /^https:\/\/<api-id>\.execute-api\.<region>\.amazonaws\.com\/slack\/events$/;

describe('infra/slack/manifest.yml', () => {
  it('subscribes to the events netcheck handles, each with its scope granted', () => {
    const { bot_events } = manifest.settings.event_subscriptions;
    expect(bot_events).toEqual([
      'app_mention',
      'message.channels',
      'channel_created',
      'message.groups',
      'member_joined_channel',
    ]);
    for (const event of bot_events) {
      expect(EVENT_SCOPES[event], `scope for ${event}`).toBeDefined();
      expect(manifest.oauth_config.scopes.bot).toContain(EVENT_SCOPES[event]);
    }
  });

  it('grants exactly the scopes the bot uses', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      [
        'app_mentions:read',
        'channels:history',
        'channels:join',
        'channels:read',
        'chat:write',
        'commands',
        'usergroups:read',
        'users:read',
        'groups:read',
        'groups:history',
      ].sort(),
    );
  });

  it('declares /netcheck with its usage hint', () => {
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({
        command: '/netcheck',
        usage_hint: 'dns|cni|proxy|all [--cluster NAME] [--lang en|ko] [--details]',
      }),
    ]);
  });

  it('sends commands, interactivity and events to the HTTP API route of serverless.yml', () => {
    expect(manifest.features.slash_commands[0]?.url).toMatch(EVENTS_URL);
    expect(manifest.settings.event_subscriptions.request_url).toMatch(EVENTS_URL);
    expect(manifest.settings.interactivity).toEqual({
      is_enabled: true,
      request_url: expect.stringMatching(EVENTS_URL),
    });
  });
});
