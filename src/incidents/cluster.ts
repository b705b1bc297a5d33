// Which cluster an incident is about. Nobody asked, so there is no --cluster and no user to authorize: the
// operator opted in with the channel pattern, and the configured default (or the only cluster) is checked.

export interface ClusterChoice {
  name: string;
  default?: boolean;
}

export function incidentCluster(clusters: readonly ClusterChoice[]): string | undefined {
  return clusters.find((c) => c.default)?.name ?? (clusters.length === 1 ? clusters[0]?.name : undefined);
}

/** Alert labels that name the cluster, in this order; operators add their own keys (NETCHECK_INCIDENT_CLUSTER_LABELS). */
export const CLUSTER_LABELS = ['cluster', 'cluster_name', 'k8s_cluster'] as const;

export interface IncidentClusterConfig extends ClusterChoice {
  /** Incident channels (ids or names) that belong to this cluster. */
  incidentChannels?: readonly string[];
}

/** Why a cluster was chosen, so the report can say it: the label, the channel name, the mapping or the default. */
export type ClusterReason =
  | { kind: 'label'; key: string; value: string }
  | { kind: 'channel-pattern'; value: string }
  | { kind: 'channel-mapping'; channel: string }
  /** `ignored` lists the names the alert or channel gave that are not configured clusters. */
  | { kind: 'default'; ignored: string[] };

export interface ChosenCluster {
  cluster: string;
  reason: ClusterReason;
}

/**
 * The cluster an incident is checked on. First the alert's labels, then a capture group of the channel pattern
 * (named `cluster`, else the first group), then the channel mapping in the configuration, then the default.
 * A name that is not a configured cluster is never used: it is reported as ignored beside the default.
 */
export function chooseIncidentCluster(input: {
  clusters: readonly IncidentClusterConfig[];
  labels?: Readonly<Record<string, string>>;
  labelKeys?: readonly string[];
  channel: { id: string; name?: string | undefined };
  pattern?: RegExp;
}): ChosenCluster | undefined {
  const known = new Set(input.clusters.map((c) => c.name));
  const ignored: string[] = [];
  const keys = [...(input.labelKeys ?? []).map((k) => k.toLowerCase()), ...CLUSTER_LABELS];
  for (const key of keys) {
    const value = input.labels?.[key];
    if (!value) continue;
    if (known.has(value)) return { cluster: value, reason: { kind: 'label', key, value } };
    ignored.push(value);
  }
  const match = input.channel.name !== undefined ? input.pattern?.exec(input.channel.name) : undefined;
  const captured = match?.groups?.cluster ?? match?.[1];
  if (captured) {
    if (known.has(captured)) return { cluster: captured, reason: { kind: 'channel-pattern', value: captured } };
    // Channel names are often `inc-1234-…`: a capture that is not a cluster is no evidence of anything.
  }
  const mapped = input.clusters.find((c) =>
    c.incidentChannels?.some((ch) => ch === input.channel.id || ch === input.channel.name),
  );
  if (mapped)
    return {
      cluster: mapped.name,
      reason: { kind: 'channel-mapping', channel: input.channel.name ?? input.channel.id },
    };
  const fallback = incidentCluster(input.clusters);
  return fallback ? { cluster: fallback, reason: { kind: 'default', ignored: [...new Set(ignored)] } } : undefined;
}
