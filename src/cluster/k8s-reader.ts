// ClusterReader over HTTPS. The KubeConfig (client-node) supplies credentials, CA and TLS options; the requests
// themselves go through one keep-alive agent with a shared TLS context, so a diagnosis costs a handful of handshakes
// instead of one per request, and bodies stay wire JSON (RFC 3339 strings, unknown fields intact) without the
// generated client's per-object deserialisation. Nothing is imported from client-node: loading its generated APIs
// costs hundreds of milliseconds per process; the kubeconfig may be client-node's KubeConfig or the lite one.
import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import { createSecureContext } from 'node:tls';
import {
  ClusterError,
  type ClusterErrorKind,
  type ClusterReader,
  type KubeObject,
  type ListOptions,
  type LogOptions,
  type Resource,
} from '../engine/cluster-reader.ts';
import { Interner } from './intern.ts';
import type { KubeConnectionConfig } from './kubeconfig-lite.ts';
import { type PodRow, podFromRow, podRows, TABLE_ACCEPT, templateKey } from './pod-rows.ts';

export interface KubeReaderOptions {
  /** Per-request timeout (each page, each log call), counted from the moment the request has a socket. */
  timeoutMs?: number;
  /**
   * The run's deadline (epoch ms): every request, retry and Retry-After wait ends by then, whatever the per-request
   * timeout says. Queueing for one of the pooled sockets counts against this, never against a request's own timeout.
   */
  deadlineAt?: number;
  pageSize?: number;
  /** Who we authenticate as, for error messages; otherwise parsed from 403 messages or the kubeconfig user. */
  identity?: string;
  /**
   * A pod list that has returned this many full objects and still has more reads the rest as Table rows (see
   * pod-rows.ts); 0 never does. Default: one default page, so only big clusters take that path.
   */
  rowsAfter?: number;
}

/** API path prefix and scope per resource. */
const CORE = '/api/v1';
const RESOURCE_PATHS: Record<Resource, { prefix: string; namespaced: boolean }> = {
  nodes: { prefix: CORE, namespaced: false },
  namespaces: { prefix: CORE, namespaced: false },
  pods: { prefix: CORE, namespaced: true },
  services: { prefix: CORE, namespaced: true },
  endpoints: { prefix: CORE, namespaced: true },
  configmaps: { prefix: CORE, namespaced: true },
  serviceaccounts: { prefix: CORE, namespaced: true },
  events: { prefix: CORE, namespaced: true },
  deployments: { prefix: '/apis/apps/v1', namespaced: true },
  daemonsets: { prefix: '/apis/apps/v1', namespaced: true },
  replicasets: { prefix: '/apis/apps/v1', namespaced: true },
  endpointslices: { prefix: '/apis/discovery.k8s.io/v1', namespaced: true },
  networkpolicies: { prefix: '/apis/networking.k8s.io/v1', namespaced: true },
  clusterroles: { prefix: '/apis/rbac.authorization.k8s.io/v1', namespaced: false },
  clusterrolebindings: { prefix: '/apis/rbac.authorization.k8s.io/v1', namespaced: false },
  roles: { prefix: '/apis/rbac.authorization.k8s.io/v1', namespaced: true },
  rolebindings: { prefix: '/apis/rbac.authorization.k8s.io/v1', namespaced: true },
};

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_PAGE_SIZE = 500;
/** Table rows are a fraction of a pod's bytes: bigger pages, fewer round trips on the list's critical path. */
const ROW_PAGE_SIZE = 5000;
/** More pods than this to fetch one by one (a cluster where most pods are failing): list them in full instead. */
const MAX_ROW_FETCHES = 64;
/**
 * Collections read with `resourceVersion=0`: served from the API server's watch cache instead of a quorum read of
 * etcd, and in one answer (the cache ignores `limit`), so thousands of nodes cost one round trip instead of a page
 * chain. The cache may trail etcd by a moment; a diagnosis of node and workload state tolerates that, which it
 * would not for a write. Never with `limit` (its first page would become the whole collection).
 */
