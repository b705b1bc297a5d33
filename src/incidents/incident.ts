// One incident, one place: the channel's triggers (its creation, the first alert, repeats, new alerts joining the
// group, the resolution) belong to one incident per cluster, answered by one report that is updated in place and
// a thread that says what changed. These are the pure decisions; the state lives behind IncidentStore.
import type { Report, Scope } from '../engine/report.ts';
import { componentsInScope } from '../engine/report-view.ts';
import type { Alert, AlertStatus } from './lifecycle.ts';

/**
 * How long an incident stays open after its last trigger. Longer than Alertmanager's default repeat_interval
 * (4 h), so a repeat of a still-firing alert lands in the same incident instead of posting the report again.
 */
export const DEFAULT_COOLDOWN_MS = 6 * 60 * 60_000;

/**
 * The key of an incident: its channel and its cluster. The scope is not part of it: a channel created for
 * "checkout is down" (everything) and a DNS alert in it are the same incident, so the scopes merge instead.
 */
export function incidentStateKey(channelId: string, cluster: string): string {
  return `incident:${channelId}:${cluster}`;
}

/** The scope that covers both: a DNS alert in an incident about everything is still about everything. */
export function mergeScope(a: Scope, b: Scope): Scope {
  return a === b ? a : 'all';
}

export interface AlertState {
  status: AlertStatus;
  count: number;
  name: string;
}

/** What the store keeps per incident. `version` makes every write conditional on the state it was based on. */
export interface IncidentRecord {
  key: string;
  channelId: string;
  cluster: string;
  scope: Scope;
  /** The report message: its ts, and the thread replies go to (the report's own thread root). */
  reportTs?: string;
  threadTs?: string;
  /** Ids of the findings the report showed the last time it was checked. */
  findings: string[];
  /**
   * Digest of the rest of the report posted in its thread, posted again only when it changes: undefined until the
   * first report is written, '' when that report had no rest (its first screen showed everything).
   */
  restKey?: string;
  /** Alerts by fingerprint. */
  alerts: Record<string, AlertState>;
  openedAt: number;
  updatedAt: number;
  /** Epoch ms after which the incident is over; stored as the table's TTL attribute (epoch seconds). */
  expiresAt: number;
  version: number;
}

/** The incident state behind the worker (DynamoDB in src/aws/incidents.ts). Every write is conditional. */
export interface IncidentStore {
  /** Opens the incident unless an unexpired one holds the key: the one opener posts the report. */
  open(record: IncidentRecord): Promise<boolean>;
  /** The unexpired incident under `key`, if any. */
  get(key: string, now: number): Promise<IncidentRecord | undefined>;
  /** Writes `next` if the stored version is still `next.version - 1`; false when someone else wrote first. */
  save(next: IncidentRecord): Promise<boolean>;
}

/** What a trigger means for an open incident. */
export type FollowUp =
  /** The same alert again, same group size (repeat_interval): re-check quietly, reply only if something changed. */
  | 'repeat'
  /** A new alert in the incident, or more or fewer alerts in its group (Alertmanager grouping). */
  | 'changed'
  /** The alert resolved: re-check and say whether the cluster agrees. */
  | 'resolved'
  /** The channel trigger of an incident already open (a second channel event). */
  | 'again';

export function followUpOf(record: IncidentRecord, alert: Alert | undefined): FollowUp {
  if (!alert) return 'again';
  if (alert.status === 'resolved') return 'resolved';
  const known = record.alerts[alert.fingerprint];
  if (known && known.status === 'firing' && known.count === alert.count) return 'repeat';
  return 'changed';
}

/** The record after a trigger at `now`: alert state, merged scope, a later expiry. */
export function touch(
  record: IncidentRecord,
  change: { alert?: Alert; scope: Scope; findings?: string[]; now: number; cooldownMs: number },
): IncidentRecord {
  const alerts = { ...record.alerts };
  if (change.alert) {
    alerts[change.alert.fingerprint] = {
      status: change.alert.status,
      count: change.alert.count,
      name: change.alert.name,
    };
  }
  return {
    ...record,
    scope: mergeScope(record.scope, change.scope),
    alerts,
    ...(change.findings ? { findings: change.findings } : {}),
    updatedAt: change.now,
    expiresAt: change.now + change.cooldownMs,
    version: record.version + 1,
  };
}

/** The ids of the findings a report shows as problems (info notes do not make an incident worse or better). */
export function failingFindings(report: Report, scope: Scope = report.scope): string[] {
  const components = componentsInScope(scope);
  return report.components
    .filter((c) => components.includes(c.component))
    .flatMap((c) => c.findings.filter((f) => f.severity !== 'info').map((f) => f.id));
}

export interface ReportDiff {
  /** Findings the new report has and the previous one did not. */
  added: string[];
  /** Findings the previous report had and the new one does not. */
  resolved: string[];
}

export function diffFindings(before: readonly string[], after: readonly string[]): ReportDiff {
  const was = new Set(before);
  const is = new Set(after);
  return {
    added: [...is].filter((id) => !was.has(id)),
    resolved: [...was].filter((id) => !is.has(id)),
  };
}

export function isEmptyDiff(diff: ReportDiff): boolean {
  return diff.added.length === 0 && diff.resolved.length === 0;
}

/** After a `[RESOLVED]`: verified when the alert's components show no problem, else which are still failing. */
export function verifyResolution(
  report: Report,
  scope: Scope,
): { verified: true } | { verified: false; failing: string[] } {
  const failing = failingFindings(report, scope);
  // Never a silent "resolved" when a component could not be read: it is named as still in question.
  const unread = report.components
    .filter((c) => componentsInScope(scope).includes(c.component) && c.status === 'unknown')
    .map((c) => c.component);
  if (failing.length === 0 && unread.length === 0) return { verified: true };
  return { verified: false, failing: [...failing, ...unread] };
}
