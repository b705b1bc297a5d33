// The remediation flow end to end, as `netcheck dev` runs it: signed Slack requests against the real handlers,
// the sandbox over HTTPS, the Slack Web API fake, dynalite for the plans table, the remediator behind the local
// Lambda endpoint. report → Fix… → plan with a dry-run diff → self-approval refused → approved by someone else →
// applied → verified, and the finding gone in a fresh diagnosis; then every refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../src/dev/dev-server.ts';
import { createLog } from '../src/handlers/log.ts';
import { APPROVAL_ACTIONS } from '../src/slack/approval-blocks.ts';
import { checkLimits } from '../src/slack/limits.ts';
import { type SlackApiCall, type SlackApiFake, startSlackApiFake } from './fakes/slack-api.ts';
import { buttonRequest, commandRequest, type SignedRequest } from './support/slack-request.ts';

const SIGNING_SECRET = 'remediation-flow-signing-secret-5a1f';
const BOT_TOKEN = 'xoxb-1111-2222-remediationflow';
const ALICE = 'UALICE0001';
const BOB = 'UBOB000002';
const CAROL = 'UCAROL0003';
const CHANNEL = 'CREMEDIATE1';
const TEAM = 'T0001';

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON read back from the fake.
type Json = any;

interface Flow {
  slack: SlackApiFake;
  dev: DevServer;
  logs: string[];
  skewMs: number;
  close(): Promise<void>;
}

async function startFlow(scenario: string, env: Record<string, string> = {}): Promise<Flow> {
  const slack = await startSlackApiFake();
  const logs: string[] = [];
  const flow: Flow = { slack, dev: undefined as unknown as DevServer, logs, skewMs: 0, close: async () => {} };
  flow.dev = await startDevServer({
    scenario,
    port: 0,
    env: { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.url, ...env },
    log: createLog({ write: (line) => logs.push(line) }),
    now: () => Date.now() + flow.skewMs,
    rolloutTimeoutMs: 5000,
  });
  flow.close = async () => {
    await flow.dev.close();
    await slack.close();
  };
  return flow;
}

let seq = 0;
const post = (flow: Flow, request: SignedRequest) =>
  fetch(flow.dev.url, { method: 'POST', headers: request.headers, body: request.body });

/** Runs `/netcheck <scope>` and returns the final report message (its ts and blocks). */
async function report(flow: Flow, scope: string): Promise<{ ts: string; blocks: Json[]; text: string }> {
  const before = flow.slack.calls.length;
  const res = await post(
    flow,
    commandRequest(
      {
        text: scope,
        userId: ALICE,
        channelId: CHANNEL,
        triggerId: `t.${++seq}`,
        responseUrl: flow.slack.responseUrl(),
      },
      { signingSecret: SIGNING_SECRET },
    ),
  );
  expect(res.status).toBe(200);
  await flow.dev.lambda.idle();
  const final = flow.slack.calls
    .slice(before)
    .filter((c) => c.method === 'chat.update')
    .at(-1);
  expect(final).toBeDefined();
  return {
    ts: String(final?.body.ts),
    blocks: (final?.body.blocks as Json[]) ?? [],
    text: JSON.stringify(final?.body),
  };
}

const buttons = (blocks: Json[]): Json[] => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements);

async function click(
  flow: Flow,
  user: string,
  actionId: string,
  value: string,
  opts: { messageTs?: string; teamId?: string } = {},
): Promise<{ status: number; answers: SlackApiCall[] }> {
  const id = `r${++seq}`;
  const res = await post(
    flow,
    buttonRequest(
      {
        actionId,
        value,
        userId: user,
        channelId: CHANNEL,
        triggerId: `t.${seq}`,
        responseUrl: flow.slack.responseUrl(id),
        teamId: opts.teamId ?? TEAM,
        ...(opts.messageTs ? { messageTs: opts.messageTs } : {}),
      },
      { signingSecret: SIGNING_SECRET },
    ),
  );
  await flow.dev.lambda.idle();
  return { status: res.status, answers: flow.slack.calls.filter((c) => c.responseId === id) };
}