const FROM_CACHE: ReadonlySet<Resource> = new Set(['nodes', 'daemonsets', 'deployments']);
/** Longest Retry-After we honour; a server asking for more gets one retry after this long. */
const MAX_RETRY_AFTER_MS = 2_000;

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export function kindForStatus(status: number): ClusterErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status === 400 || status === 422) return 'bad-request';
  return 'server-error';
}

export function statusMessage(text: string, status?: number): string {
  try {
    const body = JSON.parse(text);
    if (typeof body?.message === 'string') return body.message;
  } catch {
    // not a Status object
  }
  return summariseBody(text, status);
}

/**
 * A body that is not a Kubernetes Status, in one short line: a proxy's HTML error page becomes its status and
 * <title>, never the page itself.
 */
export function summariseBody(text: string, status?: number): string {
  const head = text.slice(0, 4096);
  if (/^\s*<(!doctype|html|head|body|\?xml)/i.test(head) || /<\/(html|title|body)>/i.test(head)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(head)?.[1]?.replace(/\s+/g, ' ').trim();
    const what = status ? `HTTP ${status}` : 'an error';
    return title ? `${what}: an HTML page titled "${title.slice(0, 120)}"` : `${what}: an HTML page`;
  }
  const line = head.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const clean = [...line]
    .map((ch) => (ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127 ? ' ' : ch))
    .join('')
    .trim();
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean || 'no response body';
}

/** `User "system:serviceaccount:netcheck:netcheck-bot" cannot list ...` → the user. */
export function identityFromMessage(message: string): string | undefined {
  return /User "([^"]+)"/.exec(message)?.[1];
}

