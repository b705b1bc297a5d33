// kube-proxy.conntrack-sysctl-permission: where /proc/sys is read-only (nested containers, kind/minikube), tell
// kube-proxy to leave nf_conntrack_max as it is (`conntrack.maxPerCore: 0`) instead of failing to raise it.
// AUTO-GUARDED: only for a configuration that parses as a KubeProxyConfiguration, and only that one field changes
// (the YAML document is edited in place, comments and order kept).
import { parseDocument } from 'yaml';
import { mergePatch, ref, refuse, restart } from '../objects.ts';
import type { Remediation } from '../types.ts';
import { cmRead, configAndDaemonSet, dsRead } from './kube-proxy-repairs.ts';

export const conntrackLeaveMax: Remediation = {
  id: 'kube-proxy.conntrack-leave-max',
  answers: ['kube-proxy.conntrack-sysctl-permission'],
  safety: 'auto-guarded',
  reads: (f) => [cmRead(f), dsRead(f)],
  plan(ctx) {
    const found = configAndDaemonSet(ctx, 'config.conf');
    if ('reason' in found) return refuse(found.reason);
    const { cm, ds, key, text, cmRef } = found;
    const doc = parseDocument(text);
    if (doc.errors.length || doc.get('kind') !== 'KubeProxyConfiguration') {
      return refuse(`${key} in ${ref(cmRef)} is not a readable KubeProxyConfiguration; editing it is a human call.`);
    }
    const current = doc.getIn(['conntrack', 'maxPerCore']);
    if (current === 0) return refuse(`conntrack.maxPerCore is 0 already in ${key} of ${ref(cmRef)}.`);
    doc.setIn(['conntrack', 'maxPerCore'], 0);
    const shown = current === undefined || current === null ? 'unset (32768 per core)' : String(current);
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Set conntrack.maxPerCore: 0 (leave nf_conntrack_max as-is) in ${ref(cmRef)} and restart kube-proxy`,
        risk: "kube-proxy stops sizing the node's conntrack table; nodes keep the limit the host gives them, which may be lower under heavy traffic.",
        rollback: `Set conntrack.maxPerCore back to ${shown} in ${key} of ConfigMap ${ref(cmRef)} and restart kube-proxy.`,
        changes: [
          mergePatch('configmaps', cm, {
            metadata: { resourceVersion: cm.metadata.resourceVersion },
            data: { [key]: doc.toString().replace(/\n$/, text.endsWith('\n') ? '\n' : '') },
          }),
          restart('daemonsets', ds),
        ],
        clears: ['kube-proxy.conntrack-sysctl-permission'],
      },
    };
  },
};
