// The sandbox API server, driven the way netcheck drives a real cluster: client-node over verified HTTPS.

import { request } from 'node:https';
import {
  ApiException,
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  EventsV1Api,
  KubeConfig,
  Observable,
  PatchStrategy,
  type RequestContext,
  type ResponseContext,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { botReaderRbac, corednsLoopScenario, LOOP_LOG } from '#test/fakes/sandbox.ts';
import { type Sandbox, startSandbox } from './server.ts';

let sandbox: Sandbox;

function clients(user: 'admin' | 'bot' = 'admin') {
  const kc = new KubeConfig();
  kc.loadFromString(sandbox.kubeconfig(user));
  return {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    authz: kc.makeApiClient(AuthorizationV1Api),
    events: kc.makeApiClient(EventsV1Api),
  };
}

async function apiError(p: Promise<unknown>): Promise<ApiException<string>> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiException) return e as ApiException<string>;
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** A plain HTTPS GET that trusts only the sandbox CA, for asserting wire details client-node hides. */
function rawGet(
  path: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${sandbox.url}${path}`,
      { ca: sandbox.caPem, headers: { Authorization: `Bearer ${token}`, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const statusOf = (e: ApiException<string>) =>
  JSON.parse(e.body) as { kind: string; message: string; reason: string; code: number };

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: corednsLoopScenario() });
});
afterAll(() => sandbox.close());

describe('connection and identity', () => {
  it('serves a kubeconfig whose CA verifies the server certificate, without skipping TLS checks', async () => {
    expect(sandbox.kubeconfig()).toContain('certificate-authority-data');
    expect(sandbox.kubeconfig()).not.toContain('insecure-skip-tls-verify');
    expect(sandbox.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const nodes = await clients().core.listNode();
    expect(nodes.items.map((n) => n.metadata?.name)).toEqual(['cp-1']);
  });

  it('rejects an unknown bearer token with a 401 Status', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(sandbox.kubeconfig().replace(sandbox.tokens.admin, 'not-a-token'));
    const err = await apiError(kc.makeApiClient(CoreV1Api).listNode());
    expect(err.code).toBe(401);
    const raw = await rawGet('/api/v1/nodes', 'not-a-token');
    expect(raw.status).toBe(401);
    expect(JSON.parse(raw.body)).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Unauthorized',
      code: 401,
    });
  });

  it('records every request with its verb, user and status', async () => {
    sandbox.resetRequests();
    await clients('bot')
      .core.listNamespacedPod({ namespace: 'kube-system' })
      .catch(() => undefined);
    await clients().core.readNamespacedConfigMap({ name: 'coredns', namespace: 'kube-system' });
    expect(sandbox.requests).toMatchObject([
      {
        verb: 'LIST',
        path: '/api/v1/namespaces/kube-system/pods',
        query: '',
        status: 403,
        user: sandbox.identities.bot,
      },
      {
        verb: 'GET',
        path: '/api/v1/namespaces/kube-system/configmaps/coredns',
        query: '',
        status: 200,
        user: 'kubernetes-admin',
      },
    ]);
    for (const r of sandbox.requests) expect(r.finishedAt).toBeGreaterThanOrEqual(r.receivedAt!);
  });

  it('synthesizes the namespaces that objects live in', async () => {
    const ns = await clients().core.listNamespace();
    expect(ns.items.map((n) => n.metadata?.name)).toEqual(['default', 'kube-system', 'shop']);
    expect(ns.items[0]?.status?.phase).toBe('Active');
  });
});

describe('discovery', () => {
  const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

  it('answers aggregated-discovery requests with legacy JSON so clients fall back', async () => {
    for (const path of ['/api', '/apis']) {
      const res = await rawGet(path, sandbox.tokens.bot, { Accept: AGGREGATED });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(JSON.parse(res.body).kind).toBe(path === '/api' ? 'APIVersions' : 'APIGroupList');
    }
  });

  it('lists resources with the short names kubectl resolves', async () => {
    const core = JSON.parse((await rawGet('/api/v1', sandbox.tokens.bot)).body) as {
      resources: { name: string; shortNames?: string[]; namespaced: boolean }[];
    };
    const short = Object.fromEntries(core.resources.map((r) => [r.name, r.shortNames?.[0]]));
    expect(short).toMatchObject({
      pods: 'po',
      services: 'svc',
      endpoints: 'ep',
      configmaps: 'cm',
      nodes: 'no',
      namespaces: 'ns',
    });
    expect(core.resources.find((r) => r.name === 'pods/log')).toMatchObject({ namespaced: true });
    const apps = JSON.parse((await rawGet('/apis/apps/v1', sandbox.tokens.bot)).body) as typeof core;
    expect(apps.resources.map((r) => r.shortNames?.[0])).toEqual(['deploy', 'ds', 'rs']);
    const version = JSON.parse((await rawGet('/version', sandbox.tokens.bot)).body) as { gitVersion: string };
    expect(version.gitVersion).toMatch(/^v1\.32\./);
    expect((await rawGet('/openapi/v2', sandbox.tokens.bot)).status).toBe(404);
  });
});

describe('lists', () => {
  const names = (list: { items: { metadata?: { name?: string } }[] }) => list.items.map((i) => i.metadata?.name);

  it('filters by equality and set-based label selectors', async () => {
    const { core } = clients();
    expect(names(await core.listPodForAllNamespaces({ labelSelector: 'k8s-app=kube-dns' }))).toEqual([
      'coredns-668d6bf9bc-a',
      'coredns-668d6bf9bc-b',
    ]);
    expect(names(await core.listPodForAllNamespaces({ labelSelector: 'k8s-app in (kube-proxy, other)' }))).toEqual([
      'kube-proxy-x7k2p',
    ]);
    expect(names(await core.listPodForAllNamespaces({ labelSelector: 'k8s-app notin (kube-dns),!tier' }))).toEqual([
      'kube-proxy-x7k2p',
    ]);
    expect(names(await core.listPodForAllNamespaces({ labelSelector: 'tier,app==web' }))).toEqual(['web-0']);
    expect(names(await core.listPodForAllNamespaces({ labelSelector: 'k8s-app!=kube-dns' }))).toEqual([
      'kube-proxy-x7k2p',
      'web-0',
    ]);
  });

  it('filters by field selectors and rejects unsupported fields like the apiserver', async () => {
    const { core } = clients();
    expect(names(await core.listPodForAllNamespaces({ fieldSelector: 'status.phase!=Running' }))).toEqual(['web-0']);
    expect(
      names(
        await core.listNamespacedPod({
          namespace: 'kube-system',
          fieldSelector: 'spec.nodeName=cp-1,metadata.name=kube-proxy-x7k2p',
        }),
      ),
    ).toEqual(['kube-proxy-x7k2p']);
    const events = await core.listEventForAllNamespaces({ fieldSelector: 'involvedObject.kind=Pod,type=Warning' });
    expect(events.items.map((e) => e.reason)).toEqual(['BackOff']);
    const err = await apiError(core.listPodForAllNamespaces({ fieldSelector: 'spec.color=blue' }));
    expect(err.code).toBe(400);
    expect(statusOf(err)).toMatchObject({ reason: 'BadRequest', message: 'field label not supported: spec.color' });
  });

  it('paginates with limit and opaque continue tokens, in (namespace, name) order', async () => {
    const { core } = clients();
    const all = names(await core.listPodForAllNamespaces());
    const first = await core.listPodForAllNamespaces({ limit: 3 });
    expect(names(first)).toEqual(all.slice(0, 3));
    expect(first.metadata?.remainingItemCount).toBe(1);
    expect(first.metadata?._continue).toBeTruthy();
    const second = await core.listPodForAllNamespaces({ limit: 3, _continue: first.metadata?._continue });
    expect(names(second)).toEqual(all.slice(3));
    expect(second.metadata?._continue).toBeFalsy();
    expect(all).toEqual(['coredns-668d6bf9bc-a', 'coredns-668d6bf9bc-b', 'kube-proxy-x7k2p', 'web-0']);
  });

  it('stamps a resourceVersion on lists and objects and serves events.k8s.io events from the same store', async () => {
    const { core, events } = clients();
    const list = await core.listNamespacedService({ namespace: 'kube-system' });
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThan(0);
    expect(list.items[0]?.metadata?.resourceVersion).toMatch(/^\d+$/);
    const v1 = await events.listNamespacedEvent({ namespace: 'kube-system' });
    expect(v1.items[0]).toMatchObject({ reason: 'BackOff', regarding: { kind: 'Pod', name: 'coredns-668d6bf9bc-a' } });
    expect(v1.items[0]?.note).toContain('Back-off restarting failed container');
  });
});

describe('pod logs', () => {
  const read = (opts: Record<string, unknown>) =>
    clients().core.readNamespacedPodLog({ name: 'coredns-668d6bf9bc-a', namespace: 'kube-system', ...opts });

  it('returns current and previous container logs, tailed and byte-limited', async () => {
    expect(await read({ container: 'coredns' })).toBe(LOOP_LOG);
    expect(await read({ previous: true })).toContain('plugin/loop: Loop');
    expect(await read({ tailLines: 1 })).toMatch(/^\[FATAL\] plugin\/loop/);
    expect(await read({ limitBytes: 5 })).toBe('.:53\n');
  });

  it('explains a missing previous instance and an ambiguous container like the kubelet', async () => {
    const { core } = clients();
    const prev = await apiError(
      core.readNamespacedPodLog({ name: 'coredns-668d6bf9bc-b', namespace: 'kube-system', previous: true }),
    );
    expect(prev.code).toBe(400);
    expect(statusOf(prev).message).toBe(
      'previous terminated container "coredns" in pod "coredns-668d6bf9bc-b" not found',
    );
    const ambiguous = await apiError(core.readNamespacedPodLog({ name: 'web-0', namespace: 'shop' }));
    expect(statusOf(ambiguous).message).toBe(
      'a container name must be specified for pod web-0, choose one of: [web sidecar]',
    );
    expect(await core.readNamespacedPodLog({ name: 'web-0', namespace: 'shop', container: 'web', tailLines: 2 })).toBe(
      'line 2\nline 3\n',
    );
  });
});

describe('writes', () => {
  it('applies merge, JSON and strategic merge patches', async () => {
    const { core, apps } = clients();
    const merged = await core.patchNamespacedConfigMap(
      { name: 'coredns', namespace: 'kube-system', body: { metadata: { labels: { patched: 'merge' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.metadata?.labels).toEqual({ patched: 'merge' });
    const jsonPatched = await core.patchNamespacedConfigMap(
      { name: 'coredns', namespace: 'kube-system', body: [{ op: 'add', path: '/data/extra', value: 'x' }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(jsonPatched.data?.extra).toBe('x');
    const before = await apps.readNamespacedDeployment({ name: 'coredns', namespace: 'kube-system' });
    const strategic = await apps.patchNamespacedDeployment(
      {
        name: 'coredns',
        namespace: 'kube-system',
        body: { spec: { template: { spec: { containers: [{ name: 'coredns', image: 'coredns:1.12' }] } } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const container = strategic.spec?.template.spec?.containers[0];
    expect(container).toMatchObject({
      name: 'coredns',
      image: 'coredns:1.12',
      args: ['-conf', '/etc/coredns/Corefile'],
    });
    expect(strategic.metadata?.generation).toBe((before.metadata?.generation ?? 0) + 1);
    expect(Number(strategic.metadata?.resourceVersion)).toBeGreaterThan(Number(before.metadata?.resourceVersion));
  });

  it('honours dryRun=All: the answer shows the change, the store keeps the old object', async () => {
    const { core } = clients();
    const before = await core.readNamespacedConfigMap({ name: 'coredns', namespace: 'kube-system' });
    const dry = await core.patchNamespacedConfigMap(
      { name: 'coredns', namespace: 'kube-system', dryRun: 'All', body: { data: { Corefile: 'dry' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(dry.data?.Corefile).toBe('dry');
    await core.deleteNamespacedPod({ name: 'web-0', namespace: 'shop', dryRun: 'All' });
    await core.createNamespacedConfigMap({ namespace: 'shop', dryRun: 'All', body: { metadata: { name: 'ghost' } } });
    expect(await core.readNamespacedConfigMap({ name: 'coredns', namespace: 'kube-system' })).toEqual(before);
    expect((await core.readNamespacedPod({ name: 'web-0', namespace: 'shop' })).metadata?.name).toBe('web-0');
    expect((await apiError(core.readNamespacedConfigMap({ name: 'ghost', namespace: 'shop' }))).code).toBe(404);
  });

  it('creates, refuses duplicates and stale replaces, and deletes', async () => {
    const { core } = clients();
    const created = await core.createNamespacedConfigMap({
      namespace: 'shop',
      body: { metadata: { name: 'cfg' }, data: { a: '1' } },
    });
    expect(created.metadata?.uid).toBeTruthy();
    const dup = await apiError(
      core.createNamespacedConfigMap({ namespace: 'shop', body: { metadata: { name: 'cfg' } } }),
    );
    expect(statusOf(dup)).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
      message: 'configmaps "cfg" already exists',
    });
    await core.replaceNamespacedConfigMap({ name: 'cfg', namespace: 'shop', body: { ...created, data: { a: '2' } } });
    const stale = await apiError(
      core.replaceNamespacedConfigMap({ name: 'cfg', namespace: 'shop', body: { ...created, data: { a: '3' } } }),
    );
    expect(statusOf(stale)).toMatchObject({ code: 409, reason: 'Conflict' });
    const invalid = await apiError(
      core.createNamespacedConfigMap({ namespace: 'shop', body: { metadata: { name: 'Bad_Name' } } }),
    );
    expect(statusOf(invalid)).toMatchObject({ code: 422, reason: 'Invalid' });
    await core.deleteNamespacedConfigMap({ name: 'cfg', namespace: 'shop' });
    const gone = await apiError(core.readNamespacedConfigMap({ name: 'cfg', namespace: 'shop' }));
    expect(statusOf(gone)).toMatchObject({ code: 404, reason: 'NotFound', message: 'configmaps "cfg" not found' });
  });
});

describe('RBAC for the bot', () => {
  it('denies with the apiserver message, then allows once a ClusterRole is bound', async () => {
    const fresh = await startSandbox({ scenario: corednsLoopScenario() });
    try {
      const prev = sandbox;
      sandbox = fresh;
      const { core, authz } = clients('bot');
      const denied = await apiError(core.listNamespacedPod({ namespace: 'kube-system' }));
      expect(denied.code).toBe(403);
      expect(statusOf(denied)).toMatchObject({
        reason: 'Forbidden',
        message:
          'pods is forbidden: User "system:serviceaccount:netcheck:netcheck-bot" cannot list resource "pods" in API group "" in the namespace "kube-system"',
      });
      const clusterWide = await apiError(clients('bot').apps.listDaemonSetForAllNamespaces());
      expect(statusOf(clusterWide).message).toBe(
        'daemonsets.apps is forbidden: User "system:serviceaccount:netcheck:netcheck-bot" cannot list resource "daemonsets" in API group "apps" at the cluster scope',
      );
      const ssar = (resource: string, verb = 'list') =>
        authz.createSelfSubjectAccessReview({
          body: { spec: { resourceAttributes: { namespace: 'kube-system', verb, resource } } },
        });
      expect((await ssar('pods')).status?.allowed).toBe(false);

      fresh.apply(botReaderRbac());
      expect((await core.listNamespacedPod({ namespace: 'kube-system' })).items).toHaveLength(3);
      expect(await core.readNamespacedPodLog({ name: 'kube-proxy-x7k2p', namespace: 'kube-system' })).toContain(
        'iptables',
      );
      expect((await ssar('pods')).status?.allowed).toBe(true);
      expect((await ssar('pods', 'delete')).status?.allowed).toBe(false);
      const secrets = await apiError(core.listNamespacedSecret({ namespace: 'kube-system' }));
      expect(secrets.code).toBe(403);
      const rules = await authz.createSelfSubjectRulesReview({ body: { spec: { namespace: 'kube-system' } } });
      expect(rules.status?.resourceRules.some((r) => r.resources?.includes('pods/log'))).toBe(true);
      sandbox = prev;
    } finally {
      await fresh.close();
    }
  });

  it('lets the admin do anything', async () => {
    const review = await clients().authz.createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: { verb: 'delete', resource: 'nodes' } } },
    });
    expect(review.status?.allowed).toBe(true);
  });

  it('decodes escaped path segments, so names with a colon resolve like on a real apiserver', async () => {
    sandbox.apply([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'kubeadm:node-proxier' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node-proxier' },
        subjects: [{ kind: 'ServiceAccount', name: 'kube-proxy', namespace: 'kube-system' }],
      },
    ]);
    const res = await rawGet(
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/kubeadm%3Anode-proxier',
      sandbox.tokens.admin,
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).roleRef.name).toBe('system:node-proxier');
  });
});

describe('faults and latency', () => {
  beforeEach(() => sandbox.setFaults([]));

  it('answers injected 500 and 503 Status errors, only as many times as asked', async () => {
    sandbox.setFaults([
      { verb: 'LIST', path: '/nodes$', kind: 'status', status: 500, times: 1 },
      { verb: 'GET', path: '/configmaps/', kind: 'status', status: 503 },
    ]);
    const { core } = clients();
    const e500 = await apiError(core.listNode());
    expect(statusOf(e500)).toMatchObject({ kind: 'Status', code: 500, reason: 'InternalError' });
    expect((await core.listNode()).items).toHaveLength(1);
    const e503 = await apiError(core.readNamespacedConfigMap({ name: 'coredns', namespace: 'kube-system' }));
    expect(statusOf(e503)).toMatchObject({ code: 503, reason: 'ServiceUnavailable' });
  });

  it('rate-limits with 429 and a Retry-After header the client can read', async () => {
    sandbox.setFaults([{ verb: '*', kind: 'status', status: 429, retryAfterSeconds: 7 }]);
    const err = await apiError(clients().core.listNode());
    expect(err.code).toBe(429);
    expect(err.headers['retry-after']).toBe('7');
    expect(statusOf(err).reason).toBe('TooManyRequests');
  });

  it('hangs until the client gives up', async () => {
    sandbox.setFaults([{ path: '/nodes', kind: 'hang', times: 1 }]);
    const timeout = {
      middleware: [
        {
          pre: (c: RequestContext) => {
            c.setSignal(AbortSignal.timeout(300));
            return new Observable(Promise.resolve(c));
          },
          post: (r: ResponseContext) => new Observable(Promise.resolve(r)),
        },
      ],
      middlewareMergeStrategy: 'append' as const,
    };
    await expect(clients().core.listNode(undefined, timeout)).rejects.toThrow(/abort|timeout/i);
    expect(sandbox.requests.at(-1)).toMatchObject({ verb: 'LIST', path: '/api/v1/nodes', status: 0 });
  });

  it('drops hung requests when the sandbox closes', async () => {
    const sb = await startSandbox({ scenario: corednsLoopScenario(), faults: [{ kind: 'hang' }] });
    const kc = new KubeConfig();
    kc.loadFromString(sb.kubeconfig());
    const pending = kc
      .makeApiClient(CoreV1Api)
      .listNode()
      .then(
        () => 'answered',
        () => 'dropped',
      );
    while (sb.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    await sb.close();
    expect(await pending).toBe('dropped');
  });

  it('resets the connection', async () => {
    sandbox.setFaults([{ path: '/nodes', kind: 'reset', times: 1 }]);
    const err = await clients()
      .core.listNode()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ApiException);
    expect((await clients().core.listNode()).items).toHaveLength(1);
  });

  it('still answers correctly with latency configured', async () => {
    sandbox.setLatency({ fixedMs: 5, jitterMs: 5 });
    try {
      expect((await clients().core.listNode()).items).toHaveLength(1);
    } finally {
      sandbox.setLatency(undefined);
    }
  });
});

describe('reactions', () => {
  it('heals CoreDNS once the Corefile is fixed and the deployment restarted, and not before', async () => {
    const sb = await startSandbox({ scenario: corednsLoopScenario() });
    const prev = sandbox;
    sandbox = sb;
    try {
      const { core, apps } = clients();
      const podReady = async () =>
        (await core.readNamespacedPod({ name: 'coredns-668d6bf9bc-a', namespace: 'kube-system' })).status
          ?.containerStatuses?.[0]?.ready;
      const cm = await core.readNamespacedConfigMap({ name: 'coredns', namespace: 'kube-system' });
      const fixed = cm.data!.Corefile!.replace('proxy . /etc/resolv.conf', 'forward . 8.8.8.8');
      await core.patchNamespacedConfigMap(
        { name: 'coredns', namespace: 'kube-system', body: { data: { Corefile: fixed } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      expect(await podReady()).toBe(false); // fixed config alone is not picked up until a restart

      const restart = {
        spec: {
          template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } },
        },
      };
      // A dry run must not count as a restart.
      await apps.patchNamespacedDeployment(
        { name: 'coredns', namespace: 'kube-system', body: restart, dryRun: 'All' },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      expect(await podReady()).toBe(false);
      await apps.patchNamespacedDeployment(
        { name: 'coredns', namespace: 'kube-system', body: restart },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      expect(await podReady()).toBe(true);
      expect(await core.readNamespacedPodLog({ name: 'coredns-668d6bf9bc-a', namespace: 'kube-system' })).not.toContain(
        'Loop',
      );
    } finally {
      sandbox = prev;
      await sb.close();
    }
  });

  it('counts deleting a workload pod as a restart', async () => {
    const sb = await startSandbox({ scenario: corednsLoopScenario() });
    const prev = sandbox;
    sandbox = sb;
    try {
      const { core } = clients();
      await core.deleteNamespacedPod({ name: 'coredns-668d6bf9bc-b', namespace: 'kube-system' });
      expect(
        (await core.readNamespacedPod({ name: 'coredns-668d6bf9bc-a', namespace: 'kube-system' })).status
          ?.containerStatuses?.[0]?.ready,
      ).toBe(false);
      await core.patchNamespacedConfigMap(
        {
          name: 'coredns',
          namespace: 'kube-system',
          body: { data: { Corefile: '.:53 {\n    forward . 1.1.1.1\n}\n' } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      expect(
        (await core.readNamespacedPod({ name: 'coredns-668d6bf9bc-a', namespace: 'kube-system' })).status
          ?.containerStatuses?.[0]?.ready,
      ).toBe(true);
    } finally {
      sandbox = prev;
      await sb.close();
    }
  });
});
