// Every check netcheck runs, in one list (k8s-gpt style: one module per check, one interface, one registry).
import type { Check, RegisteredCheck } from './check.ts';
import { cniChecks } from './checks/cni/index.ts';
import { dnsChecks } from './checks/dns/index.ts';
import { notCoveredChecks } from './checks/history/not-covered.ts';
import { recoveredChecks } from './checks/history/recovered.ts';
import { proxyChecks } from './checks/kube-proxy/index.ts';
import type { ComponentName } from './report.ts';

export const allChecks: readonly RegisteredCheck[] = [
  ...cniChecks,
  ...proxyChecks,
  ...dnsChecks,
  ...recoveredChecks,
  ...notCoveredChecks,
];

export function checksFor(components: readonly ComponentName[], checks: readonly Check[] = allChecks): Check[] {
  return checks.filter((c) => components.includes(c.component));
}

/** Which component owns a finding id, from the checks' `emits` lists (falls back to the id's prefix). */
export function componentOfFinding(id: string, checks: readonly Check[] = allChecks): ComponentName | undefined {
  const owner = checks.find((c) => c.emits.includes(id));
  if (owner) return owner.component;
  if (id.startsWith('kube-proxy.')) return 'kube-proxy';
  if (id.startsWith('cni.')) return 'cni';
  if (id.startsWith('coredns.') || id.startsWith('dns.')) return 'dns';
  return undefined;
}
