// The remediation flow end to end, as `netcheck dev` runs it: signed Slack requests against the real handlers,
// the sandbox over HTTPS, the Slack Web API fake, dynalite for the plans table, the remediator behind the local
// Lambda endpoint. report → Fix… → plan with a dry-run diff → self-approval refused → approved by someone else →
// applied → verified, and the finding gone in a fresh diagnosis; then every refusal.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfferStore, type FixOffer } from '../src/aws/offers.ts';
import { type DevServer, startDevServer } from '../src/dev/dev-server.ts';
import { createLog } from '../src/handlers/log.ts';
import { REMEDIATIONS } from '../src/remediate/registry.ts';
import { APPROVAL_ACTIONS } from '../src/slack/approval-blocks.ts';
import { checkLimits } from '../src/slack/limits.ts';
import { localAwsClientConfig } from './fakes/aws-local.ts';
import { type SlackApiCall, type SlackApiFake, startSlackApiFake } from './fakes/slack-api.ts';
import { CASES, NO_SCENARIO } from './support/remediation-cases.ts';
import { buttonRequest, commandRequest, type SignedRequest, signedRequest } from './support/slack-request.ts';

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

/** What a Fix… button stands for, read from the table the worker recorded it in (the button holds only its id). */
async function offerOf(flow: Flow, value: string, now?: () => number): Promise<FixOffer | undefined> {
  const client = new DynamoDBClient(localAwsClientConfig(flow.dev.plans.endpoint));
  try {
    return await createOfferStore({ client, table: flow.dev.plans.table, ...(now ? { now } : {}) }).get(value);
  } finally {
    client.destroy();
  }
}

/** The report's Fix… button whose offer matches, checking that its value is only an opaque id. */
async function fixButton(flow: Flow, blocks: Json[], match: (o: FixOffer) => boolean): Promise<Json | undefined> {
  for (const b of buttons(blocks).filter((x) => x.action_id.startsWith('netcheck_fix'))) {
    expect(b.value).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const offer = await offerOf(flow, b.value);
    if (offer && match(offer)) return b;
  }
  return undefined;
}

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
  const fix = await fixButton(flow, r.blocks, (o) => o.finding === findingId);
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
    const { card, planId, cardText, report: r } = await requestFix(flow, 'dns', 'coredns.corefile-removed-plugin');
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

    // The original report is updated too: re-checked after the fix, the finding gone, marked who approved it.
    const reportUpdates = flow.slack.calls.filter((c) => c.method === 'chat.update' && c.body.ts === r.ts);
    const updated = JSON.stringify(reportUpdates.at(-1)?.body);
    expect(updated).toContain('after fix `coredns.replace-proxy-with-forward` by <@UBOB000002>');
    expect(updated).toContain(':recycle: Re-checked at <!date^');
    expect(updated).not.toContain('coredns.corefile-removed-plugin');
    expect(updated).not.toContain('netcheck_fix');
    expect(checkLimits(reportUpdates.at(-1)?.body as never)).toEqual([]);

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

    // `/netcheck audit` lists the actions, privately, to a user who may check the cluster.
    const auditRes = await post(
      flow,
      commandRequest(
        {
          text: 'audit --cluster sandbox',
          userId: CAROL,
          channelId: CHANNEL,
          triggerId: `t.${++seq}`,
          responseUrl: flow.slack.responseUrl(),
        },
        { signingSecret: SIGNING_SECRET },
      ),
    );
    const auditAnswer = (await auditRes.json()) as Json;
    expect(auditAnswer.response_type).toBe('ephemeral');
    expect(JSON.stringify(auditAnswer)).toContain(`pending → *approved* <@${BOB}>`);
    expect(JSON.stringify(auditAnswer)).toContain('applied → *verified* remediator');
    expect(checkLimits(auditAnswer)).toEqual([]);

    // A click on a finished plan changes nothing.
    const count = writes(flow).length;
    const late = await click(flow, CAROL, APPROVAL_ACTIONS.approve, planId);
    expect(JSON.stringify(late.answers.at(-1)?.body)).toContain(`Already approved by <@${BOB}>`);
    expect(writes(flow).length).toBe(count);
  }, 60_000);

  it('Roll back is a plan of its own: a diff back to the objects as they were, approved by someone else', async () => {
    // A cluster of its own: the test above fixed the first one.
    const flow = await startFlow('coredns-proxy-plugin');
    try {
      await rollbackFlow(flow);
    } finally {
      await flow.close();
    }
  }, 60_000);
});

