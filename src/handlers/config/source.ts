// Where the clusters come from at run time: NETCHECK_CLUSTERS when set (dev, tests, an override), else the JSON
// document in Secrets Manager, validated on the first request of a cold start and re-read when the secret store's
// cache expires (5 minutes), so adding a cluster is a secret update, not a redeploy.
import type { SecretStore } from '../../aws/secrets.ts';
import { withConfigDocument } from './load.ts';
import type { AppConfig } from './schema.ts';

export type ConfigSource = () => Promise<AppConfig>;

/** The same AppConfig object until the document changes: callers rebuild what they built from it only then. */
export function createConfigSource(base: AppConfig, secrets: Pick<SecretStore, 'get'>): ConfigSource {
  const secretId = base.configSecretId;
  if (!secretId) return async () => base;
  let last: { raw: string; config: AppConfig } | undefined;
  return async () => {
    const raw = await secrets.get(secretId);
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
