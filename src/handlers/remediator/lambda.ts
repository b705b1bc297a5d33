// The remediator Lambda, invoked asynchronously by the Slack function with a plan/apply/rollback job (a plan id).
// The only function that writes to clusters, under its own IAM role and Kubernetes identity; its diagnosis (to find
// the finding and to verify the fix) goes through the read-only reader, the same one the worker uses.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { webApi } from '@slack/bolt';
import type { Context } from 'aws-lambda';
import { createApprovalStore } from '../../aws/approvals.ts';
import { createEksDescriber } from '../../aws/eks-describe.ts';
import { createOfferStore } from '../../aws/offers.ts';
import { createSecretStore } from '../../aws/secrets.ts';
import { createClusterConnector } from '../../cluster/connect.ts';
import { createKubeReader } from '../../cluster/k8s-reader.ts';
import { createKubeWriter } from '../../cluster/k8s-writer.ts';
import { ConfigError, loadConfig } from '../config/load.ts';
import { createLog, type Log, slackLogger } from '../log.ts';
import { awsClientConfig, slackSecretsFrom } from '../runtime.ts';
import { createRemediator, type RemediatorResult } from './remediator.ts';

export type RemediatorHandler = (event: unknown, context: Context) => Promise<RemediatorResult>;

/** Wires the real clients from the environment (one per cold start). */
export function remediatorHandlerFromEnv(
  env: NodeJS.ProcessEnv,
  options: { log?: Log; now?: () => number; rolloutTimeoutMs?: number } = {},
): RemediatorHandler {
  const config = loadConfig(env);
  const remediation = config.remediation;
  if (!remediation) throw new ConfigError(['PLANS_TABLE: Required by the remediator']);
  const log = options.log ?? createLog();
  const secrets = createSecretStore({
    client: new SecretsManagerClient(awsClientConfig(config, env, 'secretsManager')),
    ttlMs: 5 * 60_000,
  });
  let describer: ReturnType<typeof createEksDescriber> | undefined;
  const connector = createClusterConnector({
    secrets,
    describeCluster: (auth) => {
      describer ??= createEksDescriber();
      return describer(auth);
    },
  });
  let client: InstanceType<typeof webApi.WebClient> | undefined;
  const run = createRemediator({
    config,
    log,
    ...(options.now ? { now: options.now } : {}),
    ...(options.rolloutTimeoutMs !== undefined ? { rolloutTimeoutMs: options.rolloutTimeoutMs } : {}),
    offers: createOfferStore({
      client: new DynamoDBClient(awsClientConfig(config, env, 'dynamodb')),
      table: remediation.plansTable,
      ...(options.now ? { now: options.now } : {}),
    }),
    store: createApprovalStore({
      client: new DynamoDBClient(awsClientConfig(config, env, 'dynamodb')),
      table: remediation.plansTable,
      ttlSeconds: remediation.planTtlSeconds,
      ...(options.now ? { now: options.now } : {}),
      auditLog: (entry) => log.info('plan transition', { audit: entry }),
    }),
    slack: async () => {
      if (client) return client;
      const token = (await slackSecretsFrom(config, secrets)).botToken;
      log.redact(token);
      client = new webApi.WebClient(token, {
        ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
        retryConfig: { retries: 2 },
        timeout: 5000,
        logger: slackLogger(log, 'web-api'),
      });
      return client;
    },
    connect: async (cluster) => {
      // Two identities: reads for the diagnosis as the read-only bot, writes as the remediator.
      const [read, write] = await Promise.all([
        connector.connect(cluster),
        connector.connect({ name: `${cluster.name}#remediator`, auth: cluster.remediatorAuth ?? cluster.auth }),
      ]);
      return {
        reader: createKubeReader(read.kc, { timeoutMs: 8000, identity: read.identity }),
        writer: createKubeWriter(write.kc, { timeoutMs: 8000, identity: write.identity }),
        server: read.server,
      };
    },
  });
  return (event) => run(event);
}

let fromEnv: RemediatorHandler | undefined;

/** The deployed entry point: exactly (event, context). */
export const handler = async (event: unknown, context: Context): Promise<RemediatorResult> => {
  fromEnv ??= remediatorHandlerFromEnv(process.env);
  return fromEnv(event, context);
};
