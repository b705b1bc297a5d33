// Remediation flow timings through `netcheck dev`'s handlers at 20 ms sandbox latency: from the Approve click to the
// "Fixed and verified" update of the plan card (apply, rollout wait, verification diagnosis), and from Fix… to the
// posted plan card (fresh diagnosis, reads, dry runs). The sandbox's reactions are immediate, so no scenario delay
// is in these numbers; the remediator polls rollouts every 250 ms, as deployed.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createOfferStore } from '../src/aws/offers.ts';
import { startDevServer } from '../src/dev/dev-server.ts';
import { createLog } from '../src/handlers/log.ts';
import { APPROVAL_ACTIONS } from '../src/slack/approval-blocks.ts';
import { localAwsClientConfig } from '../test/fakes/aws-local.ts';
import { type SlackApiFake, startSlackApiFake } from '../test/fakes/slack-api.ts';
import { CASES } from '../test/support/remediation-cases.ts';
import { buttonRequest, commandRequest } from '../test/support/slack-request.ts';

const SIGNING_SECRET = 'bench-remediation-signing-secret';
const BENCHED = [
  'coredns.replace-proxy-with-forward',
  'coredns.scale-up',
  'cni.restart-agent-on-node',
  'kube-proxy.switch-to-iptables',
  'kube-proxy.fix-apiserver-endpoint',
  'coredns.revert-image-to-kubeadm-default',
  'kube-proxy.conntrack-leave-max',
];

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON read back from the fake.
type Json = any;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? Number.NaN;

async function once(slack: SlackApiFake, remediation: string): Promise<{ planMs: number; verifyMs: number }> {
  const c = CASES[remediation]!;
  const dev = await startDevServer({
    scenario: c.scenario,
    port: 0,
    latency: { fixedMs: 20 },
    env: { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-bench-1', SLACK_API_URL: slack.url },
    log: createLog({ write: () => {}, level: 'error' }),
  });
  const signing = { signingSecret: SIGNING_SECRET };
  const post = (r: { headers: Record<string, string>; body: string }) =>
    fetch(dev.url, { method: 'POST', headers: r.headers, body: r.body });
  try {
    const scope = c.finding.startsWith('cni.') ? 'cni' : c.finding.startsWith('kube-proxy.') ? 'proxy' : 'dns';
    const start = slack.calls.length;
    await post(
      commandRequest(
        {
          text: scope,
          userId: 'UALICE0001',
          channelId: 'CBENCH',
          triggerId: `b.${Date.now()}`,
          responseUrl: slack.responseUrl(),
        },
        signing,
      ),
    );
    await dev.lambda.idle();
    const reportMsg = slack.calls
      .slice(start)
      .filter((x) => x.method === 'chat.update')
      .at(-1);
    // The button holds only an opaque offer id: what it stands for is in the table the worker recorded it in.
    const dynamo = new DynamoDBClient(localAwsClientConfig(dev.plans.endpoint));
    const offers = createOfferStore({ client: dynamo, table: dev.plans.table });
    let fix: Json;
    for (const b of ((reportMsg?.body.blocks ?? []) as Json[])
      .filter((x) => x.type === 'actions')
      .flatMap((x) => x.elements)
      .filter((x: Json) => x.action_id.startsWith('netcheck_fix'))) {
      if ((await offers.get(b.value))?.remediation === remediation) fix = b;
    }
    dynamo.destroy();
    const t0 = performance.now();
    const mark = slack.calls.length;
    await post(
      buttonRequest(
        {
          actionId: fix.action_id,
          value: fix.value,
          userId: 'UALICE0001',
          channelId: 'CBENCH',
          triggerId: `b.f${Date.now()}`,
          responseUrl: slack.responseUrl('fix'),
          messageTs: String(reportMsg?.body.ts),
        },
        signing,
      ),
    );
    const card = await slack.waitFor(
      (x) =>
        slack.calls.indexOf(x) >= mark && x.method === 'chat.postMessage' && x.body.thread_ts === reportMsg?.body.ts,
      30_000,
    );
    const planMs = performance.now() - t0;
    const planId = (card.body.blocks as Json[])
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements)
      .find((b: Json) => b.action_id === APPROVAL_ACTIONS.approve)?.value;
    await dev.lambda.idle();
    const t1 = performance.now();
    await post(
      buttonRequest(
        {
          actionId: APPROVAL_ACTIONS.approve,
          value: String(planId),
          userId: 'UBOB000002',
          channelId: 'CBENCH',
          triggerId: `b.a${Date.now()}`,
          responseUrl: slack.responseUrl('approve'),
        },
        signing,
      ),
    );
    await slack.waitFor(
      (x) =>
        x.method === 'chat.update' &&
        x.body.ts === card.response.ts &&
        JSON.stringify(x.body).includes('Fixed and verified'),
      60_000,
    );
    const verifyMs = performance.now() - t1;
    await dev.lambda.idle();
    return { planMs, verifyMs };
  } finally {
    await dev.close();
  }
}

export async function remediationBench(quick = false): Promise<string[]> {
  const repeats = quick ? 1 : 3;
  const slack = await startSlackApiFake();
  const rows: string[] = [];
  try {
    for (const id of BENCHED) {
      const samples = [];
      for (let i = 0; i < repeats; i++) samples.push(await once(slack, id));
      rows.push(
        `| \`${id}\` | ${median(samples.map((s) => s.planMs)).toFixed(0)} ms | ${median(samples.map((s) => s.verifyMs)).toFixed(0)} ms |`,
      );
    }
  } finally {
    await slack.close();
  }
  return [
    '## Remediation flow',
    '',
    `Median of ${repeats} run(s) per fix through \`netcheck dev\`'s handlers (signed Slack requests, dynalite plans table,`,
    'remediator behind the local Lambda endpoint) at 20 ms sandbox latency per API request. "Fix… → card": click to the plan',
    'card in the thread (fresh diagnosis, reads, dry runs). "Approve → verified": click to the ✅ update of the card',
    '(re-read, apply, rollout wait polled every 250 ms, verification diagnosis).',
    '',
    '| fix | Fix… → card | Approve → verified |',
    '|---|---:|---:|',
    ...rows,
    '',
  ];
}

// `node bench/remediation.ts` prints this section alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  console.log((await remediationBench(process.argv.includes('--quick'))).join('\n'));
}
