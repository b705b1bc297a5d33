// The kube-dns Service and what kubelet hands to pods (nameserver IP, cluster domain).
import { describe, expect, it } from 'vitest';
import { configMapOf, withChanges } from '#test/fixtures/changes.ts';
import {
  COREDNS_PODS,
  eks,
  event,
  gkeKubeDns,
  k3s,
  kubeadmCalico,
  kubeadmCorefile,
  kubeDnsEndpointSlice,
  kubeletConfig,
} from '#test/fixtures/clusters.ts';
import { commands, expectFinding, runCheck } from '#test/support/checks.ts';
import { clusterMismatchCheck } from './cluster-mismatch.ts';
import { nameserverLimitCheck } from './nameserver-limit.ts';
import { serviceCheck } from './service.ts';

describe('dns.service-*', () => {
  it('reports a deleted kube-dns Service and re-creates it at kubelet clusterDNS', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      s.services = [];
    });
    const f = expectFinding(serviceCheck, s, 'dns.service-missing');
    expect(f.detail).toContain('10.96.0.10');
    expect(f.remediation?.id).toBe('dns.restore-service');
    expect(commands(f)).toContain('clusterIP: 10.96.0.10');
    expect(commands(f)).toContain('kubectl -n kube-system get svc kube-dns');
  });

  it('reports a selector that no longer matches the CoreDNS pods, naming both label sets', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      s.services[0]!.spec.selector = { 'k8s-app': 'coredns' };
      s.endpointSlices = [kubeDnsEndpointSlice([])];
    });
    const f = expectFinding(serviceCheck, s, 'dns.service-no-endpoints');
    expect(f.detail).toContain('selects k8s-app=coredns');
    expect(f.detail).toContain('labelled k8s-app=kube-dns');
    expect(f.evidence).toContain('kubectl -n kube-system get ep kube-dns → <none>');
    expect(f.remediation?.id).toBe('dns.restore-service-selector');
    expect(commands(f)).toContain(
      `kubectl -n kube-system patch svc kube-dns --type=json -p '[{"op":"replace","path":"/spec/selector","value":{"k8s-app":"kube-dns"}}]'`,
    );
    expect(commands(f)).toContain('kubectl -n kube-system get ep kube-dns');
  });

  it('says the selector is right when no CoreDNS pod is Ready, and offers no selector fix', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      s.endpointSlices = [kubeDnsEndpointSlice(['10.244.1.2'], false)];
    });
    const f = expectFinding(serviceCheck, s, 'dns.service-no-endpoints');
    expect(f.detail).toContain('none of them is Ready');
    expect(f.remediation).toBeUndefined();
  });

  it('reports ports edited away from 53', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      s.services[0]!.spec.ports = [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ];
    });
    const f = expectFinding(serviceCheck, s, 'dns.service-port-mismatch');
    expect(f.evidence).toContain('53/UDP targets 5353');
    expect(f.evidence).toContain('no port 53/TCP');
    expect(f.remediation?.id).toBe('dns.restore-service-ports');
    expect(commands(f)).toContain('"targetPort":53');
  });

  it('accepts named target ports that resolve to 53, and the healthy shapes of kubeadm, k3s, EKS and GKE', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      s.services[0]!.spec.ports = [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 'dns-tcp' },
      ];
    });
    expect(runCheck(serviceCheck, s)).toEqual([]);
    for (const healthy of [kubeadmCalico(), k3s(), eks(), gkeKubeDns()])
      expect(runCheck(serviceCheck, healthy)).toEqual([]);
  });
});

describe('dns.clusterip-mismatch / dns.cluster-domain-mismatch', () => {
  it('reports kubelet clusterDNS that differs from the Service clusterIP', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      s.services[0]!.spec.clusterIP = '10.96.0.53';
      s.services[0]!.spec.clusterIPs = ['10.96.0.53'];
    });
    const f = expectFinding(clusterMismatchCheck, s, 'dns.clusterip-mismatch');
    expect(f.evidence).toEqual([
      'kube-system/kubelet-config clusterDNS: [10.96.0.10]',
      'service/kube-dns clusterIP: 10.96.0.53',
    ]);
    expect(commands(f)).toContain('kubectl -n kube-system get svc kube-dns -o yaml > kube-dns.bak.yaml');
    expect(commands(f)).toContain("sed 's/10\\.96\\.0\\.53/10.96.0.10/g' | kubectl replace --force -f -");
  });

  it('reports a Corefile zone that does not cover kubelet clusterDomain, quoting the kubernetes line', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      s.configMaps = s.configMaps.map((c) =>
        c.metadata.name === 'kubelet-config' ? kubeletConfig('10.96.0.10', 'cka.local') : c,
      );
    });
    const f = expectFinding(clusterMismatchCheck, s, 'dns.cluster-domain-mismatch');
    expect(f.evidence).toContain('Corefile:7  kubernetes cluster.local in-addr.arpa ip6.arpa {');
    expect(f.runbook.some((st) => st.text.includes('kubernetes cka.local cluster.local in-addr.arpa ip6.arpa {'))).toBe(
      true,
    );
  });

  it('accepts matching settings, a domain served among several zones, and clusters without kubelet-config', () => {
    expect(runCheck(clusterMismatchCheck, kubeadmCalico())).toEqual([]);
    const s = withChanges(kubeadmCalico(), (s) => {
      configMapOf(s, 'kube-system', 'coredns').data.Corefile = kubeadmCorefile().replace(
        'kubernetes cluster.local',
        'kubernetes cka.local cluster.local',
      );
    });
    expect(runCheck(clusterMismatchCheck, s)).toEqual([]);
    expect(runCheck(clusterMismatchCheck, k3s())).toEqual([]);
    expect(runCheck(clusterMismatchCheck, gkeKubeDns())).toEqual([]);
  });
});

describe('dns.nameserver-limit', () => {
  it('reports DNSConfigForming at info level with the applied nameserver line', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      s.events.push(
        event({
          reason: 'DNSConfigForming',
          name: COREDNS_PODS[0]!,
          node: 'worker-1',
          message:
            'Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.0.0.2 10.0.0.3 10.0.0.4',
        }),
      );
    });
    const f = expectFinding(nameserverLimitCheck, s, 'dns.nameserver-limit');
    expect(f.severity).toBe('info');
    expect(f.detail).toContain('worker-1');
    expect(f.detail).toContain('10.0.0.2 10.0.0.3 10.0.0.4');
  });

  it('is silent without such events', () => {
    expect(runCheck(nameserverLimitCheck, kubeadmCalico())).toEqual([]);
  });
});
