import { describe, expect, it } from 'vitest';
import { alertText, scopeFromAlert } from './alert.ts';

describe('alert classification', () => {
  it('recognizes DNS, kube-proxy and CNI alerts, and ignores the rest', () => {
    expect(scopeFromAlert('[FIRING] CoreDNS error rate high in prod-eu')).toBe('dns');
    expect(scopeFromAlert('KubeProxyDown: kube-proxy not ready on 3 nodes')).toBe('proxy');
    expect(scopeFromAlert('calico-node crash looping')).toBe('cni');
    expect(scopeFromAlert('NXDOMAIN spikes and calico-node restarts')).toBe('all');
    expect(scopeFromAlert('Disk 91% full on db-3')).toBeUndefined();
    expect(scopeFromAlert('dnsmasq-ish words like adnsb do not count')).toBeUndefined();
  });

  it('reads the words of an alert from its text and from every attachment', () => {
    const text = alertText({
      text: 'Alert',
      attachments: [{ title: '[FIRING:1] kube-proxy down' }, { text: 'on node-3', fallback: 'CoreDNS' }],
    });
    expect(text.split('\n')).toEqual(['Alert', '[FIRING:1] kube-proxy down', '', '', '', 'on node-3', 'CoreDNS']);
    expect(scopeFromAlert(text)).toBe('all');
    expect(alertText({})).toBe('');
  });
});
