// Secrets Manager reads with a module-scope cache: one GetSecretValue per secret per TTL, shared by concurrent callers.
// Secret values never appear in errors or logs; only secret ids and field names do.
import {
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { type core, safeParse } from 'zod/mini';

export interface SecretStore {
  get(secretId: string): Promise<string>;
  getJson<T>(secretId: string, schema: core.$ZodType<T>): Promise<T>;
  /** Forget one secret (e.g. after Slack says `invalid_auth` because it was rotated) or all of them. */
  invalidate(secretId?: string): void;
}

export class SecretError extends Error {
  readonly secretId: string;
  constructor(secretId: string, message: string, options?: { cause?: unknown }) {
    super(`secret "${secretId}": ${message}`, options);
    this.name = 'SecretError';
    this.secretId = secretId;
  }
}

interface Entry {
  value?: string;
  expiresAt: number;
  inFlight?: Promise<string>;
}

export function createSecretStore(opts: {
  client: SecretsManagerClient;
  ttlMs?: number;
  now?: () => number;
}): SecretStore {
  const ttlMs = opts.ttlMs ?? 5 * 60_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, Entry>();

  async function fetchSecret(secretId: string): Promise<string> {
    let out: GetSecretValueCommandOutput;
    try {
      out = await opts.client.send(new GetSecretValueCommand({ SecretId: secretId }));
    } catch (e) {
      const err = e as { name?: string; message?: string };
      throw new SecretError(secretId, `${err.name ?? 'Error'}: ${err.message ?? String(e)}`, { cause: e });
    }
    if (typeof out.SecretString !== 'string') {
      throw new SecretError(secretId, 'has no SecretString (binary secrets are not supported)');
    }
    return out.SecretString;
  }

  function get(secretId: string): Promise<string> {
    const entry = cache.get(secretId);
    if (entry?.value !== undefined && entry.expiresAt > now()) return Promise.resolve(entry.value);
    if (entry?.inFlight) return entry.inFlight;
    const inFlight = fetchSecret(secretId).then(
      (value) => {
        // Unless invalidate() ran meanwhile: then the next caller must fetch again.
        if (cache.get(secretId)?.inFlight === inFlight) cache.set(secretId, { value, expiresAt: now() + ttlMs });
        return value;
      },
      (error: unknown) => {
        // Errors are not cached: the next caller tries again.
        if (cache.get(secretId)?.inFlight === inFlight) cache.delete(secretId);
        throw error;
      },
    );
    cache.set(secretId, { ...entry, expiresAt: entry?.expiresAt ?? 0, inFlight });
    return inFlight;
  }

  async function getJson<T>(secretId: string, schema: core.$ZodType<T>): Promise<T> {
    const raw = await get(secretId);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new SecretError(secretId, 'is not valid JSON');
    }
    const parsed = safeParse(schema, json);
    if (!parsed.success) {
      // Field names and expectations only: zod's default messages name types, never the input.
      const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new SecretError(secretId, `unexpected content: ${fields.join('; ')}`);
    }
    return parsed.data;
  }

  return {
    get,
    getJson,
    invalidate(secretId) {
      if (secretId === undefined) cache.clear();
      else cache.delete(secretId);
    },
  };
}
