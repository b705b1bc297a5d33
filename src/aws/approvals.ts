// The plans table: one item per remediation request, from the Fix… click to verified (or not). Every state change
// is ONE conditional UpdateItem on the current state and the team, so concurrent clicks cannot both win, and each
// change appends to the item's own history and writes one structured audit line (ids and states, never secrets).
import { randomBytes } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  type CreateTableCommandInput,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { KubeObject } from '../engine/cluster-reader.ts';
import type { Change, PlanState } from '../remediate/types.ts';

/** One audited action on a plan. */
export interface AuditEntry {
  planId: string;
  cluster: string;
  at: number;
  /** Slack user id, or `remediator` for the function's own steps. */
  by: string;
  from: PlanState | 'none';
  to: PlanState;
  /** Set when the approver is the requester (allowed only by `allowSelfApproval`). */
  selfApproval?: boolean;
  note?: string;
}

export interface Verification {
  ok: boolean;
  /** Finding ids the plan should clear that are still present. */
  remaining: string[];
  checkedAt: number;
}

export interface PlanRecord {
  id: string;
  teamId: string;
  cluster: string;
  finding: string;
  remediation: string;
  requester: string;
  channelId: string;
  /** The report's message: the plan card goes in its thread. */
  threadTs?: string;
  /** The plan card's own message, once posted. */
  cardTs?: string;
  /** The report the Fix… button was on (from its offer): updated in place once the fix is verified. */
  reportTs?: string;
  /** The offer (src/aws/offers.ts) the plan was opened from. */
  offerId?: string;
  /** The report's scope (from the offer). */
  reportScope?: 'dns' | 'cni' | 'proxy' | 'all';
  lang: 'en' | 'ko';
  inputs?: Record<string, string[]>;
  state: PlanState;
  createdAt: number;
  updatedAt: number;
  /** Epoch seconds. dynalite has no TTL, so reads and conditions filter on it. */
  expiresAt: number;
  /** Filled by the remediator once the dry run passed; a plan without it cannot be approved. */
  title?: string;
  risk?: string;
  rollback?: string;
  clears?: string[];
  changes?: Change[];
  diff?: string;
  diffHash?: string;
  approver?: string;
  selfApproval?: boolean;
  /** The objects as they were before apply, for a rollback plan. */
  before?: (KubeObject | null)[];
  verification?: Verification;
  /** Why the plan ended failed/rejected (an API server message, a guard's reason). */
  reason?: string;
  /** A rollback plan names the plan it undoes. */
  rollbackOf?: string;
  history: AuditEntry[];
}

export interface NewRequest {
  /** A fresh id chosen by the caller (newPlanId), e.g. to link it first; generated when absent. */
  id?: string;
  teamId: string;
  cluster: string;
  finding: string;
  remediation: string;
  requester: string;
  channelId: string;
  threadTs?: string;
  reportTs?: string;
  offerId?: string;
  reportScope?: 'dns' | 'cni' | 'proxy' | 'all';
  lang: 'en' | 'ko';
  inputs?: Record<string, string[]>;
  rollbackOf?: string;
}

/** What the remediator adds once the dry run passed. */
export interface PlanDetails {
  title: string;
  risk: string;
  rollback: string;
  clears: string[];
  changes: Change[];
  diff: string;
  diffHash: string;
}

export type TransitionResult = { ok: true; record: PlanRecord } | { ok: false; current: PlanRecord | undefined };

export interface Transition {
  teamId: string;
  from: readonly PlanState[];
  to: PlanState;
  by: string;
  /** Only while the plan has not expired (approve). */
  unexpired?: boolean;
  /** Only when a plan has been attached (approve needs the diff the approver saw). */
  planned?: boolean;
  /** Fields written together with the state. */
  set?: Partial<
    Pick<
      PlanRecord,
      'approver' | 'selfApproval' | 'before' | 'verification' | 'reason' | 'cardTs' | 'threadTs' | 'inputs'
    >
  > &
    Partial<PlanDetails>;
  note?: string;
}

