// Incidents: pure decisions about alerts and incident channels (no Slack, AWS or HTTP); the listeners in
// src/handlers/slack/incident.ts and the worker feed them Slack events and reports.
export { type AlertMessage, alertText, scopeFromAlert } from './alert.ts';
export { isIncidentChannel } from './channel.ts';
export {
  type ChosenCluster,
  CLUSTER_LABELS,
  type ClusterChoice,
  type ClusterReason,
  chooseIncidentCluster,
  type IncidentClusterConfig,
  incidentCluster,
} from './cluster.ts';
export { type Contradiction, type ContradictionReason, contradictionOf } from './contradiction.ts';
export { type IncidentTrigger, incidentKey } from './cooldown.ts';
export {
  type AlertState,
  DEFAULT_COOLDOWN_MS,
  diffFindings,
  type FollowUp,
  failingFindings,
  followUpOf,
  type IncidentRecord,
  type IncidentStore,
  incidentStateKey,
  isEmptyDiff,
  mergeScope,
  type ReportDiff,
  touch,
  verifyResolution,
} from './incident.ts';
export { type Alert, type AlertBotMessage, type AlertStatus, readAlert } from './lifecycle.ts';
