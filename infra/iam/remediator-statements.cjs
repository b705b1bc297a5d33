// IAM statements of the remediator's role, derived from NETCHECK_CLUSTERS at package time (serverless.yml:
// `${file(./infra/iam/remediator-statements.cjs)}`). The remediator is the only function that writes to clusters;
// its Kubernetes rights come from its own EKS access entry (group netcheck-remediators, infra/k8s) or its own
// remediatorAuth secret. AWS-side it gets: its logs; the Slack secret (to post the plan card); each cluster's
// read-only secret (the diagnosis that finds the finding and verifies the fix) and remediatorAuth secret; the plans
// table (read a plan, one conditional update per transition, no scan, no delete); eks:DescribeCluster only for EKS
// clusters without a configured endpoint/CA. CommonJS because osls loads variable files with require().
'use strict';

const SECRET_SUFFIX = '-??????';

function secretArn(secretId) {
  if (secretId.startsWith('arn:')) return secretId;
  return { 'Fn::Sub': `arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${secretId}${SECRET_SUFFIX}` };
}

module.exports = async ({ resolveVariable }) => {
  const service = await resolveVariable('self:service');
  const stage = await resolveVariable('sls:stage');
  const clusters = JSON.parse(process.env.NETCHECK_CLUSTERS || '[]');
  const fn = `${service}-${stage}-remediator`;
  const auths = clusters.flatMap((c) => [c.auth, c.remediatorAuth].filter(Boolean));
  const secretIds = new Set([
    `${service}/${stage}/slack`,
    ...auths.filter((a) => a.type !== 'eks' && a.secretId).map((a) => a.secretId),
  ]);
  const described = auths.filter((a) => a.type === 'eks' && !(a.endpoint && a.caData));
  const statements = [
    {
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::Sub': `arn:aws:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${fn}:*` },
    },
    { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [...secretIds].map(secretArn) },
    {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      Resource: { 'Fn::GetAtt': ['PlansTable', 'Arn'] },
    },
    // The Re-run offer of the report it re-renders once a fix is verified; nothing else is put there.
    {
      Effect: 'Allow',
      Action: 'dynamodb:PutItem',
      Resource: { 'Fn::GetAtt': ['PlansTable', 'Arn'] },
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['offer:*'] } },
    },
  ];
  if (described.length) {
    statements.push({
      Effect: 'Allow',
      Action: 'eks:DescribeCluster',
      Resource: [...new Set(described.map((a) => `${a.region}|${a.clusterName}`))].map((key) => {
        const [region, name] = key.split('|');
        return { 'Fn::Sub': `arn:aws:eks:${region}:\${AWS::AccountId}:cluster/${name}` };
      }),
    });
  }
  return statements;
};
