// Incidents: pure decisions about alerts and incident channels (no Slack, AWS or HTTP); the listeners in
// src/handlers/slack/incident.ts feed them Slack events.
export { type AlertMessage, alertText, scopeFromAlert } from './alert.ts';
export { isIncidentChannel } from './channel.ts';
export { type ClusterChoice, incidentCluster } from './cluster.ts';
export { type IncidentTrigger, incidentKey } from './cooldown.ts';
