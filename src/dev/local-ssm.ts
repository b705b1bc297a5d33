// An SSM Parameter Store endpoint on 127.0.0.1 speaking awsJson1.1, enough for the real SSMClient's GetParameter
// (String and SecureString; a SecureString is returned in plain text only WithDecryption, as AWS does). Tests use
// it so the configuration document travels the production path; loopback only.
import { randomUUID } from 'node:crypto';
import { awsJsonServer, listenOnLoopback } from './loopback.ts';

export interface LocalSsm {
  endpoint: string;
  calls: { target: string; name: string; withDecryption: boolean }[];
  set(name: string, value: string, type?: 'String' | 'SecureString'): void;
  close(): Promise<void>;
}

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

export async function startLocalSsm(
  parameters: Record<string, { value: string; type?: 'String' | 'SecureString' }> = {},
): Promise<LocalSsm> {
  const store = new Map<string, { value: string; type: 'String' | 'SecureString'; version: number }>();
  const set = (name: string, value: string, type: 'String' | 'SecureString' = 'SecureString') =>
    store.set(name, { value, type, version: (store.get(name)?.version ?? 0) + 1 });
  for (const [name, p] of Object.entries(parameters)) set(name, p.value, p.type);
  const calls: LocalSsm['calls'] = [];

  const server = awsJsonServer((target, input: { Name?: string; WithDecryption?: boolean }) => {
    const name = input.Name ?? '';
    calls.push({ target, name, withDecryption: input.WithDecryption === true });
    if (target !== 'AmazonSSM.GetParameter') {
      return [400, { __type: 'UnknownOperationException', message: `unsupported target ${target}` }];
    }
    const parameter = store.get(name);
    if (!parameter) return [400, { __type: 'ParameterNotFound', message: `Parameter ${name} not found.` }];
    const hidden = parameter.type === 'SecureString' && input.WithDecryption !== true;
    return [
      200,
      {
        Parameter: {
          Name: name,
          Type: parameter.type,
          // Without decryption AWS returns the ciphertext; any opaque text stands in for it here.
          Value: hidden ? Buffer.from(`kms:${randomUUID()}`).toString('base64') : parameter.value,
          Version: parameter.version,
          ARN: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
          DataType: 'text',
          LastModifiedDate: Date.now() / 1000,
        },
      },
    ];
  });
  return { ...(await listenOnLoopback(server)), calls, set };
}
