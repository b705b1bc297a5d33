// The first-screen budget in Slack, end to end: when a report's first screen is trimmed, what it left out (the
// rest of the runbook, what the root cause caused, further findings) is posted by itself in the report's thread,
// once. A Re-run updates the report in place and replies in the thread only when the rest changed ("updated").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../src/engine/cluster-reader.ts';
import { loadScenario } from '../src/sandbox/scenarios.ts';
import { checkLimits } from '../src/slack/limits.ts';
import type { SlackApiCall } from './fakes/slack-api.ts';
import { ALICE, type Harness, OPS, startHarness } from './support/slack-harness.ts';
import { buttonRequest, commandRequest } from './support/slack-request.ts';

let h: Harness;
let n = 0;
const trigger = () => `${Date.now()}.${++n}.rest`;

beforeAll(async () => {
  h = await startHarness({ scenario: 'coredns-loop' });
});
afterAll(async () => {
  await h?.close();
});

const since = (from: number) => h.slackApi.calls.slice(from);
const posts = (calls: SlackApiCall[]) => calls.filter((c) => c.method === 'chat.postMessage');
const updates = (calls: SlackApiCall[]) => calls.filter((c) => c.method === 'chat.update');
const said = (call: SlackApiCall | undefined) => JSON.stringify(call?.body ?? {});
const tsOf = (call: SlackApiCall | undefined) => (call?.response as { ts?: string } | undefined)?.ts ?? '';

type Blocks = { elements?: { action_id?: string; value: string }[] }[];

function rerunValue(call: SlackApiCall | undefined): string {
  for (const block of (call?.body.blocks ?? []) as Blocks)
    for (const el of block.elements ?? []) if (el.action_id === 'netcheck_rerun') return el.value;
  throw new Error('the report has no Re-run button');
}

async function command(text: string) {
  await h.send(
    commandRequest(
      { text, userId: ALICE, channelId: OPS, triggerId: trigger(), responseUrl: h.slackApi.responseUrl() },
      h.signing,
    ),
  );
  await h.lambda.idle();
}

async function rerun(value: string, messageTs: string) {
  await h.send(
    buttonRequest(
      {
        actionId: 'netcheck_rerun',
        value,
        userId: ALICE,
        channelId: OPS,
        triggerId: trigger(),
        responseUrl: h.slackApi.responseUrl(),
        messageTs,
      },
      h.signing,
    ),
  );
  await h.lambda.idle();
}

describe('a report whose first screen is trimmed', () => {
  let reportTs = '';
  let button = '';

  it('posts the rest in the report thread by itself, once, within Block Kit limits, and says so instead of --details', async () => {
    const from = h.slackApi.calls.length;
    await command('all prod-eu');
    const calls = since(from);
    const [report, ...replies] = posts(calls);
    reportTs = tsOf(report);
    expect(report?.body.thread_ts).toBeUndefined();
    const final = updates(calls).at(-1);
    expect(final?.body.ts).toBe(reportTs);
    expect(said(final)).toContain('coredns.loop-detected');
    expect(said(final)).toContain('In the thread');
    expect(said(final)).not.toContain('--details');
    expect(replies.length).toBeGreaterThan(0);
    for (const reply of replies) {
      expect(reply.body.thread_ts).toBe(reportTs);
      expect(checkLimits({ text: reply.body.text as string, blocks: reply.body.blocks as never })).toEqual([]);
    }
    expect(said(replies[0])).toContain('Further findings on prod-eu');
    expect(said(replies[0])).not.toContain('updated');
    button = rerunValue(final);
    // The button is an opaque id; its offer carries the target and the digest of the rest just posted.
    expect(await h.offers().getRerun(button)).toMatchObject({
      cluster: 'prod-eu',
      scope: 'all',
      reportTs,
      rest: expect.any(String),
    });
  });

  it('Re-run with nothing changed updates the report in place and leaves the thread alone', async () => {
    const from = h.slackApi.calls.length;
    await rerun(button, reportTs);
    const calls = since(from);
    expect(posts(calls)).toEqual([]);
    const final = updates(calls).at(-1);
    expect(final?.body.ts).toBe(reportTs);
    expect(said(final)).toContain('Re-checked at');
    // A fresh offer for the re-rendered report, with the same digest: the rest did not change.
    const fresh = rerunValue(final);
    expect(fresh).not.toBe(button);
    expect((await h.offers().getRerun(fresh))?.rest).toBe((await h.offers().getRerun(button))?.rest);
    button = fresh;
  });

  it('Re-run after the cluster changed posts the new rest once, marked updated; a second Re-run stays quiet', async () => {
    // kubelet's clusterDomain no longer matches the Corefile: one more DNS finding, so the rest changes.
    const scenario = await loadScenario('coredns-loop');
    const kubelet = scenario.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'kubelet-config');
    if (!kubelet) throw new Error('the scenario has no kubelet-config ConfigMap');
    const broken = structuredClone(kubelet) as KubeObject & { data: Record<string, string> };
    broken.data.kubelet = (broken.data.kubelet ?? '').replace(
      'clusterDomain: cluster.local',
      'clusterDomain: corp.internal',
    );
    h.sandbox.apply([broken]);
    try {
      const from = h.slackApi.calls.length;
      await rerun(button, reportTs);
      const calls = since(from);
      const replies = posts(calls);
      // One reply, not a flood: the new rest fits one message here.
      expect(replies).toHaveLength(1);
      expect(replies[0]?.body.thread_ts).toBe(reportTs);
      expect(said(replies[0])).toContain('dns.cluster-domain-mismatch');
      expect(said(replies[0])).toMatch(/updated, re-checked at \d\d:\d\d UTC/);
      const final = updates(calls).at(-1);
      expect(final?.body.ts).toBe(reportTs);
      const next = rerunValue(final);
      expect((await h.offers().getRerun(next))?.rest).not.toBe((await h.offers().getRerun(button))?.rest);

      const again = h.slackApi.calls.length;
      await rerun(next, reportTs);
      expect(posts(since(again))).toEqual([]);
    } finally {
      h.sandbox.apply([kubelet]);
    }
  });
});
