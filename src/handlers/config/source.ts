// Where the clusters come from at run time: NETCHECK_CLUSTERS when set (dev, tests, an override), else the JSON
// document in Secrets Manager (NETCHECK_CONFIG_SECRET_ID) or in SSM Parameter Store (NETCHECK_CONFIG_PARAMETER),
// validated on the first request of a cold start and re-read when the store's cache expires (5 minutes), so adding
// a cluster is a secret or parameter update, not a redeploy.
import type { ParameterStore } from '../../aws/parameters.ts';
import type { SecretStore } from '../../aws/secrets.ts';
import { withConfigDocument } from './load.ts';
import type { AppConfig } from './schema.ts';

export type ConfigSource = () => Promise<AppConfig>;

/** The same AppConfig object until the document changes: callers rebuild what they built from it only then. */
export function createConfigSource(
  base: AppConfig,
  secrets: Pick<SecretStore, 'get'>,
  /** Built on first use: the SSM client loads only where the document lives in Parameter Store. */
  parameters?: () => Promise<ParameterStore>,
): ConfigSource {
  const secretId = base.configSecretId;
  const parameter = base.configParameter;
  if (!secretId && !parameter) return async () => base;
  let store: Promise<ParameterStore> | undefined;
  const read = async (): Promise<string> => {
    if (secretId) return secrets.get(secretId);
    if (!parameters) throw new Error('NETCHECK_CONFIG_PARAMETER is set but no Parameter Store client was given');
    store ??= parameters();
    return (await store).get(parameter as string);
  };
  let last: { raw: string; config: AppConfig } | undefined;
  return async () => {
    const raw = await read();
    if (last?.raw === raw) return last.config;
    const config = withConfigDocument(base, raw);
    last = { raw, config };
    return config;
  };
}

/** A handler rebuilt whenever the configuration it was built from changes. */
export function perConfig<E, C, R>(
  source: ConfigSource,
  make: (config: AppConfig) => (event: E, context: C) => Promise<R>,
): (event: E, context: C) => Promise<R> {
  let current: { config: AppConfig; handler: (event: E, context: C) => Promise<R> } | undefined;
  return async (event, context) => {
    const config = await source();
    if (current?.config !== config) current = { config, handler: make(config) };
    return current.handler(event, context);
  };
}
