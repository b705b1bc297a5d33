import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKubeConfig, resolveKubeConfigPath } from './kubeconfig.ts';

const dir = mkdtempSync(join(tmpdir(), 'netcheck-kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kubeconfig(
  file: string,
  contexts: { name: string; cluster: string; server: string }[],
  current?: string,
): string {
  const path = join(dir, file);
  const yaml = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    ...contexts.flatMap((c) => [`- name: ${c.cluster}`, '  cluster:', `    server: ${c.server}`]),
    'users:',
    '- name: alice',
    '  user:',
    '    token: t0ken',
    'contexts:',
    ...contexts.flatMap((c) => [`- name: ${c.name}`, '  context:', `    cluster: ${c.cluster}`, '    user: alice']),
    `current-context: ${current ?? contexts[0]?.name ?? ''}`,
  ].join('\n');
  writeFileSync(path, yaml);
  return path;
}

const a = kubeconfig('a.yaml', [
  { name: 'lab', cluster: 'lab-cluster', server: 'https://127.0.0.1:6443' },
  { name: 'prod', cluster: 'prod-cluster', server: 'https://127.0.0.1:7443' },
]);
const b = kubeconfig('b.yaml', [{ name: 'other', cluster: 'other-cluster', server: 'https://127.0.0.1:8443' }]);

describe('kubeconfig resolution (kubectl order)', () => {
  it('prefers --kubeconfig, then the first KUBECONFIG entry, then ~/.kube/config', () => {
    const env = { KUBECONFIG: `${b}${delimiter}${a}`, HOME: '/home/x' };
    expect(resolveKubeConfigPath({ kubeconfigPath: a, env })).toBe(a);
    expect(resolveKubeConfigPath({ env })).toBe(b);
    expect(resolveKubeConfigPath({ env: { HOME: '/home/x' } })).toBe(join('/home/x', '.kube', 'config'));
  });

  it('loads ~/.kube/config from HOME', async () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.kube'), { recursive: true });
    writeFileSync(
      join(home, '.kube', 'config'),
      `apiVersion: v1\nkind: Config\nclusters:\n- name: h\n  cluster:\n    server: https://127.0.0.1:9443\ncontexts:\n- name: h\n  context:\n    cluster: h\n    user: u\nusers:\n- name: u\n  user:\n    token: x\ncurrent-context: h\n`,
    );
    expect((await loadKubeConfig({ env: { HOME: home } })).server).toBe('https://127.0.0.1:9443');
  });
});

describe('loadKubeConfig', () => {
  it('uses the current context, or the one asked for', async () => {
    await expect(loadKubeConfig({ kubeconfigPath: a, env: {} })).resolves.toMatchObject({
      clusterName: 'lab-cluster',
      server: 'https://127.0.0.1:6443',
      user: 'alice',
    });
    await expect(loadKubeConfig({ kubeconfigPath: a, context: 'prod', env: {} })).resolves.toMatchObject({
      clusterName: 'prod-cluster',
      server: 'https://127.0.0.1:7443',
    });
  });

  it('names the known contexts when the context does not exist', async () => {
    await expect(loadKubeConfig({ kubeconfigPath: a, context: 'staging', env: {} })).rejects.toThrow(
      `context "staging" not found in ${a}; known: lab, prod`,
    );
  });

  it('says which file is missing', async () => {
    const missing = join(dir, 'nope.yaml');
    await expect(loadKubeConfig({ kubeconfigPath: missing, env: {} })).rejects.toThrow(
      `kubeconfig ${missing} not found`,
    );
  });
});
