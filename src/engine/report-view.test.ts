import { describe, expect, it } from 'vitest';
import { option, step } from './findings.ts';
import type { ComponentName, ComponentReport, Finding, Report, Severity, Status } from './report.ts';
import {
  componentsForScope,
  componentsInScope,
  dedupeEvidence,
  nothingReadable,
  reportView,
  runbookView,
  sortComponents,
  verdict,
} from './report-view.ts';

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
    // Shown once: under its root cause, not again as a further finding.
    expect(view.furtherFindings.map((f) => f.finding.id)).not.toContain('coredns.pending');
    const symptom = view.failingFindings.find((f) => f.finding.id === 'coredns.pending')!;
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

describe('the verdict (exit code and its one sentence)', () => {
  it('0 only when every component was judged and none is critical', () => {
    expect(
      verdict(report([component('cni', 'ok', []), component('dns', 'warning', [finding('x.y', 'warning')])])),
    ).toEqual({ exitCode: 0 });
  });

  it('1 for a critical finding, even alongside an unknown component, which is still named', () => {
    const v = verdict(
      report([
        component('dns', 'critical', [finding('coredns.loop-detected')]),
        component('cni', 'unknown', [], ['cannot list nodes']),
      ]),
    );
    expect(v).toEqual({ exitCode: 1, sentence: 'cni on prod could not be judged: cannot list nodes' });
  });

  it('2 when nothing is critical but a component is unknown: which, and the first failed read', () => {
    const v = verdict(
      report([
        component('cni', 'unknown', [], ['cannot list nodes', 'cannot list pods']),
        component('kube-proxy', 'unknown', [], ['cannot list nodes']),
        component('dns', 'ok', []),
      ]),
    );
    expect(v).toEqual({
      exitCode: 2,
      sentence: 'cni, kube-proxy on prod could not be judged: cannot list nodes (and 2 more failed reads)',
    });
  });

  it('2 when nothing could be judged at all: "could not diagnose" and why', () => {
    const v = verdict(
      report([component('cni', 'unknown', [], ['timed out']), component('dns', 'unknown', [], ['timed out'])]),
    );
    expect(v).toEqual({ exitCode: 2, sentence: 'could not diagnose prod: timed out' });
  });
});

describe('runbooks: common steps, options, verification', () => {
  const runbook = [
    step('read the log', 'kubectl -n kube-system logs coredns-1 --previous'),
    ...option({ id: 'A', title: 'Fix the node resolver', recommended: true }, [
      step('fix kubelet', "sudo sed -i 's#a#b#' /var/lib/kubelet/config.yaml"),
    ]),
    ...option({ id: 'B', title: 'Pin upstreams' }, [
      step('edit the Corefile', 'kubectl -n kube-system edit cm coredns'),
    ]),
    step('verify', 'kubectl -n kube-system rollout status deploy/coredns'),
  ];

  it('splits the steps into what comes first, each option with its own steps, and the verification after them', () => {
    const view = runbookView(runbook);
    expect(view.before.map((s) => s.text)).toEqual(['read the log']);
    expect(view.options.map((o) => [o.option.id, o.steps.map((s) => s.text)])).toEqual([
      ['A', ['fix kubelet']],
      ['B', ['edit the Corefile']],
    ]);
    expect(view.after.map((s) => s.text)).toEqual(['verify']);
  });

  it('offers the recommended option first and treats a runbook without options as plain steps', () => {
    const recommendedLast = [
      ...option({ id: 'A', title: 'a' }, [step('a1')]),
      ...option({ id: 'B', title: 'b', recommended: true }, [step('b1')]),
    ];
    expect(runbookView(recommendedLast).options.map((o) => o.option.id)).toEqual(['B', 'A']);
    const plain = runbookView([step('one'), step('two')]);
    expect(plain).toEqual({ before: [step('one'), step('two')], options: [], after: [] });
  });

  it('puts the lead root cause, its key evidence and its first option on the first screen', () => {
    const root: Finding = { ...finding('coredns.loop-detected'), evidence: ['e1', 'e2', 'e3'], runbook };
    const view = reportView(
      report([component('dns', 'critical', [finding('coredns.crashloop', 'critical', 'coredns.loop-detected'), root])]),
    );
    expect(view.firstScreen.lead?.finding.id).toBe('coredns.loop-detected');
    expect(view.firstScreen.evidence).toEqual(['e1', 'e2']);
    expect(view.firstScreen.option?.id).toBe('A');
    expect(view.firstScreen.steps.map((s) => s.text)).toEqual(['fix kubelet']);
  });

  it('without options, shows the fix itself: from the backup before the first change to the last change', () => {
    const plain = [
      step('look', 'kubectl -n kube-system get pods'),
      step('back up', 'kubectl -n kube-system get ds kube-proxy -o yaml > kube-proxy-ds.bak.yaml'),
      step('patch', 'kubectl -n kube-system patch ds kube-proxy -p {}'),
      step('watch', 'kubectl -n kube-system get pods -w'),
    ];
    const root: Finding = { ...finding('kube-proxy.config-path-mismatch'), evidence: ['e'], runbook: plain };
    const screen = reportView(report([component('kube-proxy', 'critical', [root])])).firstScreen;
    expect(screen.option).toBeUndefined();
    expect(screen.stepsFrom).toBe(1);
    expect(screen.steps.map((s) => s.text)).toEqual(['back up', 'patch']);
  });

  it('has no lead on a healthy report', () => {
    const screen = reportView(report([component('dns', 'ok', [])])).firstScreen;
    expect(screen.lead).toBeUndefined();
    expect(screen.steps).toEqual([]);
  });
});

describe('a finding appears once', () => {
  it('a chain of consequences is listed under its root cause and none of it again as a further finding', () => {
    const view = reportView(
      report([
        component('cni', 'critical', [finding('cni.not-installed')]),
        component('dns', 'critical', [
          finding('coredns.pending', 'critical', 'cni.not-installed'),
          finding('dns.service-no-endpoints', 'critical', 'coredns.pending'),
          finding('dns.nameserver-limit', 'warning'),
        ]),
      ]),
    );
    expect(ids(view.rootCauses[0]!.explains)).toEqual(['coredns.pending', 'dns.service-no-endpoints']);
    expect(ids(view.furtherFindings)).toEqual(['dns.nameserver-limit']);
  });

  it('evidence lines an earlier finding quoted are left out of the later ones', () => {
    const a = { ...finding('a.one'), evidence: ['pod x: CrashLoopBackOff', 'log line'] };
    const b = { ...finding('b.two'), evidence: ['pod x: CrashLoopBackOff', 'event'] };
    const deduped = dedupeEvidence([a, b]);
    expect(deduped.get(a)).toEqual({ lines: ['pod x: CrashLoopBackOff', 'log line'], repeated: 0 });
    expect(deduped.get(b)).toEqual({ lines: ['event'], repeated: 1 });
  });
});
