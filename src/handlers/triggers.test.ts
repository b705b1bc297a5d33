import { describe, expect, it } from 'vitest';
import { dedupeKey, isIncidentChannel, mentionText, scopeFromAlert } from './triggers.ts';

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

describe('incident triggers', () => {
  it('match channel names against the configured pattern', () => {
    expect(isIncidentChannel('inc-2231-dns', /^inc-/)).toBe(true);
    expect(isIncidentChannel('general', /^inc-/)).toBe(false);
    expect(isIncidentChannel(undefined, /^inc-/)).toBe(false);
  });
  it('recognize DNS, kube-proxy and CNI alerts, and ignore the rest', () => {
    expect(scopeFromAlert('[FIRING] CoreDNS error rate high in prod-eu')).toBe('dns');
    expect(scopeFromAlert('KubeProxyDown: kube-proxy not ready on 3 nodes')).toBe('proxy');
    expect(scopeFromAlert('calico-node crash looping')).toBe('cni');
    expect(scopeFromAlert('NXDOMAIN spikes and calico-node restarts')).toBe('all');
    expect(scopeFromAlert('Disk 91% full on db-3')).toBeUndefined();
    expect(scopeFromAlert('dnsmasq-ish words like adnsb do not count')).toBeUndefined();
  });
});
