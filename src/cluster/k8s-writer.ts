// ClusterWriter over HTTPS, the write side of k8s-reader.ts with the same connection, auth, TLS and error
// plumbing. Every write carries its precondition: patch bodies include metadata.resourceVersion (the server answers
// 409 when the object changed), creates answer 409 AlreadyExists, pod deletes send DeleteOptions preconditions.
// It also reads the objects a remediation names (any resource the catalogue knows, HPAs included).
import type { IncomingMessage } from 'node:http';
import type { RequestOptions } from 'node:https';
import { ClusterError, type KubeObject } from '../engine/cluster-reader.ts';
import { apiVersionOf, isNamespaced } from '../remediate/objects.ts';
import type { Change, ClusterWriter, Target, TargetRead } from '../remediate/types.ts';
import { identityFromMessage, kindForStatus, networkError, statusMessage, transportFor } from './k8s-reader.ts';
import type { KubeConnectionConfig } from './kubeconfig-lite.ts';

export interface KubeWriterOptions {
  timeoutMs?: number;
  /** Who we authenticate as, for error messages; otherwise parsed from 403 messages or the kubeconfig user. */
  identity?: string;
  /** The restartedAt stamp (tests pin it); defaults to now. */
  now?: () => Date;
}

export interface KubeWriter extends ClusterWriter {
  /** Reads one object a remediation names; null when it does not exist. */
  get(read: TargetRead): Promise<KubeObject | null>;
  /** Writes sent so far (dry runs included). */
  readonly writeCount: number;
}

const CONTENT_TYPES = {
  strategic: 'application/strategic-merge-patch+json',
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
} as const;

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

function collection(apiVersion: string, resource: string, namespace: string | undefined): string {
  const prefix = apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`;
  return namespace === undefined
    ? `${prefix}/${resource}`
    : `${prefix}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
}

const objectPath = (t: Pick<Target, 'apiVersion' | 'resource' | 'namespace' | 'name'>) =>
  `${collection(t.apiVersion, t.resource, t.namespace)}/${encodeURIComponent(t.name)}`;

/** The body a patch change sends: its own body plus the resourceVersion precondition. */
export function patchBody(change: Extract<Change, { verb: 'patch' }>): unknown {
  const rv = 'resourceVersion' in change.precondition ? change.precondition.resourceVersion : undefined;
  if (change.patchType === 'json') {
    const ops = Array.isArray(change.body) ? [...change.body] : [];
    return rv ? [...ops, { op: 'add', path: '/metadata/resourceVersion', value: rv }] : ops;
  }
  const body = structuredClone((change.body ?? {}) as Record<string, unknown>);
  if (rv) body.metadata = { ...((body.metadata as object) ?? {}), resourceVersion: rv };
  return body;
}