export function networkError(error: unknown): { kind: ClusterErrorKind; message: string } | undefined {
  const err = error as {
    name?: string;
    message?: string;
    code?: string;
    cause?: { code?: string; message?: string; name?: string };
  };
  const name = err?.name ?? '';
  if (name === 'TimeoutError' || name === 'AbortError' || err?.cause?.name === 'TimeoutError') {
    return { kind: 'timeout', message: 'timed out' };
  }
  const code = err?.code ?? err?.cause?.code;
  if (
    code &&
    /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|UND_ERR_SOCKET|UND_ERR_CONNECT_TIMEOUT|EPIPE/.test(
      code,
    )
  ) {
    return {
      kind: code === 'UND_ERR_CONNECT_TIMEOUT' ? 'timeout' : 'unreachable',
      message: `${code}${err?.cause?.message ? ` (${err.cause.message})` : ''}`,
    };
  }
  if (/fetch failed|socket hang up|other side closed/i.test(err?.message ?? '')) {
    return { kind: 'unreachable', message: err?.cause?.message ?? err?.message ?? 'connection failed' };
  }
  return undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Largest body read for one request: a page of 500 big pods is a few MiB; anything far beyond is not an API answer. */
const MAX_BODY_CHARS = 64 * 1024 * 1024;
/** A reset or 503 is retried after this long unless the server says otherwise. */
const RETRY_DELAY_MS = 200;

type Query = Record<string, string | number | boolean | undefined>;

function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

class RequestTimeout extends Error {
  override name = 'TimeoutError';
}

/**
 * How requests reach the API server: the kubeconfig's own agent when it goes through a proxy, otherwise one
 * keep-alive agent built once from its TLS material (a per-connection CA parse is measurable at 40 parallel calls).
 */
export function transportFor(kc: KubeConnectionConfig, applied: RequestOptions & { agent?: unknown }) {
  const server = kc.getCurrentCluster()?.server ?? '';
  const url = new URL(server);
  const secure = url.protocol === 'https:';
  let agent: HttpAgent | undefined;
  if (kc.getCurrentCluster()?.proxyUrl) agent = applied.agent as HttpAgent;
  else if (secure) {
    const tlsMaterial = {
      ca: applied.ca,
      cert: applied.cert,
      key: applied.key,
      pfx: applied.pfx,
      passphrase: applied.passphrase,
    };
    agent = new HttpsAgent({
      keepAlive: true,
      // A diagnosis fires ~40 requests at once; a dozen kept-alive connections carry them with a dozen TLS handshakes
      // instead of forty, which is most of the CPU a small cluster costs, while still overlapping round trips.
      maxSockets: 12,
      secureContext: createSecureContext(tlsMaterial),
      ...(applied.rejectUnauthorized !== undefined ? { rejectUnauthorized: applied.rejectUnauthorized } : {}),
      ...(applied.servername ? { servername: applied.servername } : {}),
    });
  }
  return {
    base: server.replace(/\/+$/, ''),
    request: secure ? httpsRequest : httpRequest,
    agent,
  };
}

export function createKubeReader(kc: KubeConnectionConfig, options: KubeReaderOptions = {}): ClusterReader {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadlineAt = options.deadlineAt;
  // One signal for the whole run: when the deadline passes, every request still queued or in flight ends at once.
  const runSignal =
    deadlineAt === undefined ? undefined : AbortSignal.timeout(Math.max(0, Math.round(deadlineAt - Date.now())));
  const remainingMs = () => (deadlineAt === undefined ? Number.POSITIVE_INFINITY : deadlineAt - Date.now());
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  let requestCount = 0;
  let serverTime: number | undefined;
  let learnedIdentity: string | undefined;
  let transport: ReturnType<typeof transportFor> | undefined;
  const identity = () => options.identity ?? learnedIdentity ?? kc.getCurrentUser()?.name ?? 'unknown';

  /** Credentials per request: exec and OIDC authenticators refresh tokens behind this call. */
  async function authenticated(): Promise<{ headers: Record<string, string>; auth?: string }> {
    const applied: RequestOptions & { agent?: unknown } = {};
    await kc.applyToHTTPSOptions(applied);
    transport ??= transportFor(kc, applied);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(applied.headers ?? {})) headers[key] = String(value);
    return { headers, ...(applied.auth ? { auth: applied.auth } : {}) };
  }

  function once(
    path: string,
    credentials: Awaited<ReturnType<typeof authenticated>>,
    maxChars = MAX_BODY_CHARS,
    accept = 'application/json, */*',
  ) {
    const t = transport!;
    requestCount++;
    return new Promise<RawResponse & { reused: boolean }>((resolve, reject) => {
      let reused = false;
      let timer: NodeJS.Timeout | undefined;
      if (runSignal?.aborted) {
        reject(new RequestTimeout('the deadline passed'));
        return;
      }
      const req = t.request(
        `${t.base}${path}`,
        {
          method: 'GET',
          agent: t.agent,
          headers: { Accept: accept, 'User-Agent': 'netcheck', ...credentials.headers },
          ...(credentials.auth ? { auth: credentials.auth } : {}),
        },
        (res: IncomingMessage) => {
          // Decoded as it arrives: no Buffer copies of multi-megabyte pages waiting for a GC outside the JS heap.
          res.setEncoding('utf8');
          let text = '';
          res.on('data', (chunk: string) => {
            if (text.length >= maxChars) return;
            text += text.length + chunk.length > maxChars ? chunk.slice(0, maxChars - text.length) : chunk;
          });
          res.on('error', reject);
          res.on('end', () => {
            clearTimeout(timer);
            runSignal?.removeEventListener('abort', onDeadline);
            const headers: Record<string, string> = {};
            for (const [key, value] of Object.entries(res.headers)) {
              if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
            }
            // The server's clock, so "how long ago" is judged in the cluster's time, not this machine's.
            const date = Date.parse(headers.date ?? '');
            if (Number.isFinite(date)) serverTime = date;
            resolve({ status: res.statusCode ?? 0, headers, text, reused });
          });
        },
      );
      const onDeadline = () => req.destroy(new RequestTimeout('the deadline passed'));
      runSignal?.addEventListener('abort', onDeadline, { once: true });
      // The request's own clock starts when it has a socket: waiting for one of the pooled sockets is not its fault.
      req.on('socket', () => {
        reused = req.reusedSocket;
        timer ??= setTimeout(() => req.destroy(new RequestTimeout('timed out')), timeoutMs);
      });
      req.on('error', (error: Error & { reused?: boolean }) => {
        clearTimeout(timer);
        runSignal?.removeEventListener('abort', onDeadline);
        error.reused = reused;
        reject(error);
      });
      req.end();
    });
  }

  /** One HTTP request (any status). */
  async function send(path: string, maxChars?: number, accept?: string): Promise<RawResponse> {
    return await once(path, await authenticated(), maxChars, accept);
  }

  /** Whether a wait of `ms` and one more request still fit before the deadline. */
  const fits = (ms: number) => remainingMs() > ms + 50;

  /**
   * send() with the retry policy and error mapping. Every call here is an idempotent read, so a reset connection or a
   * 503 is retried once, and a 429 once after its Retry-After — but only when the retry can finish within the
   * deadline (without one, a Retry-After is honoured up to 2 s).
   */
  async function call(
    path: string,
    what: { verb: string; resource: string; namespace?: string },
    maxChars?: number,
    accept?: string,
  ): Promise<RawResponse> {
    for (let attempt = 0; ; attempt++) {
      let response: RawResponse;
      try {
        response = await send(path, maxChars, accept);
      } catch (error) {
        const net = networkError(error);
        const code = (error as { code?: string }).code ?? '';
        const reset = /ECONNRESET|EPIPE/.test(code) || /socket hang up/i.test((error as Error).message ?? '');
        if (attempt === 0 && reset && fits(RETRY_DELAY_MS)) {
          await sleep(RETRY_DELAY_MS, runSignal);
          continue;
        }
        const deadline = (error as Error).message === 'the deadline passed' || runSignal?.aborted;
        throw new ClusterError({
          kind: net?.kind ?? 'unreachable',
          message: deadline ? 'the deadline passed' : (net?.message ?? (error as Error).message),
          ...what,
          identity: options.identity,
        });
      }
      if (response.status < 300) return response;
      if (attempt === 0 && (response.status === 429 || response.status === 503)) {
        const retryAfter = Number(response.headers['retry-after']);
        const asked = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : RETRY_DELAY_MS;
        const waitMs = deadlineAt === undefined ? Math.min(asked, MAX_RETRY_AFTER_MS) : asked;
        if (fits(waitMs)) {
          await sleep(waitMs, runSignal);
          continue;
        }
      }
      const message = statusMessage(response.text, response.status);
      const user = identityFromMessage(message);
      if (user && !options.identity) learnedIdentity = user;
      throw new ClusterError({
        kind: kindForStatus(response.status),
        status: response.status,
        message,
        ...what,
        identity:
          user ?? options.identity ?? (response.status === 401 || response.status === 403 ? identity() : undefined),
      });
    }
  }

  /** A 200 whose body is not the JSON object asked for (cut off mid-way, a proxy's page) is a failed read. */
  function parseBody(response: RawResponse, what: { verb: string; resource: string; namespace?: string }): unknown {
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      body = undefined;
    }
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) return body;
    const truncated = /^\s*[{[]/.test(response.text);
    throw new ClusterError({
      kind: 'server-error',
      status: response.status,
      message: truncated
        ? `the response was not complete JSON (${response.text.length} characters, cut off)`
        : `the response was not JSON (${summariseBody(response.text, response.status)})`,
      ...what,
      identity: options.identity,
    });
  }

  const collectionPath = (resource: Resource, namespace: string | undefined) => {
    const { prefix } = RESOURCE_PATHS[resource];
    return namespace === undefined
      ? `${prefix}/${resource}`
      : `${prefix}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
  };

  /** The rest of a list in full objects, from a continue token (the fallback of the rows path). */
  async function listFullFrom(resource: Resource, opts: ListOptions, from: string): Promise<KubeObject[]> {
    const namespace = RESOURCE_PATHS[resource].namespaced ? opts.namespace : undefined;
    const what = { verb: 'list', resource, namespace };
    const items: KubeObject[] = [];
    const interner = new Interner();
    let next: string | undefined = from;
    while (next) {
      const query = queryString({
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        limit: opts.pageSize ?? pageSize,
        continue: next,
        timeoutSeconds: Math.max(1, Math.ceil(timeoutMs / 1000)),
      });
      const response = await call(`${collectionPath(resource, namespace)}${query}`, what);
      const body = parseBody(response, what) as { items?: KubeObject[]; metadata?: { continue?: string } };
      for (const item of Array.isArray(body.items) ? body.items : []) {
        if (item !== null && typeof item === 'object') interner.object(item);
        items.push(item);
      }
      next = body.metadata?.continue || undefined;
    }
    return items;
  }

  /**
   * Pods for the rows, in row order: healthy rows rebuilt from a full pod of their template, every other row fetched
   * in full — all fetches (other rows, and one pod per template no full page held) in one parallel round. Undefined
   * when that would be too many fetches: then the caller lists the rest in full.
   */
  async function podsFromRows(rows: PodRow[], full: KubeObject[]): Promise<KubeObject[] | undefined> {
    const templates = new Map<string, KubeObject>();
    const remember = (pod: KubeObject) => {
      const key = templateKey(pod.metadata ?? {});
      if (key && !templates.has(key)) templates.set(key, pod);
    };
    for (const pod of full) if (pod && typeof pod === 'object') remember(pod);
    const fetch = new Set<PodRow>();
    const wanted = new Set<string>();
    for (const row of rows) {
      const key = row.healthy && templateKey(row.healthy.metadata);
      if (!key) fetch.add(row);
      else if (!templates.has(key) && !wanted.has(key)) {
        wanted.add(key);
        fetch.add(row);
      }
    }
    const fetched = new Map<PodRow, KubeObject | null>();
    for (let round = 0; fetch.size > 0; round++) {
      if (fetch.size > MAX_ROW_FETCHES || round > 1) return undefined;
      const batch = [...fetch];
      fetch.clear();
      const pods = await Promise.all(batch.map((row) => getObject('pods', row.name, row.namespace)));
      batch.forEach((row, i) => {
        fetched.set(row, pods[i]!);
        if (pods[i]) remember(pods[i]!);
      });
      // A row whose template does not fit it (containers, sidecars) is fetched too, in one more round at most.
      for (const row of rows) {
        if (fetched.has(row) || !row.healthy) continue;
        const template = templates.get(templateKey(row.healthy.metadata) ?? '');
        if (!template || !podFromRow(row.healthy, template)) fetch.add(row);
      }
    }
    const out: KubeObject[] = [];
    for (const row of rows) {
      if (fetched.has(row)) {
        // Null: deleted between the list and the get — gone, as a fresh list would show.
        const pod = fetched.get(row);
        if (pod) out.push(pod);
        continue;
      }
      out.push(podFromRow(row.healthy!, templates.get(templateKey(row.healthy!.metadata)!)!)!);
    }
    return out;
  }

  async function getObject(resource: Resource, name: string, namespace?: string): Promise<KubeObject | null> {
    const ns = RESOURCE_PATHS[resource].namespaced ? namespace : undefined;
    try {
      const response = await call(`${collectionPath(resource, ns)}/${encodeURIComponent(name)}`, {
        verb: 'get',
        resource,
        namespace,
      });
      return parseBody(response, { verb: 'get', resource, namespace }) as KubeObject;
    } catch (error) {
      if (error instanceof ClusterError && error.kind === 'not-found') return null;
      throw error;
    }
  }

  const reader: ClusterReader = {
    get identity() {
      return identity();
    },
    get requestCount() {
      return requestCount;
    },
    get serverTime() {
      return serverTime;
    },

    async list(resource: Resource, opts: ListOptions = {}): Promise<KubeObject[]> {
      const namespace = RESOURCE_PATHS[resource].namespaced ? opts.namespace : undefined;
      const what = { verb: 'list', resource, namespace };
      const path = collectionPath(resource, namespace);
      const items: KubeObject[] = [];
      const interner = new Interner();
      const fromCache = FROM_CACHE.has(resource) && opts.limit === undefined;
      const rowsAfter = resource === 'pods' && opts.limit === undefined ? (options.rowsAfter ?? DEFAULT_PAGE_SIZE) : 0;
      /** Pods read as rows, in list order, and the continue token they started at (to list them in full instead). */
      let rows: PodRow[] | undefined;
      let rowsFrom: string | undefined;
      let next: string | undefined;
      do {
        const asRows = rows !== undefined;
        const query = queryString({
          labelSelector: opts.labelSelector,
          fieldSelector: opts.fieldSelector,
          limit: opts.limit ?? (asRows ? ROW_PAGE_SIZE : (opts.pageSize ?? pageSize)),
          continue: next,
          // A continued list must not name a resourceVersion: the token carries it.
          resourceVersion: fromCache && !next ? '0' : undefined,
          includeObject: asRows ? 'Metadata' : undefined,
          timeoutSeconds: Math.max(1, Math.ceil(timeoutMs / 1000)),
        });
        const response = await call(`${path}${query}`, what, undefined, asRows ? TABLE_ACCEPT : undefined);
        const body = parseBody(response, what) as { items?: KubeObject[]; metadata?: { continue?: string } };
        const pageRows = asRows ? podRows(body, namespace) : undefined;
        if (asRows && pageRows) rows!.push(...pageRows);
        else {
          // Items that are not objects are the engine's to drop (it sanitizes every list), never a crash here.
          for (const item of Array.isArray(body.items) ? body.items : []) {
            if (item !== null && typeof item === 'object') interner.object(item);
            items.push(item);
          }
        }
        next = opts.limit === undefined ? body.metadata?.continue || undefined : undefined;
        if (asRows && !pageRows) {
          // Not a pod Table after all (an old server or a proxy that ignores Accept): the rest in full.
          return [...items, ...(await listFullFrom(resource, opts, rowsFrom!))];
        }
        if (!asRows && next && rowsAfter > 0 && items.length >= rowsAfter) {
          rows = [];
          rowsFrom = next;
        }
      } while (next);
      if (!rows || rows.length === 0) return items;
      const rebuilt = await podsFromRows(rows, items);
      return rebuilt ? [...items, ...rebuilt] : [...items, ...(await listFullFrom(resource, opts, rowsFrom!))];
    },

    get(resource: Resource, name: string, namespace?: string): Promise<KubeObject | null> {
      return getObject(resource, name, namespace);
    },

    async logs(namespace: string, pod: string, opts: LogOptions = {}): Promise<string> {
      const query = queryString({
        container: opts.container,
        previous: opts.previous,
        tailLines: opts.tailLines,
        limitBytes: opts.limitBytes,
      });
      // A proxy that ignores limitBytes cannot make the run hold more than twice the budget in memory.
      const maxChars = opts.limitBytes ? opts.limitBytes * 2 : undefined;
      const response = await call(
        `${collectionPath('pods', namespace)}/${encodeURIComponent(pod)}/log${query}`,
        { verb: 'get', resource: 'pods/log', namespace },
        maxChars,
      );
      return response.text;
    },
  };
  return reader;
}
