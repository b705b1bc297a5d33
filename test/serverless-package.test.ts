// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings use ${...} literally.
// Packages the service for real (esbuild bundles + `osls package`, offline, dummy AWS credentials) and checks the
// CloudFormation that would be deployed: runtimes, retries, the HTTP route, log retention and least-privilege IAM.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleReport, buildBundles } from '../scripts/build.ts';
import type { Job } from '../src/jobs/job.ts';
import { type DynaliteFake, startDynalite } from './fakes/dynalite.ts';
import { type LocalLambda, startLambdaInvokeEndpoint } from './fakes/lambda-invoke.ts';
import { type SecretsManagerFake, startSecretsManagerFake } from './fakes/secrets-manager.ts';
import { type SlackApiFake, startSlackApiFake } from './fakes/slack-api.ts';
import { apiGatewayEvent, commandRequest, signedRequest } from './support/slack-request.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'node_modules', '.bin');

const CLUSTERS = [
  { name: 'prod', auth: { type: 'eks', clusterName: 'prod-eks', region: 'eu-west-1' }, allowedUsers: ['U1'] },
  {
    name: 'edge',
    auth: {
      type: 'eks',
      clusterName: 'edge',
      region: 'us-east-1',
      endpoint: 'https://E.eks.amazonaws.com',
      caData: 'Q0E=',
    },
    allowedUsers: ['U1'],
  },
  { name: 'staging', auth: { type: 'token-secret', secretId: 'netcheck/test/staging' }, allowedChannels: ['C1'] },
  {
    name: 'lab',
    auth: { type: 'kubeconfig-secret', secretId: 'netcheck/test/lab', context: 'lab' },
    allowedUsers: ['U1'],
  },
];