export function createKubeWriter(kc: KubeConnectionConfig, options: KubeWriterOptions = {}): KubeWriter {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? (() => new Date());
  let transport: ReturnType<typeof transportFor> | undefined;
  let learnedIdentity: string | undefined;
  let writeCount = 0;
  const identity = () => options.identity ?? learnedIdentity ?? kc.getCurrentUser()?.name ?? 'unknown';

  async function send(method: string, path: string, body?: unknown, contentType = 'application/json') {
    const applied: RequestOptions & { agent?: unknown } = {};
    await kc.applyToHTTPSOptions(applied);
    transport ??= transportFor(kc, applied);
    const t = transport;
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'netcheck' };
    for (const [key, value] of Object.entries(applied.headers ?? {})) headers[key] = String(value);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = t.request(
        `${t.base}${path}`,
        { method, agent: t.agent, headers, ...(applied.auth ? { auth: applied.auth } : {}) },
        (res: IncomingMessage) => {
          res.setEncoding('utf8');
          let text = '';
          res.on('data', (c: string) => {
            text += c;
          });
          res.on('error', reject);
          res.on('end', () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, text });
          });
        },
      );
      const timer = setTimeout(
        () => req.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })),
        timeoutMs,
      );
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      req.end(payload);
    });
  }

  async function call(
    method: string,
    path: string,
    what: { verb: string; resource: string; namespace?: string },
    body?: unknown,
    contentType?: string,
  ): Promise<{ status: number; text: string }> {
    let response: { status: number; text: string };
    try {
      response = await send(method, path, body, contentType);
    } catch (error) {
      const net = networkError(error);
      throw new ClusterError({
        kind: net?.kind ?? 'unreachable',
        message: net?.message ?? (error as Error).message,
        ...what,
        identity: identity(),
      });
    }
    if (response.status < 300) return response;
    const message = statusMessage(response.text, response.status);
    const user = identityFromMessage(message);
    if (user && !options.identity) learnedIdentity = user;
    throw new ClusterError({
      kind: response.status === 409 ? 'conflict' : kindForStatus(response.status),
      status: response.status,
      message,
      ...what,
      identity: user ?? identity(),
    });
  }

  const query = (dryRun: boolean) => `?fieldManager=netcheck${dryRun ? '&dryRun=All' : ''}`;

  const writer: KubeWriter = {
    get identity() {
      return identity();
    },
    get writeCount() {
      return writeCount;
    },

    async get(read: TargetRead): Promise<KubeObject | null> {
      const apiVersion = apiVersionOf(read.resource);
      if (!apiVersion) throw new Error(`netcheck does not know resource ${read.resource}`);
      const namespace = isNamespaced(read.resource) ? read.namespace : undefined;
      try {
        const r = await call('GET', objectPath({ apiVersion, resource: read.resource, namespace, name: read.name }), {
          verb: 'get',
          resource: read.resource,
          namespace,
        });
        return JSON.parse(r.text) as KubeObject;
      } catch (error) {
        if (error instanceof ClusterError && error.kind === 'not-found') return null;
        throw error;
      }
    },

    async apply(change: Change, { dryRun }: { dryRun: boolean }): Promise<KubeObject | null> {
      const t = change.target;
      const what = { resource: t.resource, namespace: t.namespace };
      writeCount++;
      switch (change.verb) {
        case 'create': {
          const r = await call(
            'POST',
            `${collection(t.apiVersion, t.resource, t.namespace)}${query(dryRun)}`,
            { verb: 'create', ...what },
            { apiVersion: t.apiVersion, kind: t.kind, ...change.body },
          );
          return JSON.parse(r.text) as KubeObject;
        }
        case 'patch': {
          const r = await call(
            'PATCH',
            `${objectPath(t)}${query(dryRun)}`,
            { verb: 'patch', ...what },
            patchBody(change),
            CONTENT_TYPES[change.patchType],
          );
          return JSON.parse(r.text) as KubeObject;
        }
        case 'restart': {
          // kubectl rollout restart: a new template annotation rolls every pod.
          const rv = 'resourceVersion' in change.precondition ? change.precondition.resourceVersion : undefined;
          const body = {
            ...(rv ? { metadata: { resourceVersion: rv } } : {}),
            spec: { template: { metadata: { annotations: { [RESTARTED_AT]: now().toISOString() } } } },
          };
          const r = await call(
            'PATCH',
            `${objectPath(t)}${query(dryRun)}`,
            { verb: 'patch', ...what },
            body,
            CONTENT_TYPES.strategic,
          );
          return JSON.parse(r.text) as KubeObject;
        }
        case 'delete': {
          if (t.resource !== 'pods') throw new Error(`netcheck deletes pods only, not ${t.resource}`);
          const rv = 'resourceVersion' in change.precondition ? change.precondition.resourceVersion : undefined;
          await call(
            'DELETE',
            `${objectPath(t)}${dryRun ? '?dryRun=All' : ''}`,
            { verb: 'delete', ...what },
            {
              apiVersion: 'v1',
              kind: 'DeleteOptions',
              ...(rv ? { preconditions: { resourceVersion: rv } } : {}),
              ...(dryRun ? { dryRun: ['All'] } : {}),
            },
          );
          return null;
        }
      }
    },
  };
  return writer;
}
