/**
 * Builds a large kubeadm cluster in memory for scale tests and benchmarks: thousands of nodes, one kube-proxy and
 * one CNI agent pod per node, and `nodes * podsPerNode` app pods spread over up to 50 namespaces.
 *
 * Shapes are copied from the small scenarios (kubeadm-calico / kubeadm-flannel, and coredns-loop for the broken
 * variant), so a check that works on those sees the same fields here. Per-pod objects share their immutable parts
 * (container specs, label-free status pieces, log strings) to keep memory and time low; nothing is written to disk.
 */

import { isPodReady, loadScenarioSync, SANDBOX_EPOCH } from './scenarios.ts';
import type { ContainerLogs, KubeObject, Scenario } from './types.ts';

export interface LargeClusterOptions {
  /** Total nodes, including the control-plane node cp-1. */
  nodes: number;
  /** App pods per node (system pods come on top). Default 20. */
  podsPerNode?: number;
  cni?: 'calico' | 'flannel';
  broken?: 'none' | 'coredns-loop';
}

/** Pod CIDRs: 100.64.0.0/10 has room for 16,384 node /24s, which 10.244.0.0/16 (256) does not. */
const POD_SUBNET = '100.64.0.0/10';
const MAX_NODES = 16_384;
const MAX_APP_NAMESPACES = 50;
const DEPLOYMENTS_PER_NAMESPACE = 10;

