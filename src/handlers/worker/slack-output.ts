// Where a job's answer goes: one channel message posted at the start and edited in place (progress,
// then the report); the thread for details. When the bot may not post in the channel, the command's
// response_url takes over (no progress edits there: a response_url accepts only five posts).
// No report is ever lost to a flaky Slack: every call is retried within the Lambda's deadline (a 429 after its
// Retry-After, a 5xx or a timeout after a short backoff); a final edit that keeps failing is posted anew (and the
// "Checking…" message removed); and when the channel cannot be written at all, the command's response_url
// (valid for 30 minutes, five posts) carries the report.
import type { webApi } from '@slack/bolt';
import type { Job } from '../../jobs/job.ts';
import type { SlackMessage } from '../../slack/limits.ts';
import type { Log } from '../log.ts';

type WebClient = InstanceType<typeof webApi.WebClient>;

export interface SlackOutput {
  /** Posts the first message; false when it could be delivered nowhere. */
  start(message: SlackMessage): Promise<boolean>;
  /** Edits the message in place, at most once per interval; only the latest edit is kept. Never throws. */
  progress(message: SlackMessage): void;
  /** Waits for pending edits, then writes the final message; false when it could be delivered nowhere. */
  finish(message: SlackMessage): Promise<boolean>;
  /** A reply in the message's thread (details). */
  reply(message: SlackMessage): Promise<void>;
  /** The ts of the message written, once start() has written one in the channel. */
  ts(): string | undefined;
}

const NO_ACCESS = new Set(['not_in_channel', 'channel_not_found']);
const MAX_ATTEMPTS = 4;
/** What one more Slack call may take (the WebClient's own timeout, set by the worker). */
const CALL_BUDGET_MS = 3000;
const RESPONSE_URL_POSTS = 5;
const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;
/** Longest Retry-After honoured at all; anything longer is a Slack outage, not a pause. */
const MAX_RETRY_AFTER_MS = 30_000;

/** How long to wait before retrying a failed call, or undefined when retrying would not help. */
export function retryDelayMs(error: unknown, attempt: number): number | undefined {
  const e = error as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
  if (e?.code === 'slack_webapi_rate_limited_error' || e?.statusCode === 429) {
    const seconds = Number(e.retryAfter);
    const ms = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
    return ms > MAX_RETRY_AFTER_MS ? undefined : ms;
  }
  const backoff = 250 * 2 ** (attempt - 1);
  if (e?.code === 'slack_webapi_http_error' || e?.code === 'slack_webapi_request_error') return backoff;
  if (typeof e?.statusCode === 'number' && e.statusCode >= 500) return backoff;
  if (e?.data?.error === 'internal_error' || e?.data?.error === 'service_unavailable') return backoff;
  if ((error as Error)?.name === 'TimeoutError' || (error as Error)?.name === 'AbortError') return backoff;
  if ((error as Error)?.message === 'fetch failed') return backoff;
  return undefined;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : (error as Error)?.message;
}

