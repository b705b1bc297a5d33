// netcheck's deployment configuration: what the Lambda functions and `netcheck dev` read from the environment.
//
// | Env var                            | Mode     | Meaning                                                                        |
// |------------------------------------|----------|--------------------------------------------------------------------------------|
// | `NETCHECK_CLUSTERS`                | both     | JSON array of ClusterConfig; overrides NETCHECK_CONFIG_SECRET_ID (one is required) |
// | `NETCHECK_CONFIG_SECRET_ID`        | both     | Secrets Manager secret with `{ "clusters": [ClusterConfig…] }`, read at run time (cached 5 min) |
// | `NETCHECK_CONFIG_PARAMETER`        | both     | SSM Parameter Store parameter (String/SecureString) with that document; wins over the secret |
// | `NETCHECK_MODE`                    | both     | `lambda` or `dev`; default `lambda` when `AWS_LAMBDA_FUNCTION_NAME` is set     |
// | `NETCHECK_DEFAULT_LANG`            | both     | `en` (default) or `ko`: language of replies when the user gives no `--lang`     |
// | `NETCHECK_INCIDENT_CHANNEL_PATTERN`| both     | optional regex; channels whose name matches get an automatic check on creation |
// | `SLACK_SECRET_ID`                  | both     | Secrets Manager secret with JSON `{ "signingSecret", "botToken" }` (lambda: required) |
// | `SLACK_SIGNING_SECRET`             | dev only | plaintext signing secret (rejected in lambda mode: use SLACK_SECRET_ID)        |
// | `SLACK_BOT_TOKEN`                  | dev only | plaintext bot token (rejected in lambda mode)                                  |
// | `SLACK_API_URL`                    | both     | Slack Web API base URL, e.g. a local fake `http://127.0.0.1:PORT/api/`         |
// | `SLACK_BOT_ID`, `SLACK_BOT_USER_ID`| both     | both set ⇒ Bolt skips `auth.test` at cold start                                 |
// | `SLACK_TEAM_ID`                    | both     | our workspace id, or comma-separated ids (Enterprise Grid: team or enterprise ids); or `teamId`/`teamIds` in the Slack secret. Lambda: requests from any other team are refused; dev: default the first request's team |
// | `WORKER_FUNCTION_NAME`             | both     | name of the worker Lambda (lambda: required; dev default `netcheck-dev-worker`) |
// | `DEDUPE_TABLE`                     | both     | DynamoDB table for Slack retry dedupe (lambda: required; dev default `netcheck-dedupe`) |
// | `AWS_REGION`                       | both     | region of the AWS clients (set by Lambda; dev default `us-east-1`)             |
// | `AWS_ENDPOINT_URL_SECRETS_MANAGER` | both     | endpoint override; the AWS SDK reads it itself, we parse it only to validate/report |
// | `AWS_ENDPOINT_URL_LAMBDA`          | both     | idem, e.g. the local Lambda endpoint of `netcheck dev`                          |
// | `AWS_ENDPOINT_URL_DYNAMODB`        | both     | idem, e.g. dynalite                                                            |
// | `AWS_ENDPOINT_URL_EKS`             | both     | endpoint of eks:DescribeCluster (src/aws/eks-describe.ts reads it directly)     |
// | `INCIDENT_TABLE`                   | both     | DynamoDB table of incident state (default: DEDUPE_TABLE, keys `incident:…`)     |
// | `NETCHECK_INCIDENT_CLUSTER_LABELS` | both     | comma-separated alert label keys naming the cluster (before cluster, cluster_name, k8s_cluster) |
// | `NETCHECK_INCIDENT_COOLDOWN_MINUTES`| both    | how long an incident stays open after its last trigger (default 360)           |
// | `PLANS_TABLE`                      | both     | DynamoDB table of remediation plans and button offers (lambda: required once a cluster has approvers, and for Re-run buttons; dev default `netcheck-plans`) |
// | `REMEDIATOR_FUNCTION_NAME`         | both     | name of the remediator Lambda (lambda: required once a cluster has approvers; dev default `netcheck-dev-remediator`) |
// | `NETCHECK_PLAN_TTL_MINUTES`        | both     | how long a plan may be approved, 1–60 minutes (default 15)                    |
//
// ClusterConfig (one element of NETCHECK_CLUSTERS):
//   { "name": "prod", "auth": { "type": "eks", "clusterName": "prod", "region": "eu-west-1" },
//     "allowedUsers": ["U123"], "allowedGroups": ["S456"], "allowedChannels": ["C789"], "approvers": ["U123"], "default": true }
// In lambda mode every cluster needs an allow-list (users, groups or channels): access is closed by default.
// In dev mode every user may check every cluster unless allow-lists are configured.
// zod/mini keeps the Slack function's bundle small (src/jobs/vocabulary.ts).
import * as z from 'zod/mini';
import { ClusterAuth } from '../../cluster/auth.ts';
import type { Lang } from '../../engine/report.ts';
import '../../jobs/vocabulary.ts';

