// Resource requests: GET/LIST/WATCH/POST/PUT/PATCH/DELETE against the store, RBAC-checked, apiserver-shaped.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, parseJsonBody, readBody, sendJson } from './http.ts';
import { podLog } from './logs.ts';
import { jsonPatch, mergePatch, PatchError, strategicMergePatch } from './patch.ts';
import { decodeReview } from './protobuf.ts';
import { authorize, forbiddenReason, isMaster, type ResourceAttributes, rulesFor, type UserInfo } from './rbac.ts';
import type { ReactionEngine } from './reactions.ts';
import { groupVersion, hasGeneration, qualifiedName, type ResourceType } from './resources.ts';
import {
  type FieldRequirement,
  type LabelSelector,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from './selectors.ts';
import { firstAfter, type ObjectStore, objectKey } from './store.ts';
import { contentType, negotiate, toPartial, toPartialList, toTable } from './table.ts';
import type { ContainerLogs, KubeObject } from './types.ts';

export interface ResourceRequest {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Kubernetes verb: get, list, watch, create, update, patch, delete. */
  verb: string;
  query: URLSearchParams;
}

export interface ApiContext {
  store: ObjectStore;
  logs: ContainerLogs;
  reactions: ReactionEngine;
}

const notFound = (type: ResourceType, name: string) =>
  new ApiError(404, 'NotFound', `${qualifiedName(type)} "${name}" not found`, {
    name,
    group: type.group,
    kind: type.name,
  });

const invalid = (type: ResourceType, name: string, causes: { field: string; message: string }[]) =>
  new ApiError(
    422,
    'Invalid',
    `${type.kind} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
    {
      name,
      group: type.group,
      kind: type.kind,
      causes: causes.map((c) => ({ reason: 'FieldValueInvalid', message: c.message, field: c.field })),
    },
  );

export function checkAccess(store: ObjectStore, user: UserInfo, r: ResourceRequest): void {
  const attrs: ResourceAttributes = {
    verb: r.verb,
    group: r.type.group,
    resource: r.type.name,
    ...(r.subresource ? { subresource: r.subresource } : {}),
    ...(r.name ? { name: r.name } : {}),
    ...(r.namespace ? { namespace: r.namespace } : {}),
  };
  if (authorize(store, user, attrs)) return;
  const what = r.name ? `${qualifiedName(r.type)} "${r.name}"` : qualifiedName(r.type);
  throw new ApiError(403, 'Forbidden', `${what} is forbidden: ${forbiddenReason(user, attrs)}`, {
    ...(r.name ? { name: r.name } : {}),
    group: r.type.group,
    kind: r.type.name,
  });
}

/** events.k8s.io/v1 view of a core Event (the two APIs share storage, as in the real apiserver). */
function toEventsV1(e: KubeObject): KubeObject {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: e.metadata,
    eventTime: e.eventTime ?? null,
    ...(e.series ? { series: e.series } : {}),
    reportingController: e.reportingComponent || e.source?.component || '',
    reportingInstance: e.reportingInstance || e.source?.host || '',
    action: e.action ?? '',
    reason: e.reason,
    regarding: e.involvedObject,
    ...(e.related ? { related: e.related } : {}),
    note: e.message,
    type: e.type,
    ...(e.source ? { deprecatedSource: e.source } : {}),
    ...(e.firstTimestamp ? { deprecatedFirstTimestamp: e.firstTimestamp } : {}),
    ...(e.lastTimestamp ? { deprecatedLastTimestamp: e.lastTimestamp } : {}),
    ...(e.count !== undefined ? { deprecatedCount: e.count } : {}),
  };
}

function fromEventsV1(e: KubeObject): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: e.metadata,
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    type: e.type,
    eventTime: e.eventTime,
    reportingComponent: e.reportingController,
    reportingInstance: e.reportingInstance,
    action: e.action,
    source: e.deprecatedSource ?? {},
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
  };
}

const view = (type: ResourceType) => (o: KubeObject) => (type.group === 'events.k8s.io' ? toEventsV1(o) : o);

function decodeProtobufReview(raw: Buffer): unknown {
  try {
    return decodeReview(raw);
  } catch (e) {
    throw badRequest(`the body of the request was in an unknown format: ${(e as Error).message}`);
  }
}

interface ContinueToken {
  rv: number;
  after: string;
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    if (typeof t.after === 'string') return t;
  } catch {
    // fall through
  }
  throw badRequest('continue key is not valid: invalid continue token');
}

function list(ctx: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse): void {
  let labels: LabelSelector;
  let fields: FieldRequirement[];
  try {
    labels = parseLabelSelector(r.query.get('labelSelector') ?? undefined);
    fields = parseFieldSelector(r.query.get('fieldSelector') ?? undefined, r.type.storage);
  } catch (e) {
    if (e instanceof SelectorError) throw badRequest(e.message);
    throw e;
  }
  const { keys, objects } = ctx.store.list(r.type.storage, r.type.namespaced ? r.namespace : undefined);
  const cont = r.query.get('continue');
  const rv = r.query.get('resourceVersion');
  if (cont && rv && rv !== '0') throw badRequest('specifying resource version is not allowed when using continue');
  // resourceVersion=0 without a continue token is served from the watch cache, which does not page: `limit` is
  // ignored and the whole collection comes in one answer (kube 1.32).
  const fromCache = rv === '0' && !cont;
  const limit = (!fromCache && Number(r.query.get('limit') ?? 0)) || Number.POSITIVE_INFINITY;
  const start = cont ? firstAfter(keys, decodeContinue(cont).after) : 0;
  const filtered = labels.length > 0 || fields.length > 0;
  const matches = (o: KubeObject) =>
    (labels.length === 0 || matchesLabels(labels, o.metadata.labels)) &&
    (fields.length === 0 || matchesFields(r.type.storage, fields, o));

  const page: KubeObject[] = [];
  let i = start;
  for (; i < objects.length && page.length < limit; i++) {
    const o = objects[i]!;
    if (!filtered || matches(o)) page.push(o);
  }
  // More to come only if something after this page would match (the real server may over-report; we don't).
  let more = false;
  for (let j = i; j < objects.length; j++) {
    if (!filtered || matches(objects[j]!)) {
      more = true;
      break;
    }
  }
  const meta: Record<string, unknown> = { resourceVersion: String(ctx.store.revision) };
  if (more && page.length > 0) {
    const last = page[page.length - 1]!;
    const after = objectKey(last.metadata.namespace, last.metadata.name);
    meta.continue = Buffer.from(JSON.stringify({ rv: ctx.store.revision, after })).toString('base64url');
    if (!filtered) meta.remainingItemCount = objects.length - i;
  }
  const items = page.map(view(r.type));
  const as = negotiate(req.headers.accept, true);
  if (as === 'Table') {
    const table = toTable(r.type.name, page, meta, r.query.get('includeObject'));
    sendJson(res, 200, table, { 'Content-Type': contentType('Table') });
    return;
  }
  if (as === 'PartialObjectMetadata') {
    sendJson(res, 200, toPartialList(page, meta), { 'Content-Type': contentType('PartialObjectMetadataList') });
    return;
  }
  sendJson(res, 200, { kind: `${r.type.kind}List`, apiVersion: groupVersion(r.type), metadata: meta, items });
}

function getExisting(ctx: ApiContext, r: ResourceRequest): KubeObject {
  const obj = ctx.store.get(r.type.storage, r.type.namespaced ? r.namespace : undefined, r.name!);
  if (!obj) throw notFound(r.type, r.name!);
  return obj;
}

async function readObject(req: IncomingMessage, r: ResourceRequest): Promise<KubeObject> {
  const raw = await readBody(req);
  const protobuf = (req.headers['content-type'] ?? '').startsWith('application/vnd.kubernetes.protobuf');
  if (protobuf && !r.type.virtual) {
    throw new ApiError(415, 'UnsupportedMediaType', 'the sandbox accepts application/json bodies only');
  }
  const body = protobuf ? decodeProtobufReview(raw) : parseJsonBody(raw.toString('utf8'));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('the body of the request was in an unknown format: expected a JSON object');
  }
  const obj = body as KubeObject;
  obj.metadata ??= { name: '' };
  if (typeof obj.metadata !== 'object') throw invalid(r.type, '', [{ field: 'metadata', message: 'Invalid value' }]);
  if (obj.kind && obj.kind !== r.type.kind) {
    throw badRequest(`${obj.kind} in version "${obj.apiVersion}" cannot be handled as a ${r.type.kind}`);
  }
  return r.type.group === 'events.k8s.io' ? fromEventsV1(obj) : obj;
}

/** Common admission for create/update/patch: identity fields, namespace, apiVersion/kind, generation. */
function admit(ctx: ApiContext, r: ResourceRequest, obj: KubeObject, existing?: KubeObject): KubeObject {
  const ns = r.type.namespaced ? r.namespace : undefined;
  if (r.type.namespaced) {
    if (obj.metadata.namespace && obj.metadata.namespace !== ns) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.namespace = ns;
  } else {
    delete obj.metadata.namespace;
  }
  const stored = r.type.group === 'events.k8s.io' ? { apiVersion: 'v1', kind: 'Event' } : undefined;
  obj.apiVersion = stored?.apiVersion ?? groupVersion(r.type);
  obj.kind = stored?.kind ?? r.type.kind;
  if (!obj.metadata.name)
    throw invalid(r.type, '', [
      { field: 'metadata.name', message: 'Required value: name or generateName is required' },
    ]);
  // RBAC objects only need to be a valid path segment ("system:coredns"); everything else here is a DNS subdomain.
  const rbacName =
    r.type.group === 'rbac.authorization.k8s.io' &&
    !/[/%]/.test(obj.metadata.name) &&
    !['.', '..'].includes(obj.metadata.name);
  if (!rbacName && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(obj.metadata.name) && r.type.storage !== 'events') {
    throw invalid(r.type, obj.metadata.name, [
      {
        field: 'metadata.name',
        message: `Invalid value: "${obj.metadata.name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      },
    ]);
  }
  if (existing && r.type.name === 'services') immutableClusterIP(r, obj, existing);
  if (existing) {
    obj.metadata.uid = existing.metadata.uid;
    obj.metadata.creationTimestamp = existing.metadata.creationTimestamp;
  } else {
    delete obj.metadata.uid;
    delete obj.metadata.resourceVersion;
  }
  if (hasGeneration(r.type)) {
    const generation = Number(existing?.metadata.generation ?? 0);
    const specChanged = !existing || JSON.stringify(obj.spec) !== JSON.stringify(existing.spec);
    obj.metadata.generation = specChanged ? generation + 1 : generation;
  }
  if (ns && !existing && !ctx.store.get('namespaces.', undefined, ns)) {
    throw new ApiError(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
  }
  return obj;
}

