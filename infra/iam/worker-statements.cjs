// IAM statements of the worker's role (serverless.yml: `${file(./infra/iam/worker-statements.cjs)}`). Without
// NETCHECK_CLUSTERS at package time (the usual case: clusters live in the run-time document), the worker may read
// the secrets under `<service>/<stage>/` and describe EKS clusters tagged `netcheck=<stage>`. With it, exactly the
// secrets and EKS clusters it names. CommonJS because osls loads variable files with require().
'use strict';

const SECRET_SUFFIX = '-??????'; // Secrets Manager appends 6 random characters to every secret ARN.

function secretArn(secretId) {
  if (secretId.startsWith('arn:')) return secretId;
  return { 'Fn::Sub': `arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${secretId}${SECRET_SUFFIX}` };
}

function parseClusters(raw) {
  let clusters;
  try {
    clusters = JSON.parse(raw);
  } catch (e) {
    throw new Error(`NETCHECK_CLUSTERS: not valid JSON (${e.message})`);
  }
  if (!Array.isArray(clusters) || clusters.length === 0) {
    throw new Error('NETCHECK_CLUSTERS: expected a non-empty JSON array of clusters');
  }
  clusters.forEach((c, i) => {
    const type = c?.auth?.type;
    if (!['eks', 'kubeconfig-secret', 'token-secret'].includes(type)) {
      throw new Error(`NETCHECK_CLUSTERS[${i}].auth.type: expected eks, kubeconfig-secret or token-secret`);
    }
    if (type === 'eks' && !(c.auth.clusterName && c.auth.region)) {
      throw new Error(`NETCHECK_CLUSTERS[${i}].auth: eks needs clusterName and region`);
    }
    if (type !== 'eks' && !c.auth.secretId) throw new Error(`NETCHECK_CLUSTERS[${i}].auth.secretId: Required`);
  });
  return clusters;
}

module.exports = async ({ resolveVariable }) => {
  const service = await resolveVariable('self:service');
  const stage = await resolveVariable('sls:stage');
  const raw = process.env.NETCHECK_CLUSTERS || '';
  const clusters = raw ? parseClusters(raw) : undefined;
  const fn = `${service}-${stage}-worker`;

  const statements = [
    {
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::Sub': `arn:aws:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${fn}:*` },
    },
  ];
  if (clusters) {
    const secretIds = new Set([
      `${service}/${stage}/slack`, // the bot token, to post results
      `${service}/${stage}/config`, // the clusters document (NETCHECK_CLUSTERS overrides it, but it may be set)
      ...clusters.filter((c) => c.auth.type !== 'eks').map((c) => c.auth.secretId),
    ]);
    statements.push({
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: [...secretIds].map(secretArn),
    });
  } else {
    // The document names the cluster secrets at run time: they live under the stage's prefix.
    statements.push({
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: {
        'Fn::Sub': `arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${service}/${stage}/*`,
      },
    });
  }
  statements.push(
    // Idempotency: an async event can arrive twice; the worker claims the job id first.
    { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': ['DedupeTable', 'Arn'] } },
    // Incident state: read, then conditional writes.
    {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      Resource: { 'Fn::GetAtt': ['IncidentTable', 'Arn'] },
    },
    // The clusters document when it lives in Parameter Store (NETCHECK_CONFIG_PARAMETER): the stage's prefix only.
    {
      Effect: 'Allow',
      Action: 'ssm:GetParameter',
      Resource: { 'Fn::Sub': `arn:aws:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/${service}/${stage}/*` },
    },
    // Fix offers: what each Fix… button stands for, put with the report; nothing else in the plans table.
    {
      Effect: 'Allow',
      Action: 'dynamodb:PutItem',
      Resource: { 'Fn::GetAtt': ['PlansTable', 'Arn'] },
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['offer:*'] } },
    },
  );
  if (!clusters) {
    // Only EKS clusters configured without endpoint/CA are described; which ones is known at run time only.
    statements.push({
      Effect: 'Allow',
      Action: 'eks:DescribeCluster',
      Resource: { 'Fn::Sub': `arn:aws:eks:*:\${AWS::AccountId}:cluster/*` },
      Condition: { StringEquals: { 'aws:ResourceTag/netcheck': stage } },
    });
    return statements;
  }
  // Only clusters without a configured endpoint/CA are described at run time.
  const described = clusters.filter((c) => c.auth.type === 'eks' && !(c.auth.endpoint && c.auth.caData));
  if (described.length) {
    statements.push({
      Effect: 'Allow',
      Action: 'eks:DescribeCluster',
      Resource: [...new Set(described.map((c) => `${c.auth.region}|${c.auth.clusterName}`))].map((key) => {
        const [region, name] = key.split('|');
        return { 'Fn::Sub': `arn:aws:eks:${region}:\${AWS::AccountId}:cluster/${name}` };
      }),
    });
  }
  return statements;
};
