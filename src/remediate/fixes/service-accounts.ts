// coredns.serviceaccount-missing, kube-proxy.serviceaccount-missing: create the ServiceAccount the workload runs as;
// its controller retries on its own.
import { create, objectAt, param, read, ref, refuse } from '../objects.ts';
import { serviceAccount } from '../templates.ts';
import type { Remediation } from '../types.ts';

function createServiceAccount(id: string, answers: string, defaultName: string, owner: string): Remediation {
  const names = (f: Parameters<Remediation['reads']>[0]) => ({
    namespace: param(f, 'namespace') ?? 'kube-system',
    name: param(f, 'serviceAccount') ?? defaultName,
  });
  return {
    id,
    answers: [answers],
    safety: 'auto-safe',
    reads: (f) => {
      const n = names(f);
      return [read('serviceaccounts', n.name, n.namespace)];
    },
    plan(ctx) {
      const n = names(ctx.finding);
      const r = read('serviceaccounts', n.name, n.namespace);
      if (objectAt(ctx, r)) return refuse(`ServiceAccount ${ref(r)} exists again; nothing to create.`);
      return {
        ok: true,
        plan: {
          remediation: id,
          finding: ctx.finding.id,
          title: `Create ServiceAccount ${ref(r)}`,
          risk: `None beyond ${owner} starting: the account gets only the rights already bound to its name.`,
          rollback: `Delete ServiceAccount ${ref(r)}.`,
          changes: [create('serviceaccounts', serviceAccount(n.namespace, n.name))],
          clears: [answers],
        },
      };
    },
  };
}

export const corednsServiceAccount = createServiceAccount(
  'coredns.create-serviceaccount',
  'coredns.serviceaccount-missing',
  'coredns',
  'the CoreDNS pods',
);

export const kubeProxyServiceAccount = createServiceAccount(
  'kube-proxy.create-serviceaccount',
  'kube-proxy.serviceaccount-missing',
  'kube-proxy',
  'the kube-proxy pods',
);
