// kube-proxy's nftables mode (1.31+): valid on a kube-proxy that knows it, a version problem on one that does not.
import { describe, expect, it } from 'vitest';
import { crashAll, proxyConfigMap, proxyDs, withChanges } from '#test/fixtures/changes.ts';
import { kubeadmProxyCluster } from '#test/fixtures/kube-proxy.ts';
import { commands, expectFinding } from '#test/support/checks.ts';
import { configErrorsCheck } from './config-errors.ts';

const REJECTED =
  'E1127 06:14:00.231907       1 run.go:74] "command failed" err="failed validate: KubeProxyConfiguration.Mode: Invalid value: \\"nftables\\": must be iptables,ipvs or blank (blank means the best-available proxy [currently iptables])"';

function nftablesOn(image: string, log?: string) {
  return withChanges(kubeadmProxyCluster(), (s) => {
    proxyConfigMap(s).data['config.conf'] = proxyConfigMap(s).data['config.conf'].replace('mode: ""', 'mode: nftables');
    proxyDs(s).spec.template.spec.containers[0].image = image;
    if (log) crashAll(s, log);
  });
}

describe('kube-proxy nftables mode', () => {
  it('is a valid mode: no finding while kube-proxy runs', () => {
    expect(expectFinding(configErrorsCheck, nftablesOn('registry.k8s.io/kube-proxy:v1.31.4'))).toEqual([]);
  });

  it('rejected by an older kube-proxy: names the version and the way out, and offers no "reset a typo" fix', () => {
    const f = expectFinding(
      configErrorsCheck,
      nftablesOn('registry.k8s.io/kube-proxy:v1.30.8', REJECTED),
      'kube-proxy.config-validation-error',
    );
    expect(f.title).toBe('This kube-proxy version does not accept mode "nftables"');
    expect(f.detail).toContain('kube-proxy v1.30.8 rejects it');
    expect(f.evidence.some((e) => e.includes('Invalid value: \\"nftables\\"'))).toBe(true);
    expect(f.runbook.map((s) => s.text).join('\n')).toContain('NFTablesProxyMode');
    expect(commands(f)).toContain('kubectl -n kube-system edit configmap kube-proxy');
    expect(f.remediation).toBeUndefined();
  });
});
