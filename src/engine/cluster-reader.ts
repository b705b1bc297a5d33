// The engine's only window onto a cluster. Implemented over HTTPS in src/cluster; the engine never does I/O itself.

/** A Kubernetes object as it travels on the wire (plain JSON, timestamps as RFC 3339 strings). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid?: string; controller?: boolean }[];
    creationTimestamp?: string;
    resourceVersion?: string;
    generateName?: string;
    [key: string]: unknown;
  };
  // biome-ignore lint/suspicious/noExplicitAny: wire objects are open-ended; checks narrow what they read.
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: see spec.
  status?: any;
  // biome-ignore lint/suspicious/noExplicitAny: see spec.
  [key: string]: any;
}

/** The resources the engine may read; the read-only ClusterRole in infra/k8s grants exactly these. */
export const RESOURCES = [
  'nodes',
  'namespaces',
  'pods',
  'services',
  'endpoints',
  'configmaps',
  'serviceaccounts',
  'events',
  'deployments',
  'daemonsets',
  'replicasets',
  'endpointslices',
  'networkpolicies',
  'clusterroles',
  'clusterrolebindings',
  'roles',
  'rolebindings',
] as const;
export type Resource = (typeof RESOURCES)[number];

export interface ListOptions {
  /** Omit for cluster-scoped resources or to list across all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; the reader follows `continue` tokens until the list is complete. */
  pageSize?: number;
  /**
   * First page only, at most `limit` items: the reader does not follow `continue`. For lists where only existence or
   * a sample matters (NetworkPolicies, cluster-wide events), so a big cluster cannot make the run slow.
   */
  limit?: number;
}

export interface LogOptions {
  container?: string;
  previous?: boolean;
  tailLines?: number;
  limitBytes?: number;
}

export type ClusterErrorKind =
  | 'forbidden'
  | 'unauthorized'
  | 'not-found'
  | 'timeout'
  | 'unreachable'
  | 'rate-limited'
  | 'server-error'
  | 'bad-request'
  /** 409: the object changed since it was read (resourceVersion), or already exists. Writes only. */
  | 'conflict';

/** A failed call, with enough context to tell a human what was denied and to whom. */
export class ClusterError extends Error {
  readonly kind: ClusterErrorKind;
  readonly status?: number;
  readonly verb: string;
  readonly resource: string;
  readonly namespace?: string;
  readonly identity?: string;

  constructor(init: {
    kind: ClusterErrorKind;
    message: string;
    status?: number;
    verb: string;
    resource: string;
    namespace?: string;
    identity?: string;
  }) {
    super(init.message);
    this.name = 'ClusterError';
    this.kind = init.kind;
    this.status = init.status;
    this.verb = init.verb;
    this.resource = init.resource;
    this.namespace = init.namespace;
    this.identity = init.identity;
  }

  /** e.g. "cannot list pods in kube-system as system:serviceaccount:netcheck:netcheck-bot (403 Forbidden)". */
  describe(): string {
    const where = this.namespace ? ` in ${this.namespace}` : '';
    const who = this.identity ? ` as ${this.identity}` : '';
    const code = this.status ? ` (${this.status})` : '';
    const what = `${this.verb} ${this.resource}${where}`;
    switch (this.kind) {
      case 'forbidden':
        return `cannot ${what}${who}${code}`;
      case 'unauthorized':
        return `the API server rejected the credentials${who} while trying to ${what}${code}`;
      case 'timeout':
        return this.message === 'the deadline passed'
          ? `timed out trying to ${what} (the run's deadline passed)`
          : `timed out trying to ${what}`;
      case 'unreachable':
        return `could not reach the API server to ${what}: ${this.message}`;
      default:
        return `failed to ${what}${code}: ${this.message}`;
    }
  }
}

export interface ClusterReader {
  /** Lists every object that matches, following pagination. */
  list(resource: Resource, options?: ListOptions): Promise<KubeObject[]>;
  /** Returns null when the object does not exist (404). */
  get(resource: Resource, name: string, namespace?: string): Promise<KubeObject | null>;
  /** Container logs; `previous` reads the last terminated container. */
  logs(namespace: string, pod: string, options?: LogOptions): Promise<string>;
  /** Who the reader authenticates as, for error messages (e.g. "system:serviceaccount:netcheck:netcheck-bot"). */
  readonly identity: string;
  /** Number of HTTP requests made so far. */
  readonly requestCount: number;
  /** The API server's clock from the last response's Date header (ms since epoch), when known. */
  readonly serverTime?: number;
}
