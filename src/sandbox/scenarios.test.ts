import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../engine/cluster-reader.ts';
import {
  buildScenario,
  DEFAULT_DEMO_SCENARIO,
  isPodReady,
  listScenarios,
  loadScenario,
  mergePatch,
  ScenarioFileError,
  UnknownScenarioError,
} from './scenarios.ts';
import { applyObjects, startSandbox } from './server.ts';
import { ObjectStore } from './store.ts';
import type { Scenario } from './types.ts';

const dir = fileURLToPath(new URL('./scenarios/', import.meta.url));
const fileNames = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -5))
  .sort();

/** Healthy clusters, including the false-positive traps (docs/failure-catalog.md, "False-positive traps"). */
const HEALTHY = [
  'kubeadm-calico',
  'kubeadm-flannel',
  'kubeadm-weave',
  'eks',
  'cilium-kpr',
  'gke-kube-dns',
  'k3s',
  'kubeadm-calico-operator',
  'kubeadm-canal',
  'kubeadm-flannel-legacy',
  'kubeadm-calico-ebpf',
  'dns-nameserver-limit',
  'noisy-recovered-crash',
  'openshift-dns-operator',
  'kubeadm-nodelocal-dns',
  'rke2',
  'aks',
  'kind',
  'kube-proxy-nftables',
  'cilium-kube-proxy',
  'kubeadm-calico-3-30',
  'dual-stack',
  'noisy-app-failures',
  'noisy-busy-churn',
  'healthy-chatty-agents',
];

const loaded = new Map<string, Scenario>();
for (const name of fileNames) loaded.set(name, await loadScenario(name));
const all = [...loaded.values()];

const key = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;
function index(s: Scenario): Map<string, KubeObject> {
  return new Map(s.objects.map((o) => [key(o.kind ?? '', o.metadata.namespace, o.metadata.name), o]));
}
function ofKind(s: Scenario, kind: string): KubeObject[] {
  return s.objects.filter((o) => o.kind === kind);
}
function ownedPods(s: Scenario, kind: string, owner: KubeObject): KubeObject[] {
  return ofKind(s, 'Pod').filter(
    (p) =>
      p.metadata.namespace === owner.metadata.namespace &&
      p.metadata.ownerReferences?.some((r) => r.kind === kind && r.name === owner.metadata.name),
  );
}

