// One incident, one place, through signed Events API deliveries and the real worker: the first trigger posts the
// report; later triggers update it in place and reply in its thread; repeats stay quiet; [RESOLVED] is verified;
// an alert about a component netcheck finds healthy is answered with the contradiction; Re-run updates in place.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackApiCall } from './fakes/slack-api.ts';
import { grafanaRichText } from './fixtures/alert-bots.ts';
import { ALICE, type Harness, startHarness } from './support/slack-harness.ts';
import { buttonRequest, eventRequest } from './support/slack-request.ts';

let h: Harness;
let n = 0;
const eventId = () => `EvInc${Date.now()}${++n}`;
const ts = () => `${Math.floor(Date.now() / 1000)}.${String(++n).padStart(6, '0')}`;

beforeAll(async () => {
  h = await startHarness({ scenario: 'coredns-loop' });
});
afterAll(async () => {
  await h?.close();
});

async function deliver(event: Record<string, unknown>) {
  const res = await h.send(eventRequest(event, { eventId: eventId() }, h.signing));
  expect(res.statusCode).toBe(200);
  await h.lambda.idle();
}

function alert(channel: string, text: string, extra: { attachments?: unknown[]; channel_type?: string } = {}) {
  const at = ts();
  const event = { type: 'message', subtype: 'bot_message', bot_id: 'BALERTMGR1', channel, text, ts: at, ...extra };
  return { at, event };
}

/** Slack calls into one channel since `from`. */
const callsIn = (channel: string, from = 0) => h.slackApi.calls.slice(from).filter((c) => c.body.channel === channel);
const posts = (calls: SlackApiCall[]) => calls.filter((c) => c.method === 'chat.postMessage');
const updates = (calls: SlackApiCall[]) => calls.filter((c) => c.method === 'chat.update');
const tsOf = (call: SlackApiCall | undefined) => (call?.response as { ts?: string } | undefined)?.ts ?? '';
const said = (call: SlackApiCall | undefined) => JSON.stringify(call?.body ?? {});

