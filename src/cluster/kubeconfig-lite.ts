// A kubeconfig reader for the common cases (token, token file, client certificate, CA), so a CLI run does not
// load @kubernetes/client-node: its generated APIs take hundreds of milliseconds and ~60 MB to load. Anything it
// does not understand (exec plugins, auth providers, proxies, basic auth, impersonation) returns undefined and the
// caller falls back to client-node's KubeConfig, which implements the same methods.
import { readFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { dirname, isAbsolute, join } from 'node:path';
import { parseFullYaml } from '../engine/objects/full-yaml.ts';
import { parseSimpleYaml } from '../engine/objects/simple-yaml.ts';

/** What the reader and the CLI use of a kubeconfig; client-node's KubeConfig satisfies it too. */
export interface KubeConnectionConfig {
  getContexts(): { name: string; cluster: string; user: string }[];
  getCurrentContext(): string;
  setCurrentContext(name: string): void;
  getContextObject(name: string): { name: string; cluster: string; user: string } | null;
  getCurrentCluster(): {
    name: string;
    server: string;
    proxyUrl?: string;
    caData?: string;
    skipTLSVerify?: boolean;
  } | null;
  getCurrentUser(): { name: string; token?: string } | null;
  /** Adds CA, client certificate, TLS options and the Authorization header. */
  applyToHTTPSOptions(opts: RequestOptions): Promise<void>;
}

interface LiteCluster {
  name: string;
  server: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  tlsServerName?: string;
}

interface LiteUser {
  name: string;
  token?: string;
  tokenFile?: string;
  certData?: string;
  certFile?: string;
  keyData?: string;
  keyFile?: string;
}

const CLUSTER_KEYS = new Set([
  'server',
  'certificate-authority',
  'certificate-authority-data',
  'insecure-skip-tls-verify',
  'tls-server-name',
  'extensions',
]);
const USER_KEYS = new Set([
  'token',
  'tokenFile',
  'client-certificate',
  'client-certificate-data',
  'client-key',
  'client-key-data',
  'extensions',
]);

type Named = { name?: unknown; [key: string]: unknown };

function entries(value: unknown): Named[] | undefined {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) && value.every((e) => e && typeof e === 'object') ? (value as Named[]) : undefined;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

class LiteKubeConfig implements KubeConnectionConfig {
  readonly contexts: { name: string; cluster: string; user: string }[];
  readonly clusters: LiteCluster[];
  readonly users: LiteUser[];
  currentContext: string;

  constructor(
    contexts: LiteKubeConfig['contexts'],
    clusters: LiteCluster[],
    users: LiteUser[],
    currentContext: string,
  ) {
    this.contexts = contexts;
    this.clusters = clusters;
    this.users = users;
    this.currentContext = currentContext;
  }

  getContexts() {
    return this.contexts;
  }
  getCurrentContext() {
    return this.currentContext;
  }
  setCurrentContext(name: string) {
    this.currentContext = name;
  }
  getContextObject(name: string) {
    return this.contexts.find((c) => c.name === name) ?? null;
  }
  getCurrentCluster(): LiteCluster | null {
    const context = this.getContextObject(this.currentContext);
    return (context && this.clusters.find((c) => c.name === context.cluster)) ?? null;
  }
  getCurrentUser(): LiteUser | null {
    const context = this.getContextObject(this.currentContext);
    return (context && this.users.find((u) => u.name === context.user)) ?? null;
  }

  async applyToHTTPSOptions(opts: RequestOptions): Promise<void> {
    const cluster = this.getCurrentCluster();
    const user = this.getCurrentUser();
    if (cluster?.skipTLSVerify) opts.rejectUnauthorized = false;
    if (cluster?.tlsServerName) opts.servername = cluster.tlsServerName;
    const ca = material(cluster?.caFile, cluster?.caData);
    if (ca) opts.ca = ca;
    const cert = material(user?.certFile, user?.certData);
    if (cert) opts.cert = cert;
    const key = material(user?.keyFile, user?.keyData);
    if (key) opts.key = key;
    // A token file is re-read on every request: projected service-account tokens rotate underneath us.
    const token = user?.token ?? (user?.tokenFile ? readFileSync(user.tokenFile, 'utf8').trim() : undefined);
    if (token) opts.headers = { ...opts.headers, Authorization: `Bearer ${token}` };
  }
}

function material(file: string | undefined, data: string | undefined): Buffer | undefined {
  if (file) return readFileSync(file);
  if (data) return Buffer.from(data, 'base64');
  return undefined;
}

/**
 * Parses a kubeconfig the lite reader fully understands, or returns undefined (unsupported auth, or anything
 * unexpected, including YAML errors, which the full loader then reports in its own words).
 */
export function parseLiteKubeConfig(text: string, path: string): KubeConnectionConfig | undefined {
  let doc: { clusters?: unknown; users?: unknown; contexts?: unknown; 'current-context'?: unknown };
  try {
    doc = (parseSimpleYaml(text) ?? parseFullYaml(text)) as typeof doc;
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object') return undefined;
  const clustersIn = entries(doc.clusters);
  const usersIn = entries(doc.users);
  const contextsIn = entries(doc.contexts);
  if (!clustersIn || !usersIn || !contextsIn) return undefined;
  const resolve = (file: string | undefined) => (file && !isAbsolute(file) ? join(dirname(path), file) : file);

  const clusters: LiteCluster[] = [];
  for (const entry of clustersIn) {
    const c = entry.cluster as Record<string, unknown> | undefined;
    const name = str(entry.name);
    if (!name || !c || typeof c !== 'object' || !str(c.server)) return undefined;
    if (Object.keys(c).some((k) => !CLUSTER_KEYS.has(k))) return undefined;
    clusters.push({
      name,
      server: str(c.server)!,
      caData: str(c['certificate-authority-data']),
      caFile: resolve(str(c['certificate-authority'])),
      skipTLSVerify: c['insecure-skip-tls-verify'] === true,
      tlsServerName: str(c['tls-server-name']),
    });
  }
  const users: LiteUser[] = [];
  for (const entry of usersIn) {
    const u = (entry.user ?? {}) as Record<string, unknown>;
    const name = str(entry.name);
    if (!name || typeof u !== 'object') return undefined;
    if (Object.keys(u).some((k) => !USER_KEYS.has(k))) return undefined;
    users.push({
      name,
      token: str(u.token),
      tokenFile: resolve(str(u.tokenFile)),
      certData: str(u['client-certificate-data']),
      certFile: resolve(str(u['client-certificate'])),
      keyData: str(u['client-key-data']),
      keyFile: resolve(str(u['client-key'])),
    });
  }
  const contexts: { name: string; cluster: string; user: string }[] = [];
  for (const entry of contextsIn) {
    const c = entry.context as Record<string, unknown> | undefined;
    const name = str(entry.name);
    if (!name || !c || typeof c !== 'object') return undefined;
    // A context namespace is irrelevant here; anything else (e.g. extensions we do not know) is left to client-node.
    if (Object.keys(c).some((k) => !['cluster', 'user', 'namespace', 'extensions'].includes(k))) return undefined;
    const cluster = str(c.cluster);
    if (!cluster) return undefined;
    contexts.push({ name, cluster, user: str(c.user) ?? '' });
  }
  return new LiteKubeConfig(contexts, clusters, users, str(doc['current-context']) ?? '');
}

/** A one-context bearer-token config (a token secret, an EKS token): what the worker connects with. */
export function tokenKubeConfig(
  cluster: { name: string; server: string; caData: string },
  token: string,
): KubeConnectionConfig {
  return new LiteKubeConfig(
    [{ name: cluster.name, cluster: cluster.name, user: `netcheck@${cluster.name}` }],
    [{ name: cluster.name, server: cluster.server, caData: cluster.caData, skipTLSVerify: false }],
    [{ name: `netcheck@${cluster.name}`, token }],
    cluster.name,
  );
}
