import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localAwsClientConfig } from '#test/fakes/aws-local.ts';
import { type SecretsManagerFake, startSecretsManagerFake } from '#test/fakes/secrets-manager.ts';
import { createSecretStore, type SecretStore } from '../aws/secrets.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import type { Scenario } from '../sandbox/types.ts';
import { type ClusterTarget, createClusterConnector } from './connect.ts';
import { createKubeReader } from './k8s-reader.ts';

const CA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');
// A service-account-shaped JWT (header.payload.signature); only the payload's `sub` matters here.
const SA_TOKEN = [
  Buffer.from('{"alg":"RS256"}').toString('base64url'),
  Buffer.from('{"sub":"system:serviceaccount:netcheck:netcheck-bot"}').toString('base64url'),
  'c2lnbmF0dXJl',
].join('.');

const kubeconfigYaml = `
apiVersion: v1
kind: Config
clusters:
  - name: blue
    cluster: { server: https://blue.example:6443, certificate-authority-data: ${CA} }
  - name: green
    cluster: { server: https://green.example:6443, certificate-authority-data: ${CA} }
users:
  - name: reader
    user: { token: kubeconfig-token }
contexts:
  - name: blue
    context: { cluster: blue, user: reader }
  - name: green
    context: { cluster: green, user: reader }
current-context: blue
`;

const emptyScenario: Scenario = {
  name: 't',
  description: '',
  expect: { critical: [], warning: [] },
  objects: [],
  logs: {},
  reactions: [],
};

let fake: SecretsManagerFake;
let client: SecretsManagerClient;
let secrets: SecretStore;
let sandbox: Sandbox;

beforeAll(async () => {
  [fake, sandbox] = await Promise.all([startSecretsManagerFake({}), startSandbox({ scenario: emptyScenario })]);
  client = new SecretsManagerClient(localAwsClientConfig(fake.endpoint));
});
afterAll(async () => {
  client.destroy();
  await Promise.all([fake.close(), sandbox.close()]);
});
beforeEach(() => {
  fake.calls.length = 0;
  secrets = createSecretStore({ client });
  fake.set(
    'netcheck/test/staging',
    JSON.stringify({ server: 'https://staging.example:6443', caData: CA, token: SA_TOKEN }),
  );
  fake.set('netcheck/test/kubeconfig', kubeconfigYaml);
});

const tokenCluster: ClusterTarget = {
  name: 'staging',
  auth: { type: 'token-secret', secretId: 'netcheck/test/staging' },
};

