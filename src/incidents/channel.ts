// Incident channel matching: the operator opts in with a channel-name pattern (NETCHECK_INCIDENT_CHANNEL_PATTERN).

export function isIncidentChannel(name: string | undefined, pattern: RegExp): boolean {
  return typeof name === 'string' && pattern.test(name);
}
