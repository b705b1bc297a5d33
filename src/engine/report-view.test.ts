import { describe, expect, it } from 'vitest';
import type { ComponentName, ComponentReport, Finding, Report, Severity, Status } from './report.ts';
import { componentsForScope, componentsInScope, nothingReadable, reportView, sortComponents } from './report-view.ts';

const finding = (id: string, severity: Severity = 'critical', causedBy?: string): Finding => ({
  id,
  severity,
  title: `title of ${id}`,
  detail: `detail of ${id}`,
  evidence: [],
  runbook: [],
  ...(causedBy ? { causedBy } : {}),
});

const component = (name: ComponentName, status: Status, findings: Finding[], errors?: string[]): ComponentReport => ({
  component: name,
  status,
  summary: '',
  detected: '',
  findings,
  ...(errors ? { errors } : {}),
});

const report = (components: ComponentReport[]): Report => ({
  schemaVersion: 2,
  cluster: { name: 'prod', server: 'https://127.0.0.1:6443', flavor: 'kubeadm', cni: 'calico' },
  scope: 'all',
  lang: 'en',
  startedAt: '2026-11-27T06:40:00.000Z',
  durationMs: 1,
  status: 'critical',
  components,
  requests: 1,
});

const ids = (views: { finding: Finding }[]) => views.map((v) => v.finding.id);

describe('scope to components', () => {
  it('dns reports on DNS alone but checks every layer that can be its root cause', () => {
    expect(componentsInScope('dns')).toEqual(['dns']);
    expect(componentsForScope('dns')).toEqual(['cni', 'kube-proxy', 'dns']);
  });

  it('cni and proxy look at their own component; all looks at every layer, bottom up', () => {
    expect(componentsForScope('cni')).toEqual(['cni']);
    expect(componentsForScope('proxy')).toEqual(['kube-proxy']);
    expect(componentsInScope('all')).toEqual(['cni', 'kube-proxy', 'dns']);
  });
});

describe('the report view', () => {
  it('puts root causes first, then other roots, then symptoms, by severity within each', () => {
    const view = reportView(
      report([
        component('dns', 'critical', [
          finding('coredns.api-unreachable', 'critical', 'kube-proxy.apiserver-unreachable'),
          finding('dns.nameserver-limit', 'info'),
          finding('coredns.upstream-unreachable', 'warning'),
        ]),
        component('kube-proxy', 'critical', [finding('kube-proxy.apiserver-unreachable')]),
      ]),
    );
    expect(ids(view.components[0]!.findings)).toEqual([
      'coredns.upstream-unreachable',
      'dns.nameserver-limit',
      'coredns.api-unreachable',
    ]);
    expect(view.failing.map((c) => c.report.component)).toEqual(['kube-proxy', 'dns']);
  });

  it('links each root cause to what it caused, across components', () => {
    const view = reportView(
      report([
        component('dns', 'critical', [finding('coredns.pending', 'critical', 'cni.not-installed')]),
        component('cni', 'critical', [finding('cni.not-installed')]),
      ]),
    );
    expect(ids(view.rootCauses)).toEqual(['cni.not-installed']);
    expect(view.rootCauses[0]!.consequences).toEqual([
      { component: 'dns', finding: expect.objectContaining({ id: 'coredns.pending' }) },
    ]);
    const symptom = view.furtherFindings.find((f) => f.finding.id === 'coredns.pending')!;
    expect(symptom.isRoot).toBe(false);
    expect(symptom.cause).toEqual({ component: 'cni', finding: expect.objectContaining({ id: 'cni.not-installed' }) });
  });

  it('treats a finding whose cause is not in the report as a root of its own', () => {
    const view = reportView(
      report([component('dns', 'critical', [finding('coredns.pending', 'critical', 'cni.not-installed')])]),
    );
    const [only] = view.failingFindings;
    expect(only).toMatchObject({ isRoot: true, isRootCause: false, consequences: [] });
    expect(only!.cause).toBeUndefined();
  });

  it('leaves healthy components out of the failing ones', () => {
    const view = reportView(
      report([component('cni', 'ok', []), component('dns', 'warning', [finding('x.y', 'warning')])]),
    );
    expect(view.components.map((c) => c.report.component)).toEqual(['cni', 'dns']);
    expect(view.failing.map((c) => c.report.component)).toEqual(['dns']);
  });
});

describe('nothing readable', () => {
  it('is the first error when every component is unknown and nothing was found', () => {
    const blind = report([
      component('cni', 'unknown', [], ['list nodes: forbidden']),
      component('dns', 'unknown', [], ['list pods: forbidden']),
    ]);
    expect(nothingReadable(blind)).toBe('list nodes: forbidden');
    expect(reportView(blind).nothingReadable).toBe('list nodes: forbidden');
  });

  it('is undefined as soon as one component could be judged or one finding was made', () => {
    expect(
      nothingReadable(report([component('cni', 'unknown', [], ['e']), component('dns', 'ok', [])])),
    ).toBeUndefined();
    expect(
      nothingReadable(report([component('dns', 'unknown', [finding('coredns.pending', 'warning')], ['e'])])),
    ).toBeUndefined();
    expect(reportView(report([component('dns', 'ok', [])])).nothingReadable).toBeUndefined();
  });
});

describe('the report order', () => {
  it('leads with the component holding a root cause, then by status, then bottom layer first', () => {
    const sorted = sortComponents([
      component('dns', 'critical', [finding('coredns.pending', 'critical', 'cni.not-installed')]),
      component('kube-proxy', 'warning', [finding('kube-proxy.cluster-cidr-mismatch', 'warning')]),
      component('cni', 'critical', [finding('cni.not-installed')]),
    ]);
    expect(sorted.map((c) => c.component)).toEqual(['cni', 'dns', 'kube-proxy']);
  });
});
