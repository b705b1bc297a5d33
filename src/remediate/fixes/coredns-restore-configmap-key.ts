// coredns.configmap-key-missing: put the Corefile key back (kubeadm default); other keys (k3s NodeHosts) are MANUAL.
import { mergePatch, objectAt, param, read, ref, refuse } from '../objects.ts';
import { defaultCorefile } from '../templates.ts';
import type { Remediation } from '../types.ts';
import { corefileNames } from './corefile-edit.ts';

export const restoreConfigMapKey: Remediation = {
  id: 'coredns.restore-configmap-key',
  answers: ['coredns.configmap-key-missing'],
  safety: 'auto-guarded',
  reads: (f) => {
    const n = corefileNames(f);
    return [read('configmaps', n.configMap, n.namespace)];
  },
  plan(ctx) {
    const n = corefileNames(ctx.finding);
    const r = read('configmaps', n.configMap, n.namespace);
    const cm = objectAt(ctx, r);
    if (!cm) return refuse(`ConfigMap ${ref(r)} does not exist; re-create it instead.`);
    const keys = (param(ctx.finding, 'keys') ?? 'Corefile').split(',').filter(Boolean);
    const unknown = keys.filter((k) => k !== 'Corefile');
    if (unknown.length > 0) return refuse(`Key ${unknown.join(', ')} has no default netcheck can restore.`);
    if (typeof cm.data?.Corefile === 'string') return refuse(`ConfigMap ${ref(r)} has its Corefile key again.`);
    const domain = param(ctx.finding, 'domain') ?? 'cluster.local';
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Restore key Corefile in ConfigMap ${ref(r)} from the kubeadm default (${domain})`,
        risk: 'Site-specific Corefile stanzas that were in the lost key are not restored.',
        rollback: `Remove the Corefile key from ConfigMap ${ref(r)} again.`,
        changes: [
          mergePatch('configmaps', cm, {
            metadata: { resourceVersion: cm.metadata.resourceVersion },
            data: { Corefile: `${defaultCorefile(domain)}\n` },
          }),
        ],
        clears: ['coredns.configmap-key-missing'],
      },
    };
  },
};
