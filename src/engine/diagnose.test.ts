import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clusterOf, FakeReader } from '#test/fakes/cluster-reader.ts';
import { crashAll, proxyDs, withChanges } from '#test/fixtures/changes.ts';
import { kubeadmProxyCluster } from '#test/fixtures/kube-proxy.ts';
import type { Check } from './check.ts';
import { proxyChecks } from './checks/kube-proxy/index.ts';
import { componentStatus, diagnose, worstStatus } from './diagnose.ts';
import { allChecks } from './registry.ts';
import { type Finding, Report, reportJsonSchema, type Severity } from './report.ts';

const cluster = { name: 'lab', server: 'https://127.0.0.1:6443' };

function finding(id: string, severity: Severity = 'critical'): Finding {
  return { id, severity, title: `title of ${id}`, detail: 'd', evidence: [`evidence of ${id}`], runbook: [] };
}

function fixed(component: Check['component'], ...findings: Finding[]): Check {
  return {
    name: `fixed-${component}-${findings.map((f) => f.id).join('+')}`,
    component,
    emits: findings.map((f) => f.id),
    run: () => structuredClone(findings),
  };
}

function reader() {
  return new FakeReader(clusterOf(kubeadmProxyCluster()), kubeadmProxyCluster().logs);
}

describe('status rules', () => {
  it('component status is the worst severity; info never raises it; unknown only without a critical', () => {
    expect(componentStatus([], false)).toBe('ok');
    expect(componentStatus([finding('a.b', 'info')], false)).toBe('ok');
    expect(componentStatus([finding('a.b', 'warning')], false)).toBe('warning');
    expect(componentStatus([finding('a.b', 'warning')], true)).toBe('unknown');
    expect(componentStatus([finding('a.b', 'critical')], true)).toBe('critical');
  });

  it('report status orders critical > unknown > warning > ok', () => {
    expect(worstStatus(['ok', 'warning'])).toBe('warning');
    expect(worstStatus(['warning', 'unknown'])).toBe('unknown');
    expect(worstStatus(['unknown', 'critical', 'ok'])).toBe('critical');
    expect(worstStatus([])).toBe('ok');
  });
});

