// The catalogue is complete (every id a check can offer has a fix) and each fix plans exactly what the catalogue
// says: healthy cluster → no plan, broken cluster → this plan, guard → this refusal.
import { describe, expect, it } from 'vitest';
import { configMapOf, notReady, setLogs, withChanges } from '#test/fixtures/changes.ts';
import { COREDNS_PODS, kubeadmCalico, kubeadmCorefile } from '#test/fixtures/clusters.ts';
import { checkContext } from '#test/support/checks.ts';
import { scenarioReport } from '#test/support/scenario-reports.ts';
import type { Snapshot } from '../engine/check.ts';
import type { KubeObject } from '../engine/cluster-reader.ts';
import { MANUAL_REASONS } from '../engine/manual-reasons.ts';
import { allChecks } from '../engine/registry.ts';
import { REMEDIATION_IDS } from '../engine/remediation-ids.ts';
import type { Finding } from '../engine/report.ts';
import { objectKey } from './objects.ts';
import { planFix, REMEDIATIONS, remediationById, remediationFor, remediationsAnswering } from './registry.ts';
import type { Plan, PlanResult } from './types.ts';

const BUCKETS: Record<string, keyof Snapshot> = {
  configmaps: 'configMaps',
  serviceaccounts: 'serviceAccounts',
  services: 'services',
  pods: 'pods',
  deployments: 'deployments',
  daemonsets: 'daemonSets',
  clusterroles: 'clusterRoles',
  clusterrolebindings: 'clusterRoleBindings',
};

/** Diagnoses the snapshot with every check and plans the fix its finding offers, reading objects from it. */
function planFrom(snapshot: Snapshot, remediation: string, inputs?: Record<string, string[]>): PlanResult | undefined {
  const finding = allChecks
    .flatMap((c) => c.run(snapshot, checkContext()))
    .find((f) => f.remediation?.id === remediation);
  if (!finding) return undefined;
  const fix = remediationFor(finding);
  if (!fix) throw new Error(`${finding.id} offers ${remediation}, which does not answer it`);
  const objects: Record<string, KubeObject | null> = {};
  for (const r of fix.reads(finding)) {
    const bucket = (BUCKETS[r.resource] ? (snapshot[BUCKETS[r.resource]!] as KubeObject[]) : []) ?? [];
    objects[objectKey(r)] =
      bucket.find((o) => o.metadata.name === r.name && (o.metadata.namespace ?? '') === (r.namespace ?? '')) ?? null;
  }
  return planFix(fix, { finding, objects, ...(inputs ? { inputs } : {}) });
}

const summary = (plan: Plan) =>
  plan.changes.map((c) => `${c.verb} ${c.target.resource} ${c.target.namespace ?? ''}/${c.target.name}`);

function ok(result: PlanResult | undefined): Plan {
  expect(result?.ok, result && !result.ok ? result.reason : 'no finding offered the fix').toBe(true);
  return (result as { plan: Plan }).plan;
}

describe('the remediation catalogue', () => {
  it('implements every remediation id a check can offer, and nothing else', () => {
    const offered = new Set(allChecks.flatMap((c) => c.remediations));
    const missing = [...offered].filter((id) => !remediationById(id));
    expect(missing).toEqual([]);
    expect(REMEDIATIONS.map((r) => r.id).sort()).toEqual([...REMEDIATION_IDS].sort());
  });

  it('each remediation answers only finding ids that the checks offering it emit', () => {
    for (const r of REMEDIATIONS) {
      const emitters = allChecks.filter((c) => c.remediations.includes(r.id as never));
      const emitted = new Set(emitters.flatMap((c) => c.emits));
      expect(
        r.answers.filter((id) => !emitted.has(id)),
        r.id,
      ).toEqual([]);
    }
  });

  it('every plan a healthy cluster could produce is none: no finding, no fix', () => {
    // Every namespace has a `default` ServiceAccount in a real cluster; the fixture lists only the named ones.
    const healthy = withChanges(kubeadmCalico(), (s) => {
      s.serviceAccounts.push({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'default', namespace: 'kube-system' },
      });
    });
    for (const r of REMEDIATIONS) expect(planFrom(healthy, r.id), r.id).toBeUndefined();
  });

  it('a finding whose remediation does not answer its id gets no fix', () => {
    const f = { id: 'coredns.crashloop', remediation: { id: 'coredns.scale-up', title: 't' } } as Finding;
    expect(remediationFor(f)).toBeUndefined();
  });
});

