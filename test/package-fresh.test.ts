// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings use ${...} literally.
// `npm run package` on a fresh clone with no environment: no NETCHECK_CLUSTERS, no AWS credentials. The clusters
// are read at run time from the stage's config secret, so the package needs none of them, and IAM names prefixes.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON, narrowed by the assertions.
let template: { Resources: Record<string, { Type: string; Properties: any }> };
let dir: string;
let output: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netcheck-fresh-'));
  // What a clone holds (tracked files), and the installed dependencies beside it.
  const { stdout } = await run('git', ['ls-files', '-z'], { cwd: root });
  const tracked = stdout.split('\0').filter(Boolean);
  await Promise.all(
    tracked.map((file) => cp(join(root, file), join(dir, file), { recursive: true, force: true }).catch(() => {})),
  );
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const result = await run('npm', ['run', 'package'], {
    cwd: dir,
    timeout: 180_000,
    // No NETCHECK_*, no AWS_*: only a PATH with Node 24 first, a HOME, and osls kept off the network.
    env: {
      PATH: `${join(root, 'node_modules', '.bin')}:${dirname(process.execPath)}:${process.env.PATH}`,
      HOME: dir,
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
    },
  });
  output = `${result.stdout}\n${result.stderr}`;
  template = JSON.parse(await readFile(join(dir, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8'));
}, 200_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const resource = (id: string) => {
  const r = template.Resources[id];
  if (!r) throw new Error(`no resource ${id}`);
  return r;
};
const statementsOf = (roleId: string): Statement[] =>
  resource(roleId).Properties.Policies.flatMap(
    (p: { PolicyDocument: { Statement: Statement[] } }) => p.PolicyDocument.Statement,
  );

describe('npm run package on a fresh clone with no environment', () => {
  it('packages both functions without asking for NETCHECK_CLUSTERS', () => {
    expect(output).not.toMatch(/NETCHECK_CLUSTERS: Required/);
    expect(resource('SlackLambdaFunction').Properties.Environment.Variables).toMatchObject({
      NETCHECK_CLUSTERS: '',
      NETCHECK_CONFIG_SECRET_ID: 'netcheck/dev/config',
      INCIDENT_TABLE: { Ref: 'IncidentTable' },
    });
  });

  it('lets the worker read the secrets under the stage prefix and describe only EKS clusters tagged for the stage', () => {
    const statements = statementsOf('WorkerRole');
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: { 'Fn::Sub': 'arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:netcheck/dev/*' },
    });
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'eks:DescribeCluster',
      Resource: { 'Fn::Sub': 'arn:aws:eks:*:${AWS::AccountId}:cluster/*' },
      Condition: { StringEquals: { 'aws:ResourceTag/netcheck': 'dev' } },
    });
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      Resource: { 'Fn::GetAtt': ['IncidentTable', 'Arn'] },
    });
  });

  it('creates the incident table with TTL on expiresAt', () => {
    expect(resource('IncidentTable').Properties).toEqual({
      TableName: 'netcheck-dev-incidents',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });
});
