// Contradictions are information: an alert says a component is down, and netcheck finds it healthy. Both can be
// true, and the usual reasons are worth saying instead of a bare "OK".
import type { ComponentName, Report } from '../engine/report.ts';
import { componentsInScope } from '../engine/report-view.ts';
import type { Alert } from './lifecycle.ts';

export type ContradictionReason =
  /**
   * The alert watches a scrape target, not the dataplane: kube-proxy serves metrics on 127.0.0.1:10249 by default
   * (metricsBindAddress), so Prometheus cannot reach it and KubeProxyDown fires while Services work.
   */
  | 'target-down-dataplane-works'
  /** netcheck reads the API server: a failure on nodes whose pods or status it cannot see leaves no trace there. */
  | 'unseen-nodes';

export interface Contradiction {
  alert: string;
  /** Components the alert names that the report finds healthy. */
  healthy: ComponentName[];
  reasons: ContradictionReason[];
}

/** A firing alert about components the report checked and found `ok`; undefined when they agree. */
export function contradictionOf(alert: Alert, report: Report): Contradiction | undefined {
  if (alert.status !== 'firing') return undefined;
  const named = componentsInScope(alert.scope);
  const checked = report.components.filter((c) => named.includes(c.component));
  // Every named component must be checked and ok: an unread or failing one is no contradiction.
  if (checked.length === 0 || (checked.length < named.length && alert.scope !== 'all')) return undefined;
  if (!checked.every((c) => c.status === 'ok')) return undefined;
  return {
    alert: alert.name,
    healthy: checked.map((c) => c.component),
    reasons: ['target-down-dataplane-works', 'unseen-nodes'],
  };
}
