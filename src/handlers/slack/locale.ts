// The user-locale lookup the Slack function makes while the user waits for the ack (access.ts languageOf).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export type LocaleLookup = (userId: string) => Promise<string | undefined>;

/**
 * `users.info` over node:http(s) instead of Bolt's WebClient: the WebClient uses fetch, and Node loads fetch's
 * implementation (undici, ~35 ms of CPU) on its first call, which on a cold start is this lookup, inside the ack.
 * The AWS SDK clients have already loaded node:http(s). Best effort: any failure rejects and the caller falls back.
 */
export function createLocaleLookup(opts: { token: string; apiUrl?: string; timeoutMs: number }): LocaleLookup {
  const base = opts.apiUrl ?? 'https://slack.com/api/';
  return (userId) =>
    // Inside the executor, a malformed SLACK_API_URL rejects like any other failed lookup.
    new Promise((resolve, reject) => {
      const url = new URL('users.info', base.endsWith('/') ? base : `${base}/`);
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const body = new URLSearchParams({ user: userId, include_locale: 'true' }).toString();
      const req = send(
        url,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${opts.token}`,
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
          },
          signal: AbortSignal.timeout(opts.timeoutMs),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            try {
              const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
                ok?: boolean;
                error?: string;
                user?: { locale?: string };
              };
              // Slack answers HTTP 200 with ok:false on errors; the error code names no secret.
              if (!answer.ok) reject(new Error(`users.info failed: ${answer.error ?? `HTTP ${res.statusCode}`}`));
              else resolve(answer.user?.locale);
            } catch {
              reject(new Error(`users.info answered HTTP ${res.statusCode} with a body that is not JSON`));
            }
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}
