// Turns a ClusterTarget into an authenticated kubeconfig for the worker. Credentials come from Secrets Manager or
// from an EKS token; connections are cached per cluster and rebuilt when the secret or the token changes.
// Token secrets, EKS tokens and plain kubeconfigs use the lite config; @kubernetes/client-node is imported only for a
// kubeconfig secret with exec or auth-provider credentials, so the worker's cold start does not load it.
import { z } from 'zod';
import type { EksDescription } from '../aws/eks-describe.ts';
import { createEksTokenProvider, type TokenProvider } from '../aws/eks-token.ts';
import type { SecretStore } from '../aws/secrets.ts';
import type { ClusterAuth, EksAuth } from './auth.ts';
import { type KubeConnectionConfig, parseLiteKubeConfig, tokenKubeConfig } from './kubeconfig-lite.ts';

/** The cluster to connect to: its configured name and how to authenticate (a NETCHECK_CLUSTERS entry fits). */
export interface ClusterTarget {
  name: string;
  auth: ClusterAuth;
}

export interface ClusterConnection {
  kc: KubeConnectionConfig;
  server: string;
  /** Who we are on the cluster, for error messages such as "… cannot list pods (identity: …)". Never a credential. */
  identity: string;
}

export interface ClusterConnector {
  connect(cluster: ClusterTarget): Promise<ClusterConnection>;
  /** Drop cached connections, e.g. after a 401 from the API server. */
  invalidate(clusterName?: string): void;
}

/** The JSON stored in a `token-secret` secret. */
export const TokenSecret = z.object({
  server: z.url(),
  /** Base64 PEM of the cluster CA, as in a kubeconfig's certificate-authority-data. */
  caData: z.string().min(1),
  token: z.string().min(1),
});
export type TokenSecret = z.infer<typeof TokenSecret>;

export class ClusterConnectError extends Error {
  constructor(cluster: string, message: string) {
    super(`cluster "${cluster}": ${message}`);
    this.name = 'ClusterConnectError';
  }
}

