// kube-proxy.configmap-missing (kubeadm): re-create ConfigMap kube-proxy as `kubeadm init phase addon kube-proxy`
// renders it. Guarded: the API server address (controlPlaneEndpoint) and the cluster CIDR (podSubnet) must both be
// known from kubeadm-config, or there is no default to put back.
import { parse } from 'yaml';
import { create, objectAt, read, refuse } from '../objects.ts';
import type { Remediation } from '../types.ts';

const HOST_PORT = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/;
const CIDR = /^[0-9a-fA-F.:]+\/\d{1,3}$/;

export function kubeProxyConfig(clusterCIDR: string): string {
  return [
    'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
    'kind: KubeProxyConfiguration',
    'bindAddress: 0.0.0.0',
    'clientConnection:',
    '  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf',
    `clusterCIDR: ${clusterCIDR}`,
    'mode: ""',
  ].join('\n');
}

export function kubeProxyKubeconfig(server: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    '    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
    `    server: ${server}`,
    '  name: default',
    'contexts:',
    '- context:',
    '    cluster: default',
    '    namespace: default',
    '    user: default',
    '  name: default',
    'current-context: default',
    'users:',
    '- name: default',
    '  user:',
    '    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token',
  ].join('\n');
}

export const restoreKubeProxyConfigMap: Remediation = {
  id: 'kube-proxy.restore-configmap',
  answers: ['kube-proxy.configmap-missing'],
  safety: 'auto-guarded',
  reads: () => [read('configmaps', 'kube-proxy', 'kube-system'), read('configmaps', 'kubeadm-config', 'kube-system')],
  plan(ctx) {
    if (objectAt(ctx, read('configmaps', 'kube-proxy', 'kube-system'))) {
      return refuse('ConfigMap kube-system/kube-proxy exists again; nothing to re-create.');
    }
    const kubeadm = objectAt(ctx, read('configmaps', 'kubeadm-config', 'kube-system'));
    let cluster: { controlPlaneEndpoint?: unknown; networking?: { podSubnet?: unknown } } | undefined;
    try {
      cluster = parse(String(kubeadm?.data?.ClusterConfiguration ?? '')) ?? undefined;
    } catch {
      cluster = undefined;
    }
    const endpoint = typeof cluster?.controlPlaneEndpoint === 'string' ? cluster.controlPlaneEndpoint : '';
    const podSubnet = typeof cluster?.networking?.podSubnet === 'string' ? cluster.networking.podSubnet : '';
    if (!HOST_PORT.test(endpoint))
      return refuse('kubeadm-config names no controlPlaneEndpoint, so the API server address is not known.');
    if (!CIDR.test(podSubnet)) return refuse('kubeadm-config names no podSubnet, so the cluster CIDR is not known.');
    const server = `https://${endpoint.includes(':') && !endpoint.endsWith(']') ? endpoint : `${endpoint}:6443`}`;
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Re-create ConfigMap kube-system/kube-proxy (server ${server}, clusterCIDR ${podSubnet}, mode "")`,
        risk: 'Settings that were tuned in the deleted ConfigMap (mode, conntrack, IPVS) fall back to the kubeadm defaults.',
        rollback: 'Delete ConfigMap kube-system/kube-proxy (it did not exist before).',
        changes: [
          create('configmaps', {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } },
            data: { 'config.conf': kubeProxyConfig(podSubnet), 'kubeconfig.conf': kubeProxyKubeconfig(server) },
          }),
        ],
        clears: ['kube-proxy.configmap-missing'],
      },
    };
  },
};
