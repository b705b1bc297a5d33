// A Secrets Manager endpoint on 127.0.0.1 speaking awsJson1.1, enough for the real SecretsManagerClient.
// Dev tooling (`netcheck dev`) and tests use it so secrets travel the production path; loopback only.
import { randomUUID } from 'node:crypto';
import { awsJsonServer, listenOnLoopback } from './loopback.ts';

export interface LocalSecretsManager {
  endpoint: string;
  calls: { target: string; secretId: string }[];
  set(id: string, value: string): void;
  close(): Promise<void>;
}

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

export async function startLocalSecretsManager(secrets: Record<string, string>): Promise<LocalSecretsManager> {
  const store = new Map<string, { value: string; versionId: string; created: number }>();
  const set = (id: string, value: string) =>
    store.set(id, { value, versionId: randomUUID(), created: Date.now() / 1000 });
  for (const [id, value] of Object.entries(secrets)) set(id, value);
  const calls: LocalSecretsManager['calls'] = [];

  // Real ARNs end in a random 6-character suffix; any stable one will do here.
  const arnOf = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;
  const nameOf = (idOrArn: string) => {
    const m = /^arn:aws:secretsmanager:[^:]+:\d+:secret:(.+)-[A-Za-z0-9]{6}$/.exec(idOrArn);
    return m ? m[1]! : idOrArn;
  };

  const server = awsJsonServer((target, input: { SecretId?: string }) => {
    calls.push({ target, secretId: input.SecretId ?? '' });
    if (target !== 'secretsmanager.GetSecretValue') {
      return [400, { __type: 'UnknownOperationException', message: `unsupported target ${target}` }];
    }
    const name = nameOf(input.SecretId ?? '');
    const secret = store.get(name);
    if (!secret) {
      return [
        400,
        { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." },
      ];
    }
    return [
      200,
      {
        ARN: arnOf(name),
        Name: name,
        SecretString: secret.value,
        VersionId: secret.versionId,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: secret.created,
      },
    ];
  });
  return { ...(await listenOnLoopback(server)), calls, set };
}
