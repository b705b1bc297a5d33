// Kubeconfig YAML for the sandbox: CA-verified TLS plus a bearer token, one context named 'sandbox'.
import { stringify } from 'yaml';

export function kubeconfigYaml(url: string, caPem: string, user: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'sandbox',
        cluster: { server: url, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
      },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: 'sandbox', context: { cluster: 'sandbox', user } }],
    'current-context': 'sandbox',
    preferences: {},
  });
}
