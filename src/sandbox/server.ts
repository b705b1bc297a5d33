// The sandbox Kubernetes API server: real HTTPS on 127.0.0.1 serving a Scenario to client-node and kubectl.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type ApiContext, handleResource, type ResourceRequest } from './api.ts';
import { FaultInjector } from './faults.ts';
import { ApiError, REASONS, sendError, sendJson, statusBody } from './http.ts';
import { kubeconfigYaml } from './kubeconfig.ts';
import type { UserInfo } from './rbac.ts';
import { ReactionEngine } from './reactions.ts';
import {
  API_VERSIONS,
  apiGroup,
  apiGroupList,
  apiResourceList,
  groupVersion,
  hasGeneration,
  resourceFor,
  resourceForKind,
} from './resources.ts';
import { ObjectStore } from './store.ts';
import { createTls } from './tls.ts';
import type { Fault, KubeObject, Latency, Scenario } from './types.ts';

export interface SandboxOptions {
  scenario: Scenario;
  port?: number;
  latency?: Latency;
  faults?: Fault[];
}

export interface RequestRecord {
  verb: string;
  path: string;
  query: string;
  status: number;
  user: string;
  /** Epoch milliseconds when the request arrived and when its response finished (benchmarks count round-trip waves). */
  receivedAt?: number;
  finishedAt?: number;
}

export interface Sandbox {
  readonly url: string;
  readonly caPem: string;
  readonly tokens: { admin: string; bot: string; remediator: string };
  readonly identities: { admin: string; bot: string; remediator: string };
  kubeconfig(user?: 'admin' | 'bot' | 'remediator'): string;
  setLatency(latency: Latency | undefined): void;
  setFaults(faults: Fault[]): void;
  /** Create/replace objects directly (tests use this to load RBAC etc). */
  apply(objects: KubeObject[]): void;
  /** Every request served; status 0 while unanswered or when the connection was dropped on purpose. */
  readonly requests: RequestRecord[];
  /** TLS connections accepted since start or the last resetRequests(): clients should reuse them. */
  readonly connections: number;
  resetRequests(): void;
  close(): Promise<void>;
}