async function rollbackFlow(flow: Flow): Promise<void> {
  {
    const { planId, card: planCard } = await requestFix(flow, 'dns', 'coredns.corefile-removed-plugin');
    await click(flow, BOB, APPROVAL_ACTIONS.approve, planId);
    expect(
      JSON.stringify(
        flow.slack.calls.filter((c) => c.method === 'chat.update' && c.body.ts === planCard.response.ts).at(-1)?.body,
      ),
    ).toContain('Fixed and verified');
    const before = flow.slack.calls.length;
    const asked = await click(flow, CAROL, APPROVAL_ACTIONS.rollback, planId);
    expect(JSON.stringify(asked.answers.at(-1)?.body)).toContain('Making the plan');
    const card = flow.slack.calls.slice(before).find((c) => c.method === 'chat.postMessage');
    const cardText = JSON.stringify(card?.body ?? {});
    expect(cardText).toContain('Rollback plan for sandbox');
    expect(cardText).toMatch(/\+\s+proxy \./);
    const rollbackId = String(
      buttons((card?.body.blocks as Json[]) ?? []).find((b) => b.action_id === APPROVAL_ACTIONS.approve)?.value,
    );
    expect(rollbackId).not.toBe(planId);
    expect(
      JSON.stringify((await click(flow, CAROL, APPROVAL_ACTIONS.approve, rollbackId)).answers.at(-1)?.body),
    ).toContain('You requested this fix');
    await click(flow, BOB, APPROVAL_ACTIONS.approve, rollbackId);
    const last = flow.slack.calls.filter((c) => c.method === 'chat.update' && c.body.ts === card?.response.ts).at(-1);
    expect(JSON.stringify(last?.body)).toContain('Rolled back to the objects as they were before.');
    // The problem the fix solved is back, as the rollback's risk said.
    expect((await report(flow, 'dns')).text).toContain('coredns.corefile-removed-plugin');
  }
}

