// Finds and loads a kubeconfig the way kubectl does: --kubeconfig, then the first KUBECONFIG entry, then ~/.kube/config.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { type KubeConnectionConfig, parseLiteKubeConfig } from './kubeconfig-lite.ts';

export interface LoadedKubeConfig {
  /** The lite reader's config for plain token/certificate kubeconfigs, client-node's KubeConfig for the rest. */
  kc: KubeConnectionConfig;
  clusterName: string;
  server: string;
  user: string;
}

export function resolveKubeConfigPath(opts: { kubeconfigPath?: string; env?: NodeJS.ProcessEnv }): string {
  if (opts.kubeconfigPath) return opts.kubeconfigPath;
  const env = opts.env ?? process.env;
  // kubectl merges every KUBECONFIG entry; we read the first, which is where kubectl writes and usually all there is.
  const first = (env.KUBECONFIG ?? '').split(delimiter).find((p) => p.trim() !== '');
  if (first) return first;
  return join(env.HOME || homedir(), '.kube', 'config');
}

export async function loadKubeConfig(opts: {
  kubeconfigPath?: string;
  context?: string;
  env?: NodeJS.ProcessEnv;
}): Promise<LoadedKubeConfig> {
  const path = resolveKubeConfigPath(opts);
  if (!existsSync(path)) throw new Error(`kubeconfig ${path} not found`);
  let kc: KubeConnectionConfig | undefined;
  try {
    kc = parseLiteKubeConfig(readFileSync(path, 'utf8'), path) ?? (await loadWithClientNode(path));
  } catch (error) {
    throw new Error(`cannot read kubeconfig ${path}: ${oneLine(error)}`);
  }
  if (opts.context) {
    const known = kc.getContexts().map((c) => c.name);
    if (!known.includes(opts.context)) {
      throw new Error(`context "${opts.context}" not found in ${path}; known: ${known.join(', ') || '(none)'}`);
    }
    kc.setCurrentContext(opts.context);
  }
  const current = kc.getCurrentContext();
  if (current && !kc.getContextObject(current)) {
    const known = kc.getContexts().map((c) => c.name);
    throw new Error(
      `current-context "${current}" in ${path} names a context that does not exist; known contexts: ${
        known.join(', ') || '(none)'
      } (pass --context NAME or fix current-context)`,
    );
  }
  if (!current || !kc.getContextObject(current)) {
    throw new Error(
      `kubeconfig ${path} has no current context; pass --context (known: ${
        kc
          .getContexts()
          .map((c) => c.name)
          .join(', ') || '(none)'
      })`,
    );
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`context "${current}" in ${path} names a cluster that is not defined`);
  const user = kc.getCurrentUser() as { name?: string; exec?: { command?: string } } | null;
  const command = user?.exec?.command;
  if (command && !findExecutable(command, opts.env ?? process.env)) {
    throw new Error(
      `the kubeconfig user "${user?.name ?? ''}" authenticates with the exec plugin "${command}", which is not installed ` +
        `(not found${command.includes('/') ? '' : ' on PATH'}); it is an auth plugin, not a network failure: install it or fix users[].user.exec.command in ${path}`,
    );
  }
  return { kc, clusterName: cluster.name, server: cluster.server, user: kc.getCurrentUser()?.name ?? '' };
}

/** A YAML error carries a code frame over several lines; the first line says what and where. */
function oneLine(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  const first = message.split('\n')[0]!.trim();
  const yaml = (error as { name?: string })?.name?.startsWith('YAML') || /\(\d+:\d+\)$/.test(first);
  if (!yaml) return first;
  return `not valid YAML: ${first.replace(/\s*\((\d+):(\d+)\)$/, ' at line $1, column $2')}`;
}

/** Whether an exec plugin's command can be run: a path that exists, or a name found on PATH (as kubectl resolves it). */
function findExecutable(command: string, env: NodeJS.ProcessEnv): boolean {
  const isFile = (p: string) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (command.includes('/') || command.includes('\\')) return isFile(isAbsolute(command) ? command : resolve(command));
  const exts = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  return (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .some((dir) => exts.some((ext) => isFile(join(dir, command + ext))));
}

/**
 * Exec plugins, auth providers, proxies: client-node's KubeConfig, imported only when needed (it is slow to load; in
 * the built CLI it is a chunk of its own that the common path never reads).
 */
async function loadWithClientNode(path: string): Promise<KubeConfig> {
  const { KubeConfig } = await import('./client-node-kubeconfig.ts');
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}
