// Shared wiring for the deployed handlers and `netcheck dev`: AWS client options and the Slack secret.
// Kept free of Kubernetes imports: the Slack handler's bundle includes this file.
import type { SecretStore } from '../aws/secrets.ts';
import { type AppConfig, type AwsEndpoints, SlackSecret } from './config/schema.ts';

/** Options for an AWS SDK client: region, optional endpoint override, and short timeouts. */
export function awsClientConfig(config: AppConfig, env: NodeJS.ProcessEnv, service: keyof AwsEndpoints) {
  const endpoint = config.awsEndpoints?.[service];
  return {
    region: config.region,
    ...(endpoint ? { endpoint } : {}),
    ...credentialsFrom(config, env),
    maxAttempts: 2,
    // Two attempts of at most ~1.2 s each keep a stuck AWS call inside Slack's 3 s ack window.
    requestHandler: { connectionTimeout: 1000, requestTimeout: 1200 },
  };
}

/** Plaintext env in dev mode, otherwise the JSON secret named by SLACK_SECRET_ID. */
export async function slackSecretsFrom(config: AppConfig, store: Pick<SecretStore, 'getJson'>): Promise<SlackSecret> {
  const { signingSecret, botToken, secretId } = config.slack;
  if (signingSecret && botToken && !secretId) return { signingSecret, botToken };
  if (!secretId) throw new Error('SLACK_SECRET_ID: Required');
  return store.getJson(secretId, SlackSecret);
}

/**
 * Credentials from the given environment (Lambda puts the role's keys there), so a handler built from an env
 * object behaves the same as one built from process.env. Dev mode without keys talks to local fakes that
 * ignore credentials; without placeholders the SDK would go probing instance metadata.
 */
function credentialsFrom(config: AppConfig, env: NodeJS.ProcessEnv) {
  const {
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_SESSION_TOKEN: sessionToken,
  } = env;
  if (accessKeyId && secretAccessKey) {
    return { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } };
  }
  if (config.mode === 'dev' && !env.AWS_PROFILE) {
    return { credentials: { accessKeyId: 'netcheck-dev', secretAccessKey: 'netcheck-dev' } };
  }
  return {};
}

/** The Parameter Store reader for NETCHECK_CONFIG_PARAMETER, loaded on first use (most deployments use a secret). */
export async function parameterStoreFor(config: AppConfig, env: NodeJS.ProcessEnv) {
  const [{ SSMClient }, { createParameterStore }] = await Promise.all([
    import('@aws-sdk/client-ssm'),
    import('../aws/parameters.ts'),
  ]);
  return createParameterStore({ client: new SSMClient(awsClientConfig(config, env, 'ssm')), ttlMs: 5 * 60_000 });
}
