// The kube-dns Service: re-create it at kubelet's clusterDNS, put back its selector or its ports, or move it to
// the IP kubelet hands out. clusterIP is immutable, so moving it goes through type ExternalName and back.
import type { Finding } from '../../engine/report.ts';
import { create, mergePatch, objectAt, param, read, ref, refuse } from '../objects.ts';
import { KUBE_DNS_PORTS, KUBE_DNS_SELECTOR, kubeDnsService } from '../templates.ts';
import type { Remediation } from '../types.ts';

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

const svcRead = (f: Finding) => read('services', 'kube-dns', param(f, 'namespace') ?? 'kube-system');

export const restoreService: Remediation = {
  id: 'dns.restore-service',
  answers: ['dns.service-missing'],
  safety: 'auto-safe',
  reads: (f) => [svcRead(f)],
  plan(ctx) {
    const r = svcRead(ctx.finding);
    if (objectAt(ctx, r)) return refuse(`Service ${ref(r)} exists again; nothing to re-create.`);
    const ip = param(ctx.finding, 'clusterIP');
    if (!ip || !IPV4.test(ip)) return refuse("kubelet's clusterDNS is not known, so the Service IP cannot be chosen.");
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Re-create Service ${ref(r)} at ${ip} (kubelet clusterDNS)`,
        risk: `If another Service took ${ip} meanwhile, the API server refuses and nothing changes.`,
        rollback: `Delete Service ${ref(r)} (it did not exist before).`,
        changes: [create('services', kubeDnsService(r.namespace!, ip))],
        clears: ['dns.service-missing'],
      },
    };
  },
};

export const restoreServiceSelector: Remediation = {
  id: 'dns.restore-service-selector',
  answers: ['dns.service-no-endpoints'],
  safety: 'auto-safe',
  reads: (f) => [svcRead(f), read('deployments', param(f, 'deployment') ?? 'coredns', svcRead(f).namespace)],
  plan(ctx) {
    const r = svcRead(ctx.finding);
    const svc = objectAt(ctx, r);
    if (!svc) return refuse(`Service ${ref(r)} does not exist.`);
    const dr = read('deployments', param(ctx.finding, 'deployment') ?? 'coredns', r.namespace);
    const labels = objectAt(ctx, dr)?.spec?.template?.metadata?.labels ?? {};
    // Only when the DNS pods carry the default label: otherwise the pods, not the selector, are what changed.
    if (labels['k8s-app'] !== 'kube-dns') return refuse(`The pods of ${ref(dr)} are not labelled k8s-app=kube-dns.`);
    const selector: Record<string, string> = svc.spec?.selector ?? {};
    if (JSON.stringify(selector) === JSON.stringify(KUBE_DNS_SELECTOR)) {
      return refuse(`Service ${ref(r)} already selects k8s-app=kube-dns.`);
    }
    const stale = Object.fromEntries(
      Object.keys(selector)
        .filter((k) => k !== 'k8s-app')
        .map((k) => [k, null]),
    );
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Set the selector of Service ${ref(r)} back to k8s-app=kube-dns`,
        risk: 'The Service selects the DNS pods again; anything else the edited selector matched stops receiving DNS traffic.',
        rollback: `Set the selector of Service ${ref(r)} back to its previous value.`,
        changes: [
          mergePatch('services', svc, {
            metadata: { resourceVersion: svc.metadata.resourceVersion },
            spec: { selector: { ...stale, ...KUBE_DNS_SELECTOR } },
          }),
        ],
        clears: ['dns.service-no-endpoints'],
      },
    };
  },
};

export const restoreServicePorts: Remediation = {
  id: 'dns.restore-service-ports',
  answers: ['dns.service-port-mismatch'],
  safety: 'auto-safe',
  reads: (f) => [svcRead(f)],
  plan(ctx) {
    const r = svcRead(ctx.finding);
    const svc = objectAt(ctx, r);
    if (!svc) return refuse(`Service ${ref(r)} does not exist.`);
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Restore the ports of Service ${ref(r)} (dns 53/UDP, dns-tcp 53/TCP, metrics 9153/TCP)`,
        risk: 'Other ports added to the Service by hand are removed.',
        rollback: `Set the ports of Service ${ref(r)} back to their previous value.`,
        changes: [
          mergePatch('services', svc, {
            metadata: { resourceVersion: svc.metadata.resourceVersion },
            spec: { ports: KUBE_DNS_PORTS },
          }),
        ],
        clears: ['dns.service-port-mismatch'],
      },
    };
  },
};

export const recreateServiceClusterIP: Remediation = {
  id: 'dns.recreate-service-clusterip',
  answers: ['dns.clusterip-mismatch'],
  safety: 'auto-guarded',
  reads: (f) => [svcRead(f)],
  plan(ctx) {
    const r = svcRead(ctx.finding);
    const svc = objectAt(ctx, r);
    if (!svc) return refuse(`Service ${ref(r)} does not exist.`);
    const ip = param(ctx.finding, 'clusterIP');
    if (!ip || !IPV4.test(ip)) return refuse("kubelet's clusterDNS is not known.");
    if (svc.spec?.clusterIP === ip) return refuse(`Service ${ref(r)} is at ${ip} already.`);
    const base = { resourceVersion: svc.metadata.resourceVersion };
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Move Service ${ref(r)} from ${svc.spec?.clusterIP ?? '?'} to ${ip} (kubelet clusterDNS)`,
        risk: 'DNS on the old IP stops at once; pods already use the new IP, which starts answering after the second step.',
        rollback: `Move Service ${ref(r)} back to ${svc.spec?.clusterIP ?? 'its old IP'} the same way.`,
        changes: [
          // clusterIP is immutable for ClusterIP Services; ExternalName releases it, and the way back assigns ours.
          mergePatch('services', svc, {
            metadata: base,
            spec: {
              type: 'ExternalName',
              externalName: `kube-dns.${r.namespace}.invalid`,
              clusterIP: null,
              clusterIPs: null,
            },
          }),
          mergePatch('services', svc, {
            metadata: base,
            spec: { type: 'ClusterIP', externalName: null, clusterIP: ip, clusterIPs: [ip] },
          }),
        ],
        clears: ['dns.clusterip-mismatch'],
      },
    };
  },
};