/** Minimal zip reader (central directory + deflate): the entries Lambda would unpack. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataStart, dataStart + size);
    files.set(name, method === 8 ? inflateRawSync(data) : data);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
type Template = {
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON, narrowed by the assertions.
  Resources: Record<string, { Type: string; Properties: any; DependsOn?: string[] }>;
  Outputs: Record<string, { Value: unknown }>;
};

let dir: string;
let template: Template;
let bundles: BundleReport[];
let zips: Record<'slack' | 'worker', Map<string, Buffer>>;
const timings: Record<string, number> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netcheck-sls-'));
  let t = performance.now();
  // The service directory holds exactly what osls needs: the config, its IAM helper and the bundles.
  bundles = await buildBundles({ outdir: join(dir, 'dist') });
  timings.buildMs = performance.now() - t;
  await cp(join(root, 'serverless.yml'), join(dir, 'serverless.yml'));
  await cp(join(root, 'infra', 'iam'), join(dir, 'infra', 'iam'), { recursive: true });

  t = performance.now();
  await run(join(bin, 'osls'), ['package', '--stage', 'test', '--region', 'eu-west-1', '--package', join(dir, 'out')], {
    cwd: dir,
    timeout: 50_000,
    env: {
      PATH: `${bin}:${dirname(process.execPath)}:${process.env.PATH}`,
      HOME: dir,
      AWS_ACCESS_KEY_ID: 'AKIDPACKAGE',
      AWS_SECRET_ACCESS_KEY: 'package-only',
      NETCHECK_CLUSTERS: JSON.stringify(CLUSTERS),
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
    },
  });
  timings.packageMs = performance.now() - t;
  template = JSON.parse(await readFile(join(dir, 'out', 'cloudformation-template-update-stack.json'), 'utf8'));
  zips = {
    slack: unzip(await readFile(join(dir, 'out', 'slack.zip'))),
    worker: unzip(await readFile(join(dir, 'out', 'worker.zip'))),
  };
  const zipKiB = async (n: string) => ((await stat(join(dir, 'out', `${n}.zip`))).size / 1024).toFixed(0);
  console.info(
    `build ${timings.buildMs.toFixed(0)} ms, osls package ${timings.packageMs.toFixed(0)} ms; ` +
      bundles.map((b) => `${b.name}.mjs ${(b.bytes / 1024).toFixed(0)} KiB`).join(', ') +
      `; zips slack ${await zipKiB('slack')} KiB, worker ${await zipKiB('worker')} KiB`,
  );
}, 90_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const resource = (id: string) => {
  const r = template.Resources[id];
  if (!r) throw new Error(`no resource ${id} (have ${Object.keys(template.Resources).join(', ')})`);
  return r;
};
const statementsOf = (roleId: string): Statement[] =>
  resource(roleId).Properties.Policies.flatMap(
    (p: { PolicyDocument: { Statement: Statement[] } }) => p.PolicyDocument.Statement,
  );
const sub = (s: string) => ({ 'Fn::Sub': s });

describe('osls package', () => {
  it('defines both functions on nodejs24.x/arm64 with their handlers, timeouts and memory', () => {
    expect(resource('SlackLambdaFunction').Properties).toMatchObject({
      FunctionName: 'netcheck-test-slack',
      Handler: 'dist/slack/handler.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 10,
      MemorySize: 512,
      Role: { 'Fn::GetAtt': ['SlackRole', 'Arn'] },
    });
    expect(resource('WorkerLambdaFunction').Properties).toMatchObject({
      FunctionName: 'netcheck-test-worker',
      Handler: 'dist/worker/handler.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 120,
      MemorySize: 1024,
      Role: { 'Fn::GetAtt': ['WorkerRole', 'Arn'] },
    });
  });

  it('configures both functions for lambda mode from the deploy environment', () => {
    for (const fn of ['SlackLambdaFunction', 'WorkerLambdaFunction']) {
      expect(resource(fn).Properties.Environment.Variables).toMatchObject({
        NETCHECK_MODE: 'lambda',
        NETCHECK_CLUSTERS: JSON.stringify(CLUSTERS),
        SLACK_SECRET_ID: 'netcheck/test/slack',
        WORKER_FUNCTION_NAME: 'netcheck-test-worker',
        DEDUPE_TABLE: { Ref: 'DedupeTable' },
        INCIDENT_TABLE: { Ref: 'IncidentTable' },
        NETCHECK_CONFIG_SECRET_ID: 'netcheck/test/config',
      });
    }
  });

  it('never retries a failed async diagnosis (nor a remediation step)', () => {
    const configs = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::EventInvokeConfig');
    expect(configs.map((c) => c.Properties.FunctionName)).toEqual([
      { Ref: 'WorkerLambdaFunction' },
      { Ref: 'RemediatorLambdaFunction' },
    ]);
    for (const c of configs) expect(c.Properties.MaximumRetryAttempts).toBe(0);
  });

  it('routes POST /slack/events of an HTTP API to the slack function only', () => {
    const routes = Object.values(template.Resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    expect(routes.map((r) => r.Properties.RouteKey)).toEqual(['POST /slack/events']);
    const integrations = Object.values(template.Resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Integration');
    expect(integrations.map((i) => i.Properties.IntegrationUri)).toEqual([
      { 'Fn::GetAtt': ['SlackLambdaFunction', 'Arn'] },
    ]);
  });

  it('outputs the Slack request URL and the worker role to map into EKS', () => {
    expect(template.Outputs.SlackEventsUrl?.Value).toEqual(
      sub('https://${HttpApi}.execute-api.${AWS::Region}.amazonaws.com/slack/events'),
    );
    expect(template.Outputs.WorkerRoleArn?.Value).toEqual({ 'Fn::GetAtt': ['WorkerRole', 'Arn'] });
  });

  it('keeps logs for 14 days', () => {
    const groups = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Logs::LogGroup');
    expect(groups.map((g) => [g.Properties.LogGroupName, g.Properties.RetentionInDays])).toEqual([
      ['/aws/lambda/netcheck-test-slack', 14],
      ['/aws/lambda/netcheck-test-worker', 14],
      ['/aws/lambda/netcheck-test-remediator', 14],
    ]);
  });

  it('creates the on-demand dedupe table with TTL on expiresAt', () => {
    expect(resource('DedupeTable').Properties).toEqual({
      TableName: 'netcheck-test-dedupe',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('gives the slack function exactly: its logs, the Slack secret and clusters document, invoking the worker, writing dedupe items', () => {
    expect(statementsOf('SlackRole')).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: sub('arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/netcheck-test-slack:*'),
      },
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: ['slack', 'config'].map((s) =>
          sub(`arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:netcheck/test/${s}-??????`),
        ),
      },
      {
        Effect: 'Allow',
        Action: 'ssm:GetParameter',
        Resource: sub('arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter/netcheck/test/*'),
      },
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: sub('arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:netcheck-test-worker'),
      },
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': ['DedupeTable', 'Arn'] } },
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: sub('arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:netcheck-test-remediator'),
      },
      {
        Effect: 'Allow',
        Action: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
        Resource: { 'Fn::GetAtt': ['PlansTable', 'Arn'] },
      },
      { Effect: 'Allow', Action: 'dynamodb:Query', Resource: sub('${PlansTable.Arn}/index/by-cluster') },
    ]);
  });

  it('gives the worker exactly: its logs, the named secrets, dedupe and incident items, Fix offers, DescribeCluster on EKS clusters without endpoint', () => {
    expect(statementsOf('WorkerRole')).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: sub('arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/netcheck-test-worker:*'),
      },
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: ['slack', 'config', 'staging', 'lab'].map((s) =>
          sub(`arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:netcheck/test/${s}-??????`),
        ),
      },
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': ['DedupeTable', 'Arn'] } },
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Resource: { 'Fn::GetAtt': ['IncidentTable', 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: 'ssm:GetParameter',
        Resource: sub('arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter/netcheck/test/*'),
      },
      {
        Effect: 'Allow',
        Action: 'dynamodb:PutItem',
        Resource: { 'Fn::GetAtt': ['PlansTable', 'Arn'] },
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['offer:*'] } },
      },
      {
        Effect: 'Allow',
        Action: 'eks:DescribeCluster',
        Resource: [sub('arn:aws:eks:eu-west-1:${AWS::AccountId}:cluster/prod-eks')],
      },
    ]);
  });

  it('creates no other IAM role and no wildcard permission', () => {
    const roles = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::IAM::Role');
    expect(roles.map(([id]) => id).sort()).toEqual(['RemediatorRole', 'SlackRole', 'WorkerRole']);
    for (const statement of [
      ...statementsOf('SlackRole'),
      ...statementsOf('WorkerRole'),
      ...statementsOf('RemediatorRole'),
    ]) {
      expect(JSON.stringify(statement.Action)).not.toContain('*');
      expect(statement.Resource).not.toBe('*');
    }
  });

  it('ships each function as its own bundle; no function carries the Kubernetes client', async () => {
    // The ack function's entry plus the chunks it imports lazily, nothing else.
    const slackFiles = [...zips.slack.keys()];
    expect(slackFiles).toContain('dist/slack/handler.mjs');
    for (const file of slackFiles) expect(file).toMatch(/^dist\/slack\/[\w-]+\.mjs$/);
    // Every chunk a file imports, statically or on first use, is in the zip: a lazy Fix… must not fail on Lambda.
    const imported = slackFiles.flatMap((file) =>
      [...(zips.slack.get(file)?.toString('utf8') ?? '').matchAll(/["']\.\/([\w-]+\.mjs)["']/g)].map((m) => m[1]),
    );
    expect(imported.length).toBeGreaterThan(0);
    for (const chunk of imported) expect(slackFiles).toContain(`dist/slack/${chunk}`);
    expect([...zips.worker.keys()]).toEqual(['dist/worker/handler.mjs']);
    // The lite kubeconfig covers token secrets, EKS tokens and plain kubeconfigs; exec and auth-provider
    // kubeconfigs (client-node's part) have nothing to run on Lambda and get one sentence instead.
    const inputs = (name: string) => Object.keys(bundles.find((b) => b.name === name)!.metafile.inputs);
    for (const name of ['slack', 'worker', 'remediator']) {
      expect(inputs(name).filter((i) => i.includes('@kubernetes/client-node'))).toEqual([]);
    }
    const worker = await readFile(join(dir, 'dist', 'worker', 'handler.mjs'), 'utf8');
    expect(worker).toContain('which the Lambda functions do not run: store a token secret or use eks auth');
  });

  it('produces bundles that load under Node and export a 2-parameter handler', async () => {
    for (const name of ['slack', 'worker'] as const) {
      const file = join(dir, 'dist', name, 'handler.mjs');
      const { stdout } = await run(
        process.execPath,
        ['-e', `import(${JSON.stringify(file)}).then((m) => console.log(typeof m.handler, m.handler.length))`],
        { env: { PATH: process.env.PATH }, timeout: 20_000 },
      );
      expect(stdout.trim(), name).toBe('function 2');
    }
  });

  it('defines the remediator: its own role, its own bundle, no retries, a 2-parameter handler', async () => {
    expect(resource('RemediatorLambdaFunction').Properties).toMatchObject({
      FunctionName: 'netcheck-test-remediator',
      Handler: 'dist/remediator/handler.handler',
      Runtime: 'nodejs24.x',
      Timeout: 300,
      Role: { 'Fn::GetAtt': ['RemediatorRole', 'Arn'] },
    });
    expect(resource('RemediatorLambdaFunction').Properties.Environment.Variables).toMatchObject({
      PLANS_TABLE: { Ref: 'PlansTable' },
      REMEDIATOR_FUNCTION_NAME: 'netcheck-test-remediator',
    });
    const file = join(dir, 'dist', 'remediator', 'handler.mjs');
    const { stdout } = await run(
      process.execPath,
      ['-e', `import(${JSON.stringify(file)}).then((m) => console.log(typeof m.handler, m.handler.length))`],
      { env: { PATH: process.env.PATH }, timeout: 20_000 },
    );
    expect(stdout.trim()).toBe('function 2');
    expect(template.Outputs.RemediatorRoleArn?.Value).toEqual({ 'Fn::GetAtt': ['RemediatorRole', 'Arn'] });
  });

  it('gives the remediator exactly: its logs, the named secrets, get/update on the plans table, Re-run offers, DescribeCluster where needed', () => {
    expect(statementsOf('RemediatorRole')).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: sub('arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/netcheck-test-remediator:*'),
      },
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: ['slack', 'staging', 'lab'].map((s) =>
          sub(`arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:netcheck/test/${s}-??????`),
        ),
      },
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        Resource: { 'Fn::GetAtt': ['PlansTable', 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: 'dynamodb:PutItem',
        Resource: { 'Fn::GetAtt': ['PlansTable', 'Arn'] },
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['offer:*'] } },
      },
      {
        Effect: 'Allow',
        Action: 'eks:DescribeCluster',
        Resource: [sub('arn:aws:eks:eu-west-1:${AWS::AccountId}:cluster/prod-eks')],
      },
    ]);
    // The diagnosing worker gets nothing that could reach the remediator's rights: in the plans table it may only
    // put Fix and Re-run offers (keys `offer:*`), never read, update or create a plan.
    const worker = statementsOf('WorkerRole');
    expect(JSON.stringify(worker)).not.toMatch(/remediator/);
    expect(worker.filter((st) => JSON.stringify(st).includes('PlansTable'))).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:PutItem',
        Resource: { 'Fn::GetAtt': ['PlansTable', 'Arn'] },
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['offer:*'] } },
      },
    ]);
  });

  it('creates the plans table with its by-cluster index for the audit', () => {
    expect(resource('PlansTable').Properties).toMatchObject({
      TableName: 'netcheck-test-plans',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-cluster',
          KeySchema: [
            { AttributeName: 'cluster', KeyType: 'HASH' },
            { AttributeName: 'updatedAt', KeyType: 'RANGE' },
          ],
        },
      ],
    });
  });
});

describe('the packaged slack function, run from its zip as Lambda would', () => {
  const SIGNING_SECRET = 'bundle-test-signing-secret';
  let secrets: SecretsManagerFake;
  let dynamo: DynaliteFake;
  let lambda: LocalLambda;
  let slackApi: SlackApiFake;

  beforeAll(async () => {
    [secrets, dynamo, lambda, slackApi] = await Promise.all([
      startSecretsManagerFake({
        'netcheck/test/slack': JSON.stringify({ signingSecret: SIGNING_SECRET, botToken: 'xoxb-bundle-test' }),
      }),
      startDynalite('netcheck-test-dedupe'),
      startLambdaInvokeEndpoint({ 'netcheck-test-worker': async () => ({ ok: true }) }),
      startSlackApiFake(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([secrets?.close(), dynamo?.close(), lambda?.close(), slackApi?.close()]);
  });

  /** Unpacks slack.zip into a task directory and runs each event through its handler in a fresh Node process. */
  async function runPackagedSlack(events: unknown[]): Promise<{ statusCode?: number; body?: string }[]> {
    const task = join(dir, 'task');
    for (const [name, content] of zips.slack) {
      await mkdir(dirname(join(task, name)), { recursive: true });
      await writeFile(join(task, name), content);
    }
    const runner = join(dir, 'run-handler.mjs');
    await writeFile(
      runner,
      `import { readFileSync, writeFileSync } from 'node:fs';
const [file, eventsFile, outFile] = process.argv.slice(2);
const { handler } = await import(file);
const context = { functionName: 'netcheck-test-slack', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 10000 };
const results = [];
for (const event of JSON.parse(readFileSync(eventsFile, 'utf8'))) results.push(await handler(event, context));
writeFileSync(outFile, JSON.stringify(results));
process.exit(0);
`,
    );
    await writeFile(join(dir, 'events.json'), JSON.stringify(events));
    await run(
      process.execPath,
      [runner, join(task, 'dist/slack/handler.mjs'), join(dir, 'events.json'), join(dir, 'results.json')],
      {
        timeout: 20_000,
        env: {
          NETCHECK_MODE: 'lambda',
          NETCHECK_CLUSTERS: JSON.stringify(CLUSTERS),
          SLACK_SECRET_ID: 'netcheck/test/slack',
          SLACK_API_URL: slackApi.url,
          SLACK_BOT_ID: 'BNETCHECK1',
          SLACK_BOT_USER_ID: 'UNETCHECK1',
          SLACK_TEAM_ID: 'T0001',
          WORKER_FUNCTION_NAME: 'netcheck-test-worker',
          DEDUPE_TABLE: 'netcheck-test-dedupe',
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
          AWS_SECRET_ACCESS_KEY: 'local-secret',
          AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
          AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
          AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
        },
      },
    );
    return JSON.parse(await readFile(join(dir, 'results.json'), 'utf8'));
  }

  it('answers the URL verification and hands a signed /netcheck command to the worker', async () => {
    const signing = { signingSecret: SIGNING_SECRET };
    const verification = signedRequest(
      JSON.stringify({ token: 't', challenge: 'challenge-from-slack', type: 'url_verification' }),
      'application/json',
      signing,
    );
    const command = commandRequest(
      {
        text: 'dns --cluster prod',
        userId: 'U1',
        channelId: 'C1',
        triggerId: 'trigger-bundle-1',
        responseUrl: slackApi.responseUrl('bundle'),
      },
      signing,
    );
    const [verified, acked] = await runPackagedSlack([apiGatewayEvent(verification), apiGatewayEvent(command)]);
    expect(verified?.statusCode).toBe(200);
    expect(verified?.body).toContain('challenge-from-slack');
    expect(acked?.statusCode).toBe(200);
    await lambda.idle();
    expect(lambda.invocations.map((i) => [i.functionName, i.invocationType])).toEqual([
      ['netcheck-test-worker', 'Event'],
    ]);
    expect(lambda.invocations[0]?.payload as Job).toMatchObject({
      kind: 'slash-command',
      cluster: 'prod',
      scope: 'dns',
      userId: 'U1',
      channelId: 'C1',
    });
    // The worker payload carries no credentials.
    expect(JSON.stringify(lambda.invocations[0]?.payload)).not.toContain('xoxb-');
  });
});