/** The port: the Slack listeners and the remediator use only this. */
export interface ApprovalStore {
  /** Records a Fix… click as a pending request with a fresh opaque id. */
  request(input: NewRequest): Promise<PlanRecord>;
  /** The plan by id, or undefined; a pending plan past its expiry reads as `expired`. */
  get(id: string): Promise<PlanRecord | undefined>;
  transition(id: string, t: Transition): Promise<TransitionResult>;
  /** The last `limit` (default 20) audited actions on a cluster, newest first. */
  audit(cluster: string, limit?: number): Promise<AuditEntry[]>;
}

export interface ApprovalStoreOptions {
  client: DynamoDBClient;
  table: string;
  /** Plan lifetime from the request (default 15 min). */
  ttlSeconds?: number;
  now?: () => number;
  /** One structured line per transition. */
  auditLog?: (entry: AuditEntry) => void;
}

/** The GSI that serves `audit(cluster)`: hash `cluster`, range `updatedAt`. */
export const PLANS_BY_CLUSTER = 'by-cluster';

/** The plans table as serverless.yml declares it: for local DynamoDB endpoints (dev, tests). */
export function plansTableDefinition(table: string): CreateTableCommandInput {
  return {
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
  };
}

/** 128 random bits, URL-safe: the only thing a button carries. */
export function newPlanId(): string {
  return randomBytes(16).toString('base64url');
}

const PLAN_ID = /^[A-Za-z0-9_-]{22}$/;
export const isPlanId = (value: unknown): value is string => typeof value === 'string' && PLAN_ID.test(value);

// Everything but the key, state and the fields conditions and the index use lives in one JSON attribute: the
// record is read and written whole, and changes/objects are nested documents DynamoDB has no use for.
type Item = Record<string, import('@aws-sdk/client-dynamodb').AttributeValue>;

function toItem(r: PlanRecord): Item {
  const { id, teamId, cluster, state, expiresAt, updatedAt, diffHash, ...rest } = r;
  return {
    pk: { S: id },
    teamId: { S: teamId },
    cluster: { S: cluster },
    state: { S: state },
    expiresAt: { N: String(expiresAt) },
    updatedAt: { N: String(updatedAt) },
    ...(diffHash ? { diffHash: { S: diffHash } } : {}),
    body: { S: JSON.stringify(rest) },
  };
}

function fromItem(item: Item): PlanRecord {
  const rest = JSON.parse(item.body?.S ?? '{}') as Omit<PlanRecord, 'id'>;
  return {
    ...rest,
    id: item.pk?.S ?? '',
    teamId: item.teamId?.S ?? '',
    cluster: item.cluster?.S ?? '',
    state: (item.state?.S ?? 'failed') as PlanState,
    expiresAt: Number(item.expiresAt?.N ?? 0),
    updatedAt: Number(item.updatedAt?.N ?? 0),
    ...(item.diffHash?.S ? { diffHash: item.diffHash.S } : {}),
  };
}

