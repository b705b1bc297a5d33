// coredns.image-pull (kubeadm): put back the CoreDNS image kubeadm installs for the cluster's Kubernetes version.
// AUTO-GUARDED, "only when the corrected reference is known to exist": the current reference must be proven
// unpullable (the registry answered not found, not a credentials or network error), the registry must be kubeadm's
// default one, and the cluster's version must be one whose kubeadm CoreDNS tag is known (below).
import { parse } from 'yaml';
import type { KubeObject } from '../../engine/cluster-reader.ts';
import type { Finding } from '../../engine/report.ts';
import { objectAt, param, read, ref, refuse, strategicPatch } from '../objects.ts';
import type { Remediation } from '../types.ts';

/** kubeadm's CoreDNS version by Kubernetes minor (cmd/kubeadm/app/constants CoreDNSVersion of each release). */
export const KUBEADM_COREDNS_TAG: Record<string, string> = {
  '1.27': 'v1.10.1',
  '1.28': 'v1.10.1',
  '1.29': 'v1.11.1',
  '1.30': 'v1.11.1',
  '1.31': 'v1.11.3',
  '1.32': 'v1.11.3',
  '1.33': 'v1.12.0',
};
const DEFAULT_REGISTRY = 'registry.k8s.io';

/** The image kubeadm would install, or why it is not known. */
export function kubeadmCorednsImage(
  kubeadmConfig: KubeObject | null | undefined,
): { image: string } | { reason: string } {
  let cc: { kubernetesVersion?: unknown; imageRepository?: unknown; dns?: { imageRepository?: unknown } } | undefined;
  try {
    cc = parse(String(kubeadmConfig?.data?.ClusterConfiguration ?? '')) ?? undefined;
  } catch {
    cc = undefined;
  }
  if (!cc)
    return { reason: 'kubeadm-config has no readable ClusterConfiguration, so the kubeadm default is not known.' };
  const version =
    typeof cc.kubernetesVersion === 'string' ? /^v?(\d+\.\d+)\./.exec(cc.kubernetesVersion)?.[1] : undefined;
  const tag = version ? KUBEADM_COREDNS_TAG[version] : undefined;
  if (!tag)
    return {
      reason: `the kubeadm CoreDNS tag for Kubernetes ${String(cc.kubernetesVersion ?? '?')} is not known here.`,
    };
  const registry = cc.imageRepository ?? DEFAULT_REGISTRY;
  if (registry !== DEFAULT_REGISTRY || cc.dns?.imageRepository) {
    return {
      reason: `images come from ${String(cc.dns?.imageRepository ?? registry)}, whose content is not known here.`,
    };
  }
  return { image: `${DEFAULT_REGISTRY}/coredns/coredns:${tag}` };
}

const names = (f: Finding) => ({
  namespace: param(f, 'namespace') ?? 'kube-system',
  deployment: param(f, 'deployment') ?? 'coredns',
  container: param(f, 'container') ?? 'coredns',
});

export const revertCorednsImage: Remediation = {
  id: 'coredns.revert-image-to-kubeadm-default',
  answers: ['coredns.image-pull'],
  safety: 'auto-guarded',
  reads: (f) => [
    read('deployments', names(f).deployment, names(f).namespace),
    read('configmaps', 'kubeadm-config', 'kube-system'),
  ],
  plan(ctx) {
    const n = names(ctx.finding);
    const r = read('deployments', n.deployment, n.namespace);
    const deploy = objectAt(ctx, r);
    if (!deploy) return refuse(`Deployment ${ref(r)} does not exist.`);
    if (param(ctx.finding, 'pullError') !== 'not-found') {
      return refuse('the pull error is not "not found" (credentials or network?); another image would not help.');
    }
    const containers: { name: string; image?: string }[] = deploy.spec?.template?.spec?.containers ?? [];
    const container = containers.find((c) => c.name === n.container);
    if (!container?.image) return refuse(`Deployment ${ref(r)} has no ${n.container} container.`);
    const wanted = kubeadmCorednsImage(objectAt(ctx, read('configmaps', 'kubeadm-config', 'kube-system')));
    if ('reason' in wanted) return refuse(wanted.reason);
    if (container.image === wanted.image) return refuse(`Deployment ${ref(r)} already uses ${wanted.image}.`);
    // Guard: the image is still the one the diagnosis saw fail.
    const seen = param(ctx.finding, 'image');
    if (seen && seen !== container.image) {
      return refuse(`Deployment ${ref(r)} now uses ${container.image}, not ${seen}; run the check again.`);
    }
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Set the ${n.container} image of Deployment ${ref(r)} to kubeadm's ${wanted.image}`,
        risk: 'CoreDNS rolls out with the kubeadm image for this Kubernetes version; a Corefile that needs a newer CoreDNS plugin would fail to parse.',
        rollback: `Set the ${n.container} image of Deployment ${ref(r)} back to ${container.image}.`,
        changes: [
          strategicPatch('deployments', deploy, {
            metadata: { resourceVersion: deploy.metadata.resourceVersion },
            spec: { template: { spec: { containers: [{ name: container.name, image: wanted.image }] } } },
          }),
        ],
        clears: ['coredns.image-pull'],
      },
    };
  },
};
