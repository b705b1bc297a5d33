// Shapes shared by the sandbox's scenario loader, API server and command line. The sandbox declares its own object
// type rather than borrowing the engine's: it must stay a faithful Kubernetes, not a mirror of what the engine reads.

/** Any Kubernetes object as it travels over the wire: typed metadata, open-ended everything else. */
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
  // biome-ignore lint/suspicious/noExplicitAny: wire objects are open-ended; each handler narrows what it touches.
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: see spec.
  status?: any;
  // biome-ignore lint/suspicious/noExplicitAny: see spec.
  [key: string]: any;
}

/** Identifies one object. `apiVersion` may be omitted when `kind` is unambiguous. */
export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

/** Container logs keyed "namespace/pod/container". */
export type ContainerLogs = Record<string, { current?: string; previous?: string }>;

/** A condition on the cluster's state, evaluated after every write. */
export type Condition =
  | {
      ref: ObjectRef;
      /** Dot path into the object, e.g. "data.Corefile" or "spec.selector.k8s-app". */
      path: string;
      contains?: string;
      notContains?: string;
      equals?: unknown;
      exists?: boolean;
    }
  /** Holds once the workload was restarted (restartedAt annotation changed, or its pods were deleted) after load. */
  | { restarted: ObjectRef };

/** How the cluster changes once a fix lands: data-driven, so remediation can be tested end to end. */
export interface Reaction {
  description: string;
  when: Condition[];
  then: {
    /** Objects created or replaced wholesale. */
    apply?: KubeObject[];
    /** JSON merge patches. */
    patch?: (ObjectRef & { merge: Record<string, unknown> })[];
    delete?: ObjectRef[];
    logs?: ContainerLogs;
    /** Objects put back as the scenario's healthy bases had them (the loader expands this into apply/delete/logs). */
    restore?: ObjectRef[];
    /** The Events the scenario added age out once fixed (expanded into delete by the loader). */
    resolveEvents?: boolean;
  };
}

export interface Scenario {
  name: string;
  description: string;
  /** The finding ids a correct diagnosis reports, by severity. Healthy scenarios list none. */
  expect: { critical: string[]; warning: string[]; info?: string[] };
  /** Flavor/CNI the fingerprint should detect, e.g. { flavor: 'kubeadm', cni: 'calico' }. */
  fingerprint?: { flavor: string; cni: string };
  /** The cluster's clock (ISO 8601), sent as the API server's Date header. */
  now?: string;
  objects: KubeObject[];
  logs: ContainerLogs;
  reactions: Reaction[];
}

/** Injected misbehaviour, matched per request. */
export interface Fault {
  /** HTTP verb (GET, LIST, POST, PUT, PATCH, DELETE) or '*'. LIST is a GET on a collection. */
  verb?: string;
  /** Regular expression matched against the request path (without query). */
  path?: string;
  /**
   * 'html': a proxy's HTML error page (status 502 unless `status` says otherwise); 'truncate': a 200 whose JSON body
   * is cut off mid-way, as when a connection drops behind a proxy.
   */
  kind: 'status' | 'hang' | 'reset' | 'html' | 'truncate';
  /** For kind 'status': 500, 503, 429 … */
  status?: number;
  /** For 429: the Retry-After header in seconds. */
  retryAfterSeconds?: number;
  /** How many matching requests to affect; unlimited when omitted. */
  times?: number;
}

export interface Latency {
  fixedMs: number;
  jitterMs?: number;
}
