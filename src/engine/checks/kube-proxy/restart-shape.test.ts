// kube-proxy's runbooks follow how it runs: a DaemonSet is rolled out, static (mirror) pods are restarted on their
// nodes, and RKE2's static pods take their settings from kube-proxy-arg in the RKE2 config file, not a ConfigMap.
import { describe, expect, it } from 'vitest';
import { crashAll, logAll, withChanges } from '#test/fixtures/changes.ts';
import { kubeadmProxyCluster } from '#test/fixtures/kube-proxy.ts';
import { checkContext, commands, runCheck } from '#test/support/checks.ts';
import type { Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { apiServerCheck } from './apiserver.ts';
import { podHealthCheck } from './pod-health.ts';
import {
  configEditStep,
  type ProxyShape,
  type ProxyView,
  proxyView,
  RKE2_CONFIG,
  RKE2_MANIFEST,
  RKE2_PROXY_KUBECONFIG,
  restartStep,
  STATIC_MANIFEST,
  waitCommand,
} from './view.ts';

const en = checkContext('en').tr;
const ko = checkContext('ko').tr;
const RESTART: [string, string] = ['Restart kube-proxy.', 'kube-proxy를 재시작합니다.'];
const pod: KubeObject = {
  metadata: { name: 'kube-proxy-rke2-agent-1', namespace: 'kube-system' },
  spec: { nodeName: 'rke2-agent-1' },
};
const view = (shape: ProxyShape): ProxyView => ({ shape, pods: [pod], unhealthy: [], configCmAbsent: false, logs: [] });

/** The kubeadm fixture with its kube-proxy DaemonSet gone: its pods are what kubelet runs from static manifests. */
function staticProxyCluster(flavor: Snapshot['fingerprint']['flavor']): Snapshot {
  return withChanges(kubeadmProxyCluster(), (s) => {
    s.daemonSets = s.daemonSets.filter((d) => d.metadata.name !== 'kube-proxy');
    s.fingerprint.flavor = flavor;
  });
}

describe('how kube-proxy runs decides its shape', () => {
  it('a DaemonSet, static pods on RKE2, static pods elsewhere (kops, GKE)', () => {
    expect(proxyView(kubeadmProxyCluster()).shape).toBe('daemonset');
    expect(proxyView(staticProxyCluster('rke2')).shape).toBe('rke2-static');
    expect(proxyView(staticProxyCluster('gke')).shape).toBe('static');
  });
});

describe('restarting kube-proxy', () => {
  it('rolls the DaemonSet out, or deletes the one pod', () => {
    expect(restartStep(en, view('daemonset'), RESTART)).toMatchObject({
      command: 'kubectl -n kube-system rollout restart ds/kube-proxy',
      where: 'cluster-admin',
      changes: true,
    });
    expect(restartStep(en, view('daemonset'), RESTART, pod).command).toBe(
      'kubectl -n kube-system delete pod kube-proxy-rke2-agent-1',
    );
  });

  it('on RKE2, cycles the static pod manifest on each node over ssh and names the service to restart after a flag change', () => {
    const s = restartStep(en, view('rke2-static'), RESTART);
    expect(s.command).toBe(
      `sudo mv ${RKE2_MANIFEST} /tmp/kube-proxy.yaml && sleep 20 && sudo mv /tmp/kube-proxy.yaml /var/lib/rancher/rke2/agent/pod-manifests/`,
    );
    expect(s).toMatchObject({ where: 'node', changes: true });
    expect(s.text).toContain('On each node (ssh)');
    expect(s.text).toMatch(/rke2-server.*rke2-agent/);
    expect(s.text).not.toContain('rollout');
    expect(restartStep(en, view('rke2-static'), RESTART, pod).text).toContain('On node rke2-agent-1 (ssh)');
    expect(restartStep(ko, view('rke2-static'), RESTART).text).toContain(
      '각 노드에 ssh로 접속해 kube-proxy 스태틱 파드 매니페스트를',
    );
  });

  it('on other static pods, cycles kubelet’s manifest (kops and GKE path)', () => {
    const s = restartStep(en, view('static'), RESTART);
    expect(s.command).toContain(`sudo mv ${STATIC_MANIFEST} /tmp/kube-proxy.manifest`);
    expect(s.where).toBe('node');
  });

  it('waits for the rollout, or watches the static pods', () => {
    expect(waitCommand(view('daemonset'))).toBe('kubectl -n kube-system rollout status ds/kube-proxy');
    expect(waitCommand(view('rke2-static'))).not.toContain('ds/kube-proxy');
  });
});

describe('changing a kube-proxy setting', () => {
  it('edits the ConfigMap behind --config, or on RKE2 kube-proxy-arg in its config file', () => {
    expect(configEditStep(en, view('daemonset'), 'Set mode.', 'kube-proxy').command).toBe(
      'kubectl -n kube-system edit configmap kube-proxy',
    );
    const rke2 = configEditStep(en, view('rke2-static'), 'Set mode.', 'kube-proxy');
    expect(rke2).toMatchObject({ command: `sudoedit ${RKE2_CONFIG}`, where: 'node', changes: true });
    expect(rke2.text).toContain('kube-proxy-arg');
  });
});

describe('a check on static kube-proxy pods', () => {
  it('gives node commands, never a DaemonSet rollout', () => {
    const s = staticProxyCluster('rke2');
    crashAll(s, 'E1127 06:14:00.231907       1 run.go:72] "command failed" err="unrecognized flag"');
    const f = runCheck(podHealthCheck, s).find((x) => x.id === 'kube-proxy.crashloop');
    expect(f).toBeDefined();
    expect(commands(f)).not.toContain('ds/kube-proxy');
    expect(commands(f)).toContain(RKE2_MANIFEST);
    expect(commands(f)).not.toContain('configmap');
  });

  it('unreachable API on RKE2: the node-local load balancer and rke2 service, not a kubeconfig edit', () => {
    const s = staticProxyCluster('rke2');
    logAll(
      s,
      'E1127 06:21:02.101010       1 server.go:1041] "Failed to retrieve node info" err="Get \\"https://127.0.0.1:6444/api/v1/nodes/rke2-agent-1\\": dial tcp 127.0.0.1:6444: connect: connection refused"',
    );
    const f = runCheck(apiServerCheck, s).find((x) => x.id === 'kube-proxy.apiserver-unreachable');
    expect(f).toBeDefined();
    expect(commands(f)).toContain(`sudo grep server: ${RKE2_PROXY_KUBECONFIG}`);
    expect(commands(f)).toContain('sudo systemctl restart rke2-agent');
    expect(commands(f)).not.toMatch(/configmap|kubeadm-config|ds\/kube-proxy/);
  });
});