export function generateLargeCluster(opts: LargeClusterOptions): Scenario {
  const nodeCount = Math.floor(opts.nodes);
  if (!(nodeCount >= 3 && nodeCount <= MAX_NODES)) {
    throw new RangeError(`nodes must be between 3 and ${MAX_NODES}, got ${opts.nodes}`);
  }
  const podsPerNode = opts.podsPerNode ?? 20;
  if (!(Number.isInteger(podsPerNode) && podsPerNode >= 0 && podsPerNode <= 240)) {
    throw new RangeError(`podsPerNode must be an integer between 0 and 240, got ${opts.podsPerNode}`);
  }
  const cni = opts.cni ?? 'calico';
  const broken = opts.broken ?? 'none';

  const template = loadScenarioSync(cni === 'flannel' ? 'kubeadm-flannel' : 'kubeadm-calico');
  const loop = broken === 'coredns-loop' ? loadScenarioSync('coredns-loop') : undefined;

  let uidCounter = 0;
  const uid = () => `5ca1e000-0000-4000-8000-${(uidCounter++).toString(16).padStart(12, '0')}`;
  const find = (s: Scenario, kind: string, name: string) =>
    s.objects.find((o) => o.kind === kind && o.metadata.name === name);

  const objects: KubeObject[] = [];
  const logs: ContainerLogs = {};

  // --- Cluster-wide objects from the template, re-addressed to the big pod subnet ----------------------------
  const templateWorker = find(template, 'Node', 'worker-1')!;
  const cniDaemonSet = template.objects.find(
    (o) => o.kind === 'DaemonSet' && (o.metadata.name === 'calico-node' || o.metadata.name === 'kube-flannel-ds'),
  )!;
  const perNodeTemplates = template.objects.filter(
    (o) => o.kind === 'Pod' && o.spec?.nodeName === 'worker-1' && o.metadata.ownerReferences?.[0]?.kind === 'DaemonSet',
  );
  const skip = (o: KubeObject) =>
    (o.kind === 'Node' && o.metadata.name !== 'cp-1') ||
    (o.kind === 'Pod' && o.metadata.ownerReferences?.[0]?.kind === 'DaemonSet') ||
    o.kind === 'DaemonSet' ||
    o.kind === 'Endpoints' ||
    o.kind === 'EndpointSlice';
  for (const o of template.objects) {
    if (skip(o)) continue;
    objects.push(readdress(o));
  }
  if (loop) {
    // The coredns-loop overlay: its CoreDNS pods, kubelet config and events replace the healthy ones.
    const replaced = new Set(
      loop.objects
        .filter(
          (o) =>
            o.kind === 'Event' ||
            o.metadata.name === 'coredns' ||
            o.metadata.name.startsWith('coredns-') ||
            o.metadata.name === 'kubelet-config',
        )
        .map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`),
    );
    for (let i = objects.length - 1; i >= 0; i--) {
      const o = objects[i]!;
      if (replaced.has(`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)) objects.splice(i, 1);
    }
    for (const o of loop.objects) {
      if (replaced.has(`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)) objects.push(structuredClone(o));
    }
  }
  const logSource = loop ?? template;
  for (const [k, v] of Object.entries(logSource.logs)) if (k.includes('/coredns-')) logs[k] = v;

  // --- Nodes with their per-node DaemonSet pods ---------------------------------------------------------------
  const nodeNames: string[] = ['cp-1'];
  const dsPods = new Map<string, KubeObject[]>();
  const kubeProxyLog = Object.entries(template.logs).find(([k]) => k.includes('/kube-proxy-'))?.[1];
  for (let i = 1; i < nodeCount; i++) {
    const name = `worker-${i}`;
    nodeNames.push(name);
    const ip = nodeIp(i);
    objects.push({
      ...templateWorker,
      metadata: {
        ...templateWorker.metadata,
        name,
        uid: uid(),
        labels: { ...templateWorker.metadata.labels, 'kubernetes.io/hostname': name },
      },
      spec: { podCIDR: podCidr(i), podCIDRs: [podCidr(i)] },
      status: {
        ...templateWorker.status,
        addresses: [
          { type: 'InternalIP', address: ip },
          { type: 'Hostname', address: name },
        ],
      },
    });
  }
  for (let i = 0; i < nodeCount; i++) {
    const nodeName = nodeNames[i]!;
    const ip = i === 0 ? '10.0.0.10' : nodeIp(i);
    for (const t of perNodeTemplates) {
      const owner = t.metadata.ownerReferences![0]!.name;
      const name = `${t.metadata.generateName ?? `${owner}-`}${suffix(i)}`;
      const pod: KubeObject = {
        ...t,
        // The DaemonSet controller labels every pod with the revision of the template it was made from.
        metadata: {
          ...t.metadata,
          name,
          uid: uid(),
          labels: { 'controller-revision-hash': `${owner.length.toString(16)}f9c8d5b6`, ...t.metadata.labels },
        },
        spec: { ...t.spec, nodeName },
        status: { ...t.status, hostIP: ip, hostIPs: [{ ip }], podIP: ip, podIPs: [{ ip }] },
      };
      objects.push(pod);
      const list = dsPods.get(owner) ?? [];
      list.push(pod);
      dsPods.set(owner, list);
      if (owner === 'kube-proxy' && kubeProxyLog) logs[`kube-system/${name}/kube-proxy`] = kubeProxyLog;
    }
  }
  for (const ds of [find(template, 'DaemonSet', 'kube-proxy')!, cniDaemonSet]) {
    const pods = dsPods.get(ds.metadata.name) ?? [];
    const ready = pods.filter(isPodReady).length;
    objects.push({
      ...ds,
      status: {
        ...ds.status,
        currentNumberScheduled: pods.length,
        desiredNumberScheduled: pods.length,
        numberReady: ready,
        numberAvailable: ready,
        updatedNumberScheduled: pods.length,
      },
    });
  }

  // --- App namespaces, Deployments, ReplicaSets and pods ------------------------------------------------------
  const appPods = nodeCount * podsPerNode;
  const namespaceCount = Math.max(1, Math.min(MAX_APP_NAMESPACES, Math.ceil(nodeCount / 100)));
  const deploymentCount = namespaceCount * DEPLOYMENTS_PER_NAMESPACE;
  const appContainer = [
    {
      name: 'app',
      image: 'ghcr.io/example/web:1.8.2',
      ports: [{ containerPort: 8080, protocol: 'TCP' }],
      resources: { requests: { cpu: '50m', memory: '64Mi' } },
    },
  ];
  const runningStatus = [
    {
      name: 'app',
      ready: true,
      started: true,
      restartCount: 0,
      image: 'ghcr.io/example/web:1.8.2',
      imageID: 'ghcr.io/example/web@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
      state: { running: { startedAt: SANDBOX_EPOCH } },
      lastState: {},
    },
  ];
  const readyConditions = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(
    (type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: SANDBOX_EPOCH }),
  );
  const podsOnNode = new Uint16Array(nodeCount);
  let placed = 0;
  for (let n = 0; n < namespaceCount; n++) {
    const ns = `team-${String(n + 1).padStart(2, '0')}`;
    objects.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        uid: uid(),
        creationTimestamp: SANDBOX_EPOCH,
        labels: { 'kubernetes.io/metadata.name': ns },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    for (let d = 0; d < DEPLOYMENTS_PER_NAMESPACE; d++) {
      const index = n * DEPLOYMENTS_PER_NAMESPACE + d;
      // Spread the remainder so the total is exactly nodes * podsPerNode.
      const replicas = Math.floor(appPods / deploymentCount) + (index < appPods % deploymentCount ? 1 : 0);
      const app = `svc-${d + 1}`;
      const hash = hashFor(index);
      const rsName = `${app}-${hash}`;
      const deployUid = uid();
      const rsUid = uid();
      const labels = { app, 'pod-template-hash': hash };
      const available = replicas > 0;
      objects.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: app,
          namespace: ns,
          uid: deployUid,
          generation: 1,
          creationTimestamp: SANDBOX_EPOCH,
          labels: { app },
        },
        spec: {
          replicas,
          selector: { matchLabels: { app } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
          template: { metadata: { labels: { app } }, spec: { containers: appContainer } },
        },
        status: {
          observedGeneration: 1,
          ...(replicas > 0
            ? { replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas }
            : {}),
          conditions: [
            {
              type: 'Available',
              status: 'True',
              reason: 'MinimumReplicasAvailable',
              message: 'Deployment has minimum availability.',
              lastUpdateTime: SANDBOX_EPOCH,
              lastTransitionTime: SANDBOX_EPOCH,
            },
          ],
        },
      });
      objects.push({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: rsName,
          namespace: ns,
          uid: rsUid,
          generation: 1,
          creationTimestamp: SANDBOX_EPOCH,
          labels,
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: app,
              uid: deployUid,
              controller: true,
            },
          ],
        },
        spec: {
          replicas,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: appContainer } },
        },
        status: {
          replicas,
          fullyLabeledReplicas: replicas,
          ...(available ? { readyReplicas: replicas, availableReplicas: replicas } : {}),
          observedGeneration: 1,
        },
      });
      const ownerReferences = [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: rsName,
          uid: rsUid,
          controller: true,
        },
      ];
      const endpoints: { ip: string; node: string; name: string; uid: string }[] = [];
      for (let r = 0; r < replicas; r++) {
        // Round-robin over worker nodes (cp-1 is tainted), like a scheduler spreading evenly.
        const nodeIndex = 1 + (placed++ % (nodeCount - 1));
        const slot = podsOnNode[nodeIndex]!;
        podsOnNode[nodeIndex] = slot + 1;
        const hostIP = nodeIp(nodeIndex);
        // Slots below 10 belong to the template's system pods (CoreDNS, calico-kube-controllers).
        const podIP = podIpOn(nodeIndex, slot + 10);
        objects.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `${rsName}-${suffix(r)}`,
            generateName: `${rsName}-`,
            namespace: ns,
            uid: uid(),
            creationTimestamp: SANDBOX_EPOCH,
            labels,
            ownerReferences,
          },
          spec: {
            nodeName: nodeNames[nodeIndex],
            containers: appContainer,
            restartPolicy: 'Always',
            dnsPolicy: 'ClusterFirst',
          },
          status: {
            phase: 'Running',
            hostIP,
            hostIPs: [{ ip: hostIP }],
            podIP,
            podIPs: [{ ip: podIP }],
            qosClass: 'Burstable',
            startTime: SANDBOX_EPOCH,
            conditions: readyConditions,
            containerStatuses: runningStatus,
          },
        });
        const pod = objects[objects.length - 1]!;
        endpoints.push({ ip: podIP, node: nodeNames[nodeIndex]!, name: pod.metadata.name, uid: pod.metadata.uid! });
      }
      objects.push(...appService(ns, app, index, endpoints, uid));
    }
  }

  // kube-dns endpoints from the (possibly crash-looping) CoreDNS pods, like the small scenarios derive them.
  for (const o of template.objects) {
    if (o.kind === 'EndpointSlice' || o.kind === 'Endpoints') {
      const fromLoop = loop?.objects.find(
        (l) =>
          l.kind === o.kind && l.metadata.namespace === o.metadata.namespace && l.metadata.name === o.metadata.name,
      );
      objects.push(structuredClone(fromLoop ?? o));
    }
  }

  const large = `large-${nodeCount}${cni === 'flannel' ? '-flannel' : ''}${broken === 'coredns-loop' ? '-coredns-loop' : ''}`;
  return {
    name: large,
    description: `Generated kubeadm cluster with ${nodeCount} nodes, ${appPods} app pods and ${cni}${broken === 'none' ? '' : `; broken: ${broken}`}.`,
    expect: loop ? structuredClone(loop.expect) : { critical: [], warning: [] },
    fingerprint: { flavor: 'kubeadm', cni },
    objects,
    logs,
    reactions: [],
  };
}

/** EndpointSlice controller limit: at most 100 endpoints per slice. */
const MAX_ENDPOINTS_PER_SLICE = 100;

/** A ClusterIP Service for an app Deployment, with its Endpoints and EndpointSlices (chunked like the controller). */
function appService(
  ns: string,
  app: string,
  index: number,
  endpoints: { ip: string; node: string; name: string; uid: string }[],
  uid: () => string,
): KubeObject[] {
  // Inside the 10.96.0.0/12 service CIDR, clear of 10.96.0.1 (kubernetes) and 10.96.0.10 (kube-dns).
  const n = index + 1;
  const clusterIP = `10.${100 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
  const svcUid = uid();
  const ports = [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }];
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: app, namespace: ns, uid: svcUid, creationTimestamp: SANDBOX_EPOCH, labels: { app } },
    spec: { type: 'ClusterIP', clusterIP, clusterIPs: [clusterIP], selector: { app }, ports, sessionAffinity: 'None' },
    status: { loadBalancer: {} },
  };
  const targetRef = (e: { name: string; uid: string }) => ({ kind: 'Pod', namespace: ns, name: e.name, uid: e.uid });
  const endpointsObject: KubeObject = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: app, namespace: ns, uid: uid(), creationTimestamp: SANDBOX_EPOCH, labels: { app } },
    ...(endpoints.length
      ? {
          subsets: [
            {
              addresses: endpoints.map((e) => ({ ip: e.ip, nodeName: e.node, targetRef: targetRef(e) })),
              ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
            },
          ],
        }
      : {}),
  };
  const slices: KubeObject[] = [];
  for (let i = 0; i === 0 || i < endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
    slices.push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      addressType: 'IPv4',
      metadata: {
        name: `${app}-${suffix(index * 1000 + i / MAX_ENDPOINTS_PER_SLICE)}`,
        generateName: `${app}-`,
        namespace: ns,
        uid: uid(),
        creationTimestamp: SANDBOX_EPOCH,
        labels: {
          app,
          'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
          'kubernetes.io/service-name': app,
        },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: app, uid: svcUid, controller: true }],
      },
      endpoints: endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE).map((e) => ({
        addresses: [e.ip],
        conditions: READY_ENDPOINT,
        nodeName: e.node,
        targetRef: targetRef(e),
      })),
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
  }
  return [service, endpointsObject, ...slices];
}

