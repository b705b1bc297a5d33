// kube-proxy repairs in its ConfigMap, each followed by a restart of the DaemonSet (kube-proxy reads its files once):
// leave IPVS mode for iptables when IPVS is proven unusable, and point kubeconfig.conf's `server:` at the API
// server the cluster's own kubeadm-config names. Both are AUTO-GUARDED in the failure catalogue; the guards are the
// refusals below, and everything else in the ConfigMap stays as it is.
import { parse } from 'yaml';
import type { KubeObject } from '../../engine/cluster-reader.ts';
import type { Finding } from '../../engine/report.ts';
import { mergePatch, objectAt, param, read, ref, refuse, restart } from '../objects.ts';
import type { Remediation, RemediationContext, TargetRead } from '../types.ts';
import { kubeProxyConfig, kubeProxyKubeconfig } from './kube-proxy-restore-configmap.ts';

export const cmRead = (f: Finding): TargetRead =>
  read('configmaps', param(f, 'configMap') ?? 'kube-proxy', param(f, 'namespace') ?? 'kube-system');
export const dsRead = (f: Finding): TargetRead =>
  read('daemonsets', param(f, 'daemonSet') ?? 'kube-proxy', param(f, 'namespace') ?? 'kube-system');

/** kube-proxy's ConfigMap and DaemonSet as the finding names them, or why they cannot be changed. */
function targets(ctx: RemediationContext): { cm: KubeObject; ds: KubeObject; cmRef: TargetRead } | { reason: string } {
  const cmRef = cmRead(ctx.finding);
  const cm = objectAt(ctx, cmRef);
  const ds = objectAt(ctx, dsRead(ctx.finding));
  if (!cm) return { reason: `ConfigMap ${ref(cmRef)} does not exist.` };
  if (!ds) return { reason: `DaemonSet ${ref(dsRead(ctx.finding))} does not exist.` };
  return { cm, ds, cmRef };
}

/** The ConfigMap, its key's text and the DaemonSet, or why they cannot be changed. */
export function configAndDaemonSet(
  ctx: RemediationContext,
  defaultKey: string,
): { cm: KubeObject; ds: KubeObject; key: string; text: string; cmRef: TargetRead } | { reason: string } {
  const found = targets(ctx);
  if ('reason' in found) return found;
  const key = param(ctx.finding, 'key') ?? defaultKey;
  const text = found.cm.data?.[key];
  if (typeof text !== 'string') return { reason: `ConfigMap ${ref(found.cmRef)} has no ${key} key.` };
  return { ...found, key, text };
}

