// The lite kubeconfig reader: plain token and certificate kubeconfigs without loading client-node, and a clean
// hand-over to client-node for everything else.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKubeConfig } from './kubeconfig.ts';
import { parseLiteKubeConfig } from './kubeconfig-lite.ts';

const dir = mkdtempSync(join(tmpdir(), 'netcheck-lite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function config(cluster: string[], user: string[]): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: lab',
    '  cluster:',
    ...cluster.map((l) => `    ${l}`),
    'users:',
    '- name: bot',
    '  user:',
    ...user.map((l) => `    ${l}`),
    'contexts:',
    '- name: lab',
    '  context:',
    '    cluster: lab',
    '    user: bot',
    '    namespace: kube-system',
    'current-context: lab',
  ].join('\n');
}

async function applied(kc: NonNullable<ReturnType<typeof parseLiteKubeConfig>>): Promise<RequestOptions> {
  const opts: RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  return opts;
}

describe('parseLiteKubeConfig', () => {
  it('reads a token user and an inline CA', async () => {
    const text = config(
      ['server: https://127.0.0.1:6443', `certificate-authority-data: ${Buffer.from(CA).toString('base64')}`],
      ['token: s3cret'],
    );
    const kc = parseLiteKubeConfig(text, join(dir, 'config'))!;
    expect(kc.getCurrentCluster()).toMatchObject({ name: 'lab', server: 'https://127.0.0.1:6443' });
    expect(kc.getCurrentUser()?.name).toBe('bot');
    const opts = await applied(kc);
    expect(String(opts.ca)).toBe(CA);
    expect(opts.headers).toEqual({ Authorization: 'Bearer s3cret' });
    expect(opts.rejectUnauthorized).toBeUndefined();
  });

  it('resolves file paths next to the kubeconfig and re-reads a token file on every request', async () => {
    writeFileSync(join(dir, 'ca.crt'), CA);
    writeFileSync(join(dir, 'token'), 'first\n');
    const text = config(
      ['server: https://127.0.0.1:6443', 'certificate-authority: ca.crt', 'insecure-skip-tls-verify: true'],
      ['tokenFile: token'],
    );
    const kc = parseLiteKubeConfig(text, join(dir, 'config'))!;
    const opts = await applied(kc);
    expect(String(opts.ca)).toBe(CA);
    expect(opts.rejectUnauthorized).toBe(false);
    expect(opts.headers).toEqual({ Authorization: 'Bearer first' });
    writeFileSync(join(dir, 'token'), 'rotated\n');
    expect((await applied(kc)).headers).toEqual({ Authorization: 'Bearer rotated' });
  });

  it('declines exec plugins, auth providers and proxies', () => {
    const exec = ['exec:', '  apiVersion: client.authentication.k8s.io/v1beta1', '  command: aws'];
    expect(parseLiteKubeConfig(config(['server: https://h'], exec), 'x')).toBeUndefined();
    expect(parseLiteKubeConfig(config(['server: https://h'], ['auth-provider:', '  name: oidc']), 'x')).toBeUndefined();
    expect(
      parseLiteKubeConfig(config(['server: https://h', 'proxy-url: http://p:3128'], ['token: t']), 'x'),
    ).toBeUndefined();
    expect(parseLiteKubeConfig('clusters: [', 'x')).toBeUndefined();
  });
});

describe('loadKubeConfig', () => {
  it('hands kubeconfigs the lite reader declines to client-node', async () => {
    const path = join(dir, 'exec.yaml');
    writeFileSync(
      path,
      config(
        ['server: https://127.0.0.1:6443'],
        // An installed binary: a missing one is refused before any request (see test/cli-faults.test.ts).
        ['exec:', '  apiVersion: client.authentication.k8s.io/v1beta1', `  command: ${process.execPath}`],
      ),
    );
    const loaded = await loadKubeConfig({ kubeconfigPath: path, env: {} });
    expect(loaded.kc).toBeInstanceOf(KubeConfig);
    expect(loaded).toMatchObject({ clusterName: 'lab', server: 'https://127.0.0.1:6443', user: 'bot' });
  });

  it('keeps plain kubeconfigs on the lite reader', async () => {
    const path = join(dir, 'plain.yaml');
    writeFileSync(path, config(['server: https://127.0.0.1:6443'], ['token: t']));
    expect((await loadKubeConfig({ kubeconfigPath: path, env: {} })).kc).not.toBeInstanceOf(KubeConfig);
  });
});
