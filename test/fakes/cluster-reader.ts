// An in-memory ClusterReader for unit tests of the collector and the diagnosis: it filters like the API server
// (namespace, equality/set label selectors, simple field selectors, limit), records every call, and fails on demand.
import type { Snapshot } from '../../src/engine/check.ts';
import {
  ClusterError,
  type ClusterReader,
  type KubeObject,
  type ListOptions,
  type LogOptions,
  type Resource,
} from '../../src/engine/cluster-reader.ts';

export interface FakeCall {
  verb: 'list' | 'get' | 'logs';
  resource: string;
  namespace?: string;
  name?: string;
  options?: ListOptions | LogOptions;
}

function labelMatches(selector: string | undefined, labels: Record<string, string> = {}): boolean {
  if (!selector) return true;
  // Split on commas outside parentheses.
  const parts = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  return parts.every((raw) => {
    const part = raw.trim();
    const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (set) {
      const values = set[3]!.split(',').map((v) => v.trim());
      const has = values.includes(labels[set[1]!] ?? '\0');
      return set[2] === 'in' ? has : !has;
    }
    const eq = /^([^!=]+)(==|=|!=)(.*)$/.exec(part);
    if (eq) return eq[2] === '!=' ? labels[eq[1]!] !== eq[3] : labels[eq[1]!] === eq[3];
    return part.startsWith('!') ? !(part.slice(1) in labels) : part in labels;
  });
}

function fieldValue(obj: KubeObject, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], obj);
}

function fieldMatches(selector: string | undefined, obj: KubeObject): boolean {
  if (!selector) return true;
  return selector.split(',').every((part) => {
    const [path, value] = part.split('=');
    return String(fieldValue(obj, path!.trim()) ?? '') === value;
  });
}

export class FakeReader implements ClusterReader {
  readonly identity = 'system:serviceaccount:netcheck:netcheck-bot';
  readonly calls: FakeCall[] = [];
  requestCount = 0;
  private readonly objects: Partial<Record<Resource, KubeObject[]>>;
  private readonly logTexts: Record<string, { current?: string; previous?: string }>;
  /** Return an error to make a call fail. */
  failWith?: (call: FakeCall) => ClusterError | undefined;
  /** The API server's clock, as its Date header would tell it (ms since epoch). */
  serverTime?: number;

  constructor(
    objects: Partial<Record<Resource, KubeObject[]>>,
    logs: Record<string, { current?: string; previous?: string }> = {},
  ) {
    this.objects = objects;
    this.logTexts = logs;
  }

  private record(call: FakeCall): void {
    this.calls.push(call);
    this.requestCount++;
    const error = this.failWith?.(call);
    if (error) throw error;
  }

  async list(resource: Resource, options: ListOptions = {}): Promise<KubeObject[]> {
    this.record({ verb: 'list', resource, namespace: options.namespace, options });
    const matching = (this.objects[resource] ?? []).filter(
      (o) =>
        (options.namespace === undefined || o.metadata.namespace === options.namespace) &&
        labelMatches(options.labelSelector, o.metadata.labels) &&
        fieldMatches(options.fieldSelector, o),
    );
    return structuredClone(options.limit === undefined ? matching : matching.slice(0, options.limit));
  }

  async get(resource: Resource, name: string, namespace?: string): Promise<KubeObject | null> {
    this.record({ verb: 'get', resource, namespace, name });
    const hit = (this.objects[resource] ?? []).find(
      (o) => o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace),
    );
    return hit ? structuredClone(hit) : null;
  }

  async logs(namespace: string, pod: string, options: LogOptions = {}): Promise<string> {
    this.record({ verb: 'logs', resource: 'pods/log', namespace, name: pod, options });
    const entry = this.logTexts[`${namespace}/${pod}/${options.container ?? ''}`];
    const text = options.previous ? entry?.previous : entry?.current;
    if (text === undefined) {
      throw new ClusterError({
        kind: 'bad-request',
        status: 400,
        message: 'container not found',
        verb: 'get',
        resource: 'pods/log',
        namespace,
      });
    }
    return text;
  }
}

/** A 403 as the API server words it, for `failWith`. */
export function forbidden(call: FakeCall, identity = 'system:serviceaccount:netcheck:netcheck-bot'): ClusterError {
  return new ClusterError({
    kind: 'forbidden',
    status: 403,
    message: `${call.resource} is forbidden: User "${identity}" cannot ${call.verb} resource "${call.resource}"`,
    verb: call.verb === 'logs' ? 'get' : call.verb,
    resource: call.resource,
    namespace: call.namespace,
    identity,
  });
}

/** Turns a hand-built snapshot into what an API server would hold. */
export function clusterOf(s: Snapshot): Partial<Record<Resource, KubeObject[]>> {
  return {
    nodes: s.nodes,
    pods: s.pods,
    deployments: s.deployments,
    daemonsets: s.daemonSets,
    replicasets: s.replicaSets,
    services: s.services,
    endpointslices: s.endpointSlices,
    configmaps: s.configMaps,
    serviceaccounts: s.serviceAccounts,
    events: s.events,
    networkpolicies: s.networkPolicies,
    clusterroles: s.clusterRoles,
    clusterrolebindings: s.clusterRoleBindings,
  };
}