describe('createClusterConnector', () => {
  it('builds a CA-verified bearer-token KubeConfig from a token secret', async () => {
    const { kc, server, identity } = await createClusterConnector({ secrets }).connect(tokenCluster);
    expect(server).toBe('https://staging.example:6443');
    expect(kc.getCurrentCluster()).toMatchObject({ server, caData: CA, skipTLSVerify: false });
    expect(kc.getCurrentUser()?.token).toBe(SA_TOKEN);
    expect(identity).toBe('system:serviceaccount:netcheck:netcheck-bot');
  });

  it('lists namespaces over HTTPS with a token secret pointing at a real API server', async () => {
    fake.set(
      'netcheck/test/sandbox',
      JSON.stringify({
        server: sandbox.url,
        caData: Buffer.from(sandbox.caPem).toString('base64'),
        token: sandbox.tokens.admin,
      }),
    );
    const { kc } = await createClusterConnector({ secrets }).connect({
      name: 'sandbox',
      auth: { type: 'token-secret', secretId: 'netcheck/test/sandbox' },
    });
    const namespaces = await createKubeReader(kc).list('namespaces');
    expect(namespaces.map((n) => n.metadata.name)).toContain('kube-system');
    expect(sandbox.requests.at(-1)).toMatchObject({ verb: 'LIST', path: '/api/v1/namespaces', status: 200 });
  });

  it('refuses a server whose certificate is not signed by the configured CA', async () => {
    fake.set(
      'netcheck/test/wrong-ca',
      JSON.stringify({ server: sandbox.url, caData: CA, token: sandbox.tokens.admin }),
    );
    const { kc } = await createClusterConnector({ secrets }).connect({
      name: 'wrong-ca',
      auth: { type: 'token-secret', secretId: 'netcheck/test/wrong-ca' },
    });
    const error = await createKubeReader(kc)
      .list('namespaces')
      .catch((e: unknown) => e);
    expect((error as { kind?: string }).kind).toBe('unreachable');
    expect((error as Error).message).toMatch(/^unable to verify the first certificate/);
    expect(
      sandbox.requests.filter((r) => r.user === 'kubernetes-admin' && r.path === '/api/v1/namespaces'),
    ).toHaveLength(1);
  });

  it('names the missing fields of a token secret without quoting it', async () => {
    fake.set('netcheck/test/staging', JSON.stringify({ server: 'https://x.example', token: 'tok-secret-value' }));
    await expect(createClusterConnector({ secrets }).connect(tokenCluster)).rejects.toThrow(
      'cluster "staging": secret "netcheck/test/staging" is missing or has invalid caData',
    );
    fake.set('netcheck/test/staging', 'tok-secret-value');
    secrets.invalidate();
    const error = (await createClusterConnector({ secrets })
      .connect(tokenCluster)
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('cluster "staging": secret "netcheck/test/staging" is not JSON');
  });

  it('reuses the connection while the secret is unchanged and rebuilds it after a rotation', async () => {
    const connector = createClusterConnector({ secrets });
    const first = await connector.connect(tokenCluster);
    expect(await connector.connect(tokenCluster)).toBe(first);
    expect(fake.calls).toHaveLength(1);

    fake.set(
      'netcheck/test/staging',
      JSON.stringify({ server: 'https://staging.example:6443', caData: CA, token: 'new' }),
    );
    connector.invalidate('staging'); // what the worker does after a 401
    const second = await connector.connect(tokenCluster);
    expect(second).not.toBe(first);
    expect(second.kc.getCurrentUser()?.token).toBe('new');
  });

  it('loads a kubeconfig secret and selects the configured context', async () => {
    const connector = createClusterConnector({ secrets });
    const blue = await connector.connect({
      name: 'blue',
      auth: { type: 'kubeconfig-secret', secretId: 'netcheck/test/kubeconfig' },
    });
    expect(blue.server).toBe('https://blue.example:6443');
    const green = await connector.connect({
      name: 'green',
      auth: { type: 'kubeconfig-secret', secretId: 'netcheck/test/kubeconfig', context: 'green' },
    });
    expect(green.server).toBe('https://green.example:6443');
    expect(green.kc.getCurrentUser()?.token).toBe('kubeconfig-token');
    expect(green.identity).toBe('user reader from secret netcheck/test/kubeconfig');
  });

  it('names the available contexts when the configured one is missing', async () => {
    await expect(
      createClusterConnector({ secrets }).connect({
        name: 'red',
        auth: { type: 'kubeconfig-secret', secretId: 'netcheck/test/kubeconfig', context: 'red' },
      }),
    ).rejects.toThrow(
      'cluster "red": context "red" is not in kubeconfig secret "netcheck/test/kubeconfig" (contexts: blue, green)',
    );
  });

  it('connects to EKS with a fresh token and rebuilds the KubeConfig when the token is refreshed', async () => {
    let token = 'k8s-aws-v1.first';
    const connector = createClusterConnector({
      secrets,
      eksToken: (auth) => {
        expect(auth).toMatchObject({ clusterName: 'prod-eks', region: 'eu-west-1' });
        return { getToken: async () => token };
      },
    });
    const prod: ClusterTarget = {
      name: 'prod',
      auth: {
        type: 'eks',
        clusterName: 'prod-eks',
        region: 'eu-west-1',
        endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
        caData: CA,
      },
    };
    const first = await connector.connect(prod);
    expect(first.server).toBe('https://ABC.gr7.eu-west-1.eks.amazonaws.com');
    expect(first.kc.getCurrentCluster()).toMatchObject({ caData: CA, skipTLSVerify: false });
    expect(first.kc.getCurrentUser()?.token).toBe('k8s-aws-v1.first');
    expect(await connector.connect(prod)).toBe(first);

    token = 'k8s-aws-v1.second';
    const second = await connector.connect(prod);
    expect(second.kc.getCurrentUser()?.token).toBe('k8s-aws-v1.second');
    expect(fake.calls).toEqual([]); // EKS needs no secret
  });

  it('asks eks:DescribeCluster once for an EKS cluster configured without endpoint and CA', async () => {
    let describes = 0;
    const connector = createClusterConnector({
      secrets,
      eksToken: () => ({ getToken: async () => 'k8s-aws-v1.t' }),
      describeCluster: async () => {
        describes++;
        return { endpoint: 'https://described.example', caData: CA };
      },
    });
    const prod: ClusterTarget = { name: 'prod', auth: { type: 'eks', clusterName: 'prod-eks', region: 'eu-west-1' } };
    expect((await connector.connect(prod)).server).toBe('https://described.example');
    await connector.connect(prod);
    expect(describes).toBe(1);
  });

  it('explains what is missing when EKS endpoint and CA are neither configured nor describable', async () => {
    const connector = createClusterConnector({ secrets, eksToken: () => ({ getToken: async () => 't' }) });
    await expect(
      connector.connect({ name: 'prod', auth: { type: 'eks', clusterName: 'prod-eks', region: 'eu-west-1' } }),
    ).rejects.toThrow('cluster "prod": eks auth needs endpoint and caData (eks:DescribeCluster is not set up)');
  });
});
