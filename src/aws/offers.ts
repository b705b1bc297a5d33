// Fix offers: what a report's Fix… button stands for. The worker records one item per button when it posts the
// report; the button carries only the item's random id. The Slack function loads it, checks the team, authorizes
// the clicker again and links the plan it opens, with one conditional write, so a replayed click finds the offer
// taken. Items live in the plans table under an `offer:` key; they carry no `cluster`/`updatedAt` attributes, so
// the by-cluster audit index never sees them.
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { newPlanId } from './approvals.ts';

export interface FixOffer {
  id: string;
  teamId: string;
  cluster: string;
  channelId: string;
  /** The report message the button is on: the plan card goes in its thread, and it is updated once verified. */
  reportTs?: string;
  /** The report's scope, so the report can be re-rendered whole once a fix is verified. */
  scope?: 'dns' | 'cni' | 'proxy' | 'all';
  finding: string;
  /** What the finding is about (a namespace/name), for the log and the card. */
  subject?: string;
  remediation: string;
  /** When the report's evidence was read (ISO time). */
  observedAt: string;
  createdAt: number;
  /** Epoch seconds. dynalite has no TTL, so reads and conditions filter on it. */
  expiresAt: number;
  /** The plan last opened from this offer. */
  planId?: string;
}

export type NewOffer = Omit<FixOffer, 'id' | 'createdAt' | 'expiresAt' | 'planId'>;

export type ClaimResult = { ok: true } | { ok: false; offer: FixOffer | undefined };

/** The port: the worker records offers, the Fix… listener loads and claims them. */
export interface OfferStore {
  /** A fresh opaque id for an offer about to be rendered (recorded later, with `record`). */
  newId(): string;
  /** Records offers under the ids given by `newId`; an id already taken fails the whole call. */
  record(offers: (NewOffer & { id: string })[]): Promise<void>;
  /** The offer, or undefined when unknown or expired. */
  get(id: string): Promise<FixOffer | undefined>;
  /**
   * Links `planId` to the offer, only while it is unexpired, of `teamId`, and still linked to `previous` (none
   * when undefined): of two clicks that read the same offer, one wins.
   */
  claim(id: string, t: { teamId: string; previous: string | undefined; planId: string }): Promise<ClaimResult>;
}

export interface OfferStoreOptions {
  client: DynamoDBClient;
  table: string;
  /** How long a report's Fix… buttons stay valid (default 12 h): the plan re-reads the cluster anyway. */
  ttlSeconds?: number;
  now?: () => number;
}

const OFFER_ID = /^[A-Za-z0-9_-]{22}$/;
export const isOfferId = (value: unknown): value is string => typeof value === 'string' && OFFER_ID.test(value);
const keyOf = (id: string) => ({ pk: { S: `offer:${id}` } });

export function createOfferStore(opts: OfferStoreOptions): OfferStore {
  const ttl = opts.ttlSeconds ?? 12 * 60 * 60;
  const now = opts.now ?? Date.now;
  return {
    newId: newPlanId,

    async record(offers) {
      const at = now();
      // One conditional put per button (a report has at most five): never overwrite an existing offer.
      await Promise.all(
        offers.map((o) => {
          const offer: FixOffer = { ...o, createdAt: at, expiresAt: Math.floor(at / 1000) + ttl };
          const { id, teamId, expiresAt, ...rest } = offer;
          return opts.client.send(
            new PutItemCommand({
              TableName: opts.table,
              Item: {
                ...keyOf(id),
                kind: { S: 'offer' },
                teamId: { S: teamId },
                expiresAt: { N: String(expiresAt) },
                body: { S: JSON.stringify(rest) },
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
        }),
      );
    },

    async get(id) {
      if (!isOfferId(id)) return undefined;
      const res = await opts.client.send(
        new GetItemCommand({ TableName: opts.table, Key: keyOf(id), ConsistentRead: true }),
      );
      const item = res.Item;
      if (item?.kind?.S !== 'offer') return undefined;
      const expiresAt = Number(item.expiresAt?.N ?? 0);
      if (expiresAt * 1000 <= now()) return undefined;
      const rest = JSON.parse(item.body?.S ?? '{}') as Omit<FixOffer, 'id' | 'teamId' | 'expiresAt' | 'planId'>;
      return {
        ...rest,
        id,
        teamId: item.teamId?.S ?? '',
        expiresAt,
        ...(item.planId?.S ? { planId: item.planId.S } : {}),
      };
    },

    async claim(id, t) {
      if (!isOfferId(id)) return { ok: false, offer: undefined };
      const values: Record<string, { S: string } | { N: string }> = {
        ':team': { S: t.teamId },
        ':now': { N: String(Math.floor(now() / 1000)) },
        ':plan': { S: t.planId },
        ':offer': { S: 'offer' },
      };
      let linked = 'attribute_not_exists(planId)';
      if (t.previous) {
        linked = 'planId = :previous';
        values[':previous'] = { S: t.previous };
      }
      try {
        await opts.client.send(
          new UpdateItemCommand({
            TableName: opts.table,
            Key: keyOf(id),
            UpdateExpression: 'SET planId = :plan',
            ConditionExpression: `kind = :offer AND teamId = :team AND expiresAt > :now AND ${linked}`,
            ExpressionAttributeValues: values,
          }),
        );
        return { ok: true };
      } catch (e) {
        if (e instanceof ConditionalCheckFailedException) return { ok: false, offer: await this.get(id) };
        throw e;
      }
    },
  };
}
