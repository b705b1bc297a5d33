import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../engine/cluster-reader.ts';
import type { Finding } from '../../engine/report.ts';
import { planFix } from '../registry.ts';
import type { Plan, PlanResult } from '../types.ts';
import {
  controlPlaneServer,
  fixApiserverEndpoint,
  restoreConfig,
  restoreKubeconfig,
  switchToIptables,
} from './kube-proxy-repairs.ts';

const finding = (id: string, params: Record<string, string> = {}): Finding => ({
  id,
  severity: 'critical',
  title: 't',
  detail: 'd',
  evidence: [],
  runbook: [],
  remediation: { id: 'x', title: 'x', params: { namespace: 'kube-system', configMap: 'kube-proxy', ...params } },
});
const configMap = (name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'kube-system', resourceVersion: '77' },
  data,
});
const ds: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'kube-proxy', namespace: 'kube-system', resourceVersion: '88' },
  spec: { template: { metadata: {} } },
};
const ok = (r: PlanResult): Plan => {
  if (!r.ok) throw new Error(r.reason);
  return r.plan;
};
const config = (mode: string) =>
  `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nipvs:\n  scheduler: "r"\nmode: ${mode}`;
const kubeconfig = (server: string) =>
  `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: ${server}\n  name: default\n`;
const kubeadm = (endpoint?: string) =>
  configMap('kubeadm-config', {
    ClusterConfiguration: `kind: ClusterConfiguration\n${endpoint ? `controlPlaneEndpoint: ${endpoint}\n` : ''}`,
  });

describe('kube-proxy.switch-to-iptables', () => {
  const objects = (mode: string) => ({
    'configmaps/kube-system/kube-proxy': configMap('kube-proxy', { 'config.conf': config(mode) }),
    'daemonsets/kube-system/kube-proxy': ds,
  });

  it('changes only the mode line under the ConfigMap resourceVersion, then restarts kube-proxy', () => {
    const plan = ok(
      planFix(switchToIptables, { finding: finding('kube-proxy.ipvs-unavailable'), objects: objects('"ipvs"') }),
    );
    expect(plan.changes.map((c) => `${c.verb} ${c.target.resource}/${c.target.name}`)).toEqual([
      'patch configmaps/kube-proxy',
      'restart daemonsets/kube-proxy',
    ]);
    const patch = plan.changes[0] as { body: { data: Record<string, string> }; precondition: unknown };
    expect(patch.body.data['config.conf']).toBe(config('"iptables"'));
    expect(patch.precondition).toEqual({ resourceVersion: '77' });
    expect(plan.risk).toMatch(/cluster-wide dataplane change/);
  });

  it('refuses when the configuration no longer asks for ipvs, or the objects are gone', () => {
    expect(
      planFix(switchToIptables, { finding: finding('kube-proxy.ipvs-unavailable'), objects: objects('""') }),
    ).toEqual({
      ok: false,
      reason: 'config.conf in kube-system/kube-proxy sets mode "", not ipvs; nothing to switch.',
    });
    expect(planFix(switchToIptables, { finding: finding('kube-proxy.ipvs-unavailable'), objects: {} })).toEqual({
      ok: false,
      reason: 'ConfigMap kube-system/kube-proxy does not exist.',
    });
  });
});

describe('kube-proxy.fix-apiserver-endpoint', () => {
  const f = finding('kube-proxy.apiserver-unreachable', { key: 'kubeconfig.conf', server: 'https://10.0.0.99:6443' });
  const objects = (server: string, endpoint?: string) => ({
    'configmaps/kube-system/kube-proxy': configMap('kube-proxy', { 'kubeconfig.conf': kubeconfig(server) }),
    'daemonsets/kube-system/kube-proxy': ds,
    'configmaps/kube-system/kubeadm-config': kubeadm(endpoint),
  });

  it('puts kubeadm controlPlaneEndpoint in server: and restarts kube-proxy', () => {
    const plan = ok(
      planFix(fixApiserverEndpoint, { finding: f, objects: objects('https://10.0.0.99:6443', '10.0.0.10:6443') }),
    );
    const patch = plan.changes[0] as { body: { data: Record<string, string> } };
    expect(patch.body.data['kubeconfig.conf']).toBe(kubeconfig('https://10.0.0.10:6443'));
    expect(plan.rollback).toContain('server: https://10.0.0.99:6443');
  });

  it('refuses without a known endpoint, when the server changed since the diagnosis, or already points right', () => {
    const reason = (o: ReturnType<typeof objects>) => {
      const r = planFix(fixApiserverEndpoint, { finding: f, objects: o });
      return r.ok ? 'planned' : r.reason;
    };
    expect(reason(objects('https://10.0.0.99:6443'))).toMatch(/names no controlPlaneEndpoint/);
    expect(reason(objects('https://10.0.0.98:6443', '10.0.0.10:6443'))).toMatch(/now names https:\/\/10.0.0.98:6443/);
    expect(reason(objects('https://10.0.0.10:6443', '10.0.0.10:6443'))).toMatch(/already names/);
  });

  it('reads controlPlaneEndpoint with and without a port, and nothing from a broken document', () => {
    expect(controlPlaneServer(kubeadm('cp.example.com'))).toBe('https://cp.example.com:6443');
    expect(controlPlaneServer(kubeadm('10.0.0.10:8443'))).toBe('https://10.0.0.10:8443');
    expect(controlPlaneServer(configMap('kubeadm-config', { ClusterConfiguration: '{{' }))).toBeUndefined();
    expect(controlPlaneServer(kubeadm('http://x; rm -rf /'))).toBeUndefined();
  });
});