/** A ClusterIP Service keeps its IP for life; only a change to or from ExternalName releases or assigns one. */
function immutableClusterIP(r: ResourceRequest, obj: KubeObject, existing: KubeObject): void {
  const was = existing.spec ?? {};
  obj.spec ??= {};
  const now = obj.spec;
  if (was.type === 'ExternalName' || now.type === 'ExternalName') {
    if (now.type === 'ExternalName') {
      delete now.clusterIP;
      delete now.clusterIPs;
    }
    return;
  }
  if (now.clusterIP === undefined && was.clusterIP !== undefined) now.clusterIP = was.clusterIP;
  if (now.clusterIPs === undefined && was.clusterIPs !== undefined) now.clusterIPs = was.clusterIPs;
  if (was.clusterIP !== undefined && now.clusterIP !== was.clusterIP) {
    throw invalid(r.type, r.name ?? '', [
      { field: 'spec.clusterIPs[0]', message: `Invalid value: []string{"${now.clusterIP}"}: may not change once set` },
    ]);
  }
}

function commit(ctx: ApiContext, r: ResourceRequest, obj: KubeObject): KubeObject {
  if (r.query.get('dryRun') === 'All') {
    // Validated, shaped like the stored result, but never stored.
    obj.metadata.resourceVersion ??= String(ctx.store.revision);
    return obj;
  }
  const stored = ctx.store.put(r.type.storage, obj);
  ctx.reactions.evaluate();
  return stored;
}

