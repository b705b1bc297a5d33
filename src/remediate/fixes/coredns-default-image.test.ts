import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../engine/cluster-reader.ts';
import type { Finding } from '../../engine/report.ts';
import { planFix } from '../registry.ts';
import { kubeadmCorednsImage, revertCorednsImage } from './coredns-default-image.ts';

const BAD = 'registry.k8s.io/coredns:v1.11.3';
const finding = (params: Record<string, string> = {}): Finding => ({
  id: 'coredns.image-pull',
  severity: 'critical',
  title: 't',
  detail: 'd',
  evidence: [],
  runbook: [],
  remediation: { id: 'x', title: 'x', params: { image: BAD, pullError: 'not-found', ...params } },
});
const kubeadm = (doc: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'kubeadm-config', namespace: 'kube-system' },
  data: { ClusterConfiguration: doc },
});
const deployment = (image: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'coredns', namespace: 'kube-system', resourceVersion: '9' },
  spec: { template: { spec: { containers: [{ name: 'coredns', image }] } } },
});
const objects = (image: string, doc = 'kubernetesVersion: v1.31.4\nimageRepository: registry.k8s.io\n') => ({
  'deployments/kube-system/coredns': deployment(image),
  'configmaps/kube-system/kubeadm-config': kubeadm(doc),
});
const reason = (f: Finding, o: ReturnType<typeof objects>) => {
  const r = planFix(revertCorednsImage, { finding: f, objects: o });
  return r.ok ? r.plan : r.reason;
};

describe('coredns.revert-image-to-kubeadm-default', () => {
  it("sets the container image to kubeadm's for the cluster version, under the Deployment's resourceVersion", () => {
    const plan = reason(finding(), objects(BAD));
    expect(typeof plan).toBe('object');
    const change = (plan as { changes: { body: unknown; precondition: unknown }[] }).changes[0]!;
    expect(change.body).toEqual({
      metadata: { resourceVersion: '9' },
      spec: {
        template: { spec: { containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.3' }] } },
      },
    });
  });

  it('refuses unless the reference is proven wrong, the default is known, and the image is still the one that failed', () => {
    expect(reason(finding({ pullError: 'unauthorized' }), objects(BAD))).toMatch(/not "not found"/);
    expect(reason(finding(), objects(BAD, 'kubernetesVersion: v1.19.0\n'))).toMatch(/not known here/);
    expect(
      reason(finding(), objects(BAD, 'kubernetesVersion: v1.31.4\nimageRepository: mirror.example.com\n')),
    ).toMatch(/mirror.example.com, whose content is not known/);
    expect(reason(finding(), objects('registry.k8s.io/coredns/coredns:v1.11.3'))).toMatch(/already uses/);
    expect(reason(finding(), objects('example.com/coredns:v9'))).toMatch(/now uses example.com\/coredns:v9/);
  });

  it('reads the kubeadm default from kubeadm-config, with the default registry when none is named', () => {
    expect(kubeadmCorednsImage(kubeadm('kubernetesVersion: v1.28.2\n'))).toEqual({
      image: 'registry.k8s.io/coredns/coredns:v1.10.1',
    });
    expect(kubeadmCorednsImage(kubeadm(': [broken'))).toHaveProperty('reason');
    expect(kubeadmCorednsImage(null)).toHaveProperty('reason');
  });
});