const MODE_LINE = /^(\s*)mode:[ \t]*(.*)$/m;
const modeOf = (config: string): string | undefined => {
  const m = MODE_LINE.exec(config);
  return m ? m[2]!.trim().replace(/^["']|["']$/g, '') : undefined;
};

export const switchToIptables: Remediation = {
  id: 'kube-proxy.switch-to-iptables',
  answers: ['kube-proxy.ipvs-unavailable'],
  safety: 'auto-guarded',
  reads: (f) => [cmRead(f), dsRead(f)],
  plan(ctx) {
    const found = configAndDaemonSet(ctx, 'config.conf');
    if ('reason' in found) return refuse(found.reason);
    const { cm, ds, key, text, cmRef } = found;
    // Guard: the finding proved IPVS unusable from kube-proxy's own log; the change is only the mode line, and only
    // while the configuration still asks for ipvs (a human may have switched it meanwhile).
    const mode = modeOf(text);
    if (mode !== 'ipvs')
      return refuse(`${key} in ${ref(cmRef)} sets mode "${mode ?? ''}", not ipvs; nothing to switch.`);
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Switch kube-proxy from ipvs to iptables mode in ${ref(cmRef)} and restart kube-proxy`,
        risk: 'A cluster-wide dataplane change: kube-proxy restarts node by node, removes its IPVS rules and programs Services with iptables; IPVS-only settings (scheduler, strictARP) stop applying.',
        rollback: `Set mode: "ipvs" back in ${key} of ConfigMap ${ref(cmRef)} and restart kube-proxy (after loading the IPVS modules on every node).`,
        changes: [
          mergePatch('configmaps', cm, {
            metadata: { resourceVersion: cm.metadata.resourceVersion },
            data: { [key]: text.replace(MODE_LINE, '$1mode: "iptables"') },
          }),
          restart('daemonsets', ds),
        ],
        clears: ['kube-proxy.ipvs-unavailable'],
      },
    };
  },
};

const SERVER_LINE = /^(\s*)server:[ \t]*(\S+)[ \t]*$/gm;
const HOST_PORT = /^(?:[A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?$/;

/** `https://host:port` from kubeadm-config's controlPlaneEndpoint, or undefined when it names none. */
export function controlPlaneServer(kubeadmConfig: KubeObject | null | undefined): string | undefined {
  let cluster: { controlPlaneEndpoint?: unknown } | undefined;
  try {
    cluster = parse(String(kubeadmConfig?.data?.ClusterConfiguration ?? '')) ?? undefined;
  } catch {
    return undefined;
  }
  const endpoint = typeof cluster?.controlPlaneEndpoint === 'string' ? cluster.controlPlaneEndpoint.trim() : '';
  const m = HOST_PORT.exec(endpoint);
  if (!m) return undefined;
  return `https://${m[1] ? endpoint : `${endpoint}:6443`}`;
}

export const fixApiserverEndpoint: Remediation = {
  id: 'kube-proxy.fix-apiserver-endpoint',
  answers: ['kube-proxy.apiserver-unreachable'],
  safety: 'auto-guarded',
  reads: (f) => [cmRead(f), dsRead(f), read('configmaps', 'kubeadm-config', 'kube-system')],
  plan(ctx) {
    const found = configAndDaemonSet(ctx, 'kubeconfig.conf');
    if ('reason' in found) return refuse(found.reason);
    const { cm, ds, key, text, cmRef } = found;
    // Guard: the right address comes from the cluster's own objects, never from a guess.
    const server = controlPlaneServer(objectAt(ctx, read('configmaps', 'kubeadm-config', 'kube-system')));
    if (!server) {
      return refuse('kubeadm-config names no controlPlaneEndpoint, so the right API server address is not known.');
    }
    const servers = [...text.matchAll(SERVER_LINE)].map((m) => m[2]!);
    if (servers.length !== 1) {
      return refuse(`${key} in ${ref(cmRef)} names ${servers.length} servers; which one to change is a human call.`);
    }
    const current = servers[0]!;
    if (current === server) return refuse(`${key} in ${ref(cmRef)} already names ${server}.`);
    // Guard: the server is still the one the diagnosis found unreachable.
    const seen = param(ctx.finding, 'server');
    if (seen && seen !== current) {
      return refuse(`${key} in ${ref(cmRef)} now names ${current}, not ${seen}; run the check again.`);
    }
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Point kube-proxy's ${key} at ${server} (kubeadm controlPlaneEndpoint) and restart kube-proxy`,
        risk: 'kube-proxy restarts node by node and resyncs every Service and EndpointSlice from the API server it can now reach.',
        rollback: `Set server: ${current} back in ${key} of ConfigMap ${ref(cmRef)} and restart kube-proxy.`,
        changes: [
          mergePatch('configmaps', cm, {
            metadata: { resourceVersion: cm.metadata.resourceVersion },
            data: { [key]: text.replace(SERVER_LINE, `$1server: ${server}`) },
          }),
          restart('daemonsets', ds),
        ],
        clears: ['kube-proxy.apiserver-unreachable'],
      },
    };
  },
};

/** Whether a kubeconfig text names a cluster with a server (what kube-proxy needs to start). */
function usableKubeconfig(text: string | undefined): boolean {
  if (typeof text !== 'string') return false;
  let doc: { clusters?: { cluster?: { server?: unknown } }[] } | undefined;
  try {
    doc = parse(text) ?? undefined;
  } catch {
    return false;
  }
  return Array.isArray(doc?.clusters) && doc.clusters.some((c) => typeof c?.cluster?.server === 'string');
}

export const restoreKubeconfig: Remediation = {
  id: 'kube-proxy.restore-kubeconfig',
  answers: ['kube-proxy.kubeconfig-missing-or-invalid'],
  safety: 'auto-guarded',
  reads: (f) => [cmRead(f), dsRead(f), read('configmaps', 'kubeadm-config', 'kube-system')],
  plan(ctx) {
    const found = targets(ctx);
    if ('reason' in found) return refuse(found.reason);
    const { cm, ds, cmRef } = found;
    const key = param(ctx.finding, 'key') ?? 'kubeconfig.conf';
    const current = cm.data?.[key];
    // Guard: only a kubeconfig that is missing or unusable is replaced; a working one is a human's to change.
    if (usableKubeconfig(current)) return refuse(`${key} in ${ref(cmRef)} names a server; nothing to restore.`);
    const server = controlPlaneServer(objectAt(ctx, read('configmaps', 'kubeadm-config', 'kube-system')));
    if (!server) {
      return refuse('kubeadm-config names no controlPlaneEndpoint, so the API server address is not known.');
    }
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Restore ${key} in ${ref(cmRef)} from the kubeadm template (server ${server}) and restart kube-proxy`,
        risk: 'kube-proxy restarts node by node with the in-pod ServiceAccount token and CA, as kubeadm sets it up.',
        rollback:
          current === undefined
            ? `Remove the ${key} key from ConfigMap ${ref(cmRef)} and restart kube-proxy.`
            : `Put the previous ${key} back in ConfigMap ${ref(cmRef)} (kept in the audit record) and restart kube-proxy.`,
        changes: [
          mergePatch('configmaps', cm, {
            metadata: { resourceVersion: cm.metadata.resourceVersion },
            data: { [key]: kubeProxyKubeconfig(server) },
          }),
          restart('daemonsets', ds),
        ],
        clears: ['kube-proxy.kubeconfig-missing-or-invalid'],
      },
    };
  },
};

const CIDR = /^[0-9a-fA-F.:]+\/\d{1,3}$/;

/** kubeadm-config's networking.podSubnet (kube-proxy's clusterCIDR), or undefined. */
function podSubnetOf(kubeadmConfig: KubeObject | null | undefined): string | undefined {
  try {
    const cc = parse(String(kubeadmConfig?.data?.ClusterConfiguration ?? '')) as
      | { networking?: { podSubnet?: unknown } }
      | undefined;
    const subnet = cc?.networking?.podSubnet;
    return typeof subnet === 'string' && CIDR.test(subnet) ? subnet : undefined;
  } catch {
    return undefined;
  }
}

export const restoreConfig: Remediation = {
  id: 'kube-proxy.restore-config',
  answers: ['kube-proxy.config-decode-error'],
  safety: 'auto-guarded',
  reads: (f) => [cmRead(f), dsRead(f), read('configmaps', 'kubeadm-config', 'kube-system')],
  plan(ctx) {
    const found = configAndDaemonSet(ctx, 'config.conf');
    if ('reason' in found) return refuse(found.reason);
    const { cm, ds, key, text, cmRef } = found;
    // Guard: only a configuration that is not a KubeProxyConfiguration at all is replaced; one that decodes keeps
    // its tuned fields and is a human's to edit.
    let doc: { kind?: unknown } | undefined;
    try {
      doc = parse(text) ?? undefined;
    } catch {
      doc = undefined;
    }
    if (doc?.kind === 'KubeProxyConfiguration') {
      return refuse(`${key} in ${ref(cmRef)} is a KubeProxyConfiguration; fix the rejected field by hand.`);
    }
    const clusterCIDR = podSubnetOf(objectAt(ctx, read('configmaps', 'kubeadm-config', 'kube-system')));
    if (!clusterCIDR) return refuse('kubeadm-config names no podSubnet, so the clusterCIDR is not known.');
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Restore ${key} in ${ref(cmRef)} from the kubeadm template (clusterCIDR ${clusterCIDR}, mode "") and restart kube-proxy`,
        risk: 'kube-proxy restarts node by node with the kubeadm defaults: anything the broken file meant to tune (mode, conntrack, IPVS) is not carried over.',
        rollback: `Put the previous ${key} back in ConfigMap ${ref(cmRef)} (kept in the audit record) and restart kube-proxy.`,
        changes: [
          mergePatch('configmaps', cm, {
            metadata: { resourceVersion: cm.metadata.resourceVersion },
            data: { [key]: kubeProxyConfig(clusterCIDR) },
          }),
          restart('daemonsets', ds),
        ],
        clears: ['kube-proxy.config-decode-error'],
      },
    };
  },
};