describe('an incident channel and its alerts', () => {
  const channel = 'CINC003001';

  it('create → alert → repeat → resolved: one report, updated in place, the rest in its thread', async () => {
    h.slackApi.setChannel(channel, { name: 'inc-3001-checkout-down' });
    const from = h.slackApi.calls.length;

    await deliver({
      type: 'channel_created',
      channel: { id: channel, name: 'inc-3001-checkout-down', creator: ALICE },
    });
    const [report] = posts(callsIn(channel, from));
    const reportTs = tsOf(report);
    expect(report?.body.thread_ts).toBeUndefined();
    expect(reportTs).toBeTruthy();
    expect(said(updates(callsIn(channel, from)).at(-1))).toContain('coredns.loop-detected');
    expect(said(updates(callsIn(channel, from)).at(-1))).toMatch(/default cluster \*prod-eu\*/);
    // The first screen is trimmed: the rest is in the report's thread by itself, and the report says so.
    const restReplies = posts(callsIn(channel, from)).slice(1);
    expect(restReplies.length).toBeGreaterThan(0);
    for (const reply of restReplies) expect(reply.body.thread_ts).toBe(reportTs);
    expect(said(restReplies[0])).toContain('Further findings on prod-eu');
    expect(said(updates(callsIn(channel, from)).at(-1))).toContain('In the thread');

    const fired = alert(channel, '[FIRING:1] CoreDNSErrorsHigh', {
      attachments: [{ text: 'Labels:\n - alertname: CoreDNSErrorsHigh\n - cluster: prod-eu\n - severity: critical' }],
    });
    let mark = h.slackApi.calls.length;
    await deliver(fired.event);
    let calls = callsIn(channel, mark);
    expect(posts(calls).map((c) => c.body.thread_ts)).toEqual([reportTs]);
    expect(said(posts(calls)[0])).toContain('New alert *CoreDNSErrorsHigh*');
    expect(said(posts(calls)[0])).toContain('No change since the last check');
    expect(updates(calls).map((c) => c.body.ts)).toEqual([reportTs]);
    expect(said(updates(calls)[0])).toMatch(/Re-checked at \d\d:\d\d UTC/);
    expect(said(updates(calls)[0])).toContain("the alert's label `cluster=prod-eu`");

    mark = h.slackApi.calls.length;
    await deliver(alert(channel, fired.event.text, { attachments: fired.event.attachments }).event);
    calls = callsIn(channel, mark);
    expect(posts(calls)).toEqual([]);
    expect(updates(calls).map((c) => c.body.ts)).toEqual([reportTs]);

    mark = h.slackApi.calls.length;
    await deliver(alert(channel, '[RESOLVED] CoreDNSErrorsHigh', { attachments: fired.event.attachments }).event);
    calls = callsIn(channel, mark);
    expect(posts(calls).map((c) => c.body.thread_ts)).toEqual([reportTs]);
    expect(said(posts(calls)[0])).toMatch(/Alert \*CoreDNSErrorsHigh\* resolved, but .* is still failing/);

    const all = callsIn(channel, from);
    expect(posts(all).filter((c) => !c.body.thread_ts)).toHaveLength(1);
    expect(posts(all).filter((c) => c.body.thread_ts && c.body.thread_ts !== reportTs)).toEqual([]);
  });

  it('an alert naming a component netcheck finds healthy gets the contradiction, Re-run, and a verified resolution', async () => {
    const proxyChannel = 'CINC003002';
    h.slackApi.setChannel(proxyChannel, { name: 'inc-3002-proxy' });
    const fired = alert(proxyChannel, '[FIRING:3] KubeProxyDown (prod-eu)', {
      attachments: [{ text: ' - alertname: KubeProxyDown\n - job: kube-proxy' }],
    });
    const from = h.slackApi.calls.length;
    await deliver(fired.event);
    const [report, note, ...rest] = posts(callsIn(proxyChannel, from));
    expect(rest).toEqual([]);
    expect(report?.body.thread_ts).toBe(fired.at);
    expect(note?.body.thread_ts).toBe(fired.at);
    expect(said(note)).toContain('*KubeProxyDown* says kube-proxy is down, but netcheck finds kube-proxy healthy');
    expect(said(note)).toContain('127.0.0.1:10249');
    expect(said(note)).toContain('nodes netcheck cannot see');
    const blocks = (note?.body.blocks ?? []) as { type: string; elements?: { action_id?: string; value?: string }[] }[];
    const rerun = blocks.find((b) => b.type === 'actions')?.elements?.find((e) => e.action_id === 'netcheck_rerun');
    // Only an opaque id: the offer behind it names the cluster, scope and channel.
    expect(rerun?.value).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await h.offers().getRerun(rerun?.value ?? '')).toMatchObject({
      teamId: 'T0001',
      cluster: 'prod-eu',
      channelId: proxyChannel,
      scope: 'proxy',
    });

    // Re-run from the contradiction note updates the report it belongs to, marked re-checked; nothing new is posted.
    const reportTs = tsOf(report);
    const noteTs = tsOf(note);
    const mark = h.slackApi.calls.length;
    const res = await h.send(
      buttonRequest(
        {
          actionId: 'netcheck_rerun',
          value: rerun?.value ?? '',
          userId: ALICE,
          channelId: proxyChannel,
          triggerId: `trig-${++n}`,
          responseUrl: h.slackApi.responseUrl(),
          messageTs: noteTs,
          threadTs: fired.at,
        },
        h.signing,
      ),
    );
    expect(res.statusCode).toBe(200);
    await h.lambda.idle();
    const calls = callsIn(proxyChannel, mark);
    expect(posts(calls)).toEqual([]);
    expect(updates(calls).length).toBeGreaterThan(0);
    expect(new Set(updates(calls).map((c) => c.body.ts))).toEqual(new Set([reportTs]));
    expect(said(updates(calls).at(-1))).toMatch(/Re-checked at \d\d:\d\d UTC/);

    const mark2 = h.slackApi.calls.length;
    await deliver(
      alert(proxyChannel, '[RESOLVED] KubeProxyDown (prod-eu)', { attachments: fired.event.attachments }).event,
    );
    const resolved = posts(callsIn(proxyChannel, mark2));
    expect(resolved.map((c) => c.body.thread_ts)).toEqual([fired.at]);
    expect(said(resolved[0])).toContain('*KubeProxyDown* resolved, and verified');
  });

  it('checks the cluster the alert labels name, and says why', async () => {
    const labelled = 'CINC003003';
    h.slackApi.setChannel(labelled, { name: 'inc-3003-staging-dns' });
    const before = h.jobs().length;
    await deliver(
      alert(labelled, '[FIRING:1] CoreDNSErrorsHigh', {
        attachments: [{ title: 'CoreDNS errors', fields: [{ title: 'cluster', value: 'staging' }] }],
      }).event,
    );
    expect(h.jobs().slice(before)).toMatchObject([
      {
        kind: 'incident',
        cluster: 'staging',
        incident: { clusterReason: { kind: 'label', key: 'cluster', value: 'staging' } },
      },
    ]);
    expect(said(updates(callsIn(labelled)).at(-1))).toContain(
      "Checked cluster *staging*: the alert's label `cluster=staging`",
    );
  });

  it('works in a private channel: the bot invited into it posts the report, and its alerts reply in the thread', async () => {
    const priv = 'GPRIV00001';
    h.slackApi.setChannel(priv, { name: 'inc-3004-private' });
    const from = h.slackApi.calls.length;
    await deliver({
      type: 'member_joined_channel',
      user: 'UNETCHECK1',
      channel: priv,
      channel_type: 'G',
      inviter: ALICE,
    });
    const [report] = posts(callsIn(priv, from));
    expect(report?.body.thread_ts).toBeUndefined();
    expect(callsIn(priv, from).some((c) => c.method === 'conversations.join')).toBe(false);
    const reportTs = tsOf(report);

    const mark = h.slackApi.calls.length;
    await deliver(alert(priv, '[FIRING:1] CoreDNSErrorsHigh cluster=prod-eu', { channel_type: 'group' }).event);
    expect(posts(callsIn(priv, mark)).map((c) => c.body.thread_ts)).toEqual([reportTs]);
  });

  it('a channel creation and an alert arriving together still give one report: the conditional open decides', async () => {
    const racing = 'CINC003005';
    h.slackApi.setChannel(racing, { name: 'inc-3005-race' });
    const from = h.slackApi.calls.length;
    const fired = alert(racing, '[FIRING:1] CoreDNSErrorsHigh cluster=prod-eu');
    await Promise.all([
      h.send(
        eventRequest(
          { type: 'channel_created', channel: { id: racing, name: 'inc-3005-race', creator: ALICE } },
          { eventId: eventId() },
          h.signing,
        ),
      ),
      h.send(eventRequest(fired.event, { eventId: eventId() }, h.signing)),
    ]);
    await h.lambda.idle();
    const written = posts(callsIn(racing, from));
    // A report is a message posted ("Checking…") and then updated into the report.
    const reportTs = new Set(
      updates(callsIn(racing, from))
        .filter((c) => said(c).includes('coredns.loop-detected'))
        .map((c) => c.body.ts),
    );
    const reports = written.filter((c) => reportTs.has(tsOf(c)));
    expect(reports).toHaveLength(1);
    // The other trigger became a follow-up in the report's thread, beside the report's rest (posted once).
    const root = reports[0]?.body.thread_ts ?? tsOf(reports[0]);
    const others = written.filter((c) => c !== reports[0]);
    expect(new Set(others.map((c) => c.body.thread_ts))).toEqual(new Set([root]));
    const rest = others.filter((c) => said(c).includes('Further findings on prod-eu'));
    expect(rest).toHaveLength(1);
    expect(others.filter((c) => !rest.includes(c))).toHaveLength(1);
  });

  it('people joining a private channel, and private channels outside the pattern, start nothing', async () => {
    h.slackApi.setChannel('GPRIV00002', { name: 'team-chat' });
    const before = h.jobs().length;
    await deliver({ type: 'member_joined_channel', user: ALICE, channel: 'GPRIV00001', channel_type: 'G' });
    await deliver({ type: 'member_joined_channel', user: 'UNETCHECK1', channel: 'GPRIV00002', channel_type: 'G' });
    expect(h.jobs().length).toBe(before);
  });
});