export const ClusterConfig = z.object({
  name: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, at most 63')),
  auth: ClusterAuth,
  /** Slack user ids (U…/W…) allowed to check this cluster. */
  allowedUsers: z.optional(z.array(z.string())),
  /** Slack user-group ids (S…); the caller resolves the user's groups (needs `usergroups:read`). */
  allowedGroups: z.optional(z.array(z.string())),
  /** Slack channel ids (C…) where this cluster may be checked. */
  allowedChannels: z.optional(z.array(z.string())),
  /** Slack user ids allowed to approve remediations. */
  approvers: z.optional(z.array(z.string())),
  /** Slack user-group ids (S…) whose members may approve remediations. */
  approverGroups: z.optional(z.array(z.string())),
  /** The requester may approve their own plan (marked in the audit). Off by default: two people, always. */
  allowSelfApproval: z.optional(z.boolean()),
  /**
   * How the remediator authenticates (its own identity, group netcheck-remediators). EKS clusters can leave it
   * out: the remediator's IAM role signs the token and its access entry maps the group.
   */
  remediatorAuth: z.optional(ClusterAuth),
  /** The cluster to check when the user names none. */
  default: z.optional(z.boolean()),
  /** Incident channels (ids or names) whose alerts are about this cluster (src/incidents/cluster.ts). */
  incidentChannels: z.optional(z.array(z.string())),
});
export type ClusterConfig = z.infer<typeof ClusterConfig>;

export const ClusterList = z.array(ClusterConfig).check(
  z.minLength(1),
  z.superRefine((clusters: ClusterConfig[], ctx) => {
    const seen = new Set<string>();
    clusters.forEach((c, i) => {
      if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate cluster name` });
      seen.add(c.name);
    });
    const defaults = clusters.filter((c) => c.default).map((c) => c.name);
    if (defaults.length > 1) {
      ctx.addIssue({ code: 'custom', path: [], message: `more than one default cluster: ${defaults.join(', ')}` });
    }
  }),
);

export const Mode = z.enum(['lambda', 'dev']);
export type Mode = z.infer<typeof Mode>;

/** The Slack secret stored in Secrets Manager under SLACK_SECRET_ID. */
export const SlackSecret = z.object({
  signingSecret: z.string().check(z.minLength(1)),
  botToken: z.string().check(z.minLength(1)),
  /** Our workspace (or Enterprise Grid org) id(s), as an alternative to SLACK_TEAM_ID. */
  teamId: z.optional(z.string().check(z.minLength(1))),
  teamIds: z.optional(z.array(z.string().check(z.minLength(1)))),
});
export type SlackSecret = z.infer<typeof SlackSecret>;

export interface SlackConfig {
  /** Plaintext, dev mode only. */
  signingSecret?: string;
  /** Plaintext, dev mode only. */
  botToken?: string;
  /** Secrets Manager secret holding SlackSecret JSON. */
  secretId?: string;
  apiUrl?: string;
  botId?: string;
  botUserId?: string;
  /** SLACK_TEAM_ID: the only workspaces (team or enterprise ids) whose requests are served. */
  teamIds?: string[];
}

export interface AwsEndpoints {
  secretsManager?: string;
  lambda?: string;
  dynamodb?: string;
  ssm?: string;
}

export interface AppConfig {
  clusters: ClusterConfig[];
  slack: SlackConfig;
  workerFunctionName: string;
  dedupeTable: string;
  /** Endpoint overrides found in the environment (the SDK applies them on its own). */
  awsEndpoints?: AwsEndpoints;
  region: string;
  mode: Mode;
  defaultLang: Lang;
  incidentChannelPattern?: string;
  /** Secrets Manager secret holding the clusters document, read at run time (absent: NETCHECK_CLUSTERS). */
  configSecretId?: string;
  /** SSM parameter holding the same document (String or SecureString), when that is where it lives instead. */
  configParameter?: string;
  /** DynamoDB table of incident state; the dedupe table when unset (same key schema and TTL attribute). */
  incidentTable: string;
  /** Alert label keys naming the cluster, tried before cluster/cluster_name/k8s_cluster. */
  incidentClusterLabels: string[];
  /** How long an incident stays open after its last trigger. */
  incidentCooldownMs: number;
  /** The remediation flow's settings (src/aws/approvals.ts, src/handlers/remediator). */
  remediation?: RemediationConfig;
  /**
   * The table of button offers (PLANS_TABLE, src/aws/offers.ts), whenever it is named: Re-run needs it even
   * without the remediation flow. Without it, reports carry no Re-run or Fix… buttons.
   */
  offersTable?: string;
}

export interface RemediationConfig {
  plansTable: string;
  remediatorFunctionName: string;
  planTtlSeconds: number;
}
