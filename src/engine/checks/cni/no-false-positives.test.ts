// Healthy clusters of every supported shape produce no DNS or CNI finding (the traps in docs/failure-catalog.md).
import { describe, expect, it } from 'vitest';
import {
  eks,
  gkeKubeDns,
  k3s,
  kubeadmCalico,
  kubeadmCanal,
  kubeadmCilium,
  kubeadmFlannel,
  kubeadmLegacyFlannel,
  kubeadmOperatorCalico,
  kubeadmWeave,
} from '#test/fixtures/clusters.ts';
import { runCheck } from '#test/support/checks.ts';
import { dnsChecks } from '../dns/index.ts';
import { cniChecks } from './index.ts';

const HEALTHY = {
  'kubeadm + Calico (manifest)': kubeadmCalico,
  'kubeadm + Calico (operator, calico-system)': kubeadmOperatorCalico,
  'kubeadm + Flannel (kube-flannel)': kubeadmFlannel,
  'kubeadm + legacy per-arch Flannel (kube-system)': kubeadmLegacyFlannel,
  'kubeadm + Canal': kubeadmCanal,
  'kubeadm + Cilium': kubeadmCilium,
  'kubeadm + Weave Net': kubeadmWeave,
  'k3s (embedded flannel, CoreDNS with NodeHosts)': k3s,
  'EKS (aws-node, Fargate node)': eks,
  'GKE (kube-dns, Dataplane V2)': gkeKubeDns,
};

describe('healthy clusters', () => {
  for (const [name, build] of Object.entries(HEALTHY)) {
    it(`${name}: no DNS or CNI finding`, () => {
      const snapshot = build();
      const found = [...dnsChecks, ...cniChecks].flatMap((c) => runCheck(c, snapshot).map((f) => `${c.name}: ${f.id}`));
      expect(found).toEqual([]);
    });
  }

  it('every check declares what it emits, with catalog-style ids and unique names', () => {
    const all = [...dnsChecks, ...cniChecks];
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
    for (const c of dnsChecks) expect(c.component).toBe('dns');
    for (const c of cniChecks) expect(c.component).toBe('cni');
    for (const id of all.flatMap((c) => c.emits)) expect(id).toMatch(/^(coredns|dns|cni)\.[a-z0-9-]+(\.[a-z0-9-]+)?$/);
  });
});