export const IDENTITIES = {
  admin: { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
  bot: {
    name: 'system:serviceaccount:netcheck:netcheck-bot',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:netcheck', 'system:authenticated'],
  },
  /** The remediator function's identity: its IAM role maps to group netcheck-remediators (infra/k8s). */
  remediator: { name: 'netcheck-remediator', groups: ['netcheck-remediators', 'system:authenticated'] },
} as const satisfies Record<string, UserInfo>;

const VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:02:27Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** Stores objects with apiVersion/kind filled in, then makes sure every namespace they use exists. */
export function applyObjects(store: ObjectStore, objects: KubeObject[]): void {
  for (const input of objects) {
    const type = resourceForKind(input.kind ?? '', input.apiVersion);
    if (!type) throw new Error(`sandbox: unsupported object kind ${input.apiVersion ?? '?'}/${input.kind ?? '?'}`);
    const obj = structuredClone(input);
    obj.apiVersion = type.storage === 'events' ? 'v1' : groupVersion(type);
    obj.kind = type.kind;
    if (!type.namespaced) delete obj.metadata.namespace;
    else obj.metadata.namespace ??= 'default';
    if (hasGeneration(type)) obj.metadata.generation ??= 1;
    const existing = store.get(type.storage, obj.metadata.namespace, obj.metadata.name);
    if (existing && !obj.metadata.uid) obj.metadata.uid = existing.metadata.uid;
    store.put(type.storage, obj);
  }
  linkEventsToObjects(store, objects);
  for (const ns of ['default', 'kube-system', ...store.namespacesInUse()]) {
    if (!store.get('namespaces.', undefined, ns)) {
      store.put('namespaces.', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
    }
  }
}

/** Scenario events often omit involvedObject.uid; `kubectl describe` selects events by it, so fill it in. */
function linkEventsToObjects(store: ObjectStore, loaded: KubeObject[]): void {
  for (const input of loaded) {
    if (input.kind !== 'Event') continue;
    const event = store.get('events', input.metadata.namespace ?? 'default', input.metadata.name);
    const ref = event?.involvedObject;
    if (!event || !ref?.kind || !ref.name || ref.uid) continue;
    const type = resourceForKind(ref.kind, ref.apiVersion);
    const target =
      type &&
      store.get(type.storage, type.namespaced ? (ref.namespace ?? event.metadata.namespace) : undefined, ref.name);
    if (target) ref.uid = target.metadata.uid;
  }
}

type Route =
  | { kind: 'static'; body: unknown }
  | { kind: 'notFound' }
  | { kind: 'resource'; request: Omit<ResourceRequest, 'verb'>; collection: boolean };

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Maps a URL path onto discovery documents or a resource request. */
function route(path: string, query: URLSearchParams): Route {
  if (path === '/version' || path === '/version/') return { kind: 'static', body: VERSION };
  if (['/healthz', '/livez', '/readyz'].includes(path)) return { kind: 'static', body: 'ok' };
  // Real apiservers decode each segment: client-node escapes names such as `kubeadm:node-proxier` as `kubeadm%3Anode-proxier`.
  const segs = path
    .split('/')
    .filter((s) => s !== '')
    .map(safeDecode);
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api') {
    if (segs.length === 1) return { kind: 'static', body: API_VERSIONS };
    group = '';
    version = segs[1]!;
    rest = segs.slice(2);
  } else if (segs[0] === 'apis') {
    if (segs.length === 1) return { kind: 'static', body: apiGroupList() };
    const g = apiGroup(segs[1]!);
    if (segs.length === 2) return g ? { kind: 'static', body: g } : { kind: 'notFound' };
    group = segs[1]!;
    version = segs[2]!;
    rest = segs.slice(3);
  } else return { kind: 'notFound' };
  if (rest.length === 0) {
    const list = apiResourceList(group, version);
    return list ? { kind: 'static', body: list } : { kind: 'notFound' };
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const type = resourceFor(group, version, rest[0]!);
  if (!type || rest.length > 3 || (namespace !== undefined && !type.namespaced)) return { kind: 'notFound' };
  return {
    kind: 'resource',
    collection: rest.length === 1,
    request: {
      type,
      query,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(rest[1] !== undefined ? { name: rest[1] } : {}),
      ...(rest[2] !== undefined ? { subresource: rest[2] } : {}),
    },
  };
}

const KUBE_VERBS: Record<string, string> = {
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const tls = await createTls();
  const store = new ObjectStore();
  applyObjects(store, options.scenario.objects);
  const logs = structuredClone(options.scenario.logs ?? {});
  const reactions = new ReactionEngine(options.scenario.reactions ?? [], store, logs);
  const ctx: ApiContext = { store, logs, reactions };
  const faults = new FaultInjector();
  faults.set(options.faults ?? []);
  faults.latency = options.latency;
  const tokens = {
    admin: randomBytes(24).toString('base64url'),
    bot: randomBytes(24).toString('base64url'),
    remediator: randomBytes(24).toString('base64url'),
  };
  const users = new Map<string, UserInfo>([
    [tokens.admin, IDENTITIES.admin],
    [tokens.bot, IDENTITIES.bot],
    [tokens.remediator, IDENTITIES.remediator],
  ]);
  const requests: RequestRecord[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const r = route(path, url.searchParams);
    const collectionGet = method === 'GET' && r.kind === 'resource' && r.collection;
    const verb = collectionGet ? (url.searchParams.get('watch') === 'true' ? 'WATCH' : 'LIST') : method;
    const record: RequestRecord = {
      verb,
      path,
      query: url.search.replace(/^\?/, ''),
      status: 0,
      user: '',
      receivedAt: Date.now(),
    };
    requests.push(record);
    // The scenario's clock: "how long ago" is judged in the cluster's time, as against a real API server.
    if (options.scenario.now) res.setHeader('Date', new Date(options.scenario.now).toUTCString());
    res.on('finish', () => {
      record.status = res.statusCode;
      record.finishedAt = Date.now();
    });

    const delay = faults.delayMs();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const fault = faults.take(verb, path);
    if (fault?.kind === 'hang') return; // never answered: the client times out or close() drops the socket
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'html') {
      const code = fault.status ?? 502;
      const reason = code === 502 ? 'Bad Gateway' : code === 504 ? 'Gateway Timeout' : 'Error';
      res.writeHead(code, { 'Content-Type': 'text/html' });
      res.end(
        `<!DOCTYPE html>\n<html><head><title>${code} ${reason}</title><style>body{font-family:sans-serif}</style></head>` +
          `<body><center><h1>${code} ${reason}</h1></center><hr><center>nginx</center>${'<!-- padding -->\n'.repeat(200)}</body></html>`,
      );
      return;
    }
    if (fault?.kind === 'truncate') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[{"metadata":{"name":"cor');
      return;
    }
    if (fault?.kind === 'status') {
      const code = fault.status ?? 500;
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) headers['Retry-After'] = String(fault.retryAfterSeconds);
      const reason = REASONS[code] ?? 'InternalError';
      const message = code === 429 ? 'Too many requests, please try again later.' : `injected fault: ${code} ${reason}`;
      sendJson(
        res,
        code,
        statusBody(
          code,
          reason,
          message,
          fault.retryAfterSeconds ? { retryAfterSeconds: fault.retryAfterSeconds } : undefined,
        ),
        headers,
      );
      return;
    }

    const auth = req.headers.authorization ?? '';
    const user = auth.startsWith('Bearer ') ? users.get(auth.slice(7).trim()) : undefined;
    if (!user) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
    record.user = user.name;

    if (r.kind === 'static') {
      if (typeof r.body === 'string') {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(r.body);
      } else sendJson(res, 200, r.body);
      return;
    }
    if (r.kind === 'notFound') throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    const kubeVerb =
      method === 'GET' ? (r.collection ? (verb === 'WATCH' ? 'watch' : 'list') : 'get') : KUBE_VERBS[method];
    if (!kubeVerb || (r.collection && kubeVerb !== 'list' && kubeVerb !== 'watch' && kubeVerb !== 'create')) {
      throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
    if (!r.collection && kubeVerb === 'create' && !r.request.type.virtual) {
      throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
    await handleResource(ctx, user, { ...r.request, verb: kubeVerb }, req, res);
  }

  const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const apiErr =
        err instanceof ApiError ? err : new ApiError(500, 'InternalError', `Internal error occurred: ${String(err)}`);
      sendError(res, apiErr);
    });
  });
  let connections = 0;
  server.on('secureConnection', () => {
    connections++;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    caPem: tls.caPem,
    tokens,
    identities: { admin: IDENTITIES.admin.name, bot: IDENTITIES.bot.name, remediator: IDENTITIES.remediator.name },
    kubeconfig: (who = 'admin') => kubeconfigYaml(url, tls.caPem, who, tokens[who]),
    setLatency: (latency) => {
      faults.latency = latency;
    },
    setFaults: (list) => faults.set(list),
    apply: (objects) => {
      applyObjects(store, objects);
      reactions.evaluate();
    },
    requests,
    get connections() {
      return connections;
    },
    resetRequests: () => {
      requests.length = 0;
      connections = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // also drops requests held open by 'hang' faults
      }),
  };
}
