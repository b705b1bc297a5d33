// The plans table on dynalite, created with serverless.yml's key schema and its by-cluster index.
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { plansTableDefinition } from '../../src/aws/approvals.ts';
import { localAwsClientConfig } from './aws-local.ts';
import { type DynaliteFake, startDynalite } from './dynalite.ts';

export async function createPlansTable(endpoint: string, table: string): Promise<void> {
  const client = new DynamoDBClient(localAwsClientConfig(endpoint));
  try {
    await client.send(new CreateTableCommand(plansTableDefinition(table)));
  } finally {
    client.destroy();
  }
}

/**
 * A plans table on its own dynalite for one test file: started before its tests, closed after them. `client()` is
 * the SDK client pointed at it (valid inside tests).
 */
export function usePlansTable(table: string): { client(): DynamoDBClient } {
  let db: DynaliteFake | undefined;
  let client: DynamoDBClient | undefined;
  beforeAll(async () => {
    db = await startDynalite();
    await createPlansTable(db.endpoint, table);
    client = new DynamoDBClient(localAwsClientConfig(db.endpoint));
  });
  afterAll(async () => {
    client?.destroy();
    await db?.close();
  });
  return {
    client() {
      if (!client) throw new Error('usePlansTable: the client exists only inside tests');
      return client;
    },
  };
}
