// Where a job's answer goes: one channel message posted at the start and edited in place (progress,
// then the report); the thread for details. When the bot may not post in the channel, the command's
// response_url takes over (no progress edits there: a response_url accepts only five posts).
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
  /** Waits for pending edits, then writes the final message. */
  finish(message: SlackMessage): Promise<void>;
  /** A reply in the message's thread (details). */
  reply(message: SlackMessage): Promise<void>;
  /** The ts of the message written, once start() has written one in the channel. */
  ts(): string | undefined;
}

const NO_ACCESS = new Set(['not_in_channel', 'channel_not_found']);

export function createSlackOutput(opts: {
  client: WebClient;
  job: Job;
  log: Log;
  intervalMs: number;
  now?: () => number;
  fetch?: typeof fetch;
}): SlackOutput {
  const { client, job, log, intervalMs } = opts;
  const now = opts.now ?? Date.now;
  const doFetch = opts.fetch ?? fetch;
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

  const toResponseUrl = async (message: SlackMessage) => {
    const res = await doFetch(job.responseUrl as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'in_channel', replace_original: false, ...message }),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`response_url answered ${res.status}`);
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
        const res = (await post(message, job.threadTs)) as { ts?: string; channel?: string };
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
      try {
        if (viaResponseUrl) await toResponseUrl(message);
        else if (ts) await update(message);
      } catch (error) {
        log.error('could not deliver the final message', { error, code: slackErrorCode(error) });
      }
    },

    async reply(message) {
      try {
        if (viaResponseUrl) await toResponseUrl(message);
        else if (ts) await post(message, job.threadTs ?? ts);
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