/** Report → Fix…: returns the plan card as posted in the report's thread. */
async function requestFix(flow: Flow, scope: string, findingId: string) {
  const r = await report(flow, scope);
  expect(r.text).toContain(findingId);
  const fix = buttons(r.blocks).find(
    (b) => b.action_id.startsWith('netcheck_fix') && JSON.parse(b.value).finding === findingId,
  );
  expect(fix, `a Fix button for ${findingId}`).toBeDefined();
  const before = flow.slack.calls.length;
  const answer = await click(flow, ALICE, fix.action_id, fix.value, { messageTs: r.ts });
  expect(answer.status).toBe(200);
  const card = flow.slack.calls.slice(before).find((c) => c.method === 'chat.postMessage' && c.body.thread_ts === r.ts);
  expect(card, 'the plan card in the report thread').toBeDefined();
  const approve = buttons(card?.body.blocks as Json[]).find((b) => b.action_id === APPROVAL_ACTIONS.approve);
  return {
    report: r,
    card: card as SlackApiCall,
    planId: String(approve?.value ?? ''),
    cardText: JSON.stringify(card?.body),
  };
}

const writes = (flow: Flow) =>
  flow.dev.sandbox.requests.filter(
    (r) => r.user === flow.dev.sandbox.identities.remediator && r.verb !== 'GET' && !r.query.includes('dryRun'),
  );

describe('a fix end to end: coredns.corefile-removed-plugin', () => {
  let flow: Flow;
  beforeAll(async () => {
    flow = await startFlow('coredns-proxy-plugin');
  }, 60_000);
  afterAll(async () => flow?.close());

  it('report → Fix → diff → self-approval refused → approved by another → applied → verified', async () => {
    const { card, planId, cardText } = await requestFix(flow, 'dns', 'coredns.corefile-removed-plugin');
    expect(planId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(cardText).toContain('```');
    expect(cardText).toMatch(/\+\s+forward \./);
    expect(cardText).toContain(`requested by <@${ALICE}>`);
    expect(cardText).toContain('expires in 15 min');
    expect(checkLimits(card.body as never)).toEqual([]);
    // The dry run reached the API server as the remediator; nothing was written yet.
    expect(flow.dev.sandbox.requests.some((r) => r.query.includes('dryRun=All'))).toBe(true);
    expect(writes(flow)).toEqual([]);

    const self = await click(flow, ALICE, APPROVAL_ACTIONS.approve, planId);
    expect(JSON.stringify(self.answers.at(-1)?.body)).toContain('You requested this fix');
    expect(writes(flow)).toEqual([]);

    const bob = await click(flow, BOB, APPROVAL_ACTIONS.approve, planId);
    expect(JSON.stringify(bob.answers.at(-1)?.body)).toContain(`Approved by <@${BOB}>`);
    expect(writes(flow).length).toBeGreaterThan(0);
    const updates = flow.slack.calls.filter((c) => c.method === 'chat.update' && c.body.ts === card.response.ts);
    const last = JSON.stringify(updates.at(-1)?.body);
    expect(last).toContain('Fixed and verified: `coredns.corefile-removed-plugin` is gone, DNS OK');
    for (const u of updates) expect(checkLimits(u.body as never)).toEqual([]);

    const fresh = await report(flow, 'dns');
    expect(fresh.text).not.toContain('coredns.corefile-removed-plugin');

    // Every transition is audited in a structured log line.
    const audit = flow.logs
      .filter((l) => l.includes('plan transition') && l.includes(planId))
      .map((l) => JSON.parse(l).audit);
    expect(audit.map((a: Json) => `${a.from}→${a.to}`)).toEqual([
      'none→pending',
      'pending→pending',
      'pending→approved',
      'approved→applied',
      'applied→verified',
    ]);

    // A click on a finished plan changes nothing.
    const count = writes(flow).length;
    const late = await click(flow, CAROL, APPROVAL_ACTIONS.approve, planId);
    expect(JSON.stringify(late.answers.at(-1)?.body)).toContain(`Already approved by <@${BOB}>`);
    expect(writes(flow).length).toBe(count);
  }, 60_000);
});