async function create(ctx: ApiContext, r: ResourceRequest, req: IncomingMessage): Promise<KubeObject> {
  const obj = await readObject(req, r);
  if (!obj.metadata.name && typeof obj.metadata.generateName === 'string') {
    obj.metadata.name = obj.metadata.generateName + randomBytes(3).toString('hex').slice(0, 5);
  }
  admit(ctx, r, obj);
  if (ctx.store.get(r.type.storage, obj.metadata.namespace, obj.metadata.name)) {
    throw new ApiError(409, 'AlreadyExists', `${qualifiedName(r.type)} "${obj.metadata.name}" already exists`, {
      name: obj.metadata.name,
      group: r.type.group,
      kind: r.type.name,
    });
  }
  return commit(ctx, r, obj);
}

function conflictCheck(r: ResourceRequest, obj: KubeObject, existing: KubeObject): void {
  const rv = obj.metadata.resourceVersion;
  if (rv && rv !== existing.metadata.resourceVersion) {
    throw new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedName(r.type)} "${r.name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name: r.name, group: r.type.group, kind: r.type.name },
    );
  }
}

async function replace(ctx: ApiContext, r: ResourceRequest, req: IncomingMessage): Promise<KubeObject> {
  const existing = getExisting(ctx, r);
  const obj = await readObject(req, r);
  if (obj.metadata.name && obj.metadata.name !== r.name) {
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${r.name})`);
  }
  obj.metadata.name = r.name!;
  conflictCheck(r, obj, existing);
  return commit(ctx, r, admit(ctx, r, obj, existing));
}

async function patch(ctx: ApiContext, r: ResourceRequest, req: IncomingMessage): Promise<KubeObject> {
  const existing = getExisting(ctx, r);
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
  const body = parseJsonBody((await readBody(req)).toString('utf8'));
  const current = r.type.group === 'events.k8s.io' ? toEventsV1(existing) : existing;
  let patched: unknown;
  try {
    if (contentType === 'application/merge-patch+json') patched = mergePatch(current, body);
    else if (contentType === 'application/strategic-merge-patch+json') patched = strategicMergePatch(current, body);
    else if (contentType === 'application/json-patch+json') patched = jsonPatch(current, body);
    else {
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`,
      );
    }
  } catch (e) {
    if (e instanceof PatchError) throw new ApiError(422, 'Invalid', e.message);
    throw e;
  }
  if (typeof patched !== 'object' || patched === null || Array.isArray(patched)) {
    throw new ApiError(422, 'Invalid', 'the patch produced something that is not an object');
  }
  const clone = structuredClone(patched) as KubeObject;
  const obj = r.type.group === 'events.k8s.io' ? fromEventsV1(clone) : clone;
  obj.metadata ??= { name: r.name! };
  if (obj.metadata.name !== r.name)
    throw invalid(r.type, r.name!, [{ field: 'metadata.name', message: 'field is immutable' }]);
  conflictCheck(r, obj, existing);
  return commit(ctx, r, admit(ctx, r, obj, existing));
}

