// The throttle that keeps chat.update under Slack's rate limit, and the ordering of the final edit.
import { describe, expect, it } from 'vitest';
import type { Job } from '../../jobs/job.ts';
import { createLog } from '../log.ts';
import { createSlackOutput } from './slack-output.ts';

function recordingClient() {
  const calls: { method: string; args: Record<string, unknown> }[] = [];
  const client = {
    chat: {
      postMessage: async (args: Record<string, unknown>) => {
        calls.push({ method: 'chat.postMessage', args });
        return { ok: true, ts: '1700000000.000001', channel: args.channel };
      },
      update: async (args: Record<string, unknown>) => {
        calls.push({ method: 'chat.update', args });
        return { ok: true };
      },
    },
    conversations: { join: async () => ({ ok: true }) },
  };
  return { calls, client: client as never };
}

/** A rendered message; these tests look at the text only. */
const message = (text: string) => ({ text, blocks: [] });

const job: Job = {
  kind: 'slash-command',
  jobId: 'command:t',
  cluster: 'prod-eu',
  scope: 'dns',
  lang: 'en',
  details: false,
  userId: 'U1',
  channelId: 'C1',
};

describe('the progress message', () => {
  it('coalesces a burst of progress into at most one edit per interval, and the final edit comes last', async () => {
    const { calls, client } = recordingClient();
    const out = createSlackOutput({ client, job, log: createLog({ write: () => {} }), intervalMs: 40 });
    await out.start(message('Checking…'));
    for (let i = 1; i <= 20; i++) out.progress(message(`step ${i}`));
    // Wait for the throttled edit to happen (however slow the machine), then finish.
    while (!calls.some((c) => c.method === 'chat.update')) await new Promise((r) => setTimeout(r, 5));
    await out.finish(message('report'));

    const updates = calls.filter((c) => c.method === 'chat.update').map((c) => c.args);
    expect(updates).toHaveLength(2);
    // Only the latest step of the burst is shown; older ones are dropped, not queued.
    expect(updates[0]?.text).toBe('step 20');
    expect(updates.at(-1)?.text).toBe('report');
    for (const u of updates) expect(u.ts).toBe('1700000000.000001');
  });

  it('drops progress that arrives after the final message', async () => {
    const { calls, client } = recordingClient();
    const out = createSlackOutput({ client, job, log: createLog({ write: () => {} }), intervalMs: 10 });
    await out.start(message('Checking…'));
    await out.finish(message('report'));
    out.progress(message('late'));
    await new Promise((r) => setTimeout(r, 30));
    expect(calls.filter((c) => c.method === 'chat.update').map((c) => c.args.text)).toEqual(['report']);
  });
});
