import { describe, expect, it } from 'vitest';
import { notReady, setLogs, withChanges } from '#test/fixtures/changes.ts';
import { COREDNS_PODS, event, kubeadmCalico } from '#test/fixtures/clusters.ts';
import { commands, expectFinding, runCheck } from '#test/support/checks.ts';
import { apiUnreachableCheck } from './api-unreachable.ts';
import { rbacCheck } from './rbac.ts';

const [POD, POD2] = COREDNS_PODS as [string, string];
const FORBIDDEN =
  '[INFO] plugin/kubernetes: pkg/mod/k8s.io/client-go@v0.29.0/tools/cache/reflector.go:229: failed to list *v1.EndpointSlice: endpointslices.discovery.k8s.io is forbidden: User "system:serviceaccount:kube-system:coredns" cannot list resource "endpointslices" in API group "discovery.k8s.io" at the cluster scope';
const WAITING = '[INFO] plugin/ready: Still waiting on: "kubernetes"';
const TIMEOUT =
  '[ERROR] plugin/kubernetes: pkg/mod/k8s.io/client-go@v0.29.0/tools/cache/reflector.go:229: Failed to watch *v1.Namespace: failed to list *v1.Namespace: Get "https://10.96.0.1:443/api/v1/namespaces?limit=500&resourceVersion=0": dial tcp 10.96.0.1:443: i/o timeout';

function unreadyWith(log: string) {
  return withChanges(kubeadmCalico(), (s) => {
    for (const p of COREDNS_PODS) {
      notReady(s, p, 'coredns');
      setLogs(s, 'kube-system', p, 'coredns', { current: log });
    }
  });
}

describe('coredns.rbac-forbidden', () => {
  it('reports a ClusterRole without endpointslices and the forbidden log line, with the kubeadm RBAC restore', () => {
    const s = withChanges(unreadyWith(`${FORBIDDEN}\n${WAITING}\n`), (s) => {
      s.clusterRoles[0]!.rules = [
        { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
      ];
    });
    const f = expectFinding(rbacCheck, s, 'coredns.rbac-forbidden');
    expect(f.severity).toBe('critical');
    expect(f.evidence).toContain(`${POD} 0/1 Running on worker-1`);
    expect(
      f.evidence.some((e) =>
        e.includes('endpointslices.discovery.k8s.io is forbidden: User "system:serviceaccount:kube-system:coredns"'),
      ),
    ).toBe(true);
    expect(f.evidence).toContain('clusterrole/system:coredns lacks list/watch on endpointslices.discovery.k8s.io');
    expect(f.remediation?.id).toBe('coredns.restore-rbac');
    expect(commands(f)).toContain('--serviceaccount=kube-system:coredns');
    expect(commands(f)).toContain('endpointslices.discovery.k8s.io');
  });

  it('reports a deleted ClusterRoleBinding only when the API said 404', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      s.clusterRoleBindings = [];
    });
    expect(runCheck(rbacCheck, s)).toEqual([]); // not collected is not "deleted"
    const deleted = withChanges(s, (s) => {
      s.absent = ['clusterrolebindings//system:coredns'];
    });
    const f = expectFinding(rbacCheck, deleted, 'coredns.rbac-forbidden');
    expect(f.evidence).toContain('clusterrolebinding/system:coredns not found');
    expect(f.severity).toBe('warning'); // pods still Ready: not broken yet
  });

  it('reports a binding to the wrong ServiceAccount', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      s.clusterRoleBindings[0]!.subjects = [{ kind: 'ServiceAccount', name: 'kube-dns', namespace: 'kube-system' }];
    });
    const f = expectFinding(rbacCheck, s, 'coredns.rbac-forbidden');
    expect(f.detail).toContain('does not bind serviceaccount kube-system/coredns');
  });

  it('accepts the kubeadm RBAC and wildcard rules', () => {
    expect(runCheck(rbacCheck, kubeadmCalico())).toEqual([]);
    const s = withChanges(kubeadmCalico(), (s) => {
      s.clusterRoles[0]!.rules = [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];
    });
    expect(runCheck(rbacCheck, s)).toEqual([]);
  });
});

describe('coredns.api-unreachable', () => {
  it('reports Running 0/1 pods whose log shows API i/o timeouts to the kubernetes Service', () => {
    const s = unreadyWith(`${WAITING}\n${TIMEOUT}\n`);
    const f = expectFinding(apiUnreachableCheck, s, 'coredns.api-unreachable');
    expect(f.severity).toBe('critical');
    expect(f.detail).toContain('10.96.0.1:443');
    expect(f.evidence).toContain(`${POD2} 0/1 Running on worker-2`);
    expect(f.evidence.some((e) => e.includes('dial tcp 10.96.0.1:443: i/o timeout'))).toBe(true);
    expect(commands(f)).toContain(`kubectl -n kube-system logs ${POD} -c coredns`);
    expect(f.remediation).toBeUndefined();
  });

  it('does not claim the API is unreachable from persistent "Still waiting" lines and 503 probes alone: it needs a failed list or watch', () => {
    const s = withChanges(unreadyWith(`${WAITING}\n${WAITING}\n${WAITING}\n${WAITING}\n`), (s) => {
      s.events.push(
        event({
          reason: 'Unhealthy',
          name: POD,
          message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
          count: 12,
        }),
      );
    });
    expect(runCheck(apiUnreachableCheck, s)).toEqual([]);
  });

  it('quotes the failed watch and the failing readiness probe together', () => {
    const s = withChanges(unreadyWith(`${WAITING}\n${TIMEOUT}\n`), (s) => {
      s.events.push(
        event({
          reason: 'Unhealthy',
          name: POD,
          message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
          count: 12,
        }),
      );
    });
    const f = expectFinding(apiUnreachableCheck, s, 'coredns.api-unreachable');
    expect(f.evidence.some((e) => e.includes('Failed to watch *v1.Namespace'))).toBe(true);
    expect(f.evidence.some((e) => e.startsWith(`Warning Unhealthy pod/${POD} (x12): Readiness probe failed`))).toBe(
      true,
    );
  });

  it('ignores startup waiting on a Ready pod, and a single early waiting line (trap.coredns-startup-waiting)', () => {
    const ready = withChanges(kubeadmCalico(), (ready) => {
      setLogs(ready, 'kube-system', POD, 'coredns', { current: `${WAITING}\n${WAITING}\n${WAITING}\n${WAITING}\n` });
    });
    expect(runCheck(apiUnreachableCheck, ready)).toEqual([]);
    expect(runCheck(apiUnreachableCheck, unreadyWith(`${WAITING}\n`))).toEqual([]);
  });

  it('leaves permission problems to coredns.rbac-forbidden', () => {
    expect(runCheck(apiUnreachableCheck, unreadyWith(`${FORBIDDEN}\n${WAITING}\n${WAITING}\n${WAITING}\n`))).toEqual(
      [],
    );
  });
});
