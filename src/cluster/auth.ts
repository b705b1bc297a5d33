// How the worker authenticates to a cluster, as configured in NETCHECK_CLUSTERS[].auth. zod/mini: the Slack
// function parses the same configuration at its cold start (src/jobs/vocabulary.ts).
import * as z from 'zod/mini';

export const ClusterAuth = z.discriminatedUnion('type', [
  // endpoint + CA from config, or from eks:DescribeCluster at run time when absent.
  z.object({
    type: z.literal('eks'),
    clusterName: z.string().check(z.minLength(1)),
    region: z.string().check(z.minLength(1)),
    endpoint: z.optional(z.url()),
    caData: z.optional(z.string()),
  }),
  z.object({
    type: z.literal('kubeconfig-secret'),
    secretId: z.string().check(z.minLength(1)),
    context: z.optional(z.string()),
  }),
  // Secret JSON: { server, caData (base64 PEM), token }.
  z.object({ type: z.literal('token-secret'), secretId: z.string().check(z.minLength(1)) }),
]);
export type ClusterAuth = z.infer<typeof ClusterAuth>;
export type EksAuth = Extract<ClusterAuth, { type: 'eks' }>;
