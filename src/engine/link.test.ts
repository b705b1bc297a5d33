import { describe, expect, it } from 'vitest';
import { dropExplainedFallbacks, type Located, linkRootCauses } from './link.ts';
import type { ComponentName, Finding, Severity } from './report.ts';
import { sortFindings } from './report-view.ts';

/** A finding with evidence of its own (root-cause-evidence.test.ts covers the ones without). */
function f(id: string, severity: Severity = 'critical', extra: Partial<Finding> = {}): Finding {
  return { id, severity, title: id, detail: id, evidence: [`${id}: quoted line`], runbook: [], ...extra };
}

function at(component: ComponentName, finding: Finding): Located {
  return { component, finding };
}

function causes(all: Located[]): Record<string, string | undefined> {
  return Object.fromEntries(linkRootCauses(all).map((l) => [l.finding.id, l.finding.causedBy]));
}

describe('root-cause linking', () => {
  it('CoreDNS that cannot be scheduled is caused by the missing CNI', () => {
    expect(
      causes([
        at('dns', f('coredns.unschedulable-node-not-ready')),
        at('dns', f('coredns.pending')),
        at('cni', f('cni.not-installed')),
      ]),
    ).toEqual({
      'coredns.unschedulable-node-not-ready': 'cni.not-installed',
      'coredns.pending': 'cni.not-installed',
      'cni.not-installed': undefined,
    });
  });

  it('CoreDNS api-unreachable points at a critical kube-proxy finding before a CNI one', () => {
    const linked = causes([
      at('dns', f('coredns.api-unreachable')),
      at('cni', f('cni.calico.bgp-peering-down')),
      at('kube-proxy', f('kube-proxy.cluster-cidr-mismatch', 'warning')),
      at('kube-proxy', f('kube-proxy.apiserver-unreachable')),
    ]);
    expect(linked['coredns.api-unreachable']).toBe('kube-proxy.apiserver-unreachable');
    expect(linked['kube-proxy.cluster-cidr-mismatch']).toBeUndefined();
  });

  it('falls back to a critical CNI finding, and ignores warnings', () => {
    expect(
      causes([at('dns', f('coredns.api-unreachable')), at('cni', f('cni.calico.bgp-peering-down'))])[
        'coredns.api-unreachable'
      ],
    ).toBe('cni.calico.bgp-peering-down');
    expect(
      causes([
        at('dns', f('coredns.api-unreachable')),
        at('kube-proxy', f('kube-proxy.cluster-cidr-mismatch', 'warning')),
      ])['coredns.api-unreachable'],
    ).toBeUndefined();
  });

  it('kube-dns without endpoints is caused by crashing CoreDNS, unless its selector is the problem', () => {
    expect(
      causes([at('dns', f('dns.service-no-endpoints')), at('dns', f('coredns.loop-detected'))])[
        'dns.service-no-endpoints'
      ],
    ).toBe('coredns.loop-detected');
    const selector = f('dns.service-no-endpoints', 'critical', {
      remediation: { id: 'dns.restore-service-selector', title: 't' },
    });
    expect(
      causes([at('dns', selector), at('dns', f('coredns.loop-detected'))])['dns.service-no-endpoints'],
    ).toBeUndefined();
  });

  it('CNI sandbox failures are caused by the agent being down', () => {
    expect(
      causes([at('cni', f('cni.flannel.subnet-env-missing')), at('cni', f('cni.flannel.podcidr-not-assigned'))])[
        'cni.flannel.subnet-env-missing'
      ],
    ).toBe('cni.flannel.podcidr-not-assigned');
  });

  it('unrecognised sandbox failures and the generic agent fallbacks are caused by a crash-looping agent', () => {
    const linked = causes([at('cni', f('cni.sandbox-failed')), at('cni', f('cni.agent-crashloop'))]);
    expect(linked['cni.sandbox-failed']).toBe('cni.agent-crashloop');
    expect(
      causes([at('cni', f('cni.weave.router-unreachable')), at('cni', f('cni.agent-crashloop'))])[
        'cni.weave.router-unreachable'
      ],
    ).toBe('cni.agent-crashloop');
  });

  it('keeps a cause a check set itself and never creates a cycle', () => {
    const own = f('coredns.api-unreachable', 'critical', { causedBy: 'cni.not-installed' });
    expect(causes([at('dns', own), at('kube-proxy', f('kube-proxy.crashloop'))])['coredns.api-unreachable']).toBe(
      'cni.not-installed',
    );
    const a = f('coredns.pending', 'critical');
    const b = f('cni.not-installed', 'critical', { causedBy: 'coredns.pending' });
    expect(causes([at('dns', a), at('cni', b)])['coredns.pending']).toBeUndefined();
  });
});