describe('scenario files', () => {
  it('exist for the required healthy and broken clusters', () => {
    for (const name of [
      'kubeadm-calico',
      'kubeadm-flannel',
      'no-cni',
      'coredns-loop',
      'coredns-permission-denied',
      'coredns-proxy-plugin',
      'dns-service-no-endpoints',
      'coredns-rbac-missing',
      'kube-proxy-config-path',
      'kube-proxy-configmap-missing',
      'kube-proxy-wrong-apiserver',
      'flannel-networkpolicy',
      'cni-crashloop',
    ]) {
      expect(fileNames).toContain(name);
    }
  });

  it.each(fileNames)('%s loads, validates and is named after its file', (name) => {
    const s = loaded.get(name)!;
    expect(s.name).toBe(name);
    expect(s.description.length).toBeGreaterThan(10);
    expect(s.objects.length).toBeGreaterThan(10);
  });

  it('have unique object identities within each scenario', () => {
    for (const s of all) {
      const keys = s.objects.map((o) => key(o.kind ?? '', o.metadata.namespace, o.metadata.name));
      expect(new Set(keys).size, s.name).toBe(keys.length);
    }
  });

  it('every object carries apiVersion, kind, uid and creationTimestamp like a real API response', () => {
    for (const s of all) {
      for (const o of s.objects) {
        expect(o.apiVersion, `${s.name} ${o.kind}/${o.metadata.name}`).toBeTruthy();
        expect(o.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
        expect(o.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
      }
      const uids = s.objects.map((o) => o.metadata.uid);
      expect(new Set(uids).size, `${s.name} uids`).toBe(uids.length);
    }
  });

  it('healthy scenarios expect nothing, broken ones name at least one catalog id', () => {
    for (const s of all) {
      const ids = [...s.expect.critical, ...s.expect.warning];
      for (const id of ids) expect(id).toMatch(/^(cni|coredns|dns|kube-proxy)\.[a-z0-9.-]+$/);
    }
    for (const name of HEALTHY) {
      const s = loaded.get(name);
      expect(s, name).toBeDefined();
      // Healthy may still promise info notes (a dated recovery, a component not covered): never more.
      expect({ critical: s!.expect.critical, warning: s!.expect.warning }, name).toEqual({ critical: [], warning: [] });
      expect(s!.fingerprint, name).toBeDefined();
    }
    for (const s of all.filter((x) => !HEALTHY.includes(x.name))) {
      expect(
        s.expect.critical.length + s.expect.warning.length,
        `${s.name} is broken and must expect a finding`,
      ).toBeGreaterThan(0);
    }
    expect(loaded.get('no-cni')!.expect.critical).toEqual(
      expect.arrayContaining(['cni.not-installed', 'coredns.unschedulable-node-not-ready']),
    );
    expect(loaded.get('coredns-loop')!.expect.critical).toContain('coredns.loop-detected');
    expect(loaded.get('flannel-networkpolicy')!.expect).toEqual({
      critical: [],
      warning: ['cni.network-policy-unsupported'],
    });
  });
});

describe('object graph consistency', () => {
  it('uses only kinds the sandbox API server serves, and loads into its store', () => {
    for (const s of all) {
      const store = new ObjectStore();
      expect(() => applyObjects(store, s.objects), s.name).not.toThrow();
    }
  });

  it("every pod's ownerReferences point to an existing owner with the matching uid", () => {
    for (const s of all) {
      const objects = index(s);
      for (const pod of ofKind(s, 'Pod')) {
        for (const ref of pod.metadata.ownerReferences ?? []) {
          expect(['ReplicaSet', 'DaemonSet', 'Node', 'StatefulSet', 'Job']).toContain(ref.kind);
          const ns = ref.kind === 'Node' ? undefined : pod.metadata.namespace;
          const owner = objects.get(key(ref.kind, ns, ref.name));
          expect(owner, `${s.name}: ${pod.metadata.name} -> ${ref.kind}/${ref.name}`).toBeDefined();
          expect(ref.uid).toBe(owner!.metadata.uid);
        }
      }
      for (const rs of ofKind(s, 'ReplicaSet')) {
        for (const ref of rs.metadata.ownerReferences ?? []) {
          expect(objects.has(key(ref.kind, rs.metadata.namespace, ref.name)), `${s.name}: ${rs.metadata.name}`).toBe(
            true,
          );
        }
      }
    }
  });

  it('pods are labelled so their owner selects them, and scheduled pods name an existing node', () => {
    for (const s of all) {
      const objects = index(s);
      for (const pod of ofKind(s, 'Pod')) {
        if (pod.spec?.nodeName)
          expect(objects.has(key('Node', undefined, pod.spec.nodeName)), pod.metadata.name).toBe(true);
        const ref = pod.metadata.ownerReferences?.[0];
        if (!ref || ref.kind === 'Node') continue;
        const owner = objects.get(key(ref.kind, pod.metadata.namespace, ref.name))!;
        for (const [k, v] of Object.entries(owner.spec.selector.matchLabels as Record<string, string>)) {
          expect(pod.metadata.labels?.[k], `${s.name}: ${pod.metadata.name} label ${k}`).toBe(v);
        }
      }
    }
  });

  it('workload status counters match their pods', () => {
    for (const s of all) {
      for (const ds of ofKind(s, 'DaemonSet')) {
        const pods = ownedPods(s, 'DaemonSet', ds);
        const ready = pods.filter(isPodReady).length;
        // desired counts eligible nodes, which may exceed the pods when the controller cannot create one.
        expect(ds.status.currentNumberScheduled, `${s.name} ${ds.metadata.name}`).toBe(pods.length);
        expect(ds.status.desiredNumberScheduled).toBeGreaterThanOrEqual(pods.length);
        expect(ds.status.numberReady, `${s.name} ${ds.metadata.name} ready`).toBe(ready);
        expect(ds.status.numberUnavailable ?? 0).toBe(ds.status.desiredNumberScheduled - ready);
      }
      for (const rs of ofKind(s, 'ReplicaSet')) {
        const pods = ownedPods(s, 'ReplicaSet', rs);
        expect(rs.status.replicas, `${s.name} ${rs.metadata.name}`).toBe(pods.length);
        expect(rs.status.readyReplicas ?? 0).toBe(pods.filter(isPodReady).length);
      }
      for (const deploy of ofKind(s, 'Deployment')) {
        const pods = ofKind(s, 'ReplicaSet')
          .filter((rs) => rs.metadata.ownerReferences?.some((r) => r.name === deploy.metadata.name))
          .filter((rs) => rs.metadata.namespace === deploy.metadata.namespace)
          .flatMap((rs) => ownedPods(s, 'ReplicaSet', rs));
        expect(deploy.status.readyReplicas ?? 0, `${s.name} ${deploy.metadata.name}`).toBe(
          pods.filter(isPodReady).length,
        );
        expect(deploy.status.replicas ?? 0).toBe(pods.length);
      }
    }
  });

  it('pod conditions agree with container readiness', () => {
    for (const s of all) {
      for (const pod of ofKind(s, 'Pod')) {
        const statuses: { ready: boolean }[] = pod.status.containerStatuses ?? [];
        const readyCondition = pod.status.conditions.find((c: { type: string }) => c.type === 'Ready');
        if (!pod.spec.nodeName) {
          expect(pod.status.phase).toBe('Pending');
          continue;
        }
        const allReady = statuses.length > 0 && statuses.every((c) => c.ready);
        expect(readyCondition.status, `${s.name} ${pod.metadata.name}`).toBe(
          allReady && pod.status.phase === 'Running' ? 'True' : 'False',
        );
      }
    }
  });

  it('every Service with a selector has Endpoints and an EndpointSlice listing exactly the selected pods', () => {
    for (const s of all) {
      for (const svc of ofKind(s, 'Service').filter((x) => x.spec.selector)) {
        const selected = ofKind(s, 'Pod').filter(
          (p) =>
            p.metadata.namespace === svc.metadata.namespace &&
            p.status.podIP &&
            Object.entries(svc.spec.selector as Record<string, string>).every(([k, v]) => p.metadata.labels?.[k] === v),
        );
        const slices = ofKind(s, 'EndpointSlice').filter(
          (e) =>
            e.metadata.namespace === svc.metadata.namespace &&
            e.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name,
        );
        expect(slices, `${s.name} ${svc.metadata.name}`).toHaveLength(1);
        const ips = slices[0]!.endpoints.map((e: { addresses: string[] }) => e.addresses[0]).sort();
        expect(ips).toEqual(selected.map((p) => p.status.podIP).sort());
        const ready = slices[0]!.endpoints.filter((e: { conditions: { ready: boolean } }) => e.conditions.ready);
        expect(ready.length).toBe(selected.filter(isPodReady).length);
        expect(index(s).has(key('Endpoints', svc.metadata.namespace, svc.metadata.name))).toBe(true);
      }
    }
  });

  it('every logs key names an existing pod and one of its containers', () => {
    for (const s of [...all, ...all.flatMap((x) => x.reactions.map((r) => ({ ...x, logs: r.then.logs ?? {} })))]) {
      const objects = index(s);
      for (const logKey of Object.keys(s.logs)) {
        const [ns, podName, container] = logKey.split('/');
        let pod = objects.get(key('Pod', ns, podName!));
        pod ??= s.reactions.flatMap((r) => r.then.apply ?? []).find((o) => o.metadata.name === podName);
        expect(pod, `${s.name}: ${logKey}`).toBeDefined();
        const names = [...(pod!.spec.containers ?? []), ...(pod!.spec.initContainers ?? [])].map(
          (c: { name: string }) => c.name,
        );
        expect(names, `${s.name}: ${logKey}`).toContain(container);
      }
    }
  });

  it("every Event's involvedObject exists", () => {
    for (const s of all) {
      const objects = index(s);
      for (const ev of ofKind(s, 'Event')) {
        const inv = ev.involvedObject;
        const target = objects.get(key(inv.kind, inv.kind === 'Node' ? undefined : inv.namespace, inv.name));
        expect(target, `${s.name}: event ${ev.reason} for ${inv.kind}/${inv.name}`).toBeDefined();
        if (inv.uid) expect(inv.uid, `${s.name}: ${ev.metadata.name} uid`).toBe(target!.metadata.uid);
        expect(ev.source.component).toBeTruthy();
        expect(ev.count).toBeGreaterThan(0);
      }
    }
  });

  it('CrashLoopBackOff messages quote the uid of the pod they are about', () => {
    for (const s of all) {
      for (const pod of ofKind(s, 'Pod')) {
        for (const c of pod.status.containerStatuses ?? []) {
          const message: string | undefined = c.state?.waiting?.message;
          if (c.state?.waiting?.reason !== 'CrashLoopBackOff' || !message) continue;
          expect(message, `${s.name} ${pod.metadata.name}`).toContain(
            `pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
          );
        }
      }
    }
  });
});

describe('the bot RBAC from infra/k8s', () => {
  const rbacFile = fileURLToPath(new URL('../../infra/k8s/netcheck-rbac.yaml', import.meta.url));
  const shipped = readFileSync(rbacFile, 'utf8')
    .split(/^---\s*$/m)
    .map((d) => parse(d))
    .filter(Boolean) as KubeObject[];
  const role = shipped.find((o) => o.kind === 'ClusterRole')!;

  it('is in every scenario, identical to the shipped file', () => {
    for (const s of all) {
      const inScenario = index(s).get(key('ClusterRole', undefined, 'netcheck-reader'));
      expect(inScenario?.rules, s.name).toEqual(role.rules);
      expect(index(s).has(key('ServiceAccount', 'netcheck', 'netcheck-bot'))).toBe(true);
      expect(index(s).has(key('ClusterRoleBinding', undefined, 'netcheck-reader'))).toBe(true);
    }
  });

  it('is read-only: get/list only, pods/log get only, no secrets', () => {
    for (const rule of role.rules as { resources: string[]; verbs: string[] }[]) {
      expect(rule.resources).not.toContain('secrets');
      for (const verb of rule.verbs) expect(['get', 'list']).toContain(verb);
      if (rule.resources.includes('pods/log')) expect(rule.verbs).toEqual(['get']);
    }
  });
});

describe('specific scenarios', () => {
  it('coredns-loop quotes the exact loop line in the previous CoreDNS log', () => {
    const s = loaded.get('coredns-loop')!;
    const previous = Object.entries(s.logs)
      .filter(([k]) => k.startsWith('kube-system/coredns-'))
      .map(([, v]) => v.previous ?? '');
    expect(previous.length).toBe(2);
    for (const log of previous) {
      expect(log).toMatch(
        /\[FATAL\] plugin\/loop: Loop \(127\.0\.0\.1:\d+ -> :53\) detected for zone "\.", see https:\/\/coredns\.io\/plugins\/loop#troubleshooting\. Query: "HINFO \d+\.\d+\."/,
      );
    }
    expect(DEFAULT_DEMO_SCENARIO).toBe('coredns-loop');
  });

  it('dns-service-no-endpoints leaves kube-dns without endpoints while CoreDNS is ready', () => {
    const s = loaded.get('dns-service-no-endpoints')!;
    const slice = ofKind(s, 'EndpointSlice').find(
      (e) => e.metadata.labels?.['kubernetes.io/service-name'] === 'kube-dns',
    );
    expect(slice?.endpoints).toEqual([]);
    expect(index(s).get(key('Endpoints', 'kube-system', 'kube-dns'))?.subsets).toBeUndefined();
    expect(index(s).get(key('Deployment', 'kube-system', 'coredns'))?.status.readyReplicas).toBe(2);
  });

  it('coredns-proxy-plugin heals through its reaction: new Ready pods, clean logs, Deployment available', () => {
    const s = loaded.get('coredns-proxy-plugin')!;
    expect(s.reactions).toHaveLength(1);
    const reaction = s.reactions[0]!;
    expect(reaction.when).toContainEqual({
      restarted: { kind: 'Deployment', namespace: 'kube-system', name: 'coredns' },
    });
    const pods = (reaction.then.apply ?? []).filter((o) => o.kind === 'Pod');
    expect(pods).toHaveLength(2);
    for (const pod of pods) expect(isPodReady(pod)).toBe(true);
    const deploy = reaction.then.apply!.find((o) => o.kind === 'Deployment');
    expect(deploy?.status.readyReplicas).toBe(2);
    for (const log of Object.values(reaction.then.logs ?? {})) expect(log.current).toContain('CoreDNS-1.11.3');
    expect(Object.values(s.logs).some((l) => l.previous?.includes("Unknown directive 'proxy'"))).toBe(true);
  });

  it('no-cni has NotReady nodes with the containerd message and no CNI DaemonSet', () => {
    const s = loaded.get('no-cni')!;
    for (const node of ofKind(s, 'Node')) {
      const ready = node.status.conditions.find((c: { type: string }) => c.type === 'Ready');
      expect(ready.status).toBe('False');
      expect(ready.message).toContain('cni plugin not initialized');
    }
    expect(ofKind(s, 'DaemonSet').map((d) => d.metadata.name)).toEqual(['kube-proxy']);
  });
});

describe('loader API', () => {
  it('lists scenarios sorted by name with a healthy marker', async () => {
    const list = await listScenarios();
    expect(list.map((x) => x.name)).toEqual(fileNames);
    expect(list.find((x) => x.name === 'kubeadm-calico')?.healthy).toBe(true);
    expect(list.find((x) => x.name === 'coredns-loop')?.healthy).toBe(false);
  });

  it('rejects an unknown scenario with a message listing the known ones', async () => {
    const err = await loadScenario('no-such-cluster').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownScenarioError);
    expect((err as Error).message).toContain('no-such-cluster');
    expect((err as Error).message).toContain('coredns-loop');
    expect((err as Error).message).toContain('kubeadm-calico');
  });

  it('names the field when a scenario document is invalid', () => {
    expect(() =>
      buildScenario(
        {
          name: 'bad',
          description: 'patching a missing object',
          expect: { critical: [], warning: [] },
          patches: [{ kind: 'Pod', namespace: 'x', name: 'y', merge: {} }],
        },
        'bad.yaml',
      ),
    ).toThrow(ScenarioFileError);
    expect(() =>
      buildScenario(
        { name: 'bad', description: 'unknown base', expect: { critical: [], warning: [] }, base: ['nope'] },
        'bad.yaml',
      ),
    ).toThrow(/unknown base "nope"/);
  });

  it('applies JSON merge patches: objects merge, arrays replace, null deletes', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { c: null, d: 3 }, l: [9] })).toEqual({
      a: { b: 1, d: 3 },
      l: [9],
    });
  });
});

describe('coredns-proxy-plugin served by the sandbox', () => {
  function call(
    sandbox: { url: string; caPem: string; tokens: { admin: string } },
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { authorization: `Bearer ${sandbox.tokens.admin}` };
      if (body !== undefined) headers['content-type'] = 'application/merge-patch+json';
      const req = request(new URL(path, sandbox.url), { method, ca: sandbox.caPem, headers }, (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  it('heals once the Corefile uses forward and the Deployment is restarted, as kubectl would do it', async () => {
    const sandbox = await startSandbox({ scenario: await loadScenario('coredns-proxy-plugin') });
    try {
      const cmPath = '/api/v1/namespaces/kube-system/configmaps/coredns';
      const cm = JSON.parse((await call(sandbox, 'GET', cmPath)).text);
      const fixed = (cm.data.Corefile as string).replace('proxy . /etc/resolv.conf', 'forward . /etc/resolv.conf');
      expect((await call(sandbox, 'PATCH', cmPath, { data: { Corefile: fixed } })).status).toBe(200);
      const restart = {
        spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } } } },
      };
      const deployPath = '/apis/apps/v1/namespaces/kube-system/deployments/coredns';
      expect((await call(sandbox, 'PATCH', deployPath, restart)).status).toBe(200);

      const pods = JSON.parse(
        (await call(sandbox, 'GET', '/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dkube-dns')).text,
      ).items as KubeObject[];
      expect(pods.map((p) => p.metadata.name).sort()).toEqual(['coredns-7c65d6cfc9-p9w4d', 'coredns-7c65d6cfc9-x2bqk']);
      for (const pod of pods) expect(isPodReady(pod)).toBe(true);
      expect(JSON.parse((await call(sandbox, 'GET', deployPath)).text).status.readyReplicas).toBe(2);
      const log = await call(sandbox, 'GET', `/api/v1/namespaces/kube-system/pods/${pods[0]!.metadata.name}/log`);
      expect(log.text).toContain('CoreDNS-1.11.3');
      expect(log.text).not.toContain('Unknown directive');
    } finally {
      await sandbox.close();
    }
  });
});
