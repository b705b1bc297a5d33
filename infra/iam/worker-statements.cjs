// IAM statements of the worker's role, derived from NETCHECK_CLUSTERS at package time (serverless.yml:
// `${file(./infra/iam/worker-statements.cjs)}`), so the worker may read exactly the secrets and describe exactly
// the EKS clusters it is configured for. CommonJS because osls loads variable files with require().
'use strict';

const SECRET_SUFFIX = '-??????'; // Secrets Manager appends 6 random characters to every secret ARN.

function secretArn(secretId) {
  if (secretId.startsWith('arn:')) return secretId;
  return { 'Fn::Sub': `arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${secretId}${SECRET_SUFFIX}` };
}

function parseClusters(raw) {
  if (!raw)
    throw new Error(
      'NETCHECK_CLUSTERS: Required at package time (the JSON array of clusters, see src/handlers/config/schema.ts)',
    );
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
  const clusters = parseClusters(process.env.NETCHECK_CLUSTERS || '');
  const fn = `${service}-${stage}-worker`;

  const secretIds = new Set([
    `${service}/${stage}/slack`, // the bot token, to post results
    ...clusters.filter((c) => c.auth.type !== 'eks').map((c) => c.auth.secretId),
  ]);
  const secrets = [...secretIds].map(secretArn);
  // Only clusters without a configured endpoint/CA are described at run time.
  const described = clusters.filter((c) => c.auth.type === 'eks' && !(c.auth.endpoint && c.auth.caData));

  const statements = [
    {
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::Sub': `arn:aws:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${fn}:*` },
    },
    { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secrets },
    // Idempotency: an async event can arrive twice; the worker claims the job id first.
    { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': ['DedupeTable', 'Arn'] } },
  ];
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