describe('fallbacks and ordering', () => {
  it('drops a generic crashloop finding when a specific critical finding explains it', () => {
    const kept = dropExplainedFallbacks([
      at('kube-proxy', f('kube-proxy.crashloop')),
      at('kube-proxy', f('kube-proxy.config-path-mismatch')),
      at('dns', f('coredns.crashloop')),
      at('dns', f('dns.service-no-endpoints')),
    ]);
    expect(kept.map((l) => l.finding.id)).toEqual([
      'kube-proxy.config-path-mismatch',
      'coredns.crashloop',
      'dns.service-no-endpoints',
    ]);
  });

  it('drops a "recovered" note of a component that is failing now, and keeps it beside another component\'s failure', () => {
    const kept = dropExplainedFallbacks([
      at('dns', f('dns.recovered', 'info')),
      at('dns', f('coredns.loop-detected')),
      at('cni', f('cni.recovered', 'info')),
      at('kube-proxy', f('kube-proxy.recovered', 'info')),
      at('kube-proxy', f('kube-proxy.cluster-cidr-mismatch', 'warning')),
    ]);
    expect(kept.map((l) => l.finding.id)).toEqual([
      'coredns.loop-detected',
      'cni.recovered',
      'kube-proxy.cluster-cidr-mismatch',
    ]);
  });

  it('keeps the fallback next to a mere warning', () => {
    const kept = dropExplainedFallbacks([
      at('kube-proxy', f('kube-proxy.crashloop')),
      at('kube-proxy', f('kube-proxy.cluster-cidr-mismatch', 'warning')),
    ]);
    expect(kept).toHaveLength(2);
  });

  it('sorts root causes first, then critical, warning, info', () => {
    const symptom = f('coredns.api-unreachable', 'critical', { causedBy: 'kube-proxy.apiserver-unreachable' });
    const root = f('kube-proxy.apiserver-unreachable');
    const sorted = sortFindings([f('dns.nameserver-limit', 'info'), f('x.warn', 'warning'), symptom, root]);
    expect(sorted.map((x) => x.id)).toEqual([
      'kube-proxy.apiserver-unreachable',
      'coredns.api-unreachable',
      'x.warn',
      'dns.nameserver-limit',
    ]);
  });
});

describe('lower layers under DNS', () => {
  it('kube-dns without endpoints and no DNS finding points at a critical CNI finding', () => {
    expect(
      causes([at('dns', f('dns.service-no-endpoints')), at('cni', f('cni.flannel.subnet-env-missing'))])[
        'dns.service-no-endpoints'
      ],
    ).toBe('cni.flannel.subnet-env-missing');
  });

  it('a crashing CoreDNS is preferred over the CNI as the cause of missing endpoints', () => {
    expect(
      causes([
        at('cni', f('cni.flannel.subnet-env-missing')),
        at('dns', f('dns.service-no-endpoints')),
        at('dns', f('coredns.crashloop')),
      ])['dns.service-no-endpoints'],
    ).toBe('coredns.crashloop');
  });
});
