// DynamoDB on 127.0.0.1 through dynalite (in-memory). dynalite has no TTL: code must filter on expiresAt itself.
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { localAwsClientConfig } from './aws-local.ts';

export interface DynaliteFake {
  endpoint: string;
  close(): Promise<void>;
}

/** Starts dynalite and creates `table` with the dedupe table's key schema (pk: S), as serverless.yml does. */
export async function startDynalite(table = 'netcheck-test-dedupe'): Promise<DynaliteFake> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient(localAwsClientConfig(endpoint));
  await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
  client.destroy();
  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // dynalite's close waits up to 30 s for open keep-alive sockets: drop them first.
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
