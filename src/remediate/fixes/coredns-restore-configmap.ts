// coredns.configmap-missing: re-create ConfigMap coredns with the kubeadm default Corefile for the cluster domain.
import type { Finding } from '../../engine/report.ts';
import { create, objectAt, param, read, ref, refuse } from '../objects.ts';
import { defaultCorefile } from '../templates.ts';
import type { Remediation } from '../types.ts';
import { corefileNames } from './corefile-edit.ts';

const reads = (f: Finding) => {
  const n = corefileNames(f);
  return [read('configmaps', n.configMap, n.namespace)];
};

export const restoreConfigMap: Remediation = {
  id: 'coredns.restore-configmap',
  answers: ['coredns.configmap-missing'],
  safety: 'auto-safe',
  reads,
  plan(ctx) {
    const n = corefileNames(ctx.finding);
    const [r] = reads(ctx.finding);
    if (objectAt(ctx, r!)) return refuse(`ConfigMap ${ref(r!)} exists again; nothing to re-create.`);
    const domain = param(ctx.finding, 'domain') ?? 'cluster.local';
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Re-create ConfigMap ${n.namespace}/${n.configMap} with the kubeadm default Corefile (${domain})`,
        risk: 'Site-specific Corefile stanzas that were in the deleted ConfigMap are not restored.',
        rollback: `Delete ConfigMap ${n.namespace}/${n.configMap} (it did not exist before).`,
        changes: [
          create('configmaps', {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: n.configMap, namespace: n.namespace },
            data: { Corefile: `${defaultCorefile(domain)}\n` },
          }),
        ],
        clears: ['coredns.configmap-missing'],
      },
    };
  },
};
