/**
 * Loads the sandbox's scenarios: the fake clusters every test and the demo run against.
 *
 * ## File format (src/sandbox/scenarios/<name>.yaml)
 *
 * ```yaml
 * name: coredns-loop                      # must equal the file name
 * description: One line shown by `netcheck sandbox list`.
 * base: [kubeadm-core, coredns-kubeadm]   # fragments under scenarios/bases/, applied in order
 * expect: { critical: [coredns.loop-detected], warning: [] }   # empty lists = healthy
 * fingerprint: { flavor: kubeadm, cni: calico }
 * objects: [ <KubeObject>... ]            # added, or replacing the object with the same kind+namespace+name
 * patches:                                # JSON merge patches (RFC 7386) on objects that exist by now;
 *   - { kind: Pod, namespace: kube-system, name: coredns-5d78c9869d-7vq4k, merge: { status: { phase: Pending } } }
 *                                         # objects merge key by key, arrays are replaced, null deletes a field
 * remove: [ { kind: DaemonSet, namespace: kube-system, name: calico-node } ]
 * logs: { "kube-system/<pod>/<container>": { current: "...", previous: "..." } }   # replaces per key; null deletes
 * reactions: [ <Reaction> ]               # see types.ts; how the cluster changes once a fix lands
 * ```
 *
 * A fragment (scenarios/bases/<name>.yaml) uses the same keys minus the header (`name`, `expect`, `fingerprint`,
 * `reactions`) and may itself list `base`. Layers apply in order: bases depth-first, then objects, patches, remove,
 * logs. YAML anchors and merge keys (`<<: *podSpec`) work within one file, which keeps one-pod-per-node lists short.
 *
 * After layering, the loader fills in what a real API server or controller would have written, unless the file
 * already says it (explicit values win, so a scenario can model inconsistent state on purpose):
 * - `metadata.uid` (stable hash of kind/namespace/name), `creationTimestamp`, and `ownerReferences[].uid`;
 * - pod `status.conditions` from the phase and container readiness;
 * - Deployment / ReplicaSet / DaemonSet `status` counters from the pods they own;
 * - Endpoints and EndpointSlice (`<svc>-<suffix>`) for every Service with a selector, from the Ready pods it selects;
 * - Event defaults (`name`, namespace, `count`, timestamps, `type: Warning`).
 * Reactions get the same treatment: their `then.apply` is extended with the workload statuses and endpoints that
 * change once the reaction has run, so a fixed cluster looks consistent too.
 *
 * Every scenario also gets the objects of infra/k8s/netcheck-rbac.yaml (the bot's real RBAC: single source of truth).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import type { ContainerLogs, KubeObject, ObjectRef, Reaction, Scenario } from './types.ts';

export const DEFAULT_DEMO_SCENARIO = 'coredns-loop';

const SCENARIO_DIR = fileURLToPath(new URL('./scenarios/', import.meta.url));
const BASE_DIR = fileURLToPath(new URL('./scenarios/bases/', import.meta.url));
const RBAC_FILE = fileURLToPath(new URL('../../infra/k8s/netcheck-rbac.yaml', import.meta.url));
const REMEDIATION_RBAC_FILE = fileURLToPath(new URL('../../infra/k8s/netcheck-remediation-rbac.yaml', import.meta.url));

/** When the sandbox cluster "was created"; objects without a timestamp get this one. */
export const SANDBOX_EPOCH = '2026-11-20T09:00:00Z';

export class UnknownScenarioError extends Error {
  readonly scenario: string;
  readonly known: string[];
  constructor(scenario: string, known: string[]) {
    super(`Unknown scenario "${scenario}". Known scenarios: ${known.join(', ')}`);
    this.name = 'UnknownScenarioError';
    this.scenario = scenario;
    this.known = known;
  }
}

export class ScenarioFileError extends Error {
  constructor(file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'ScenarioFileError';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Schemas

const objectRefSchema = z.strictObject({
  kind: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().min(1).optional(),
});

const kubeObjectSchema = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: z.looseObject({
    // Events may omit the name; the loader derives one like the API server's `<involved>.<hex>`.
    name: z.string().min(1).optional(),
    namespace: z.string().min(1).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
    ownerReferences: z
      .array(
        z.looseObject({
          apiVersion: z.string(),
          kind: z.string(),
          name: z.string(),
          uid: z.string().optional(),
          controller: z.boolean().optional(),
        }),
      )
      .optional(),
  }),
});

