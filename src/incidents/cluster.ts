// Which cluster an incident is about. Nobody asked, so there is no --cluster and no user to authorize: the
// operator opted in with the channel pattern, and the configured default (or the only cluster) is checked.

export interface ClusterChoice {
  name: string;
  default?: boolean;
}

export function incidentCluster(clusters: readonly ClusterChoice[]): string | undefined {
  return clusters.find((c) => c.default)?.name ?? (clusters.length === 1 ? clusters[0]?.name : undefined);
}