const READY_ENDPOINT = { ready: true, serving: true, terminating: false };

/** Rewrites the template's 10.244.0.0/16 pod network (too small for 5k nodes) to POD_SUBNET. */
function readdress(o: KubeObject): KubeObject {
  if (o.kind === 'Node' && o.metadata.name === 'cp-1') {
    return { ...o, spec: { ...o.spec, podCIDR: podCidr(0), podCIDRs: [podCidr(0)] } };
  }
  if (o.kind === 'ConfigMap' && o.data) {
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(o.data as Record<string, string>))
      data[k] = v.replaceAll('10.244.0.0/16', POD_SUBNET);
    return { ...o, data };
  }
  if (o.kind === 'Pod' && o.status?.podIP?.startsWith('10.244.')) {
    const [, , third, fourth] = (o.status.podIP as string).split('.');
    const node = Number(third);
    const podIP = podIpOn(node, Number(fourth) - 2);
    return { ...o, status: { ...o.status, podIP, podIPs: [{ ip: podIP }] } };
  }
  if (o.kind === 'Pod' && o.metadata.name.startsWith('kube-controller-manager')) {
    const containers = o.spec.containers.map((c: { command: string[] }) => ({
      ...c,
      command: c.command.map((arg) => arg.replace('10.244.0.0/16', POD_SUBNET)),
    }));
    return { ...o, spec: { ...o.spec, containers } };
  }
  return o;
}