export function createApprovalStore(opts: ApprovalStoreOptions): ApprovalStore {
  const ttl = opts.ttlSeconds ?? 15 * 60;
  const now = opts.now ?? Date.now;
  const log = opts.auditLog ?? (() => {});

  const view = (r: PlanRecord): PlanRecord =>
    r.state === 'pending' && r.expiresAt * 1000 <= now() ? { ...r, state: 'expired' } : r;
  /** A transition that did not happen, with the plan as it is now (if it exists). */
  const refused = (r: PlanRecord | undefined): TransitionResult => ({ ok: false, current: r && view(r) });

  const getRaw = async (id: string): Promise<PlanRecord | undefined> => {
    if (!isPlanId(id)) return undefined;
    const res = await opts.client.send(
      new GetItemCommand({ TableName: opts.table, Key: { pk: { S: id } }, ConsistentRead: true }),
    );
    return res.Item ? fromItem(res.Item) : undefined;
  };

  return {
    async request(input) {
      const at = now();
      const { id: chosen, ...fields } = input;
      if (chosen !== undefined && !isPlanId(chosen)) throw new Error('not a plan id');
      const id = chosen ?? newPlanId();
      const entry: AuditEntry = {
        planId: id,
        cluster: input.cluster,
        at,
        by: input.requester,
        from: 'none',
        to: 'pending',
      };
      const record: PlanRecord = {
        ...fields,
        id,
        state: 'pending',
        createdAt: at,
        updatedAt: at,
        expiresAt: Math.floor(at / 1000) + ttl,
        history: [entry],
      };
      await opts.client.send(
        new PutItemCommand({
          TableName: opts.table,
          Item: toItem(record),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      log(entry);
      return record;
    },

    async get(id) {
      const r = await getRaw(id);
      return r ? view(r) : undefined;
    },

    async transition(id, t) {
      // Read, then write conditionally on what was read (state, team, and the body as a version): the write
      // fails whenever anything changed in between, so exactly one of concurrent transitions wins.
      const current = await getRaw(id);
      if (!current || current.teamId !== t.teamId) return refused(current);
      const at = now();
      if (!t.from.includes(current.state)) return refused(current);
      if (t.unexpired && current.expiresAt * 1000 <= at) return refused(current);
      if (t.planned && !current.diffHash) return refused(current);
      const entry: AuditEntry = {
        planId: id,
        cluster: current.cluster,
        at,
        by: t.by,
        from: current.state,
        to: t.to,
        ...(t.set?.selfApproval ? { selfApproval: true } : {}),
        ...(t.note ? { note: t.note } : {}),
      };
      const next: PlanRecord = {
        ...current,
        ...t.set,
        state: t.to,
        updatedAt: at,
        history: [...current.history, entry],
      };
      const values: Item = {
        ':team': { S: t.teamId },
        ':state': { S: current.state },
        ':updated': { N: String(current.updatedAt) },
        ':body': { S: toItem(current).body!.S! },
        ':newState': { S: t.to },
        ':newUpdated': { N: String(at) },
        ':newBody': { S: toItem(next).body!.S! },
      };
      let condition = 'teamId = :team AND #state = :state AND updatedAt = :updated AND body = :body';
      if (t.unexpired) {
        condition += ' AND expiresAt > :nowSeconds';
        values[':nowSeconds'] = { N: String(Math.floor(at / 1000)) };
      }
      const sets = ['#state = :newState', 'updatedAt = :newUpdated', 'body = :newBody'];
      if (next.diffHash && next.diffHash !== current.diffHash) {
        sets.push('diffHash = :diffHash');
        values[':diffHash'] = { S: next.diffHash };
      }
      try {
        await opts.client.send(
          new UpdateItemCommand({
            TableName: opts.table,
            Key: { pk: { S: id } },
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: condition,
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: values,
          }),
        );
      } catch (e) {
        if (e instanceof ConditionalCheckFailedException) return refused(await getRaw(id));
        throw e;
      }
      log(entry);
      return { ok: true, record: view(next) };
    },

    async audit(cluster, limit = 20) {
      // A GSI on (cluster, updatedAt): the newest plans first without a scan. Each plan carries its own
      // history, so `limit` plans hold at least `limit` actions.
      const res = await opts.client.send(
        new QueryCommand({
          TableName: opts.table,
          IndexName: PLANS_BY_CLUSTER,
          KeyConditionExpression: '#cluster = :cluster',
          ExpressionAttributeNames: { '#cluster': 'cluster' },
          ExpressionAttributeValues: { ':cluster': { S: cluster } },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return (res.Items ?? [])
        .flatMap((item) => fromItem(item).history)
        .sort((a, b) => b.at - a.at)
        .slice(0, limit);
    },
  };
}