describe('diagnose', () => {
  it('produces a schema-valid report with request count, timing and fingerprint', async () => {
    const r = reader();
    let t = 1_764_224_000_000;
    const report = await diagnose(r, { scope: 'all', cluster, checks: [], now: () => (t += 250) });
    expect(Report.safeParse(report).success).toBe(true);
    expect(report.startedAt).toBe(new Date(1_764_224_000_250).toISOString());
    expect(report.durationMs).toBe(250);
    expect(report.requests).toBe(r.requestCount);
    expect(report.requests).toBeGreaterThan(20);
    expect(report.cluster).toEqual({ ...cluster, flavor: 'kubeadm', cni: 'calico' });
    expect(report.components.map((c) => [c.component, c.status])).toEqual([
      ['cni', 'ok'],
      ['kube-proxy', 'ok'],
      ['dns', 'ok'],
    ]);
    expect(report.components[1]!.detected).toBe(
      'kube-proxy (DaemonSet kube-system/kube-proxy, 3/3 ready, mode iptables (default))',
    );
  });

  it('scope proxy reports only the kube-proxy component', async () => {
    const report = await diagnose(reader(), {
      scope: 'proxy',
      cluster,
      checks: [fixed('dns', finding('coredns.loop-detected'))],
    });
    expect(report.components.map((c) => c.component)).toEqual(['kube-proxy']);
    expect(report.status).toBe('ok');
  });

  it('scope dns brings in the lower layer only when it holds the cause', async () => {
    const checks = [
      fixed('dns', finding('coredns.api-unreachable')),
      fixed('kube-proxy', finding('kube-proxy.apiserver-unreachable')),
    ];
    const report = await diagnose(reader(), { scope: 'dns', cluster, checks });
    expect(report.components.map((c) => c.component)).toEqual(['kube-proxy', 'dns']);
    const dns = report.components[1]!;
    expect(dns.findings[0]!.causedBy).toBe('kube-proxy.apiserver-unreachable');
    expect(dns.summary).toBe(
      'title of coredns.api-unreachable, caused by kube-proxy: title of kube-proxy.apiserver-unreachable',
    );

    const unrelated = await diagnose(reader(), {
      scope: 'dns',
      cluster,
      checks: [
        fixed('dns', finding('coredns.loop-detected')),
        fixed('kube-proxy', finding('kube-proxy.apiserver-unreachable')),
      ],
    });
    expect(unrelated.components.map((c) => c.component)).toEqual(['dns']);
  });

  it('leads with the root cause across components', async () => {
    const checks = [fixed('dns', finding('coredns.pending')), fixed('cni', finding('cni.not-installed'))];
    const report = await diagnose(reader(), { scope: 'all', cluster, checks });
    expect(report.components[0]!.component).toBe('cni');
    expect(report.status).toBe('critical');
  });

  it('an unreachable cluster gives unknown everywhere, no findings, and no log calls', async () => {
    const { ClusterError } = await import('./cluster-reader.ts');
    const r = reader();
    r.failWith = (call) =>
      new ClusterError({
        kind: 'unreachable',
        message: 'ECONNREFUSED',
        verb: call.verb,
        resource: call.resource,
        namespace: call.namespace,
      });
    const report = await diagnose(r, { scope: 'all', cluster, checks: proxyChecks });
    expect(report.status).toBe('unknown');
    expect(report.components.every((c) => c.status === 'unknown' && c.findings.length === 0)).toBe(true);
    expect(report.components[0]!.errors).toContain('could not reach the API server to list nodes: ECONNREFUSED');
    expect(r.calls.some((c) => c.verb === 'logs')).toBe(false);
  });

  it('a check that throws is reported, and the others still run', async () => {
    const boom: Check = {
      name: 'boom',
      component: 'kube-proxy',
      emits: [],
      run: () => {
        throw new Error('kaput');
      },
    };
    const report = await diagnose(reader(), {
      scope: 'proxy',
      cluster,
      checks: [boom, fixed('kube-proxy', finding('kube-proxy.crashloop', 'warning'))],
    });
    const proxy = report.components[0]!;
    expect(proxy.status).toBe('unknown');
    expect(proxy.errors).toEqual(['check boom failed: kaput']);
    expect(proxy.findings.map((f) => f.id)).toEqual(['kube-proxy.crashloop']);
  });

  it('runs the real kube-proxy checks end to end: config-path mismatch, fallback dropped, Korean', async () => {
    const broken = withChanges(kubeadmProxyCluster(), (s) => {
      proxyDs(s).spec.template.spec.containers[0].command[1] = '--config=/var/lib/kube-proxy/configuration.conf';
      crashAll(
        s,
        'E1127 06:15:20.635373       1 run.go:74] "command failed" err="failed complete: open /var/lib/kube-proxy/configuration.conf: no such file or directory"',
      );
    });
    const r = new FakeReader(clusterOf(broken), broken.logs);
    const report = await diagnose(r, { scope: 'proxy', lang: 'ko', cluster, checks: proxyChecks });
    const proxy = report.components[0]!;
    expect(proxy.findings.map((f) => f.id)).toEqual(['kube-proxy.config-path-mismatch']);
    expect(proxy.summary).toBe('kube-proxy --config가 존재하지 않는 파일을 가리킴');
    expect(
      proxy.findings[0]!.evidence.some((e) =>
        e.includes('failed complete: open /var/lib/kube-proxy/configuration.conf'),
      ),
    ).toBe(true);
    expect(report.lang).toBe('ko');
  });

  it('the registry holds the kube-proxy checks', () => {
    for (const check of proxyChecks) expect(allChecks).toContain(check);
  });
});

describe('JSON Schema', () => {
  it('schema/report.schema.json matches the zod contract (regenerate: node bin/netcheck.js schema > schema/report.schema.json)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(reportJsonSchema());
  });
});
