// ClusterReader over @kubernetes/client-node. The generated APIs give us auth, TLS and URLs; a per-call middleware adds
// the timeout, counts every HTTP request, and keeps the raw response body so the engine gets wire JSON (RFC 3339
// strings, unknown fields intact) instead of the client's class instances with Date objects.
import {
  AppsV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  type KubeConfig,
  NetworkingV1Api,
  Observable,
  RbacAuthorizationV1Api,
  type RequestContext,
  ResponseContext,
} from '@kubernetes/client-node';
import {
  ClusterError,
  type ClusterErrorKind,
  type ClusterReader,
  type KubeObject,
  type ListOptions,
  type LogOptions,
  type Resource,
} from '../engine/cluster-reader.ts';

export interface KubeReaderOptions {
  /** Per-request timeout (each page, each log call). */
  timeoutMs?: number;
  pageSize?: number;
  /** Who we authenticate as, for error messages; otherwise parsed from 403 messages or the kubeconfig user. */
  identity?: string;
}

type ApiName = 'core' | 'apps' | 'discovery' | 'networking' | 'rbac';

/** Generated method names per resource: [api, namespaced list, all-namespaces/cluster list, read]. */
const METHODS: Record<Resource, { api: ApiName; list?: string; listAll: string; read: string; namespaced: boolean }> = {
  nodes: { api: 'core', listAll: 'listNode', read: 'readNode', namespaced: false },
  namespaces: { api: 'core', listAll: 'listNamespace', read: 'readNamespace', namespaced: false },
  pods: {
    api: 'core',
    list: 'listNamespacedPod',
    listAll: 'listPodForAllNamespaces',
    read: 'readNamespacedPod',
    namespaced: true,
  },
  services: {
    api: 'core',
    list: 'listNamespacedService',
    listAll: 'listServiceForAllNamespaces',
    read: 'readNamespacedService',
    namespaced: true,
  },
  endpoints: {
    api: 'core',
    list: 'listNamespacedEndpoints',
    listAll: 'listEndpointsForAllNamespaces',
    read: 'readNamespacedEndpoints',
    namespaced: true,
  },
  configmaps: {
    api: 'core',
    list: 'listNamespacedConfigMap',
    listAll: 'listConfigMapForAllNamespaces',
    read: 'readNamespacedConfigMap',
    namespaced: true,
  },
  serviceaccounts: {
    api: 'core',
    list: 'listNamespacedServiceAccount',
    listAll: 'listServiceAccountForAllNamespaces',
    read: 'readNamespacedServiceAccount',
    namespaced: true,
  },
  events: {
    api: 'core',
    list: 'listNamespacedEvent',
    listAll: 'listEventForAllNamespaces',
    read: 'readNamespacedEvent',
    namespaced: true,
  },
  deployments: {
    api: 'apps',
    list: 'listNamespacedDeployment',
    listAll: 'listDeploymentForAllNamespaces',
    read: 'readNamespacedDeployment',
    namespaced: true,
  },
  daemonsets: {
    api: 'apps',
    list: 'listNamespacedDaemonSet',
    listAll: 'listDaemonSetForAllNamespaces',
    read: 'readNamespacedDaemonSet',
    namespaced: true,
  },
  replicasets: {
    api: 'apps',
    list: 'listNamespacedReplicaSet',
    listAll: 'listReplicaSetForAllNamespaces',
    read: 'readNamespacedReplicaSet',
    namespaced: true,
  },
  endpointslices: {
    api: 'discovery',
    list: 'listNamespacedEndpointSlice',
    listAll: 'listEndpointSliceForAllNamespaces',
    read: 'readNamespacedEndpointSlice',
    namespaced: true,
  },
  networkpolicies: {
    api: 'networking',
    list: 'listNamespacedNetworkPolicy',
    listAll: 'listNetworkPolicyForAllNamespaces',
    read: 'readNamespacedNetworkPolicy',
    namespaced: true,
  },
  clusterroles: { api: 'rbac', listAll: 'listClusterRole', read: 'readClusterRole', namespaced: false },
  clusterrolebindings: {
    api: 'rbac',
    listAll: 'listClusterRoleBinding',
    read: 'readClusterRoleBinding',
    namespaced: false,
  },
  roles: {
    api: 'rbac',
    list: 'listNamespacedRole',
    listAll: 'listRoleForAllNamespaces',
    read: 'readNamespacedRole',
    namespaced: true,
  },
  rolebindings: {
    api: 'rbac',
    list: 'listNamespacedRoleBinding',
    listAll: 'listRoleBindingForAllNamespaces',
    read: 'readNamespacedRoleBinding',
    namespaced: true,
  },
};

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_PAGE_SIZE = 500;
/** Longest Retry-After we honour; a server asking for more gets one retry after this long. */
const MAX_RETRY_AFTER_MS = 2_000;

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

// biome-ignore lint/suspicious/noExplicitAny: generated API methods are dispatched by name.
type AnyApi = Record<string, (param: any, options?: any) => Promise<unknown>>;

function kindForStatus(status: number): ClusterErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status === 400 || status === 422) return 'bad-request';
  return 'server-error';
}

function statusMessage(text: string): string {
  try {
    const body = JSON.parse(text);
    if (typeof body?.message === 'string') return body.message;
  } catch {
    // not a Status object
  }
  return text.slice(0, 300) || 'no response body';
}