const proxyCorefile = () =>
  withChanges(kubeadmCalico(), (s) => {
    const cm = configMapOf(s, 'kube-system', 'coredns');
    cm.data.Corefile = kubeadmCorefile().replace('forward . /etc/resolv.conf {', 'proxy . /etc/resolv.conf {');
    cm.metadata.resourceVersion = '4711';
  });

describe('fixes, from a broken fixture cluster', () => {
  it('coredns.replace-proxy-with-forward: patches the Corefile under its resourceVersion, then restarts CoreDNS', () => {
    const plan = ok(planFrom(proxyCorefile(), 'coredns.replace-proxy-with-forward'));
    expect(summary(plan)).toEqual(['patch configmaps kube-system/coredns', 'restart deployments kube-system/coredns']);
    const patch = plan.changes[0] as { body: { data: { Corefile: string } }; precondition: unknown };
    expect(patch.body.data.Corefile).toBe(kubeadmCorefile());
    expect(patch.precondition).toEqual({ resourceVersion: '4711' });
    expect(plan.clears).toEqual(['coredns.corefile-removed-plugin']);
    expect(plan.risk).toMatch(/\.$/);
  });

  it('coredns.remove-obsolete-option: deletes only the upstream line', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      configMapOf(s, 'kube-system', 'coredns').data.Corefile = kubeadmCorefile().replace(
        '       pods insecure\n',
        '       pods insecure\n       upstream\n',
      );
    });
    const plan = ok(planFrom(s, 'coredns.remove-obsolete-option'));
    expect((plan.changes[0] as { body: { data: { Corefile: string } } }).body.data.Corefile).toBe(kubeadmCorefile());
  });

  it('coredns.scale-up: scales to 2; refuses when an HPA owns the replicas', () => {
    const zero = withChanges(kubeadmCalico(), (s) => {
      s.deployments.find((d) => d.metadata.name === 'coredns')!.spec.replicas = 0;
    });
    const plan = ok(planFrom(zero, 'coredns.scale-up'));
    expect(summary(plan)).toEqual(['patch deployments kube-system/coredns']);
    expect((plan.changes[0] as { body: { spec: unknown } }).body.spec).toEqual({ replicas: 2 });

    const finding = allChecks.flatMap((c) => c.run(zero, checkContext())).find((f) => f.id === 'coredns.no-replicas')!;
    const fix = remediationById('coredns.scale-up')!;
    const deploy = zero.deployments.find((d) => d.metadata.name === 'coredns')!;
    const hpa = {
      metadata: { name: 'coredns', namespace: 'kube-system' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'coredns' } },
    };
    const refused = planFix(fix, {
      finding,
      objects: {
        'deployments/kube-system/coredns': deploy,
        'horizontalpodautoscalers/kube-system/coredns': hpa,
      },
    });
    expect(refused).toEqual({
      ok: false,
      reason:
        'HorizontalPodAutoscaler kube-system/coredns owns the replica count of kube-system/coredns; fix the HPA instead.',
    });
  });

  it('coredns.restore-rbac: adds the kubeadm rules to a ClusterRole that lost endpointslices', () => {
    const forbidden =
      '[INFO] plugin/kubernetes: failed to list *v1.EndpointSlice: endpointslices.discovery.k8s.io is forbidden: User "system:serviceaccount:kube-system:coredns" cannot list resource "endpointslices" in API group "discovery.k8s.io" at the cluster scope';
    const s = withChanges(kubeadmCalico(), (s) => {
      for (const p of COREDNS_PODS) {
        notReady(s, p, 'coredns');
        setLogs(s, 'kube-system', p, 'coredns', { current: `${forbidden}\n` });
      }
      s.clusterRoles[0]!.rules = [
        { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
      ];
    });
    const plan = ok(planFrom(s, 'coredns.restore-rbac'));
    expect(summary(plan)).toEqual(['patch clusterroles /system:coredns']);
  });

  it('dns.restore-service-ports: replaces the ports with the kubeadm three', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      const svc = s.services.find((x) => x.metadata.name === 'kube-dns')!;
      svc.spec.ports = [{ name: 'dns', port: 5353, protocol: 'UDP', targetPort: 53 }];
    });
    const plan = ok(planFrom(s, 'dns.restore-service-ports'));
    expect(summary(plan)).toEqual(['patch services kube-system/kube-dns']);
    expect((plan.changes[0] as { body: { spec: { ports: unknown[] } } }).body.spec.ports).toHaveLength(3);
  });

  it('coredns.forward-upstream: needs upstream IPs and refuses a loopback one', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      for (const p of s.pods.filter((p) => p.metadata.name.startsWith('coredns-'))) {
        p.status.containerStatuses = [
          { name: 'coredns', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } } },
        ];
        s.logs[`kube-system/${p.metadata.name}/coredns`] = {
          previous:
            '[FATAL] plugin/loop: Loop (127.0.0.1:55953 -> :53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting. Query: "HINFO 1.2."\n',
          current: '',
        };
      }
    });
    const none = planFrom(s, 'coredns.forward-upstream');
    expect(none).toEqual({ ok: false, reason: 'Upstream DNS resolvers (IP addresses): required.' });
    expect(planFrom(s, 'coredns.forward-upstream', { upstreams: ['127.0.0.53'] })).toMatchObject({ ok: false });
    const plan = ok(planFrom(s, 'coredns.forward-upstream', { upstreams: ['10.0.0.2', '10.0.0.3'] }));
    expect((plan.changes[0] as { body: { data: { Corefile: string } } }).body.data.Corefile).toContain(
      'forward . 10.0.0.2 10.0.0.3 {',
    );
  });
});

