// dns.cluster-domain-mismatch: the kubernetes plugin must serve kubelet's clusterDomain.
import { param } from '../objects.ts';
import { corefileRemediation } from './corefile-edit.ts';

const DOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const addClusterDomain = corefileRemediation({
  id: 'coredns.add-cluster-domain',
  answers: ['dns.cluster-domain-mismatch'],
  safety: 'auto-guarded',
  edit: (corefile, ctx) => {
    const domain = param(ctx.finding, 'domain');
    if (!domain || !DOMAIN.test(domain)) return { reason: 'The cluster domain is not known.' };
    const line = /^(\s*)kubernetes(\s+)([^{\n]*)/m;
    const m = line.exec(corefile);
    if (!m) return { reason: 'The Corefile has no kubernetes plugin line.' };
    if (m[3]!.trim().split(/\s+/).includes(domain)) return { reason: `The kubernetes line already serves ${domain}.` };
    return { corefile: corefile.replace(line, `${m[1]}kubernetes${m[2]}${domain} ${m[3]}`) };
  },
  title: (ctx) =>
    `Add ${param(ctx.finding, 'domain') ?? 'the cluster domain'} to the Corefile kubernetes zones and restart CoreDNS`,
  risk: 'CoreDNS pods restart one by one; names in the added zone are answered from the cluster instead of upstream.',
  clears: ['dns.cluster-domain-mismatch'],
});
