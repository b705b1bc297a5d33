// The client-node ClusterReader against the sandbox API server over verified HTTPS on 127.0.0.1.
import { createServer } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClusterError } from '../engine/cluster-reader.ts';
import { loadScenario } from '../sandbox/scenarios.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { createKubeReader, identityFromMessage } from './k8s-reader.ts';
import { parseLiteKubeConfig } from './kubeconfig-lite.ts';

let sandbox: Sandbox;
const BOT = 'system:serviceaccount:netcheck:netcheck-bot';

function reader(options: Parameters<typeof createKubeReader>[1] = {}, user: 'admin' | 'bot' = 'bot') {
  const kc = new KubeConfig();
  kc.loadFromString(sandbox.kubeconfig(user));
  return createKubeReader(kc, { timeoutMs: 3000, ...options });
}

async function failure(p: Promise<unknown>): Promise<ClusterError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof ClusterError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: await loadScenario('kube-proxy-config-path') });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(() => {
  sandbox.setFaults([]);
  sandbox.resetRequests();
});

describe('lists', () => {
  it('follows continue tokens, one counted request per page', async () => {
    const r = reader({ pageSize: 2 });
    const pods = await r.list('pods', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-proxy' });
    expect(pods.map((p) => p.metadata.name).sort()).toEqual([
      'kube-proxy-2kx9v',
      'kube-proxy-7qpdl',
      'kube-proxy-hz5ln',
    ]);
    const pages = sandbox.requests.filter((q) => q.path === '/api/v1/namespaces/kube-system/pods');
    expect(pages).toHaveLength(2);
    expect(pages[0]!.query).toContain('limit=2');
    expect(pages[1]!.query).toContain('continue=');
    expect(r.requestCount).toBe(2);
  });

  it('with `limit`, reads the first page only', async () => {
    const r = reader({ pageSize: 2 });
    const pods = await r.list('pods', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-proxy', limit: 1 });
    expect(pods).toHaveLength(1);
    expect(r.requestCount).toBe(1);
  });

  it('returns wire JSON: timestamps stay RFC 3339 strings, list items keep their fields', async () => {
    const [pod] = await reader().list('pods', {
      namespace: 'kube-system',
      fieldSelector: 'metadata.name=kube-proxy-2kx9v',
    });
    expect(typeof pod!.metadata.creationTimestamp).toBe('string');
    expect(pod!.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(pod!.status.containerStatuses[0].lastState.terminated.finishedAt).toBe('2026-11-27T06:15:20Z');
    expect(JSON.parse(JSON.stringify(pod))).toEqual(pod);
  });

  it('lists cluster-scoped and all-namespace resources', async () => {
    const r = reader();
    expect((await r.list('nodes')).length).toBeGreaterThan(0);
    const events = await r.list('events', { fieldSelector: 'reason=BackOff' });
    expect(events.map((e) => e.involvedObject.name)).toContain('kube-proxy-7qpdl');
  });
});

describe('connections', () => {
  it('reuses one kept-alive TLS connection for sequential calls', async () => {
    const r = reader();
    await r.list('nodes');
    await r.get('configmaps', 'kube-proxy', 'kube-system');
    await r.list('pods', { namespace: 'kube-system', limit: 1 });
    expect(r.requestCount).toBe(3);
    expect(sandbox.connections).toBe(1);
  });

  it('works from the lite kubeconfig, with the CA verified', async () => {
    const r = createKubeReader(parseLiteKubeConfig(sandbox.kubeconfig('bot'), '/nowhere/config')!, { timeoutMs: 3000 });
    expect((await r.list('nodes')).length).toBeGreaterThan(0);
    const untrusted = parseLiteKubeConfig(
      sandbox.kubeconfig('bot').replace(/certificate-authority-data: .*/, ''),
      '/nowhere/config',
    )!;
    expect((await failure(createKubeReader(untrusted, { timeoutMs: 3000 }).list('nodes'))).kind).toBe('unreachable');
  });
});

describe('get and logs', () => {
  it('gets an object, and null for a 404', async () => {
    const r = reader();
    expect((await r.get('configmaps', 'kube-proxy', 'kube-system'))?.data['config.conf']).toContain(
      'KubeProxyConfiguration',
    );
    expect(await r.get('configmaps', 'no-such-thing', 'kube-system')).toBeNull();
    expect(r.requestCount).toBe(2);
  });

  it('reads current and previous container logs', async () => {
    const r = reader();
    const previous = await r.logs('kube-system', 'kube-proxy-2kx9v', {
      container: 'kube-proxy',
      previous: true,
      tailLines: 200,
      limitBytes: 65536,
    });
    expect(previous).toContain(
      'failed complete: open /var/lib/kube-proxy/configuration.conf: no such file or directory',
    );
    const log = sandbox.requests.find((q) => q.path.endsWith('/pods/kube-proxy-2kx9v/log'))!;
    expect(log.query).toContain('previous=true');
    expect(log.query).toContain('tailLines=200');
    expect(log.query).toContain('limitBytes=65536');
  });
});

describe('errors', () => {
  it('maps a 403 to forbidden with the identity from the Status message', async () => {
    const restricted = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'netcheck-reader' },
      rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }],
    };
    const local = await startSandbox({ scenario: await loadScenario('kubeadm-calico') });
    try {
      local.apply([restricted]);
      const kc = new KubeConfig();
      kc.loadFromString(local.kubeconfig('bot'));
      const r = createKubeReader(kc, { timeoutMs: 3000 });
      const error = await failure(r.list('pods', { namespace: 'kube-system' }));
      expect(error.kind).toBe('forbidden');
      expect(error.status).toBe(403);
      expect(error.identity).toBe(BOT);
      expect(error.describe()).toBe(`cannot list pods in kube-system as ${BOT} (403)`);
      expect(r.identity).toBe(BOT);
    } finally {
      await local.close();
    }
  });

  it('maps a 401 to unauthorized', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(sandbox.kubeconfig('bot').replace(sandbox.tokens.bot, 'not-a-valid-token'));
    const error = await failure(createKubeReader(kc).list('nodes'));
    expect(error.kind).toBe('unauthorized');
    expect(error.status).toBe(401);
  });

  it('gives up after the per-request timeout', async () => {
    sandbox.setFaults([{ kind: 'hang', path: '/api/v1/namespaces/kube-system/pods$' }]);
    const error = await failure(reader({ timeoutMs: 300 }).list('pods', { namespace: 'kube-system' }));
    expect(error.kind).toBe('timeout');
    expect(error.describe()).toBe('timed out trying to list pods in kube-system');
  });

  it('retries a 429 once, honouring Retry-After', async () => {
    sandbox.setFaults([{ kind: 'status', status: 429, retryAfterSeconds: 1, times: 1, path: '/api/v1/nodes$' }]);
    const r = reader();
    expect((await r.list('nodes')).length).toBeGreaterThan(0);
    expect(r.requestCount).toBe(2);
  });

  it('retries a 503 once and never more', async () => {
    sandbox.setFaults([{ kind: 'status', status: 503, path: '/api/v1/nodes$' }]);
    const r = reader();
    const error = await failure(r.list('nodes'));
    expect([error.kind, error.status]).toEqual(['server-error', 503]);
    expect(r.requestCount).toBe(2);
  });

  it('does not retry a 500', async () => {
    sandbox.setFaults([{ kind: 'status', status: 500, path: '/api/v1/nodes$' }]);
    const r = reader();
    expect((await failure(r.list('nodes'))).kind).toBe('server-error');
    expect(r.requestCount).toBe(1);
  });

  it('maps a dropped connection and a refused one to unreachable', async () => {
    sandbox.setFaults([{ kind: 'reset', path: '/api/v1/nodes$' }]);
    expect((await failure(reader().list('nodes'))).kind).toBe('unreachable');

    // A port that nothing listens on any more.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const kc = new KubeConfig();
    kc.loadFromString(sandbox.kubeconfig('bot').replace(new URL(sandbox.url).port, String(port)));
    const refused = await failure(createKubeReader(kc, { timeoutMs: 2000 }).list('nodes'));
    expect(refused.kind).toBe('unreachable');
    expect(refused.describe()).toContain('could not reach the API server to list nodes');
  });
});

describe('identityFromMessage', () => {
  it('reads the user from an apiserver forbidden message', () => {
    expect(identityFromMessage('pods is forbidden: User "system:serviceaccount:a:b" cannot list resource "pods"')).toBe(
      'system:serviceaccount:a:b',
    );
    expect(identityFromMessage('nope')).toBeUndefined();
  });
});
