// SSM Parameter Store reads for the run-time configuration document: one GetParameter (WithDecryption, so a
// SecureString arrives in plain text) per parameter per TTL, shared by concurrent callers. Values never appear in
// errors or logs; only parameter names do.
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';

export interface ParameterStore {
  get(name: string): Promise<string>;
}

export class ParameterError extends Error {
  readonly parameter: string;
  constructor(parameter: string, message: string, options?: { cause?: unknown }) {
    super(`parameter "${parameter}": ${message}`, options);
    this.name = 'ParameterError';
    this.parameter = parameter;
  }
}

export function createParameterStore(opts: { client: SSMClient; ttlMs?: number; now?: () => number }): ParameterStore {
  const ttlMs = opts.ttlMs ?? 5 * 60_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { value?: string; expiresAt: number; inFlight?: Promise<string> }>();

  async function fetchParameter(name: string): Promise<string> {
    try {
      const out = await opts.client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      const value = out.Parameter?.Value;
      if (typeof value !== 'string') throw new ParameterError(name, 'has no value');
      return value;
    } catch (e) {
      if (e instanceof ParameterError) throw e;
      const err = e as { name?: string; message?: string };
      throw new ParameterError(name, `${err.name ?? 'Error'}: ${err.message ?? String(e)}`, { cause: e });
    }
  }

  return {
    get(name) {
      const entry = cache.get(name);
      if (entry?.value !== undefined && entry.expiresAt > now()) return Promise.resolve(entry.value);
      if (entry?.inFlight) return entry.inFlight;
      const inFlight = fetchParameter(name).then(
        (value) => {
          cache.set(name, { value, expiresAt: now() + ttlMs });
          return value;
        },
        (error) => {
          // A failed read is never cached: the next request tries again.
          cache.delete(name);
          throw error;
        },
      );
      cache.set(name, { ...entry, expiresAt: entry?.expiresAt ?? 0, inFlight });
      return inFlight;
    },
  };
}