/** Node i's InternalIP: cp-1 is 10.0.0.10, workers count up from 10.0.0.11 across 10.0.x.y. */
function nodeIp(i: number): string {
  const n = 10 + i;
  return `10.0.${n >> 8}.${n & 255}`;
}

/** Node i's /24 inside 100.64.0.0/10. */
function podCidr(i: number): string {
  return `100.${64 + (i >> 8)}.${i & 255}.0/24`;
}

function podIpOn(node: number, slot: number): string {
  return `100.${64 + (node >> 8)}.${node & 255}.${slot + 2}`;
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * A deterministic 5-character name suffix in the alphabet Kubernetes uses for generated names. Multiplying by a
 * number coprime to 27^5 permutes 0..27^5-1, so distinct n (< 14M) give distinct suffixes.
 */
function suffix(n: number): string {
  const space = SUFFIX_ALPHABET.length ** 5;
  let x = (n * 1_000_003 + 123_457) % space;
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += SUFFIX_ALPHABET[x % SUFFIX_ALPHABET.length];
    x = Math.floor(x / SUFFIX_ALPHABET.length);
  }
  return out;
}

function hashFor(n: number): string {
  return (
    ((n * 2246822519 + 374761393) >>> 0).toString(16).padStart(8, '0').slice(0, 8) +
    (n % 97).toString(16).padStart(2, '0')
  );
}
