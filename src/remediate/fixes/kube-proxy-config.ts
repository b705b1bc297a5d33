// kube-proxy configuration: point --config back at the kubeadm file, or reset an invalid mode to "" (kubeadm's
// default, iptables). Both keep everything else in the DaemonSet and the ConfigMap as it is.
import type { KubeObject } from '../../engine/cluster-reader.ts';
import type { Finding } from '../../engine/report.ts';
import { mergePatch, objectAt, param, read, ref, refuse, restart, strategicPatch } from '../objects.ts';
import { KUBE_PROXY_CONFIG } from '../templates.ts';
import type { Remediation } from '../types.ts';

const CONFIG_FLAG = /^--config=(.*)$/;

const dsRead = (f: Finding) =>
  read('daemonsets', param(f, 'daemonSet') ?? 'kube-proxy', param(f, 'namespace') ?? 'kube-system');

export const fixConfigPath: Remediation = {
  id: 'kube-proxy.fix-config-path',
  answers: ['kube-proxy.config-path-mismatch'],
  safety: 'auto-safe',
  reads: (f) => [dsRead(f), read('configmaps', 'kube-proxy', dsRead(f).namespace)],
  plan(ctx) {
    const r = dsRead(ctx.finding);
    const ds = objectAt(ctx, r);
    if (!ds) return refuse(`DaemonSet ${ref(r)} does not exist.`);
    const cm = objectAt(ctx, read('configmaps', 'kube-proxy', r.namespace));
    // AUTO-SAFE only in the kubeadm shape: the ConfigMap projects config.conf where --config should point.
    if (typeof cm?.data?.['config.conf'] !== 'string') {
      return refuse(`ConfigMap ${r.namespace}/kube-proxy has no config.conf key; the right --config is not known.`);
    }
    const containers: { name: string; command?: string[]; args?: string[] }[] =
      ds.spec?.template?.spec?.containers ?? [];
    const container = containers.find((c) => c.name === 'kube-proxy') ?? containers[0];
    if (!container) return refuse(`DaemonSet ${ref(r)} has no containers.`);
    const field = (container.command ?? []).some((a) => CONFIG_FLAG.test(a)) ? 'command' : 'args';
    const list = container[field] ?? [];
    const at = list.findIndex((a) => CONFIG_FLAG.test(a));
    if (at < 0) return refuse(`kube-proxy in ${ref(r)} has no --config flag.`);
    const current = CONFIG_FLAG.exec(list[at]!)![1]!;
    if (current === KUBE_PROXY_CONFIG) return refuse(`--config already points at ${KUBE_PROXY_CONFIG}.`);
    if (!current.startsWith('/var/lib/kube-proxy/')) {
      return refuse(`--config=${current} is outside /var/lib/kube-proxy/; fixing it is a human call.`);
    }
    const fixed = list.map((a, i) => (i === at ? `--config=${KUBE_PROXY_CONFIG}` : a));
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Point kube-proxy --config back at ${KUBE_PROXY_CONFIG} in DaemonSet ${ref(r)}`,
        risk: 'The DaemonSet rolls kube-proxy node by node; each node keeps its Service rules while its pod restarts.',
        rollback: `Set --config=${current} back in DaemonSet ${ref(r)}.`,
        changes: [
          strategicPatch('daemonsets', ds, {
            metadata: { resourceVersion: ds.metadata.resourceVersion },
            spec: { template: { spec: { containers: [{ name: container.name, [field]: fixed }] } } },
          }),
        ],
        clears: ['kube-proxy.config-path-mismatch'],
      },
    };
  },
};

const VALID_MODES = ['', 'iptables', 'ipvs', 'nftables', 'kernelspace'];
const MODE_LINE = /^(\s*)mode:[ \t]*(.*)$/m;

function modeOf(config: string): string | undefined {
  const m = MODE_LINE.exec(config);
  return m ? m[2]!.trim().replace(/^["']|["']$/g, '') : undefined;
}

export const resetMode: Remediation = {
  id: 'kube-proxy.reset-mode',
  answers: ['kube-proxy.config-validation-error'],
  safety: 'auto-safe',
  reads: (f) => [
    read('configmaps', param(f, 'configMap') ?? 'kube-proxy', param(f, 'namespace') ?? 'kube-system'),
    dsRead(f),
  ],
  plan(ctx) {
    const [cmRead, r] = this.reads(ctx.finding) as [ReturnType<typeof read>, ReturnType<typeof read>];
    const cm: KubeObject | null | undefined = objectAt(ctx, cmRead);
    const ds = objectAt(ctx, r);
    if (!cm) return refuse(`ConfigMap ${ref(cmRead)} does not exist.`);
    if (!ds) return refuse(`DaemonSet ${ref(r)} does not exist.`);
    const key = param(ctx.finding, 'key') ?? 'config.conf';
    const config = cm.data?.[key];
    if (typeof config !== 'string') return refuse(`ConfigMap ${ref(cmRead)} has no ${key} key.`);
    const mode = modeOf(config);
    if (mode === undefined) return refuse(`${key} in ${ref(cmRead)} sets no mode.`);
    if (VALID_MODES.includes(mode)) return refuse(`mode "${mode}" is valid already.`);
    return {
      ok: true,
      plan: {
        remediation: this.id,
        finding: ctx.finding.id,
        title: `Reset kube-proxy mode "${mode}" to "" (kubeadm default, iptables) and restart kube-proxy`,
        risk: 'kube-proxy restarts node by node and programs Service rules with iptables.',
        rollback: `Set mode: "${mode}" back in ${key} of ConfigMap ${ref(cmRead)} and restart kube-proxy.`,
        changes: [
          mergePatch('configmaps', cm, {
            metadata: { resourceVersion: cm.metadata.resourceVersion },
            data: { [key]: config.replace(MODE_LINE, '$1mode: ""') },
          }),
          restart('daemonsets', ds),
        ],
        clears: ['kube-proxy.config-validation-error'],
      },
    };
  },
};
