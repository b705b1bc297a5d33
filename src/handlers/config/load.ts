// Parses the environment once at cold start; every mistake is reported with the env var and JSON path it came from.
import type { core } from 'zod/mini';
import { Lang } from '../../jobs/vocabulary.ts';
import {
  type AppConfig,
  type AwsEndpoints,
  type ClusterConfig,
  ClusterList,
  Mode,
  type SlackConfig,
} from './schema.ts';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.length === 1 ? problems[0] : `invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const DEV_WORKER = 'netcheck-dev-worker';
const DEV_TABLE = 'netcheck-dedupe';
const DEV_PLANS = 'netcheck-plans';
const DEV_REMEDIATOR = 'netcheck-dev-remediator';

/** `[1, 'auth', 'region']` → `[1].auth.region`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}

/** Zod issues as `VAR[1].auth.region: Required`; messages never quote the input value. */
export function describeIssues(prefix: string, error: core.$ZodError): string[] {
  return error.issues.map((issue) => {
    const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
    return `${prefix}${formatPath(issue.path)}: ${missing ? 'Required' : issue.message}`;
  });
}

function nonEmpty(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const problems: string[] = [];

  const modeRaw = nonEmpty(env, 'NETCHECK_MODE') ?? (env.AWS_LAMBDA_FUNCTION_NAME ? 'lambda' : 'dev');
  const modeParsed = Mode.safeParse(modeRaw);
  if (!modeParsed.success) problems.push(`NETCHECK_MODE: expected "lambda" or "dev", got "${modeRaw}"`);
  const mode = modeParsed.success ? modeParsed.data : 'lambda';

  const langRaw = nonEmpty(env, 'NETCHECK_DEFAULT_LANG') ?? 'en';
  const langParsed = Lang.safeParse(langRaw);
  if (!langParsed.success) problems.push(`NETCHECK_DEFAULT_LANG: expected "en" or "ko", got "${langRaw}"`);

  let clusters: ClusterConfig[] = [];
  const clustersRaw = nonEmpty(env, 'NETCHECK_CLUSTERS');
  // Deployed, the clusters come from the run-time document (withConfigDocument); NETCHECK_CLUSTERS overrides it.
  // One document, one place: a parameter, when named, is where it lives (serverless.yml always names the secret).
  const configParameter = nonEmpty(env, 'NETCHECK_CONFIG_PARAMETER');
  const configSecretId = configParameter ? undefined : nonEmpty(env, 'NETCHECK_CONFIG_SECRET_ID');
  if (!clustersRaw) {
    if (!configSecretId && !configParameter) problems.push('NETCHECK_CLUSTERS: Required (a JSON array of clusters)');
  } else {
    clusters = parseClusters(clustersRaw, 'NETCHECK_CLUSTERS', mode, problems);
  }

  const slack: SlackConfig = {
    secretId: nonEmpty(env, 'SLACK_SECRET_ID'),
    signingSecret: nonEmpty(env, 'SLACK_SIGNING_SECRET'),
    botToken: nonEmpty(env, 'SLACK_BOT_TOKEN'),
    apiUrl: nonEmpty(env, 'SLACK_API_URL'),
    botId: nonEmpty(env, 'SLACK_BOT_ID'),
    botUserId: nonEmpty(env, 'SLACK_BOT_USER_ID'),
  };
  const teamIds = (nonEmpty(env, 'SLACK_TEAM_ID') ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (teamIds.some((t) => !/^[TE][A-Z0-9]+$/.test(t))) {
    problems.push('SLACK_TEAM_ID: team ids look like T0123ABCD (Enterprise Grid org ids: E0123ABCD), comma-separated');
  }
  if (teamIds.length > 0) slack.teamIds = teamIds;
  if (mode === 'lambda') {
    if (slack.signingSecret)
      problems.push('SLACK_SIGNING_SECRET: plaintext secrets are for dev mode; use SLACK_SECRET_ID');
    if (slack.botToken) problems.push('SLACK_BOT_TOKEN: plaintext secrets are for dev mode; use SLACK_SECRET_ID');
    if (!slack.secretId) problems.push('SLACK_SECRET_ID: Required in lambda mode');
  } else if (!slack.secretId && (!slack.signingSecret || !slack.botToken)) {
    problems.push('SLACK_SECRET_ID: Required unless both SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are set');
  }
  if (slack.apiUrl && !URL.canParse(slack.apiUrl)) problems.push('SLACK_API_URL: not a URL');
  if (Boolean(slack.botId) !== Boolean(slack.botUserId)) {
    problems.push('SLACK_BOT_ID/SLACK_BOT_USER_ID: set both (to skip auth.test) or neither');
  }

  const required = (name: string, devDefault: string): string => {
    const v = nonEmpty(env, name);
    if (v) return v;
    if (mode === 'dev') return devDefault;
    problems.push(`${name}: Required in lambda mode`);
    return '';
  };
  const workerFunctionName = required('WORKER_FUNCTION_NAME', DEV_WORKER);
  const dedupeTable = required('DEDUPE_TABLE', DEV_TABLE);

  const awsEndpoints: AwsEndpoints = {};
  for (const [key, name] of [
    ['secretsManager', 'AWS_ENDPOINT_URL_SECRETS_MANAGER'],
    ['lambda', 'AWS_ENDPOINT_URL_LAMBDA'],
    ['dynamodb', 'AWS_ENDPOINT_URL_DYNAMODB'],
    ['ssm', 'AWS_ENDPOINT_URL_SSM'],
  ] as const) {
    const v = nonEmpty(env, name);
    if (!v) continue;
    if (URL.canParse(v)) awsEndpoints[key] = v;
    else problems.push(`${name}: not a URL`);
  }

  const incidentChannelPattern = nonEmpty(env, 'NETCHECK_INCIDENT_CHANNEL_PATTERN');
  if (incidentChannelPattern) {
    try {
      new RegExp(incidentChannelPattern);
    } catch {
      problems.push('NETCHECK_INCIDENT_CHANNEL_PATTERN: not a valid regular expression');
    }
  }

  const cooldownRaw = nonEmpty(env, 'NETCHECK_INCIDENT_COOLDOWN_MINUTES');
  const cooldownMinutes = cooldownRaw === undefined ? 360 : Number(cooldownRaw);
  if (!Number.isInteger(cooldownMinutes) || cooldownMinutes < 1 || cooldownMinutes > 7 * 24 * 60) {
    problems.push('NETCHECK_INCIDENT_COOLDOWN_MINUTES: expected whole minutes between 1 and 10080');
  }
  const incidentClusterLabels = (nonEmpty(env, 'NETCHECK_INCIDENT_CLUSTER_LABELS') ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  // The remediation flow is on once a cluster names approvers; then its table and function must be named.
  const remediationOn = clusters.some((c) => c.approvers?.length || c.approverGroups?.length);
  const ttlRaw = nonEmpty(env, 'NETCHECK_PLAN_TTL_MINUTES');
  const ttlMinutes = ttlRaw === undefined ? 15 : Number(ttlRaw);
  if (!Number.isInteger(ttlMinutes) || ttlMinutes < 1 || ttlMinutes > 60) {
    problems.push('NETCHECK_PLAN_TTL_MINUTES: expected a whole number of minutes from 1 to 60');
  }
  clusters.forEach((c, i) => {
    if (c.allowSelfApproval && !c.approvers?.length && !c.approverGroups?.length && mode === 'lambda') {
      problems.push(`NETCHECK_CLUSTERS[${i}].allowSelfApproval: cluster "${c.name}" has no approvers to relax`);
    }
  });
  const optionalInLambda = (name: string, devDefault: string): string => {
    const v = nonEmpty(env, name);
    if (v) return v;
    if (mode === 'dev') return devDefault;
    if (remediationOn) problems.push(`${name}: Required in lambda mode when a cluster has approvers`);
    return '';
  };
  const plansTable = optionalInLambda('PLANS_TABLE', DEV_PLANS);
  const remediatorFunctionName = optionalInLambda('REMEDIATOR_FUNCTION_NAME', DEV_REMEDIATOR);

  if (problems.length) throw new ConfigError(problems);
  return {
    clusters,
    slack,
    workerFunctionName,
    dedupeTable,
    ...(Object.keys(awsEndpoints).length ? { awsEndpoints } : {}),
    region: nonEmpty(env, 'AWS_REGION') ?? nonEmpty(env, 'AWS_DEFAULT_REGION') ?? 'us-east-1',
    mode,
    defaultLang: langParsed.success ? langParsed.data : 'en',
    ...(incidentChannelPattern ? { incidentChannelPattern } : {}),
    ...(configSecretId && !clustersRaw ? { configSecretId } : {}),
    ...(configParameter && !clustersRaw ? { configParameter } : {}),
    incidentTable: nonEmpty(env, 'INCIDENT_TABLE') ?? dedupeTable,
    incidentClusterLabels,
    incidentCooldownMs: cooldownMinutes * 60_000,
    ...(plansTable && remediatorFunctionName
      ? { remediation: { plansTable, remediatorFunctionName, planTtlSeconds: ttlMinutes * 60 } }
      : {}),
    ...(plansTable ? { offersTable: plansTable } : {}),
  };
}

/** A cluster list in JSON, validated; each problem is pushed naming `prefix` and the JSON path. */
function parseClusters(raw: string, prefix: string, mode: Mode, problems: string[]): ClusterConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    problems.push(`${prefix}: not valid JSON (${(e as Error).message})`);
    return [];
  }
  return clustersOf(json, prefix, mode, problems);
}

function clustersOf(json: unknown, prefix: string, mode: Mode, problems: string[]): ClusterConfig[] {
  const parsed = ClusterList.safeParse(json);
  if (!parsed.success) {
    problems.push(...describeIssues(prefix, parsed.error));
    return [];
  }
  if (mode === 'lambda') {
    parsed.data.forEach((c, i) => {
      if (!c.allowedUsers?.length && !c.allowedGroups?.length && !c.allowedChannels?.length) {
        problems.push(
          `${prefix}[${i}]: cluster "${c.name}" needs allowedUsers, allowedGroups or allowedChannels in lambda mode`,
        );
      }
    });
  }
  return parsed.data;
}

/**
 * The configuration with the clusters of the run-time document: JSON `{ "clusters": [ClusterConfig…] }` in the
 * Secrets Manager secret NETCHECK_CONFIG_SECRET_ID, so adding a cluster or a user is a secret update, not a
 * redeploy. Throws ConfigError naming the secret and the JSON path, never quoting the values.
 */
export function withConfigDocument(base: AppConfig, raw: string): AppConfig {
  const prefix = base.configSecretId ?? base.configParameter ?? 'config document';
  const problems: string[] = [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new ConfigError([`${prefix}: not valid JSON (${(e as Error).message})`]);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json) || !('clusters' in json)) {
    throw new ConfigError([`${prefix}: expected a JSON object with "clusters" (an array of clusters)`]);
  }
  const clusters = clustersOf((json as { clusters: unknown }).clusters, `${prefix}.clusters`, base.mode, problems);
  if (problems.length) throw new ConfigError(problems);
  return { ...base, clusters };
}

export interface AccessRequest {
  userId: string;
  channelId: string;
  /** Slack user-group ids the user belongs to, when the caller resolved them (for allowedGroups). */
  userGroups?: string[];
}

export function authorize(
  config: AppConfig,
  req: AccessRequest & { cluster: string },
): { ok: true } | { ok: false; reason: string } {
  const cluster = config.clusters.find((c) => c.name === req.cluster);
  if (!cluster) {
    return {
      ok: false,
      reason: `unknown cluster "${req.cluster}" (known: ${config.clusters.map((c) => c.name).join(', ')})`,
    };
  }
  if (cluster.allowedChannels?.length && !cluster.allowedChannels.includes(req.channelId)) {
    return { ok: false, reason: `cluster "${cluster.name}" cannot be checked from this channel` };
  }
  const userListed = cluster.allowedUsers?.includes(req.userId) ?? false;
  const groupListed = cluster.allowedGroups?.some((g) => req.userGroups?.includes(g)) ?? false;
  const hasUserList = Boolean(cluster.allowedUsers?.length || cluster.allowedGroups?.length);
  if (hasUserList && !userListed && !groupListed) {
    return { ok: false, reason: `you are not allowed to check cluster "${cluster.name}"` };
  }
  // Closed by default in production: a cluster without any allow-list is nobody's (loadConfig rejects it anyway).
  if (config.mode === 'lambda' && !hasUserList && !cluster.allowedChannels?.length) {
    return { ok: false, reason: `cluster "${cluster.name}" has no allow-list configured` };
  }
  return { ok: true };
}

/** Names of the clusters this user may check in this channel, in configuration order. */
export function clustersFor(config: AppConfig, req: AccessRequest): string[] {
  return config.clusters.filter((c) => authorize(config, { ...req, cluster: c.name }).ok).map((c) => c.name);
}

/** The cluster to check when the user names none: the allowed default, else the only allowed cluster. */
export function defaultClusterFor(config: AppConfig, req: AccessRequest): string | undefined {
  const allowed = clustersFor(config, req);
  const marked = config.clusters.find((c) => c.default && allowed.includes(c.name));
  if (marked) return marked.name;
  return allowed.length === 1 ? allowed[0] : undefined;
}