export function createSlackOutput(opts: {
  client: WebClient;
  job: Job;
  log: Log;
  intervalMs: number;
  now?: () => number;
  fetch?: typeof fetch;
  /** Epoch ms by which every Slack call and retry must be over (the Lambda's own deadline, minus a margin). */
  deadlineAt?: number;
}): SlackOutput {
  const { client, job, log, intervalMs } = opts;
  const now = opts.now ?? Date.now;
  const doFetch = opts.fetch ?? fetch;
  const deadlineAt = opts.deadlineAt ?? Date.now() + 60_000;
  let responseUrlPosts = 0;

  /** Runs a Slack call, retrying what is worth retrying as long as the wait and one more call fit the deadline. */
  const withRetries = async <T>(call: () => Promise<T>, attempts = MAX_ATTEMPTS): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const wait = retryDelayMs(error, attempt);
        if (wait === undefined || attempt >= attempts || Date.now() + wait + CALL_BUDGET_MS > deadlineAt) {
          throw error;
        }
        log.warn('Slack call failed; retrying', { code: slackErrorCode(error) ?? errorCode(error), waitMs: wait });
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  };
  let ts: string | undefined;
  let channel = job.channelId;
  let viaResponseUrl = false;
  let chain: Promise<void> = Promise.resolve();
  let lastEdit = 0;
  let pending: SlackMessage | undefined;
  let timer: NodeJS.Timeout | undefined;
  let finished = false;

  const post = (message: SlackMessage, threadTs?: string) =>
    client.chat.postMessage({
      channel,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      unfurl_links: false,
    } as never);

  const update = (message: SlackMessage) =>
    client.chat.update({
      channel,
      ts: ts as string,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks } : {}),
    } as never);

  const toResponseUrl = (message: SlackMessage) =>
    withRetries(async () => {
      // Slack accepts five posts per response_url; the report matters more than a sixth detail.
      if (responseUrlPosts >= RESPONSE_URL_POSTS) throw new Error('the response_url has had its five posts');
      responseUrlPosts++;
      const res = await doFetch(job.responseUrl as string, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'in_channel', replace_original: false, ...message }),
        signal: AbortSignal.timeout(Math.max(100, Math.min(5000, deadlineAt - Date.now()))),
      });
      if (!res.ok) {
        throw Object.assign(new Error(`response_url answered ${res.status}`), {
          statusCode: res.status,
          retryAfter: Number(res.headers.get('retry-after')) || undefined,
        });
      }
    });

  /** The last resort for a message the channel would not take. */
  const fallBack = async (message: SlackMessage, why: unknown): Promise<boolean> => {
    const expired =
      job.responseUrlIssuedAt !== undefined && Date.now() - job.responseUrlIssuedAt > RESPONSE_URL_LIFETIME_MS;
    if (!job.responseUrl || responseUrlPosts >= RESPONSE_URL_POSTS || expired) {
      log.error('could not deliver the message', { error: why, code: slackErrorCode(why) });
      return false;
    }
    log.warn('channel unavailable; answering through response_url', { code: slackErrorCode(why) ?? errorCode(why) });
    try {
      await toResponseUrl(message);
      return true;
    } catch (error) {
      log.error('could not deliver the message, not even through response_url', { error });
      return false;
    }
  };

  const flush = () => {
    timer = undefined;
    const message = pending;
    pending = undefined;
    if (!message || finished) return;
    lastEdit = now();
    chain = chain
      .then(() => update(message).then(() => undefined))
      .catch((error) => log.warn('progress update failed', { error }));
  };

  return {
    async start(message) {
      if (job.messageTs) {
        // Re-run: the report the button belongs to is updated in place, not posted again.
        ts = job.messageTs;
        try {
          await update(message);
          lastEdit = now();
          return true;
        } catch (error) {
          log.warn('could not update the report in place; posting it anew', { code: slackErrorCode(error) });
          ts = undefined;
        }
      }
      // A new incident channel: the bot is not a member yet (channels:join lets it enter public channels). In a
      // private channel it was invited, and channels:join does not apply.
      if (job.kind === 'incident' && !job.threadTs && job.incident?.trigger !== 'bot-joined')
        await join(client, channel, log);
      try {
        // The progress message is a courtesy: two attempts, so a hung Slack cannot eat the diagnosis' time.
        const res = (await withRetries(() => post(message, job.threadTs), 2)) as { ts?: string; channel?: string };
        ts = res.ts;
        if (res.channel) channel = res.channel;
        lastEdit = now();
        return true;
      } catch (error) {
        const code = slackErrorCode(error);
        if (code && NO_ACCESS.has(code) && job.responseUrl) {
          log.info('bot cannot post in the channel; answering through response_url', { code });
          viaResponseUrl = true;
          return true;
        }
        if (job.responseUrl) {
          // Slack's chat API is failing; the response_url may still work, and only the final report goes there.
          log.warn('could not post the progress message; the report will go through response_url', {
            code: code ?? errorCode(error),
          });
          viaResponseUrl = true;
          return true;
        }
        log.error('could not post to Slack', { error, code });
        return false;
      }
    },

    progress(message) {
      if (viaResponseUrl || !ts || finished) return;
      pending = message;
      if (timer) return;
      const wait = Math.max(0, lastEdit + intervalMs - now());
      timer = setTimeout(flush, wait);
    },

    async finish(message) {
      finished = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = undefined;
      await chain;
      if (viaResponseUrl || !ts) return fallBack(message, new Error('no channel message to update'));
      try {
        await withRetries(() => update(message));
        return true;
      } catch (error) {
        log.warn('could not update the progress message; posting the report anew', {
          code: slackErrorCode(error) ?? errorCode(error),
        });
      }
      const progressTs = ts;
      try {
        const res = (await withRetries(() => post(message, job.threadTs))) as { ts?: string };
        ts = res.ts ?? ts;
      } catch (error) {
        return fallBack(message, error);
      }
      // Never leave "Checking…" on screen next to the report: remove it (best effort, once).
      try {
        await client.chat.delete({ channel, ts: progressTs } as never);
      } catch (error) {
        log.warn('could not remove the progress message', { code: slackErrorCode(error) ?? errorCode(error) });
      }
      return true;
    },

    async reply(message) {
      try {
        if (viaResponseUrl) await toResponseUrl(message);
        else if (ts) await withRetries(() => post(message, job.threadTs ?? ts));
      } catch (error) {
        log.warn('could not post details', { error, code: slackErrorCode(error) });
      }
    },

    ts: () => (viaResponseUrl ? undefined : ts),
  };
}

async function join(client: WebClient, channel: string, log: Log): Promise<void> {
  try {
    await client.conversations.join({ channel });
  } catch (error) {
    log.warn('could not join the incident channel', { code: slackErrorCode(error) });
  }
}

/** The Slack API error code (`not_in_channel`) carried by a WebClient platform error. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } })?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}
