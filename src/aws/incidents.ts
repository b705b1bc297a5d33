// Incident state in DynamoDB: one item per incident (channel + cluster), every write conditional, so two workers
// racing on one incident never both post its report. DynamoDB's TTL deletes expired items lazily (dynalite never
// does), so readers and the open condition treat an item past expiresAt as absent.
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { IncidentRecord, IncidentStore } from '../incidents/index.ts';

export function createIncidentStore(opts: { client: DynamoDBClient; table: string }): IncidentStore {
  const { client, table } = opts;
  const item = (record: IncidentRecord) => ({
    pk: { S: record.key },
    // The TTL attribute is epoch seconds; the record keeps milliseconds.
    expiresAt: { N: String(Math.ceil(record.expiresAt / 1000)) },
    version: { N: String(record.version) },
    doc: { S: JSON.stringify(record) },
  });
  const conditional = async (command: PutItemCommand): Promise<boolean> => {
    try {
      await client.send(command);
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  };
  return {
    open: (record) =>
      conditional(
        new PutItemCommand({
          TableName: table,
          Item: item(record),
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': { N: String(Math.floor(record.openedAt / 1000)) } },
        }),
      ),
    async get(key, now) {
      const out = await client.send(
        new GetItemCommand({ TableName: table, Key: { pk: { S: key } }, ConsistentRead: true }),
      );
      const doc = out.Item?.doc?.S;
      if (!doc) return undefined;
      const record = JSON.parse(doc) as IncidentRecord;
      return record.expiresAt > now ? record : undefined;
    },
    save: (next) =>
      conditional(
        new PutItemCommand({
          TableName: table,
          Item: item(next),
          ConditionExpression: 'version = :prev',
          ExpressionAttributeValues: { ':prev': { N: String(next.version - 1) } },
        }),
      ),
  };
}