async function remove(ctx: ApiContext, r: ResourceRequest, req: IncomingMessage): Promise<KubeObject> {
  const existing = getExisting(ctx, r);
  // DeleteOptions may carry preconditions (and dryRun) in the body, as kubectl and client libraries send them.
  const raw = (await readBody(req)).toString('utf8').trim();
  const options = raw
    ? (parseJsonBody(raw) as { preconditions?: { resourceVersion?: string; uid?: string }; dryRun?: string[] })
    : {};
  const pre = options?.preconditions ?? {};
  for (const [field, want, have] of [
    ['ResourceVersion', pre.resourceVersion, existing.metadata.resourceVersion],
    ['UID', pre.uid, existing.metadata.uid],
  ] as const) {
    if (want !== undefined && want !== have) {
      throw new ApiError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${qualifiedName(r.type)} "${r.name}": Precondition failed: ${field} in precondition: ${want}, ${field} in object meta: ${have ?? ''}`,
        { name: r.name, group: r.type.group, kind: r.type.name },
      );
    }
  }
  if (r.query.get('dryRun') === 'All' || options?.dryRun?.includes('All')) return existing;
  ctx.store.delete(r.type.storage, existing.metadata.namespace, existing.metadata.name);
  if (r.type.name === 'pods') ctx.reactions.notePodDeleted(existing);
  ctx.reactions.evaluate();
  return existing;
}

async function review(ctx: ApiContext, user: UserInfo, r: ResourceRequest, req: IncomingMessage) {
  const body = (await readObject(req, r)) as KubeObject;
  const spec = body.spec ?? {};
  if (r.type.name === 'selfsubjectaccessreviews') {
    const ra = spec.resourceAttributes;
    let allowed: boolean;
    if (ra) {
      allowed = authorize(ctx.store, user, {
        verb: ra.verb ?? '',
        group: ra.group ?? '',
        resource: ra.resource ?? '',
        ...(ra.subresource ? { subresource: ra.subresource } : {}),
        ...(ra.name ? { name: ra.name } : {}),
        ...(ra.namespace ? { namespace: ra.namespace } : {}),
      });
    } else if (spec.nonResourceAttributes) {
      allowed = true; // discovery, version and health paths are open to every authenticated user
    } else {
      throw invalid(r.type, '', [
        {
          field: 'spec',
          message: 'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
        },
      ]);
    }
    return {
      ...body,
      metadata: { ...body.metadata, creationTimestamp: null },
      status: { allowed, ...(allowed ? {} : { reason: '' }) },
    };
  }
  const master = isMaster(user);
  const resourceRules = master
    ? [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]
    : [
        {
          verbs: ['create'],
          apiGroups: ['authorization.k8s.io'],
          resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
        },
        ...rulesFor(ctx.store, user, spec.namespace).filter((rule) => rule.resources),
      ];
  const nonResourceRules = master
    ? [{ verbs: ['*'], nonResourceURLs: ['*'] }]
    : [
        {
          verbs: ['get'],
          nonResourceURLs: [
            '/api',
            '/api/*',
            '/apis',
            '/apis/*',
            '/healthz',
            '/livez',
            '/readyz',
            '/version',
            '/version/',
          ],
        },
      ];
  return {
    ...body,
    metadata: { ...body.metadata, creationTimestamp: null },
    status: { resourceRules, nonResourceRules, incomplete: false },
  };
}

export async function handleResource(
  ctx: ApiContext,
  user: UserInfo,
  r: ResourceRequest,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  checkAccess(ctx.store, user, r);
  if (r.type.virtual) {
    if (r.verb !== 'create')
      throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
    sendJson(res, 201, await review(ctx, user, r, req));
    return;
  }
  if (r.subresource === 'log') {
    if (r.type.name !== 'pods' || r.verb !== 'get')
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    const result = podLog(getExisting(ctx, r), ctx.logs, r.query);
    if (!result.ok) throw badRequest(result.message);
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(result.text) });
    res.end(result.text);
    return;
  }
  if (r.subresource && r.subresource !== 'status')
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  switch (r.verb) {
    case 'list':
      return list(ctx, r, req, res);
    case 'watch':
      // No watch support: an empty stream that ends at once, so clients re-list instead of hanging.
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.end();
      return;
    case 'get': {
      const obj = view(r.type)(getExisting(ctx, r));
      const as = negotiate(req.headers.accept, false);
      if (as === 'Table') {
        const table = toTable(
          r.type.name,
          [obj],
          { resourceVersion: obj.metadata.resourceVersion },
          r.query.get('includeObject'),
        );
        sendJson(res, 200, table, { 'Content-Type': contentType('Table') });
      } else if (as === 'PartialObjectMetadata') {
        sendJson(res, 200, toPartial(obj), { 'Content-Type': contentType('PartialObjectMetadata') });
      } else sendJson(res, 200, obj);
      return;
    }
    case 'create':
      return sendJson(res, 201, view(r.type)(await create(ctx, r, req)));
    case 'update':
      return sendJson(res, 200, view(r.type)(await replace(ctx, r, req)));
    case 'patch':
      return sendJson(res, 200, view(r.type)(await patch(ctx, r, req)));
    case 'delete':
      return sendJson(res, 200, view(r.type)(await remove(ctx, r, req)));
    default:
      throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }
}
