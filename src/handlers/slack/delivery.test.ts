import { describe, expect, it } from 'vitest';
import { dedupeKey, mentionText } from './delivery.ts';

describe('delivery keys (what a Slack retry has in common with its original)', () => {
  it('uses the trigger_id of a slash command', () => {
    expect(dedupeKey({ command: '/netcheck', trigger_id: '123.456.abc' })).toBe('command:123.456.abc');
  });
  it('uses the event_id of an Events API delivery', () => {
    expect(dedupeKey({ type: 'event_callback', event_id: 'Ev01', event: {} })).toBe('event:Ev01');
  });
  it('uses action_ts and trigger_id of a button click', () => {
    expect(dedupeKey({ type: 'block_actions', trigger_id: 't1', actions: [{ action_ts: '1700.1' }] })).toBe(
      'action:1700.1:t1',
    );
  });
  it('has no key for bodies it does not know', () => {
    expect(dedupeKey({ type: 'url_verification' })).toBeUndefined();
    expect(dedupeKey(undefined)).toBeUndefined();
  });
});

describe('mentions', () => {
  it('strip the bot mention so the rest parses like a command', () => {
    expect(mentionText('<@U0BOT> dns   prod-eu')).toBe('dns prod-eu');
    expect(mentionText('hey <@U0BOT|netcheck> check cni')).toBe('hey check cni');
  });
});
