// Running-but-failing DNS pods: SELinux/old Docker bind denials, upstream timeouts, and the generic fallbacks.
import { describe, expect, it } from 'vitest';
import { crashLoop, notReady, setLogs, withChanges } from '#test/fixtures/changes.ts';
import { COREDNS_PODS, event, gkeKubeDns, kubeadmCalico } from '#test/fixtures/clusters.ts';
import { commands, expectFinding, runCheck } from '#test/support/checks.ts';
import { crashloopCheck } from './crashloop.ts';
import { permissionDeniedCheck } from './permission-denied.ts';
import { upstreamUnreachableCheck } from './upstream-unreachable.ts';

const [POD, POD2] = COREDNS_PODS as [string, string];

describe('coredns.permission-denied', () => {
  it('reports the bind denial and gives the guide’s allowPrivilegeEscalation command', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      for (const p of COREDNS_PODS) {
        crashLoop(s, p, 'coredns', 5);
        setLogs(s, 'kube-system', p, 'coredns', { previous: 'Listen: listen tcp :53: bind: permission denied\n' });
      }
    });
    const f = expectFinding(permissionDeniedCheck, s, 'coredns.permission-denied');
    expect(f.severity).toBe('critical');
    expect(f.evidence).toContain('Listen: listen tcp :53: bind: permission denied');
    expect(commands(f)).toContain(
      "kubectl -n kube-system get deployment coredns -o yaml | sed 's/allowPrivilegeEscalation: false/allowPrivilegeEscalation: true/g' | kubectl apply -f -",
    );
    expect(f.runbook.some((st) => /SELinux/.test(st.text))).toBe(true);
    // The generic crash-loop fallback stays quiet: the cause is known.
    expect(runCheck(crashloopCheck, s)).toEqual([]);
  });
});

describe('coredns.upstream-unreachable', () => {
  it('warns when a Running CoreDNS times out forwarding to its upstream', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      setLogs(s, 'kube-system', POD, 'coredns', {
        current: '[ERROR] plugin/errors: 2 example.com. A: read udp 10.244.1.2:38502->10.0.0.2:53: i/o timeout\n',
      });
    });
    const f = expectFinding(upstreamUnreachableCheck, s, 'coredns.upstream-unreachable');
    expect(f.severity).toBe('warning');
    expect(f.detail).toContain('10.0.0.2');
    expect(f.evidence).toContain('Corefile:13  forward . /etc/resolv.conf {');
    expect(commands(f)).toContain('nslookup example.com 10.0.0.2');
  });

  it('is silent for healthy logs and for kube-dns', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      setLogs(s, 'kube-system', POD, 'coredns', { current: '.:53\nCoreDNS-1.11.3\nlinux/amd64, go1.21.11\n' });
    });
    expect(runCheck(upstreamUnreachableCheck, s)).toEqual([]);
    expect(runCheck(upstreamUnreachableCheck, gkeKubeDns())).toEqual([]);
  });
});

describe('coredns.crashloop / coredns.not-ready (fallbacks)', () => {
  it('quotes the last log lines of a crash it does not recognise', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      crashLoop(s, POD, 'coredns', 7);
      setLogs(s, 'kube-system', POD, 'coredns', {
        previous: '.:53\npanic: runtime error: invalid memory address or nil pointer dereference\n',
      });
    });
    const f = expectFinding(crashloopCheck, s, 'coredns.crashloop');
    expect(f.severity).toBe('warning'); // the second replica still serves
    expect(f.evidence).toContain(`${POD} 0/1 CrashLoopBackOff (restarts 7) on worker-1`);
    expect(f.evidence).toContain('panic: runtime error: invalid memory address or nil pointer dereference');
    expect(commands(f)).toContain(`kubectl -n kube-system logs ${POD} -c coredns --previous`);
  });

  it('checks GKE kube-dns pods generically, without looking for a Corefile', () => {
    const s = withChanges(gkeKubeDns(), (s) => {
      crashLoop(s, s.pods[0]!.metadata.name, 'kubedns', 4);
      crashLoop(s, s.pods[1]!.metadata.name, 'kubedns', 4);
    });
    const name = s.pods[0]!.metadata.name;
    const f = expectFinding(crashloopCheck, s, 'coredns.crashloop');
    expect(f.severity).toBe('critical');
    expect(commands(f)).toContain(`kubectl -n kube-system logs ${name} -c kubedns --previous`);
    expect(commands(f)).toContain('-c dnsmasq');
    expect(commands(f)).not.toContain('Corefile');
  });

  it('reads the container that crashes (dnsmasq in kube-dns)', () => {
    const name = gkeKubeDns().pods[0]!.metadata.name;
    const s = withChanges(gkeKubeDns(), (s) => {
      crashLoop(s, name, 'dnsmasq', 3);
      setLogs(s, 'kube-system', name, 'dnsmasq', {
        previous: 'dnsmasq: failed to create listening socket for port 53: Address in use\n',
      });
    });
    const f = expectFinding(crashloopCheck, s, 'coredns.crashloop');
    expect(f.evidence).toContain('dnsmasq: failed to create listening socket for port 53: Address in use');
    expect(commands(f)).toContain(`kubectl -n kube-system logs ${name} -c dnsmasq --previous`);
    expect(commands(f)).toContain(`kubectl -n kube-system logs ${name} -c kubedns --previous`);
  });

  it('reports Running pods that fail readiness for an unknown reason', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      notReady(s, POD2, 'coredns');
      s.events.push(
        event({
          reason: 'Unhealthy',
          name: POD2,
          message: 'Readiness probe failed: Get "http://10.244.2.3:8181/ready": context deadline exceeded',
          count: 30,
        }),
      );
    });
    const f = expectFinding(crashloopCheck, s, 'coredns.not-ready');
    expect(f.evidence).toContain(`${POD2} 0/1 Running on worker-2`);
  });

  it('is silent for healthy CoreDNS and kube-dns, and for a pod only starting up', () => {
    expect(runCheck(crashloopCheck, kubeadmCalico())).toEqual([]);
    expect(runCheck(crashloopCheck, gkeKubeDns())).toEqual([]);
    const s = withChanges(kubeadmCalico(), (s) => {
      notReady(s, POD, 'coredns');
      setLogs(s, 'kube-system', POD, 'coredns', { current: '[INFO] plugin/ready: Still waiting on: "kubernetes"\n' });
    });
    expect(runCheck(crashloopCheck, s)).toEqual([]);
  });
});
