// Cluster-DNS checks (catalog §B): CoreDNS / kube-dns workload, Corefile, RBAC and the kube-dns Service.
import type { Check } from '../../check.ts';

export const dnsChecks: Check[] = [];
