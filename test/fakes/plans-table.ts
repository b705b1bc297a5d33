// The plans table on dynalite, created with serverless.yml's key schema and its by-cluster index.
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { plansTableDefinition } from '../../src/aws/approvals.ts';
import { localAwsClientConfig } from './aws-local.ts';

export async function createPlansTable(endpoint: string, table: string): Promise<void> {
  const client = new DynamoDBClient(localAwsClientConfig(endpoint));
  try {
    await client.send(new CreateTableCommand(plansTableDefinition(table)));
  } finally {
    client.destroy();
  }
}