/** `User "system:serviceaccount:netcheck:netcheck-bot" cannot list ...` → the user. */
export function identityFromMessage(message: string): string | undefined {
  return /User "([^"]+)"/.exec(message)?.[1];
}

function networkError(error: unknown): { kind: ClusterErrorKind; message: string } | undefined {
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function createKubeReader(kc: KubeConfig, options: KubeReaderOptions = {}): ClusterReader {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  let requestCount = 0;
  let learnedIdentity: string | undefined;
  const apis: Record<ApiName, AnyApi> = {
    core: kc.makeApiClient(CoreV1Api) as unknown as AnyApi,
    apps: kc.makeApiClient(AppsV1Api) as unknown as AnyApi,
    discovery: kc.makeApiClient(DiscoveryV1Api) as unknown as AnyApi,
    networking: kc.makeApiClient(NetworkingV1Api) as unknown as AnyApi,
    rbac: kc.makeApiClient(RbacAuthorizationV1Api) as unknown as AnyApi,
  };
  const identity = () => options.identity ?? learnedIdentity ?? kc.getCurrentUser()?.name ?? 'unknown';

  /** One HTTP request through the generated API, returning the raw response (any status). */
  async function send(api: ApiName, method: string, param: Record<string, unknown>): Promise<RawResponse> {
    let captured: RawResponse | undefined;
    const middleware = {
      pre: (ctx: RequestContext) => {
        requestCount++;
        ctx.setSignal(AbortSignal.timeout(timeoutMs));
        return new Observable(Promise.resolve(ctx));
      },
      post: (rsp: ResponseContext) =>
        new Observable(
          (async () => {
            const text = await rsp.body.text();
            captured = { status: rsp.httpStatusCode, headers: rsp.headers, text };
            // Hand the generated processor a replayable body; its parsed result is discarded.
            return new ResponseContext(rsp.httpStatusCode, rsp.headers, {
              text: async () => text,
              binary: async () => Buffer.from(text),
              stream: () => null,
            });
          })(),
        ),
    };
    try {
      await apis[api][method]!(param, { middleware: [middleware], middlewareMergeStrategy: 'append' });
    } catch (error) {
      if (!captured) throw error;
    }
    if (!captured) throw new Error(`no response captured for ${method}`);
    return captured;
  }

  /** send() with the retry policy (429 once honouring Retry-After ≤ 2 s, 503 once) and error mapping. */
  async function call(
    api: ApiName,
    method: string,
    param: Record<string, unknown>,
    what: { verb: string; resource: string; namespace?: string },
  ): Promise<RawResponse> {
    for (let attempt = 0; ; attempt++) {
      let response: RawResponse;
      try {
        response = await send(api, method, param);
      } catch (error) {
        const net = networkError(error);
        throw new ClusterError({
          kind: net?.kind ?? 'unreachable',
          message: net?.message ?? (error as Error).message,
          ...what,
          identity: options.identity,
        });
      }
      if (response.status < 300) return response;
      if (attempt === 0 && (response.status === 429 || response.status === 503)) {
        const retryAfter = Number(response.headers['retry-after']);
        const waitMs =
          Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, MAX_RETRY_AFTER_MS) : 200;
        await sleep(waitMs);
        continue;
      }
      const message = statusMessage(response.text);
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

  const reader: ClusterReader = {
    get identity() {
      return identity();
    },
    get requestCount() {
      return requestCount;
    },

    async list(resource: Resource, opts: ListOptions = {}): Promise<KubeObject[]> {
      const m = METHODS[resource];
      const namespaced = m.namespaced && opts.namespace !== undefined;
      const method = namespaced ? m.list! : m.listAll;
      const what = { verb: 'list', resource, namespace: namespaced ? opts.namespace : undefined };
      const items: KubeObject[] = [];
      let next: string | undefined;
      do {
        const param: Record<string, unknown> = {
          labelSelector: opts.labelSelector,
          fieldSelector: opts.fieldSelector,
          limit: opts.limit ?? opts.pageSize ?? pageSize,
          timeoutSeconds: Math.max(1, Math.ceil(timeoutMs / 1000)),
        };
        if (namespaced) param.namespace = opts.namespace;
        if (next) param._continue = next;
        const response = await call(m.api, method, param, what);
        const body = JSON.parse(response.text) as { items?: KubeObject[]; metadata?: { continue?: string } };
        items.push(...(body.items ?? []));
        next = opts.limit === undefined ? body.metadata?.continue || undefined : undefined;
      } while (next);
      return items;
    },

    async get(resource: Resource, name: string, namespace?: string): Promise<KubeObject | null> {
      const m = METHODS[resource];
      const param: Record<string, unknown> = { name };
      if (m.namespaced) param.namespace = namespace;
      try {
        const response = await call(m.api, m.read, param, { verb: 'get', resource, namespace });
        return JSON.parse(response.text) as KubeObject;
      } catch (error) {
        if (error instanceof ClusterError && error.kind === 'not-found') return null;
        throw error;
      }
    },

    async logs(namespace: string, pod: string, opts: LogOptions = {}): Promise<string> {
      const param: Record<string, unknown> = {
        name: pod,
        namespace,
        container: opts.container,
        previous: opts.previous,
        tailLines: opts.tailLines,
        limitBytes: opts.limitBytes,
      };
      const response = await call('core', 'readNamespacedPodLog', param, {
        verb: 'get',
        resource: 'pods/log',
        namespace,
      });
      return response.text;
    },
  };
  return reader;
}