/** A service-account token is a JWT; its `sub` names the identity without revealing the token. */
function jwtSubject(token: string | undefined): string | undefined {
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const sub = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

function kubeconfigFor(name: string, server: string, caData: string, token: string): KubeConnectionConfig {
  return tokenKubeConfig({ name, server, caData }, token);
}

/** A kubeconfig document: the lite config when it understands it, client-node's KubeConfig otherwise. */
async function kubeconfigFromText(text: string): Promise<KubeConnectionConfig> {
  const lite = parseLiteKubeConfig(text, 'kubeconfig-secret');
  if (lite) return lite;
  const { KubeConfig } = await import('./client-node-kubeconfig.ts');
  const kc = new KubeConfig();
  kc.loadFromString(text);
  return kc;
}

export function createClusterConnector(deps: {
  secrets: SecretStore;
  eksToken?: (auth: EksAuth) => TokenProvider;
  /** Endpoint and CA for EKS clusters configured without them (eks:DescribeCluster). */
  describeCluster?: (auth: EksAuth) => Promise<EksDescription>;
  now?: () => number;
}): ClusterConnector {
  const makeTokenProvider =
    deps.eksToken ??
    ((auth: EksAuth) => createEksTokenProvider({ clusterName: auth.clusterName, region: auth.region, now: deps.now }));
  const tokenProviders = new Map<string, TokenProvider>();
  const descriptions = new Map<string, Promise<EksDescription>>();
  // Keyed by cluster name; `material` is what the connection was built from, so a rotated secret or a
  // refreshed token yields a new KubeConfig while an unchanged one reuses it.
  const cache = new Map<string, { material: string; connection: ClusterConnection }>();
  const secretIds = new Map<string, string>();

  async function cached(
    name: string,
    material: string,
    build: () => ClusterConnection | Promise<ClusterConnection>,
  ): Promise<ClusterConnection> {
    const hit = cache.get(name);
    if (hit && hit.material === material) return hit.connection;
    const connection = await build();
    cache.set(name, { material, connection });
    return connection;
  }

  async function eksEndpoint(cluster: ClusterTarget, auth: EksAuth): Promise<EksDescription> {
    if (auth.endpoint && auth.caData) return { endpoint: auth.endpoint, caData: auth.caData };
    if (!deps.describeCluster) {
      throw new ClusterConnectError(
        cluster.name,
        'eks auth needs endpoint and caData (eks:DescribeCluster is not set up)',
      );
    }
    let described = descriptions.get(cluster.name);
    if (!described) {
      described = deps.describeCluster(auth);
      descriptions.set(cluster.name, described);
      described.catch(() => descriptions.delete(cluster.name));
    }
    const d = await described;
    return { endpoint: auth.endpoint ?? d.endpoint, caData: auth.caData ?? d.caData };
  }

  async function connect(cluster: ClusterTarget): Promise<ClusterConnection> {
    const auth = cluster.auth;
    switch (auth.type) {
      case 'token-secret': {
        const raw = await deps.secrets.get(auth.secretId);
        secretIds.set(cluster.name, auth.secretId);
        return cached(cluster.name, raw, () => {
          let json: unknown;
          try {
            json = JSON.parse(raw);
          } catch {
            // V8's JSON errors quote the input: say only that it is not JSON.
            throw new ClusterConnectError(cluster.name, `secret "${auth.secretId}" is not JSON`);
          }
          const parsed = TokenSecret.safeParse(json);
          if (!parsed.success) {
            const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
            throw new ClusterConnectError(
              cluster.name,
              `secret "${auth.secretId}" is missing or has invalid ${fields}`,
            );
          }
          const s = parsed.data;
          return {
            kc: kubeconfigFor(cluster.name, s.server, s.caData, s.token),
            server: s.server,
            identity: jwtSubject(s.token) ?? `token from secret ${auth.secretId}`,
          };
        });
      }
      case 'kubeconfig-secret': {
        secretIds.set(cluster.name, auth.secretId);
        const raw = await deps.secrets.get(auth.secretId);
        return cached(cluster.name, raw, async () => {
          let kc: KubeConnectionConfig;
          try {
            kc = await kubeconfigFromText(raw);
          } catch (e) {
            // The parser's message may quote the document: keep only its first line, which names the YAML error.
            const reason = String((e as Error).message).split('\n')[0];
            throw new ClusterConnectError(cluster.name, `secret "${auth.secretId}" is not a kubeconfig (${reason})`);
          }
          if (auth.context) {
            const names = kc.getContexts().map((c) => c.name);
            if (!names.includes(auth.context)) {
              throw new ClusterConnectError(
                cluster.name,
                `context "${auth.context}" is not in kubeconfig secret "${auth.secretId}" (contexts: ${names.join(', ') || 'none'})`,
              );
            }
            kc.setCurrentContext(auth.context);
          }
          const server = kc.getCurrentCluster()?.server;
          const user = kc.getCurrentUser();
          if (!server || !user) {
            throw new ClusterConnectError(
              cluster.name,
              `kubeconfig secret "${auth.secretId}" has no usable current context "${kc.getCurrentContext()}"`,
            );
          }
          return { kc, server, identity: jwtSubject(user.token) ?? `user ${user.name} from secret ${auth.secretId}` };
        });
      }
      case 'eks': {
        let provider = tokenProviders.get(cluster.name);
        if (!provider) {
          provider = makeTokenProvider(auth);
          tokenProviders.set(cluster.name, provider);
        }
        const [{ endpoint, caData }, token] = await Promise.all([eksEndpoint(cluster, auth), provider.getToken()]);
        return cached(cluster.name, `${endpoint}\n${caData}\n${token}`, () => ({
          kc: kubeconfigFor(cluster.name, endpoint, caData, token),
          server: endpoint,
          identity: `this function's IAM role (EKS access entry on ${auth.clusterName})`,
        }));
      }
    }
  }

  return {
    connect,
    invalidate(clusterName) {
      // Also forget the secret, so a rotated credential is fetched again instead of served from the cache.
      for (const [name, secretId] of secretIds) {
        if (clusterName === undefined || name === clusterName) deps.secrets.invalidate(secretId);
      }
      if (clusterName === undefined) {
        cache.clear();
        descriptions.clear();
      } else {
        cache.delete(clusterName);
        descriptions.delete(clusterName);
      }
    },
  };
}