/** A change by someone else (an admin with kubectl) between the plan and the approval. */
async function touchCorefile(flow: Flow): Promise<void> {
  const { request } = await import('node:https');
  const url = new URL('/api/v1/namespaces/kube-system/configmaps/coredns', flow.dev.sandbox.url);
  await new Promise<void>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'PATCH',
        ca: flow.dev.sandbox.caPem,
        headers: {
          authorization: `Bearer ${flow.dev.sandbox.tokens.admin}`,
          'content-type': 'application/merge-patch+json',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`PATCH ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ metadata: { annotations: { 'example.com/edited-by': 'someone-else' } } }));
  });
}

const APPROVERS = [BOB, CAROL, ALICE, ...Array.from({ length: 20 }, (_, i) => `UAPPR${String(i).padStart(5, '0')}`)];
const DAVE = 'UDAVE00004';

describe('refusals (approvers configured: a non-approver cannot approve)', () => {
  let flow: Flow;
  beforeAll(async () => {
    flow = await startFlow('coredns-proxy-plugin', { NETCHECK_DEV_APPROVERS: APPROVERS.join(',') });
  }, 60_000);
  afterAll(async () => flow?.close());

  /**
   * A fresh plan from a fresh report (the cluster stays broken: none of these is applied). A report's Fix… button
   * opens one plan at a time, so each plan needs a report of its own.
   */
  async function plan() {
    const r = await report(flow, 'dns');
    const fix = buttons(r.blocks).find((b) => b.action_id.startsWith('netcheck_fix'));
    const before = flow.slack.calls.length;
    await click(flow, ALICE, fix.action_id, fix.value, { messageTs: r.ts });
    const card = flow.slack.calls
      .slice(before)
      .find((c) => c.method === 'chat.postMessage' && c.body.thread_ts === r.ts);
    const approve = buttons((card?.body.blocks as Json[]) ?? []).find((b) => b.action_id === APPROVAL_ACTIONS.approve);
    expect(approve?.value).toMatch(/^[A-Za-z0-9_-]{22}$/);
    return String(approve.value);
  }
  const said = (r: { answers: SlackApiCall[] }) => JSON.stringify(r.answers.at(-1)?.body ?? {});

  it('a non-approver, and the requester although an approver, are refused, saying why; nothing is written', async () => {
    const id = await plan();
    expect(said(await click(flow, DAVE, APPROVAL_ACTIONS.approve, id))).toContain(
      'You are not an approver for this cluster.',
    );
    expect(said(await click(flow, ALICE, APPROVAL_ACTIONS.approve, id))).toContain('You requested this fix');
    expect(writes(flow)).toEqual([]);
  }, 30_000);

  it('an expired plan cannot be approved', async () => {
    const id = await plan();
    flow.skewMs = 16 * 60_000;
    try {
      expect(said(await click(flow, BOB, APPROVAL_ACTIONS.approve, id))).toContain('This plan has expired');
    } finally {
      flow.skewMs = 0;
    }
    expect(writes(flow)).toEqual([]);
  }, 30_000);

  it('a rejected plan and a cancelled plan stay unapplied; only the requester may cancel', async () => {
    const rejected = await plan();
    expect(said(await click(flow, BOB, APPROVAL_ACTIONS.reject, rejected))).toContain('Rejected by');
    expect(said(await click(flow, CAROL, APPROVAL_ACTIONS.approve, rejected))).toContain('This plan was rejected.');
    const cancelled = await plan();
    expect(said(await click(flow, BOB, APPROVAL_ACTIONS.cancel, cancelled))).toContain(
      'Only the person who requested this fix can cancel it.',
    );
    expect(said(await click(flow, ALICE, APPROVAL_ACTIONS.cancel, cancelled))).toContain('Cancelled by');
    expect(said(await click(flow, BOB, APPROVAL_ACTIONS.approve, cancelled))).toContain('This plan was cancelled.');
    expect(writes(flow)).toEqual([]);
  }, 60_000);

  it('a forged click (bad signature, made-up id) and a plan id from another team change nothing', async () => {
    const id = await plan();
    const forged = buttonRequest(
      {
        actionId: APPROVAL_ACTIONS.approve,
        value: id,
        userId: BOB,
        channelId: CHANNEL,
        triggerId: 't.forged',
        responseUrl: flow.slack.responseUrl('forged'),
        teamId: TEAM,
      },
      { signingSecret: 'not-the-signing-secret' },
    );
    expect((await post(flow, forged)).status).toBe(401);
    expect(said(await click(flow, BOB, APPROVAL_ACTIONS.approve, 'AAAAAAAAAAAAAAAAAAAAAA'))).toContain(
      'This plan is not known here.',
    );
    expect(said(await click(flow, BOB, APPROVAL_ACTIONS.approve, '{"cluster":"sandbox"}'))).toContain('not known');
    // Another workspace's click never reaches the plan: it is refused before any work, so nothing is said.
    expect(said(await click(flow, BOB, APPROVAL_ACTIONS.approve, id, { teamId: 'T0OTHER' }))).toBe('{}');
    expect(writes(flow)).toEqual([]);
    // Still pending for the right team: cancel it so it is not left behind.
    expect(said(await click(flow, ALICE, APPROVAL_ACTIONS.cancel, id))).toContain('Cancelled by');
  }, 30_000);

  it('a target changed since the plan: the approval is refused at apply, nothing written', async () => {
    const id = await plan();
    await touchCorefile(flow);
    await click(flow, BOB, APPROVAL_ACTIONS.approve, id);
    const card = flow.slack.calls.filter(
      (c) => c.method === 'chat.update' && JSON.stringify(c.body).includes('Not applied'),
    );
    expect(JSON.stringify(card.at(-1)?.body)).toContain(
      'kube-system/coredns changed since the plan was made; press Fix again',
    );
    expect(writes(flow)).toEqual([]);
  }, 30_000);

  it('20 simultaneous Approve clicks by 20 approvers, and a replay: exactly one apply writes to the cluster', async () => {
    const id = await plan();
    const ids = APPROVERS.slice(3);
    const results = await Promise.all(ids.map((u) => click(flow, u, APPROVAL_ACTIONS.approve, id)));
    await flow.dev.lambda.idle();
    const approved = results.filter((r) => said(r).includes('Approved by'));
    expect(approved).toHaveLength(1);
    expect(results.filter((r) => said(r).includes('Already approved by'))).toHaveLength(19);
    const applyInvokes = flow.dev.lambda.invocations.filter(
      (i) =>
        (i.payload as { kind?: string; planId?: string }).kind === 'apply' &&
        (i.payload as { planId?: string }).planId === id,
    );
    expect(applyInvokes).toHaveLength(1);
    const count = writes(flow).length;
    expect(count).toBeGreaterThan(0);
    // A replayed Approve (same user, same plan) changes nothing more.
    const replay = await click(flow, ids[0]!, APPROVAL_ACTIONS.approve, id);
    expect(said(replay)).toContain('Already approved by');
    expect(writes(flow).length).toBe(count);
  }, 60_000);
});

describe('the Fix… button carries only an opaque offer id', () => {
  let flow: Flow;
  beforeAll(async () => {
    flow = await startFlow('coredns-proxy-plugin');
  }, 60_000);
  afterAll(async () => flow?.close());
  const said = (r: { answers: SlackApiCall[] }) => JSON.stringify(r.answers.at(-1)?.body ?? {});
  const cards = () => flow.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.thread_ts);
  const plansOpened = () => flow.dev.lambda.invocations.filter((i) => (i.payload as { kind?: string }).kind === 'plan');

  it('the worker recorded what the button stands for: team, cluster, channel, report, finding, fix, times', async () => {
    const r = await report(flow, 'dns');
    const fix = buttons(r.blocks).find((b) => b.action_id.startsWith('netcheck_fix'));
    expect(fix.value).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const offer = await offerOf(flow, fix.value);
    expect(offer).toMatchObject({
      teamId: TEAM,
      cluster: 'sandbox',
      channelId: CHANNEL,
      reportTs: r.ts,
      finding: 'coredns.corefile-removed-plugin',
      remediation: 'coredns.replace-proxy-with-forward',
    });
    expect(Date.parse(offer!.observedAt)).toBeGreaterThan(0);
    expect(offer!.expiresAt * 1000).toBeGreaterThan(Date.now());
  }, 30_000);

  it('a forged or made-up value, an old-style JSON value and an expired offer are refused; nothing is opened', async () => {
    const r = await report(flow, 'dns');
    const fix = buttons(r.blocks).find((b) => b.action_id.startsWith('netcheck_fix'));
    const opened = plansOpened().length;
    const cardCount = cards().length;
    for (const value of [
      'AAAAAAAAAAAAAAAAAAAAAA',
      '{"cluster":"sandbox","scope":"dns","remediation":"coredns.replace-proxy-with-forward","finding":"coredns.corefile-removed-plugin"}',
      '',
    ]) {
      expect(said(await click(flow, ALICE, fix.action_id, value, { messageTs: r.ts }))).toContain(
        'This Fix button is not known here or has expired',
      );
    }
    // An offer outlives no report for long: 12 h later the same button is refused.
    flow.skewMs = 13 * 60 * 60_000;
    try {
      expect(said(await click(flow, ALICE, fix.action_id, fix.value, { messageTs: r.ts }))).toContain(
        'This Fix button is not known here or has expired',
      );
    } finally {
      flow.skewMs = 0;
    }
    // Another workspace's click never reaches the offer: refused before any work.
    expect(said(await click(flow, ALICE, fix.action_id, fix.value, { teamId: 'T0OTHER' }))).toBe('{}');
    expect(plansOpened().length).toBe(opened);
    expect(cards().length).toBe(cardCount);
    expect(writes(flow)).toEqual([]);
  }, 30_000);

  it('a replayed Fix click opens no second plan while the first is open; once it ended, the button works again', async () => {
    const r = await report(flow, 'dns');
    const fix = buttons(r.blocks).find((b) => b.action_id.startsWith('netcheck_fix'));
    const opened = plansOpened().length;
    await click(flow, ALICE, fix.action_id, fix.value, { messageTs: r.ts });
    expect(plansOpened().length).toBe(opened + 1);
    const replay = await click(flow, CAROL, fix.action_id, fix.value, { messageTs: r.ts });
    expect(said(replay)).toContain(`A fix was already requested from this button by <@${ALICE}>`);
    const concurrent = await Promise.all(
      [ALICE, BOB, CAROL].map((u) => click(flow, u, fix.action_id, fix.value, { messageTs: r.ts })),
    );
    for (const c of concurrent) expect(said(c)).toContain('A fix was already requested');
    expect(plansOpened().length).toBe(opened + 1);
    const planId = String((plansOpened().at(-1)?.payload as { planId?: string } | undefined)?.planId);
    expect((await offerOf(flow, fix.value))?.planId).toBe(planId);
    expect(said(await click(flow, ALICE, APPROVAL_ACTIONS.cancel, planId))).toContain('Cancelled by');
    await click(flow, ALICE, fix.action_id, fix.value, { messageTs: r.ts });
    expect(plansOpened().length).toBe(opened + 2);
    expect(writes(flow)).toEqual([]);
  }, 60_000);
});

/** The modal submission for a remediation's inputs: form-encoded `payload=<JSON>` like block_actions. */
function viewSubmission(user: string, view: Json, values: Record<string, string>): SignedRequest {
  const payload = {
    type: 'view_submission',
    team: { id: TEAM, domain: 'acme' },
    user: { id: user, username: user.toLowerCase(), team_id: TEAM },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    trigger_id: `t.${++seq}`,
    view: {
      id: 'V00000001',
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      blocks: view.blocks,
      state: {
        values: Object.fromEntries(
          Object.entries(values).map(([name, value]) => [
            `input:${name}`,
            { value: { type: 'plain_text_input', value } },
          ]),
        ),
      },
    },
  };
  return signedRequest(
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    'application/x-www-form-urlencoded',
    {
      signingSecret: SIGNING_SECRET,
    },
  );
}

const SCOPE_OF = (finding: string) =>
  finding.startsWith('cni.') ? 'cni' : finding.startsWith('kube-proxy.') ? 'proxy' : 'dns';

describe('every implemented remediation, on the sandbox scenario that breaks what it fixes', () => {
  it('has a scenario (or is listed as having none)', () => {
    const missing = REMEDIATIONS.map((r) => r.id).filter((id) => !CASES[id] && !NO_SCENARIO.includes(id));
    expect(missing).toEqual([]);
  });

  const cases = REMEDIATIONS.filter((r) => CASES[r.id]).map((r) => [r.id, CASES[r.id]!] as const);
  it.each(cases)(
    '%s: report → Fix → diff → approved by another → applied → verified, gone when checked again',
    async (id, c) => {
      const flow = await startFlow(c.scenario);
      try {
        const scope = SCOPE_OF(c.finding);
        const r = await report(flow, scope);
        const fix = await fixButton(flow, r.blocks, (o) => o.remediation === id);
        expect(fix, `a Fix button for ${id} on ${c.scenario}`).toBeDefined();
        const before = flow.slack.calls.length;
        await click(flow, ALICE, fix.action_id, fix.value, { messageTs: r.ts });
        const remediation = REMEDIATIONS.find((x) => x.id === id)!;
        if (remediation.inputs?.length) {
          // A human choice first: the modal accepts IP addresses only.
          const open = flow.slack.calls.slice(before).find((call) => call.method === 'views.open');
          const view = typeof open?.body.view === 'string' ? JSON.parse(open.body.view) : open?.body.view;
          expect(view?.private_metadata).toMatch(/^[A-Za-z0-9_-]{22}$/);
          const bad = await post(flow, viewSubmission(ALICE, view, { [remediation.inputs[0]!.name]: 'dns.google' }));
          expect(JSON.stringify(await bad.json())).toContain('is not an IP address');
          const ips = c.args?.[1]?.split(',').join(' ') ?? '10.0.0.2';
          const good = await post(
            flow,
            viewSubmission(ALICE, view, Object.fromEntries(remediation.inputs.map((i) => [i.name, ips]))),
          );
          expect(good.status).toBe(200);
          await flow.dev.lambda.idle();
        }
        const card = flow.slack.calls
          .slice(before)
          .find((call) => call.method === 'chat.postMessage' && call.body.thread_ts === r.ts);
        const cardText = JSON.stringify(card?.body ?? {});
        expect(cardText, `the plan card for ${id}`).toContain('What will change');
        expect(checkLimits(card?.body as never)).toEqual([]);
        const planId = String(
          buttons(card?.body.blocks as Json[]).find((b) => b.action_id === APPROVAL_ACTIONS.approve)?.value,
        );
        expect(
          JSON.stringify((await click(flow, ALICE, APPROVAL_ACTIONS.approve, planId)).answers.at(-1)?.body),
        ).toContain('You requested this fix');
        expect(writes(flow)).toEqual([]);
        await click(flow, BOB, APPROVAL_ACTIONS.approve, planId);
        const last = flow.slack.calls
          .filter((call) => call.method === 'chat.update' && call.body.ts === card?.response.ts)
          .at(-1);
        expect(JSON.stringify(last?.body)).toContain(`Fixed and verified: \`${c.finding}\` is gone`);
        expect(writes(flow).length).toBeGreaterThan(0);
        const fresh = await report(flow, scope);
        expect(fresh.text).not.toContain(`\`${c.finding}\``);
      } finally {
        await flow.close();
      }
    },
    90_000,
  );
});
