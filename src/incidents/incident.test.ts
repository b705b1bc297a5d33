import { describe, expect, it } from 'vitest';
import type { Report } from '../engine/report.ts';
import { contradictionOf } from './contradiction.ts';
import {
  DEFAULT_COOLDOWN_MS,
  diffFindings,
  failingFindings,
  followUpOf,
  type IncidentRecord,
  incidentStateKey,
  mergeScope,
  touch,
  verifyResolution,
} from './incident.ts';
import { readAlert } from './lifecycle.ts';

const finding = (id: string, severity: 'critical' | 'warning' | 'info' = 'critical') => ({
  id,
  severity,
  title: id,
  detail: id,
  evidence: [],
  runbook: [],
});

function report(parts: { dns?: string[]; proxy?: string[]; proxyStatus?: 'ok' | 'unknown' }): Report {
  return {
    schemaVersion: 2,
    cluster: { name: 'prod-eu', server: 'https://127.0.0.1', flavor: 'kubeadm', cni: 'calico' },
    scope: 'all',
    startedAt: '2026-12-01T00:00:00.000Z',
    durationMs: 10,
    status: parts.dns?.length ? 'critical' : 'ok',
    requests: 3,
    components: [
      { component: 'cni', status: 'ok', summary: '', detected: '', findings: [] },
      {
        component: 'kube-proxy',
        status: parts.proxyStatus ?? (parts.proxy?.length ? 'critical' : 'ok'),
        summary: '',
        detected: '',
        findings: (parts.proxy ?? []).map((id) => finding(id)),
      },
      {
        component: 'dns',
        status: parts.dns?.length ? 'critical' : 'ok',
        summary: '',
        detected: '',
        findings: [...(parts.dns ?? []).map((id) => finding(id)), finding('coredns.note', 'info')],
      },
    ],
  };
}

const base: IncidentRecord = {
  key: incidentStateKey('CINC1', 'prod-eu'),
  channelId: 'CINC1',
  cluster: 'prod-eu',
  scope: 'dns',
  findings: ['coredns.loop-detected'],
  alerts: {},
  openedAt: 0,
  updatedAt: 0,
  expiresAt: DEFAULT_COOLDOWN_MS,
  version: 1,
};
const dnsAlert = (text: string) => readAlert({ text }) ?? expect.fail(`not an alert: ${text}`);

describe('an incident', () => {
  it('is keyed by channel and cluster, and widens its scope instead of opening a second incident', () => {
    expect(incidentStateKey('CINC1', 'prod-eu')).toBe('incident:CINC1:prod-eu');
    expect(mergeScope('dns', 'dns')).toBe('dns');
    expect(mergeScope('all', 'dns')).toBe('all');
    expect(mergeScope('dns', 'proxy')).toBe('all');
  });

  it('tells a repeat of the same alert from a group that changed, a new alert and a resolution', () => {
    const first = dnsAlert('[FIRING:1] CoreDNSErrorsHigh cluster=prod-eu');
    const seen = touch(base, { alert: first, scope: 'dns', now: 1000, cooldownMs: DEFAULT_COOLDOWN_MS });
    expect(followUpOf(seen, dnsAlert('[FIRING:1] CoreDNSErrorsHigh cluster=prod-eu'))).toBe('repeat');
    expect(followUpOf(seen, dnsAlert('[FIRING:2] CoreDNSErrorsHigh cluster=prod-eu'))).toBe('changed');
    expect(followUpOf(seen, dnsAlert('[FIRING:1] KubeDNSLatencyHigh cluster=prod-eu'))).toBe('changed');
    expect(followUpOf(seen, dnsAlert('[RESOLVED] CoreDNSErrorsHigh cluster=prod-eu'))).toBe('resolved');
    expect(followUpOf(seen, undefined)).toBe('again');
  });

  it('moves its expiry with every trigger and bumps the version every conditional write checks', () => {
    const next = touch(base, { scope: 'proxy', now: 5000, cooldownMs: 60_000, findings: [] });
    expect(next).toMatchObject({ scope: 'all', updatedAt: 5000, expiresAt: 65_000, version: 2, findings: [] });
  });
});

describe('what changed between two checks', () => {
  it('lists new and resolved findings, ignoring info notes', () => {
    const before = failingFindings(report({ dns: ['coredns.loop-detected'] }));
    const after = failingFindings(report({ proxy: ['kube-proxy.crashloop'] }));
    expect(before).toEqual(['coredns.loop-detected']);
    expect(diffFindings(before, after)).toEqual({
      added: ['kube-proxy.crashloop'],
      resolved: ['coredns.loop-detected'],
    });
    expect(diffFindings(after, after)).toEqual({ added: [], resolved: [] });
  });

  it('verifies a resolution only when the alert scope is clean and was read', () => {
    expect(verifyResolution(report({}), 'dns')).toEqual({ verified: true });
    expect(verifyResolution(report({ dns: ['coredns.loop-detected'] }), 'dns')).toEqual({
      verified: false,
      failing: ['coredns.loop-detected'],
    });
    expect(verifyResolution(report({ proxyStatus: 'unknown' }), 'proxy')).toEqual({
      verified: false,
      failing: ['kube-proxy'],
    });
  });
});

describe('a contradiction', () => {
  it('is a firing alert about a component the report finds healthy, with the usual reasons', () => {
    const alert = dnsAlert('[FIRING:1] KubeProxyDown cluster=prod-eu');
    expect(contradictionOf(alert, report({}))).toEqual({
      alert: 'KubeProxyDown',
      healthy: ['kube-proxy'],
      reasons: ['target-down-dataplane-works', 'unseen-nodes'],
    });
  });

  it('is none when the component is failing, could not be read, or the alert resolved', () => {
    expect(
      contradictionOf(dnsAlert('[FIRING:1] KubeProxyDown'), report({ proxy: ['kube-proxy.crashloop'] })),
    ).toBeUndefined();
    expect(contradictionOf(dnsAlert('[FIRING:1] KubeProxyDown'), report({ proxyStatus: 'unknown' }))).toBeUndefined();
    expect(contradictionOf(dnsAlert('[RESOLVED] KubeProxyDown'), report({}))).toBeUndefined();
  });
});
