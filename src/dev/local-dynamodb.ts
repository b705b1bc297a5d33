// Dev tooling: DynamoDB on loopback for the plans table, through dynalite (in-memory; installed with the dev
// dependencies). dynalite has no TTL, which the plans table never relies on: it stores expiresAt and filters on it.
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { plansTableDefinition } from '../aws/approvals.ts';

export interface LocalDynamoDb {
  endpoint: string;
  close(): Promise<void>;
}

/** Starts dynalite on 127.0.0.1 and creates the plans table as serverless.yml declares it. */
export async function startLocalDynamoDb(plansTable: string): Promise<LocalDynamoDb> {
  let dynalite: (options: Record<string, number>) => import('node:http').Server;
  try {
    dynalite = (await import('dynalite')).default as never;
  } catch {
    throw new Error('netcheck dev keeps remediation plans in dynalite: run `npm install` (dev dependencies) first');
  }
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
  try {
    await client.send(new CreateTableCommand(plansTableDefinition(plansTable)));
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
