import { describe, expect, it } from 'vitest';
import { incidentKey } from './cooldown.ts';

describe('the key an incident check is claimed under', () => {
  it('is the delivery key when Slack sent one, so a redelivery is the same incident', () => {
    expect(incidentKey('event:Ev01', { kind: 'channel-created', channelId: 'C9' })).toBe('event:Ev01');
    expect(incidentKey('event:Ev02', { kind: 'alert', messageTs: '1700.1' })).toBe('event:Ev02');
  });
  it('falls back to the channel of a new incident channel, or to the alert message', () => {
    expect(incidentKey(undefined, { kind: 'channel-created', channelId: 'C9' })).toBe('event:channel_created:C9');
    expect(incidentKey(undefined, { kind: 'alert', messageTs: '1700.1' })).toBe('event:message:1700.1');
  });
});