describe('alert bots that write rich_text blocks', () => {
  it('a Grafana rich_text alert picks its cluster from the label list; its resolution is verified in the thread', async () => {
    const channel = 'CINC003009';
    h.slackApi.setChannel(channel, { name: 'inc-3009-dns' });
    const from = h.slackApi.calls.length;
    const firedAt = ts();
    await deliver({
      type: 'message',
      subtype: 'bot_message',
      bot_id: 'BGRAFANA01',
      channel,
      ts: firedAt,
      ...grafanaRichText('firing'),
    });
    const job = h.jobs().at(-1);
    expect(job).toMatchObject({
      kind: 'incident',
      cluster: 'staging',
      scope: 'dns',
      threadTs: firedAt,
      incident: { trigger: 'alert', alert: { status: 'firing', name: 'CoreDNSDown' } },
    });
    const [report] = posts(callsIn(channel, from));
    expect(report?.body.thread_ts).toBe(firedAt);
    const final = updates(callsIn(channel, from)).at(-1);
    expect(said(final)).toContain('netcheck — staging');
    expect(said(final)).toContain("the alert's label `cluster=staging`");

    const mark = h.slackApi.calls.length;
    await deliver({
      type: 'message',
      subtype: 'bot_message',
      bot_id: 'BGRAFANA01',
      channel,
      ts: ts(),
      ...grafanaRichText('resolved'),
    });
    const replies = posts(callsIn(channel, mark));
    expect(replies.map((c) => c.body.thread_ts)).toEqual([firedAt]);
    expect(said(replies[0])).toMatch(/Alert \*CoreDNSDown\* resolved, but .* is still failing/);
  });
});