describe('Corefile guard', () => {
  it('refuses to rewrite a Corefile whose ConfigMap changed since the diagnosis', () => {
    const s = proxyCorefile();
    const finding = allChecks
      .flatMap((c) => c.run(s, checkContext()))
      .find((f) => f.id === 'coredns.corefile-removed-plugin')!;
    const seen = {
      ...finding,
      remediation: {
        ...finding.remediation!,
        params: { ...finding.remediation!.params, configMapResourceVersion: '4711' },
      },
    };
    const cm = {
      ...configMapOf(s, 'kube-system', 'coredns'),
      metadata: { ...configMapOf(s, 'kube-system', 'coredns').metadata, resourceVersion: '4712' },
    };
    const deploy = s.deployments.find((d) => d.metadata.name === 'coredns')!;
    const result = planFix(remediationById('coredns.replace-proxy-with-forward')!, {
      finding: seen,
      objects: { 'configmaps/kube-system/coredns': cm, 'deployments/kube-system/coredns': deploy },
    });
    expect(result).toEqual({
      ok: false,
      reason: 'ConfigMap kube-system/coredns changed since the diagnosis; run the check again before fixing it.',
    });
  });
});

describe('every finding id has a remediation safety class', () => {
  const docs = allChecks.flatMap((c) => c.emits.map((id) => ({ id, check: c.name, doc: c.describe[id] })));

  it('names it in its check metadata, once', () => {
    expect(docs.filter((d) => !d.doc?.safety).map((d) => d.id)).toEqual([]);
    expect(new Set(docs.map((d) => d.id)).size).toBe(docs.length);
  });

  it('an automatable class has an implemented fix answering it, or says why not', () => {
    const missing = docs.filter(
      (d) => d.doc?.safety !== 'manual' && remediationsAnswering(d.id).length === 0 && !d.doc?.notAutomated?.trim(),
    );
    expect(missing.map((d) => d.id)).toEqual([]);
    // A stated reason is not left behind once a fix exists.
    const stale = docs.filter((d) => d.doc?.notAutomated && remediationsAnswering(d.id).length > 0);
    expect(stale.map((d) => d.id)).toEqual([]);
  });

  it('a MANUAL finding says why there is no Fix button, in its runbook, in English and Korean', () => {
    expect(docs.filter((d) => d.doc?.safety === 'manual' && !d.doc.manual).map((d) => d.id)).toEqual([]);
    for (const reason of Object.values(MANUAL_REASONS)) {
      expect(reason.en).toMatch(/^No Fix button: /);
      expect(reason.ko).toMatch(/^Fix 버튼이 없는 이유: /);
    }
  });

  it('a diagnosis of a MANUAL finding ends its runbook with that reason; a fixable one does not', async () => {
    for (const lang of ['en', 'ko'] as const) {
      const report = await scenarioReport('kube-proxy-daemonset-missing', lang);
      const findings = report.components.flatMap((c) => c.findings);
      const missing = findings.find((f) => f.id === 'kube-proxy.daemonset-missing');
      expect(missing?.runbook.at(-1)?.text).toBe(MANUAL_REASONS.intent[lang]);
    }
    const fixable = (await scenarioReport('kube-proxy-invalid-mode')).components.flatMap((c) => c.findings);
    for (const f of fixable) expect(f.runbook.at(-1)?.text).not.toMatch(/^No Fix button/);
  });
});
