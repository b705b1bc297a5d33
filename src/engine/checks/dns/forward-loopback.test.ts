import { describe, expect, it } from 'vitest';
import { configMapOf, withChanges } from '#test/fixtures/changes.ts';
import { kubeadmCalico, kubeadmCorefile } from '#test/fixtures/clusters.ts';
import { expectFinding, runCheck } from '#test/support/checks.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { forwardLoopbackCheck } from './forward-loopback.ts';

function withForward(target: string, extra: (s: ReturnType<typeof kubeadmCalico>) => void = () => {}) {
  return withChanges(kubeadmCalico(), (s) => {
    configMapOf(s, 'kube-system', 'coredns').data.Corefile = kubeadmCorefile().replace(
      'forward . /etc/resolv.conf',
      `forward . ${target}`,
    );
    extra(s);
  });
}

const nodeLocal: KubeObject = {
  kind: 'DaemonSet',
  metadata: { name: 'node-local-dns', namespace: 'kube-system', labels: { 'k8s-app': 'node-local-dns' } },
  spec: {
    template: {
      metadata: { labels: { 'k8s-app': 'node-local-dns' } },
      spec: { containers: [{ name: 'node-cache', args: ['-localip', '169.254.20.10', '-conf', '/etc/Corefile'] }] },
    },
  },
};

describe('coredns.forward-loopback', () => {
  it('reports a static forward to a loopback address, quoting the Corefile line', () => {
    const f = expectFinding(forwardLoopbackCheck, withForward('127.0.0.1'), 'coredns.forward-loopback');
    expect(f.severity).toBe('critical');
    expect(f.evidence.some((e) => /^Corefile:\d+ {2}forward \. 127\.0\.0\.1/.test(e))).toBe(true);
  });

  it('reports a link-local forward that is not NodeLocal DNSCache, and ::1 with a port', () => {
    expectFinding(forwardLoopbackCheck, withForward('169.254.169.253'), 'coredns.forward-loopback');
    expectFinding(forwardLoopbackCheck, withForward('[::1]:5353'), 'coredns.forward-loopback');
  });

  it('leaves /etc/resolv.conf, real resolvers and the NodeLocal DNSCache address alone', () => {
    expect(runCheck(forwardLoopbackCheck, kubeadmCalico())).toEqual([]);
    expect(runCheck(forwardLoopbackCheck, withForward('8.8.8.8 1.1.1.1'))).toEqual([]);
    expect(
      runCheck(
        forwardLoopbackCheck,
        withForward('169.254.20.10', (s) => s.daemonSets.push(nodeLocal)),
      ),
    ).toEqual([]);
  });
});
