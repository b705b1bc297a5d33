// Slack retries a delivery when the ack is slow (X-Slack-Retry-Num); the first claim of an event id wins.
import { ConditionalCheckFailedException, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DedupeStore } from '../jobs/ports.ts';

export function createDedupeStore(opts: {
  client: DynamoDBClient;
  table: string;
  ttlSeconds?: number;
  now?: () => number;
}): DedupeStore {
  const ttlSeconds = opts.ttlSeconds ?? 3600;
  const now = opts.now ?? Date.now;
  return {
    async claim(key) {
      const nowSeconds = Math.floor(now() / 1000);
      try {
        await opts.client.send(
          new PutItemCommand({
            TableName: opts.table,
            Item: { pk: { S: key }, expiresAt: { N: String(nowSeconds + ttlSeconds) } },
            // DynamoDB's TTL deletes expired items lazily (dynalite never does), so an expired claim counts as absent.
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
          }),
        );
        return true;
      } catch (e) {
        if (e instanceof ConditionalCheckFailedException) return false;
        throw e;
      }
    },
  };
}
