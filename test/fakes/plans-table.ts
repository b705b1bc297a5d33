// The plans table on dynalite, created with serverless.yml's key schema and its by-cluster index.
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PLANS_BY_CLUSTER } from '../../src/aws/approvals.ts';
import { localAwsClientConfig } from './aws-local.ts';

export async function createPlansTable(endpoint: string, table: string): Promise<void> {
  const client = new DynamoDBClient(localAwsClientConfig(endpoint));
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'cluster', AttributeType: 'S' },
          { AttributeName: 'updatedAt', AttributeType: 'N' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: PLANS_BY_CLUSTER,
            KeySchema: [
              { AttributeName: 'cluster', KeyType: 'HASH' },
              { AttributeName: 'updatedAt', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  } finally {
    client.destroy();
  }
}