const logsSchema = z.record(
  z.string().regex(/^[^/]+\/[^/]+\/[^/]+$/, 'log keys are "namespace/pod/container"'),
  z.union([z.strictObject({ current: z.string().optional(), previous: z.string().optional() }), z.null()]),
);

const patchSchema = objectRefSchema.extend({ merge: z.record(z.string(), z.unknown()) });

const conditionSchema = z.union([
  z.strictObject({
    ref: objectRefSchema,
    path: z.string().min(1),
    contains: z.string().optional(),
    notContains: z.string().optional(),
    equals: z.unknown().optional(),
    exists: z.boolean().optional(),
  }),
  z.strictObject({ restarted: objectRefSchema }),
]);

const reactionSchema = z.strictObject({
  description: z.string().min(1),
  when: z.array(conditionSchema).min(1),
  // biome-ignore lint/suspicious/noThenProperty: `then` is the Reaction field name fixed by types.ts.
  then: z.strictObject({
    apply: z.array(kubeObjectSchema).optional(),
    patch: z.array(patchSchema).optional(),
    delete: z.array(objectRefSchema).optional(),
    logs: logsSchema.optional(),
    restore: z.array(objectRefSchema).optional(),
    resolveEvents: z.boolean().optional(),
  }),
});

const layerShape = {
  description: z.string().min(1).optional(),
  base: z.array(z.string().min(1)).optional(),
  objects: z.array(kubeObjectSchema).optional(),
  patches: z.array(patchSchema).optional(),
  remove: z.array(objectRefSchema).optional(),
  logs: logsSchema.optional(),
};

const fragmentSchema = z.strictObject(layerShape);

const scenarioSchema = z.strictObject({
  ...layerShape,
  name: z.string().regex(/^[a-z0-9-]+$/),
  description: z.string().min(1),
  expect: z.strictObject({
    critical: z.array(z.string().min(1)).default([]),
    warning: z.array(z.string().min(1)).default([]),
    info: z.array(z.string().min(1)).optional(),
  }),
  fingerprint: z.strictObject({ flavor: z.string().min(1), cni: z.string().min(1) }).optional(),
  reactions: z.array(reactionSchema).optional(),
  // The cluster's clock (the API server's Date header); default: shortly after the latest time in the objects.
  now: z.iso.datetime().optional(),
});

type Layer = z.infer<typeof fragmentSchema>;
type ScenarioFile = z.infer<typeof scenarioSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Reading files

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ScenarioFileError(file, `cannot read: ${(err as Error).message}`);
  }
  try {
    // merge: true enables `<<: *anchor`, which the per-node pod lists rely on.
    return parse(text, { merge: true, maxAliasCount: -1 });
  } catch (err) {
    throw new ScenarioFileError(file, `invalid YAML: ${(err as Error).message}`);
  }
}

function validate<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  throw new ScenarioFileError(file, `field ${where}: ${issue.message}`);
}

const fragmentCache = new Map<string, Layer>();

function readFragment(name: string, from: string): Layer {
  const cached = fragmentCache.get(name);
  if (cached) return cached;
  const known = yamlNames(BASE_DIR);
  if (!known.includes(name)) {
    throw new ScenarioFileError(from, `unknown base "${name}" (known bases: ${known.join(', ')})`);
  }
  const file = `${BASE_DIR}${name}.yaml`;
  const layer = validate(fragmentSchema, readYaml(file), file);
  fragmentCache.set(name, layer);
  return layer;
}

function yamlNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

let rbacObjects: KubeObject[] | undefined;

function readRbacFile(file: string): KubeObject[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ScenarioFileError(file, `cannot read: ${(err as Error).message}`);
  }
  const docs = text
    .split(/^---\s*$/m)
    .map((doc) => parse(doc) as unknown)
    .filter((doc) => doc != null);
  return docs.map((doc, i) => validate(kubeObjectSchema, doc, `${file} (document ${i + 1})`) as KubeObject);
}

