// Fix offers: what a report's Fix… button stands for. The worker records one item per button when it posts the
// report; the button carries only the item's random id. The Slack function loads it, checks the team, authorizes
// the clicker again and links the plan it opens, with one conditional write, so a replayed click finds the offer
// taken. Items live in the plans table under an `offer:` key; they carry no `cluster`/`updatedAt` attributes, so
// the by-cluster audit index never sees them.
// Re-run offers are the second kind (`kind: 'rerun'`, same `offer:` keys, so the worker's one IAM condition covers
// both): what a report's Re-run button stands for. They live longer (7 days): re-checking an old report is normal.
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

/** What a Re-run button stands for: the report to check again and where it is. */
export interface RerunOffer {
  id: string;
  teamId: string;
  cluster: string;
  channelId: string;
  scope: 'dns' | 'cni' | 'proxy' | 'all';
  /** The report message the button is on, when it was posted as a channel message. */
  reportTs?: string;
  /** A digest of the rest posted in the report's thread, so a re-check posts it again only if it changed. */
  rest?: string;
  createdAt: number;
  /** Epoch seconds. */
  expiresAt: number;
}

export type NewRerunOffer = Omit<RerunOffer, 'createdAt' | 'expiresAt'>;

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
  /** Records a Re-run offer under an id given by `newId`; an id already taken fails. */
  recordRerun(offer: NewRerunOffer): Promise<void>;
  /** The Re-run offer, or undefined when unknown, expired or of the other kind. */
  getRerun(id: string): Promise<RerunOffer | undefined>;
}

export interface OfferStoreOptions {
  client: DynamoDBClient;
  table: string;
  /** How long a report's Fix… buttons stay valid (default 12 h): the plan re-reads the cluster anyway. */
  ttlSeconds?: number;
  /** How long a report's Re-run button stays valid (default 7 days): it re-reads the cluster and re-authorizes. */
  rerunTtlSeconds?: number;
  now?: () => number;
}

const OFFER_ID = /^[A-Za-z0-9_-]{22}$/;
export const isOfferId = (value: unknown): value is string => typeof value === 'string' && OFFER_ID.test(value);
const keyOf = (id: string) => ({ pk: { S: `offer:${id}` } });

export function createOfferStore(opts: OfferStoreOptions): OfferStore {
  const ttl = opts.ttlSeconds ?? 12 * 60 * 60;
  const rerunTtl = opts.rerunTtlSeconds ?? 7 * 24 * 60 * 60;
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

    async recordRerun(o) {
      const at = now();
      const { id, teamId, ...rest } = o;
      await opts.client.send(
        new PutItemCommand({
          TableName: opts.table,
          Item: {
            ...keyOf(id),
            kind: { S: 'rerun' },
            teamId: { S: teamId },
            expiresAt: { N: String(Math.floor(at / 1000) + rerunTtl) },
            body: { S: JSON.stringify({ ...rest, createdAt: at }) },
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async getRerun(id) {
      if (!isOfferId(id)) return undefined;
      const res = await opts.client.send(
        new GetItemCommand({ TableName: opts.table, Key: keyOf(id), ConsistentRead: true }),
      );
      const item = res.Item;
      if (item?.kind?.S !== 'rerun') return undefined;
      const expiresAt = Number(item.expiresAt?.N ?? 0);
      if (expiresAt * 1000 <= now()) return undefined;
      const rest = JSON.parse(item.body?.S ?? '{}') as Omit<RerunOffer, 'id' | 'teamId' | 'expiresAt'>;
      return { ...rest, id, teamId: item.teamId?.S ?? '', expiresAt };
    },
  };
}