describe('kube-proxy.restore-kubeconfig', () => {
  const f = finding('kube-proxy.kubeconfig-missing-or-invalid', { key: 'kubeconfig.conf' });
  const objects = (data: Record<string, string>, endpoint?: string) => ({
    'configmaps/kube-system/kube-proxy': configMap('kube-proxy', data),
    'daemonsets/kube-system/kube-proxy': ds,
    'configmaps/kube-system/kubeadm-config': kubeadm(endpoint),
  });

  it('writes the kubeadm kubeconfig with the controlPlaneEndpoint server, then restarts kube-proxy', () => {
    const plan = ok(
      planFix(restoreKubeconfig, {
        finding: f,
        objects: objects({ 'kubeconfig.conf': 'kind: Config\n' }, '10.0.0.10:6443'),
      }),
    );
    const patch = plan.changes[0] as { body: { data: Record<string, string> } };
    expect(patch.body.data['kubeconfig.conf']).toContain('server: https://10.0.0.10:6443');
    expect(patch.body.data['kubeconfig.conf']).toContain(
      'tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token',
    );
    expect(plan.changes[1]?.verb).toBe('restart');
  });

  it('refuses to replace a kubeconfig that names a server, or without a known endpoint', () => {
    const reason = (o: ReturnType<typeof objects>) => {
      const r = planFix(restoreKubeconfig, { finding: f, objects: o });
      return r.ok ? 'planned' : r.reason;
    };
    expect(reason(objects({ 'kubeconfig.conf': kubeconfig('https://10.0.0.99:6443') }, '10.0.0.10:6443'))).toMatch(
      /names a server; nothing to restore/,
    );
    expect(reason(objects({}))).toMatch(/names no controlPlaneEndpoint/);
  });
});

describe('kube-proxy.restore-config', () => {
  const f = finding('kube-proxy.config-decode-error', { key: 'config.conf' });
  const objects = (text: string, podSubnet?: string) => ({
    'configmaps/kube-system/kube-proxy': configMap('kube-proxy', { 'config.conf': text }),
    'daemonsets/kube-system/kube-proxy': ds,
    'configmaps/kube-system/kubeadm-config': configMap('kubeadm-config', {
      ClusterConfiguration: `kind: ClusterConfiguration\n${podSubnet ? `networking:\n  podSubnet: ${podSubnet}\n` : ''}`,
    }),
  });
  const reason = (o: ReturnType<typeof objects>) => {
    const r = planFix(restoreConfig, { finding: f, objects: o });
    return r.ok ? r.plan : r.reason;
  };

  it('replaces a file that is not a KubeProxyConfiguration with the kubeadm one (clusterCIDR from podSubnet)', () => {
    const plan = reason(objects(kubeconfig('https://10.0.0.10:6443'), '10.244.0.0/16')) as Plan;
    const patch = plan.changes[0] as { body: { data: Record<string, string> } };
    expect(patch.body.data['config.conf']).toContain('kind: KubeProxyConfiguration');
    expect(patch.body.data['config.conf']).toContain('clusterCIDR: 10.244.0.0/16');
    expect(plan.risk).toMatch(/not carried over/);
  });

  it('refuses to replace a KubeProxyConfiguration, or without a known podSubnet', () => {
    expect(reason(objects(config('"ipvs"'), '10.244.0.0/16'))).toMatch(/fix the rejected field by hand/);
    expect(reason(objects('kind: Config\n'))).toMatch(/names no podSubnet/);
  });
});