/** The bot's read-only RBAC and the remediator's write RBAC as shipped in infra/k8s (multi-document YAML). */
export function netcheckRbacObjects(): KubeObject[] {
  rbacObjects ??= [...readRbacFile(RBAC_FILE), ...readRbacFile(REMEDIATION_RBAC_FILE)];
  return structuredClone(rbacObjects);
}

// ---------------------------------------------------------------------------------------------------------------
// Layering

/** Objects by "Kind/namespace/name" in insertion order. */
type ObjectStore = Map<string, KubeObject>;

export function refKey(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

function objectKey(obj: KubeObject): string {
  return refKey({ kind: obj.kind ?? '', name: obj.metadata.name, namespace: obj.metadata.namespace });
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return structuredClone(patch);
  const out: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

interface Assembly {
  objects: ObjectStore;
  logs: ContainerLogs;
}

function applyLayer(layer: Layer, into: Assembly, file: string, seen: string[]): void {
  for (const baseName of layer.base ?? []) {
    if (seen.includes(baseName)) throw new ScenarioFileError(file, `base cycle: ${[...seen, baseName].join(' -> ')}`);
    applyLayer(readFragment(baseName, file), into, `${BASE_DIR}${baseName}.yaml`, [...seen, baseName]);
  }
  for (const raw of layer.objects ?? []) {
    const obj = withEventName(structuredClone(raw) as KubeObject, file);
    into.objects.set(objectKey(obj), obj);
  }
  for (const [i, patch] of (layer.patches ?? []).entries()) {
    const key = refKey(patch);
    const current = into.objects.get(key);
    if (!current) throw new ScenarioFileError(file, `field patches.${i}: no object ${key} to patch`);
    into.objects.set(key, mergePatch(current, patch.merge) as KubeObject);
  }
  for (const [i, ref] of (layer.remove ?? []).entries()) {
    if (!into.objects.delete(refKey(ref))) {
      throw new ScenarioFileError(file, `field remove.${i}: no object ${refKey(ref)} to remove`);
    }
  }
  for (const [key, entry] of Object.entries(layer.logs ?? {})) {
    if (entry === null) delete into.logs[key];
    else into.logs[key] = entry;
  }
}

function withEventName(obj: KubeObject, file: string): KubeObject {
  if (obj.metadata.name) return obj;
  if (obj.kind !== 'Event') throw new ScenarioFileError(file, `a ${obj.kind} without metadata.name`);
  const involved = (obj.involvedObject ?? {}) as { name?: string; namespace?: string };
  const digest = createHash('sha1')
    .update(JSON.stringify([involved, obj.reason, obj.message]))
    .digest('hex');
  obj.metadata.name = `${involved.name ?? 'event'}.${digest.slice(0, 16)}`;
  obj.metadata.namespace ??= involved.namespace ?? 'default';
  return obj;
}

// ---------------------------------------------------------------------------------------------------------------
// What the API server and controllers would have filled in

export function stableUid(kind: string, namespace: string | undefined, name: string): string {
  const h = createHash('sha1')
    .update(`${kind}/${namespace ?? ''}/${name}`)
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Per-object defaults that do not depend on other objects. */
export function completeObject(obj: KubeObject): KubeObject {
  const kind = obj.kind ?? '';
  obj.metadata.uid ??= stableUid(kind, obj.metadata.namespace, obj.metadata.name);
  obj.metadata.creationTimestamp ??= SANDBOX_EPOCH;
  if (kind === 'Pod') completePod(obj);
  if (kind === 'Event') completeEvent(obj);
  return obj;
}

interface ContainerStatusShape {
  name?: string;
  ready?: boolean;
  state?: { running?: unknown; terminated?: unknown };
  lastState?: { terminated?: unknown };
}

function completePod(pod: KubeObject): void {
  pod.status ??= {};
  const status = pod.status;
  if (status.conditions) return;
  const phase: string = status.phase ?? 'Pending';
  const statuses: ContainerStatusShape[] = status.containerStatuses ?? [];
  const ready = phase === 'Running' && statuses.length > 0 && statuses.every((c) => c.ready === true);
  // The sandbox exists once any container got as far as running or exiting.
  const sandboxReady =
    phase === 'Running' ||
    statuses.some((c) => Boolean(c.state?.running || c.state?.terminated || c.lastState?.terminated));
  const since = status.startTime ?? SANDBOX_EPOCH;
  const cond = (type: string, ok: boolean, why?: { reason: string; message: string }) => ({
    type,
    status: ok ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: since,
    ...(ok || !why ? {} : why),
  });
  const notReady = { reason: 'ContainersNotReady', message: notReadyMessage(statuses) };
  status.conditions = pod.spec?.nodeName
    ? [
        cond('PodReadyToStartContainers', sandboxReady),
        cond('Initialized', true),
        cond('Ready', ready, notReady),
        cond('ContainersReady', ready, notReady),
        cond('PodScheduled', true),
      ]
    : [cond('PodScheduled', false)];
}

function notReadyMessage(statuses: { name?: string; ready?: boolean }[]): string {
  const names = statuses.filter((c) => c.ready !== true).map((c) => c.name);
  return `containers with unready status: [${names.join(' ')}]`;
}

function completeEvent(ev: KubeObject): void {
  ev.type ??= 'Warning';
  ev.count ??= 1;
  ev.firstTimestamp ??= SANDBOX_EPOCH;
  ev.lastTimestamp ??= ev.firstTimestamp;
  ev.reportingComponent ??= ev.source?.component ?? '';
  ev.reportingInstance ??= ev.source?.host ?? '';
}

export function isPodReady(pod: KubeObject): boolean {
  return (
    pod.status?.phase === 'Running' &&
    (pod.status?.conditions ?? []).some(
      (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
    )
  );
}

function controllerOf(obj: KubeObject): { kind: string; name: string } | undefined {
  return obj.metadata.ownerReferences?.find((o) => o.controller !== false);
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/**
 * Fills in cross-object state: owner uids, workload counters, endpoints. `derived` collects the keys of objects
 * whose status or existence came from here, so reactions can recompute them.
 */
function completeCluster(objects: ObjectStore, derived: Set<string>): void {
  for (const obj of objects.values()) completeObject(obj);

  for (const obj of objects.values()) {
    for (const owner of obj.metadata.ownerReferences ?? []) {
      // Owners live in the object's namespace, except cluster-scoped ones (a mirror pod's Node).
      const ns = owner.kind === 'Node' ? undefined : obj.metadata.namespace;
      const target = objects.get(refKey({ kind: owner.kind, name: owner.name, namespace: ns }));
      owner.uid ??= target?.metadata.uid ?? stableUid(owner.kind, ns, owner.name);
      owner.controller ??= true;
      (owner as Record<string, unknown>)['blockOwnerDeletion'] ??= true;
    }
  }

  const pods = [...objects.values()].filter((o) => o.kind === 'Pod');
  const podsOwnedBy = (kind: string, namespace: string | undefined, name: string) =>
    pods.filter((p) => {
      const owner = controllerOf(p);
      return p.metadata.namespace === namespace && owner?.kind === kind && owner.name === name;
    });

  for (const [key, obj] of objects) {
    const ns = obj.metadata.namespace;
    if (obj.kind === 'DaemonSet' && (obj.status === undefined || derived.has(key))) {
      derived.add(key);
      obj.status = daemonSetStatus(obj, podsOwnedBy('DaemonSet', ns, obj.metadata.name));
    }
    if (obj.kind === 'ReplicaSet' && (obj.status === undefined || derived.has(key))) {
      derived.add(key);
      obj.status = replicaSetStatus(obj, podsOwnedBy('ReplicaSet', ns, obj.metadata.name));
    }
  }
  for (const [key, obj] of objects) {
    if (obj.kind !== 'Deployment' || (obj.status !== undefined && !derived.has(key))) continue;
    derived.add(key);
    const replicaSets = [...objects.values()].filter(
      (rs) =>
        rs.kind === 'ReplicaSet' &&
        rs.metadata.namespace === obj.metadata.namespace &&
        controllerOf(rs)?.kind === 'Deployment' &&
        controllerOf(rs)?.name === obj.metadata.name,
    );
    const owned = replicaSets.flatMap((rs) => podsOwnedBy('ReplicaSet', rs.metadata.namespace, rs.metadata.name));
    obj.status = deploymentStatus(obj, owned);
  }

  for (const svc of [...objects.values()]) {
    if (svc.kind !== 'Service' || !svc.spec?.selector) continue;
    const ns = svc.metadata.namespace;
    const selected = pods.filter(
      (p) => p.metadata.namespace === ns && selects(svc.spec.selector, p.metadata.labels) && p.status?.podIP,
    );
    const epKey = refKey({ kind: 'Endpoints', namespace: ns, name: svc.metadata.name });
    if (!objects.has(epKey) || derived.has(epKey)) {
      derived.add(epKey);
      objects.set(epKey, completeObject(endpointsFor(svc, selected)));
    }
    const slice = endpointSliceFor(svc, selected);
    const sliceKey = objectKey(slice);
    const hasExplicitSlice = [...objects.values()].some(
      (o) =>
        o.kind === 'EndpointSlice' &&
        o.metadata.namespace === ns &&
        o.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name &&
        !derived.has(objectKey(o)),
    );
    if (!hasExplicitSlice) {
      derived.add(sliceKey);
      objects.set(sliceKey, completeObject(slice));
    }
  }
}

function daemonSetStatus(ds: KubeObject, pods: KubeObject[]) {
  const ready = pods.filter(isPodReady).length;
  return {
    currentNumberScheduled: pods.length,
    desiredNumberScheduled: pods.length,
    numberMisscheduled: 0,
    numberReady: ready,
    numberAvailable: ready,
    ...(pods.length - ready > 0 ? { numberUnavailable: pods.length - ready } : {}),
    updatedNumberScheduled: pods.length,
    observedGeneration: ds.metadata.generation ?? 1,
  };
}

function replicaSetStatus(rs: KubeObject, pods: KubeObject[]) {
  const ready = pods.filter(isPodReady).length;
  return {
    replicas: pods.length,
    fullyLabeledReplicas: pods.length,
    ...(ready > 0 ? { readyReplicas: ready, availableReplicas: ready } : {}),
    observedGeneration: rs.metadata.generation ?? 1,
  };
}

function deploymentStatus(deploy: KubeObject, pods: KubeObject[]) {
  const ready = pods.filter(isPodReady).length;
  const desired: number = deploy.spec?.replicas ?? 1;
  const unavailable = Math.max(desired - ready, 0);
  const available =
    desired > 0 && ready >= desired - maxUnavailable(deploy.spec?.strategy?.rollingUpdate?.maxUnavailable, desired);
  return {
    observedGeneration: deploy.metadata.generation ?? 1,
    ...(pods.length > 0 ? { replicas: pods.length, updatedReplicas: pods.length } : {}),
    ...(ready > 0 ? { readyReplicas: ready, availableReplicas: ready } : {}),
    ...(unavailable > 0 ? { unavailableReplicas: unavailable } : {}),
    conditions: [
      {
        type: 'Available',
        status: available || desired === 0 ? 'True' : 'False',
        reason: available || desired === 0 ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
        message:
          available || desired === 0
            ? 'Deployment has minimum availability.'
            : 'Deployment does not have minimum availability.',
        lastUpdateTime: SANDBOX_EPOCH,
        lastTransitionTime: SANDBOX_EPOCH,
      },
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${deploy.metadata.name}" has successfully progressed.`,
        lastUpdateTime: SANDBOX_EPOCH,
        lastTransitionTime: SANDBOX_EPOCH,
      },
    ],
  };
}

/** `maxUnavailable` is a count or a percentage of the desired replicas (rounded down, as the controller does). */
function maxUnavailable(value: number | string | undefined, desired: number): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.endsWith('%')) return Math.floor((desired * Number(value.slice(0, -1))) / 100);
  return 0;
}

function podTarget(pod: KubeObject) {
  return { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
}

function namedPorts(svc: KubeObject) {
  return (svc.spec.ports ?? []).map((p: { name?: string; port: number; protocol?: string; targetPort?: unknown }) => ({
    ...(p.name ? { name: p.name } : {}),
    port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
    protocol: p.protocol ?? 'TCP',
  }));
}

function endpointsFor(svc: KubeObject, pods: KubeObject[]): KubeObject {
  const address = (p: KubeObject) => ({ ip: p.status.podIP, nodeName: p.spec?.nodeName, targetRef: podTarget(p) });
  const ready = pods.filter(isPodReady).map(address);
  const notReady = pods.filter((p) => !isPodReady(p)).map(address);
  const subsets =
    pods.length === 0
      ? undefined
      : [
          {
            ...(ready.length ? { addresses: ready } : {}),
            ...(notReady.length ? { notReadyAddresses: notReady } : {}),
            ports: namedPorts(svc),
          },
        ];
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: svc.metadata.name,
      namespace: svc.metadata.namespace,
      labels: { ...(svc.metadata.labels ?? {}) },
      creationTimestamp: svc.metadata.creationTimestamp,
    },
    ...(subsets ? { subsets } : {}),
  };
}

function endpointSliceFor(svc: KubeObject, pods: KubeObject[]): KubeObject {
  const suffix = stableUid('EndpointSlice', svc.metadata.namespace, svc.metadata.name)
    .replace(/[^a-z]/g, '')
    .slice(0, 5)
    .padEnd(5, 'x');
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    addressType: 'IPv4',
    metadata: {
      name: `${svc.metadata.name}-${suffix}`,
      namespace: svc.metadata.namespace,
      generateName: `${svc.metadata.name}-`,
      labels: {
        ...(svc.metadata.labels ?? {}),
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
        'kubernetes.io/service-name': svc.metadata.name,
      },
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Service', name: svc.metadata.name, uid: svc.metadata.uid, controller: true },
      ],
      creationTimestamp: svc.metadata.creationTimestamp,
    },
    endpoints: pods.map((p) => {
      const ready = isPodReady(p);
      return {
        addresses: [p.status.podIP],
        conditions: { ready, serving: ready, terminating: false },
        nodeName: p.spec?.nodeName,
        targetRef: podTarget(p),
      };
    }),
    ports: namedPorts(svc),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Reactions: precompute the derived state after the fix

function applyReaction(objects: ObjectStore, reaction: Reaction): void {
  for (const ref of reaction.then.delete ?? []) objects.delete(refKey(ref));
  for (const patch of reaction.then.patch ?? []) {
    const key = refKey(patch);
    const current = objects.get(key);
    if (current) objects.set(key, mergePatch(current, patch.merge) as KubeObject);
  }
  for (const obj of reaction.then.apply ?? []) objects.set(objectKey(obj), structuredClone(obj));
}

function completeReaction(objects: ObjectStore, derived: Set<string>, reaction: Reaction): Reaction {
  const apply = (reaction.then.apply ?? []).map((o) => completeObject(structuredClone(o)));
  // biome-ignore lint/suspicious/noThenProperty: `then` is the Reaction field name fixed by types.ts.
  const completed: Reaction = { ...reaction, then: { ...reaction.then, apply } };
  const after: ObjectStore = new Map([...objects].map(([k, v]) => [k, structuredClone(v)]));
  applyReaction(after, completed);
  completeCluster(after, new Set(derived));
  const explicit = new Set(apply.map(objectKey));
  for (const key of derived) {
    const next = after.get(key);
    if (!next || explicit.has(key)) continue;
    if (JSON.stringify(next) !== JSON.stringify(objects.get(key))) apply.push(next);
  }
  return completed;
}

/** The cluster as the scenario's bases alone build it (derived state included): what `restore` puts back. */
function healthyBases(file: ScenarioFile, source: string): Assembly {
  const base: Assembly = { objects: new Map(), logs: {} };
  for (const obj of netcheckRbacObjects()) base.objects.set(objectKey(obj), obj);
  applyLayer({ base: file.base ?? [] }, base, source, []);
  completeCluster(base.objects, new Set());
  return base;
}

/**
 * `then.restore`: these objects go back to what the healthy bases had (deleted when the bases had none), pods with
 * their logs. `then.resolveEvents`: the Events the scenario added age out. Expanded into apply/delete/logs.
 */
function expandRestore(reaction: Reaction, scenario: Assembly, healthy: Assembly): Reaction {
  const { restore = [], resolveEvents, ...rest } = reaction.then;
  const apply = [...(rest.apply ?? [])];
  const del = [...(rest.delete ?? [])];
  const logs: ContainerLogs = { ...(rest.logs ?? {}) };
  for (const ref of restore) {
    const obj = healthy.objects.get(refKey(ref));
    if (obj) apply.push(structuredClone(obj));
    else del.push(ref);
    if (ref.kind !== 'Pod') continue;
    const prefix = `${ref.namespace}/${ref.name}/`;
    for (const key of Object.keys(scenario.logs)) if (key.startsWith(prefix)) logs[key] = { current: '' };
    for (const [key, entry] of Object.entries(healthy.logs))
      if (key.startsWith(prefix)) logs[key] = structuredClone(entry);
  }
  if (resolveEvents) {
    for (const [key, obj] of scenario.objects) {
      if (obj.kind === 'Event' && !healthy.objects.has(key)) {
        del.push({ kind: 'Event', namespace: obj.metadata.namespace, name: obj.metadata.name });
      }
    }
  }
  // biome-ignore lint/suspicious/noThenProperty: `then` is the Reaction field name fixed by types.ts.
  return { ...reaction, then: { ...rest, apply, delete: del, logs } };
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

/** Builds a Scenario from an already-parsed scenario document (the generator and tests use this too). */
export function buildScenario(file: ScenarioFile, source = '(inline)'): Scenario {
  const assembly: Assembly = { objects: new Map(), logs: {} };
  for (const obj of netcheckRbacObjects()) assembly.objects.set(objectKey(obj), obj);
  applyLayer(file, assembly, source, []);
  const derived = new Set<string>();
  completeCluster(assembly.objects, derived);
  const healthy = (file.reactions ?? []).some((r) => r.then.restore || r.then.resolveEvents)
    ? healthyBases(file, source)
    : undefined;
  const reactions = (file.reactions ?? []).map((r) =>
    completeReaction(
      assembly.objects,
      derived,
      healthy ? expandRestore(r as Reaction, assembly, healthy) : (r as Reaction),
    ),
  );
  return {
    name: file.name,
    description: file.description,
    expect: {
      critical: file.expect.critical,
      warning: file.expect.warning,
      ...(file.expect.info ? { info: file.expect.info } : {}),
    },
    ...(file.fingerprint ? { fingerprint: file.fingerprint } : {}),
    now: file.now ?? clockAfter([...assembly.objects.values()]),
    objects: [...assembly.objects.values()],
    logs: assembly.logs as ContainerLogs,
    reactions,
  };
}

/** Minutes after the latest timestamp in the objects: a scenario is observed while its story is still current. */
const CLOCK_LAG_MS = 5 * 60_000;

function clockAfter(objects: KubeObject[]): string {
  const stamps = JSON.stringify(objects).match(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g) ?? [];
  const latest = Math.max(Date.parse(SANDBOX_EPOCH), ...stamps.map((t) => Date.parse(t)).filter(Number.isFinite));
  return new Date(latest + CLOCK_LAG_MS).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Synchronous loader (the generator needs it); `loadScenario` is the public async face. */
export function loadScenarioSync(name: string): Scenario {
  const known = yamlNames(SCENARIO_DIR);
  if (!known.includes(name)) throw new UnknownScenarioError(name, known);
  const file = `${SCENARIO_DIR}${name}.yaml`;
  const parsed = validate(scenarioSchema, readYaml(file), file);
  if (parsed.name !== name) throw new ScenarioFileError(file, `field name: "${parsed.name}" must match the file name`);
  return buildScenario(parsed, file);
}

export async function loadScenario(name: string): Promise<Scenario> {
  return loadScenarioSync(name);
}

export async function listScenarios(): Promise<{ name: string; description: string; healthy: boolean }[]> {
  return yamlNames(SCENARIO_DIR).map((name) => {
    const file = `${SCENARIO_DIR}${name}.yaml`;
    const parsed = validate(scenarioSchema, readYaml(file), file);
    const healthy = parsed.expect.critical.length === 0 && parsed.expect.warning.length === 0;
    return { name, description: parsed.description, healthy };
  });
}

/** Names of the scenario files, sorted. */
export function scenarioNames(): string[] {
  return yamlNames(SCENARIO_DIR);
}
