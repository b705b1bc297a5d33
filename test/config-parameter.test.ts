// The clusters document in SSM Parameter Store, end to end: the Slack function built from its environment exactly as
// on Lambda (NETCHECK_CONFIG_PARAMETER, no NETCHECK_CLUSTERS) reads the document through the real SSMClient from the
// loopback endpoint and authorizes a signed /netcheck with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLog } from '../src/handlers/log.ts';
import { slackHandlerFromEnv } from '../src/handlers/slack/lambda.ts';
import { type SsmFake, startSsmFake } from './fakes/ssm.ts';
import { ALICE, BOB, type Harness, lambdaContext, OPS, startHarness } from './support/slack-harness.ts';
import { apiGatewayEvent, commandRequest } from './support/slack-request.ts';

const PARAMETER = '/netcheck/test/config';
let h: Harness;
let ssm: SsmFake;
let n = 0;

beforeAll(async () => {
  h = await startHarness({ scenario: 'coredns-loop' });
  // The harness's own clusters, moved from NETCHECK_CLUSTERS into the parameter.
  ssm = await startSsmFake({
    [PARAMETER]: { value: JSON.stringify({ clusters: JSON.parse(h.env.NETCHECK_CLUSTERS ?? '[]') }) },
  });
});
afterAll(async () => {
  await ssm?.close();
  await h?.close();
});

describe('clusters from SSM Parameter Store', () => {
  it('the Slack function authorizes commands with the decrypted parameter, read once per cold start', async () => {
    const env = {
      ...h.env,
      NETCHECK_CLUSTERS: '',
      NETCHECK_CONFIG_PARAMETER: PARAMETER,
      AWS_ENDPOINT_URL_SSM: ssm.endpoint,
    };
    const slack = slackHandlerFromEnv(env, { log: createLog({ write: () => {} }) });
    const send = (user: string, text: string) =>
      slack(
        apiGatewayEvent(
          commandRequest(
            {
              text,
              userId: user,
              channelId: OPS,
              triggerId: `${Date.now()}.${++n}.ssm`,
              responseUrl: h.slackApi.responseUrl(),
            },
            h.signing,
          ),
        ),
        lambdaContext('netcheck-test-slack'),
      );
    const alice = JSON.parse((await send(ALICE, 'dns prod-eu')).body ?? '{}');
    expect(alice.text).toMatch(/Checking DNS on prod-eu/);
    // Bob may check staging only, as the document says.
    const bob = JSON.parse((await send(BOB, 'dns prod-eu')).body ?? '{}');
    expect(bob.text).not.toMatch(/Checking DNS/);
    expect(ssm.calls.length).toBe(1);
    expect(ssm.calls[0]).toEqual({ target: 'AmazonSSM.GetParameter', name: PARAMETER, withDecryption: true });
    await h.lambda.idle();
  });
});
