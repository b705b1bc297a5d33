// CNI failures seen on nodes, agent logs and CNI configuration.
import { describe, expect, it } from 'vitest';
import { configMapOf, crashLoop, notReady, setLogs, withChanges } from '#test/fixtures/changes.ts';
import {
  FLANNEL_PODS,
  flannelNetConf,
  gkeKubeDns,
  k3s,
  kubeadmCalico,
  kubeadmCanal,
  kubeadmFlannel,
  kubeadmLegacyFlannel,
  kubeadmNoCni,
  kubeadmWeave,
  NETWORK_NOT_READY_MESSAGE,
  node,
} from '#test/fixtures/clusters.ts';
import { commands, expectFinding, runCheck } from '#test/support/checks.ts';
import { agentHealthCheck } from './agent-health.ts';
import { calicoCheck } from './calico.ts';
import { flannelCheck } from './flannel.ts';
import { networkPolicyCheck } from './network-policy.ts';
import { notInstalledCheck } from './not-installed.ts';
import { weaveCheck } from './weave.ts';

function policy(namespace: string, name: string) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  };
}

describe('cni.not-installed', () => {
  it('reports NotReady nodes with NetworkPluginNotReady and no CNI, suggesting the CNI that fits podSubnet', () => {
    const f = expectFinding(notInstalledCheck, kubeadmNoCni(), 'cni.not-installed');
    expect(f.severity).toBe('critical');
    expect(f.evidence).toContain(`node/control-plane-1 Ready=False: ${NETWORK_NOT_READY_MESSAGE}`);
    expect(f.evidence).toContain('node/control-plane-1 taint node.kubernetes.io/not-ready:NoSchedule');
    expect(f.evidence).toContain('kubeadm-config networking.podSubnet: 10.244.0.0/16');
    expect(commands(f)).toContain('kube-flannel.yml');
    expect(commands(f)).toContain('kubectl get nodes -w');
  });

  it('recognises the CRI-O and dockershim wordings', () => {
    for (const message of [
      'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: No CNI configuration file in /etc/cni/net.d/. Has your network provider started?',
      'runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:docker: network plugin is not ready: cni config uninitialized',
    ]) {
      const s = withChanges(kubeadmNoCni(), (s) => {
        s.nodes = [node({ name: 'worker-1', ready: false, message })];
      });
      expect(runCheck(notInstalledCheck, s).map((x) => x.id)).toEqual(['cni.not-installed']);
    }
  });

  it('is silent when a CNI is installed, on k3s, on GKE, and for nodes NotReady for other reasons', () => {
    for (const s of [kubeadmCalico(), kubeadmFlannel(), k3s(), gkeKubeDns()])
      expect(runCheck(notInstalledCheck, s)).toEqual([]);
    const other = withChanges(kubeadmNoCni(), (other) => {
      other.nodes = [node({ name: 'worker-1', ready: false, message: 'Kubelet stopped posting node status.' })];
    });
    expect(runCheck(notInstalledCheck, other)).toEqual([]);
  });
});

describe('cni.flannel.podcidr-not-assigned', () => {
  it('reports nodes without spec.podCIDR and the flannel lease error', () => {
    const line =
      'E1127 06:10:11.123456       1 main.go:335] Error registering network: failed to acquire lease: node "worker-2" pod cidr not assigned';
    const s = withChanges(kubeadmFlannel(), (s) => {
      s.nodes[2]!.spec = { taints: [] };
      crashLoop(s, FLANNEL_PODS[2]!, 'kube-flannel', 8);
      setLogs(s, 'kube-flannel', FLANNEL_PODS[2]!, 'kube-flannel', { previous: line });
    });
    const f = expectFinding(flannelCheck, s, 'cni.flannel.podcidr-not-assigned');
    expect(f.evidence).toContain('node/worker-2 spec.podCIDR: (empty)');
    expect(f.evidence).toContain(line);
    expect(commands(f)).toContain(`kubectl patch node worker-2 -p '{"spec":{"podCIDR":"10.244.X.0/24"}}'`);
    expect(commands(f)).toContain('kubectl -n kube-flannel rollout restart ds/kube-flannel-ds');
    // The generic agent check leaves the explained crash to this finding.
    expect(runCheck(agentHealthCheck, s)).toEqual([]);
  });
});

describe('cni.flannel.network-mismatch', () => {
  it('reports a net-conf.json Network that does not contain the node podCIDRs (kubeadm 192.168.0.0/16 vs flannel default)', () => {
    const line =
      'E1127 06:10:11.123456       1 main.go:335] Error registering network: failed to acquire lease: subnet "10.244.0.0/16" specified in the flannel net config doesn\'t contain "192.168.1.0/24" PodCIDR of the "worker-1" node';
    const s = withChanges(kubeadmFlannel(), (s) => {
      s.nodes.forEach((n, i) => {
        n.spec.podCIDR = `192.168.${i}.0/24`;
        n.spec.podCIDRs = [`192.168.${i}.0/24`];
      });
      configMapOf(s, 'kube-system', 'kubeadm-config').data.ClusterConfiguration = configMapOf(
        s,
        'kube-system',
        'kubeadm-config',
      ).data.ClusterConfiguration.replace('10.244.0.0/16', '192.168.0.0/16');
      crashLoop(s, FLANNEL_PODS[1]!, 'kube-flannel', 5);
      setLogs(s, 'kube-flannel', FLANNEL_PODS[1]!, 'kube-flannel', { previous: line });
    });
    const f = expectFinding(flannelCheck, s, 'cni.flannel.network-mismatch');
    expect(f.evidence).toContain('kube-flannel/kube-flannel-cfg net-conf.json Network: 10.244.0.0/16');
    expect(f.evidence).toContain('node/worker-1 podCIDR: 192.168.1.0/24');
    expect(f.evidence).toContain(line);
    expect(f.detail).toContain('kubeadm podSubnet 192.168.0.0/16');
    expect(f.remediation?.id).toBe('cni.flannel.align-network');
    expect(commands(f)).toContain(
      'kubectl -n kube-flannel get cm kube-flannel-cfg -o yaml > kube-flannel-cfg.bak.yaml',
    );
  });

  it('reports a Canal flannel crash as a Flannel problem, not as calico-node being down', () => {
    const s = withChanges(kubeadmCanal(), (s) => {
      s.nodes[1]!.spec = { taints: [] };
      crashLoop(s, 'canal-h7f4k', 'kube-flannel', 3);
      setLogs(s, 'kube-system', 'canal-h7f4k', 'kube-flannel', {
        previous:
          'E1127 06:10:11.123456 1 main.go:335] Error registering network: failed to acquire lease: node "worker-1" pod cidr not assigned',
      });
    });
    expect(runCheck(flannelCheck, s).map((x) => x.id)).toEqual(['cni.flannel.podcidr-not-assigned']);
    expect(runCheck(calicoCheck, s)).toEqual([]);
  });

  it('accepts the default network on current, legacy and Canal installs, and k3s (no ConfigMap)', () => {
    for (const s of [kubeadmFlannel(), kubeadmLegacyFlannel(), kubeadmCanal(), k3s()])
      expect(runCheck(flannelCheck, s)).toEqual([]);
    const s = withChanges(kubeadmCanal(), (s) => {
      configMapOf(s, 'kube-system', 'canal-config').data['net-conf.json'] = flannelNetConf('10.200.0.0/16');
    });
    expect(runCheck(flannelCheck, s).map((x) => x.id)).toEqual(['cni.flannel.network-mismatch']);
  });
});

describe('cni.weave.ipalloc-overlap', () => {
  it('reports the overlap log line and does not also call the router unreachable', () => {
    const s = withChanges(kubeadmWeave(), (s) => {
      crashLoop(s, 'weave-net-bq9tz', 'weave', 6);
      setLogs(s, 'kube-system', 'weave-net-bq9tz', 'weave', {
        previous: 'Network 10.32.0.0/12 overlaps with existing route 10.32.0.0/16 on host\n',
      });
    });
    const f = expectFinding(weaveCheck, s, 'cni.weave.ipalloc-overlap');
    expect(f.detail).toContain('10.32.0.0/16');
    expect(commands(f)).toContain(
      'kubectl -n kube-system set env ds/weave-net -c weave IPALLOC_RANGE=<non-overlapping-cidr>',
    );
    expect(runCheck(weaveCheck, s).map((x) => x.id)).toEqual(['cni.weave.ipalloc-overlap']);
  });
});

describe('cni.network-policy-unsupported', () => {
  it('warns that Flannel alone ignores NetworkPolicies, naming them (the guide: Flannel은 네트워크 정책을 지원하지 않음)', () => {
    const s = withChanges(kubeadmFlannel(), (s) => {
      s.networkPolicies = [policy('payments', 'deny-all'), policy('web', 'allow-frontend')];
    });
    const f = expectFinding(networkPolicyCheck, s, 'cni.network-policy-unsupported');
    expect(f.severity).toBe('warning');
    expect(f.evidence).toContain('networkpolicy/payments/deny-all');
    const ko = runCheck(networkPolicyCheck, s, 'ko')[0]!;
    expect(ko.detail).toContain('Flannel은 현재 쿠버네티스 네트워크 정책을 지원하지 않으므로');
  });

  it('is silent for Canal, Calico, k3s and Flannel without policies', () => {
    for (const healthy of [kubeadmCanal(), kubeadmCalico(), k3s()]) {
      const s = withChanges(healthy, (s) => {
        s.networkPolicies = [policy('web', 'deny')];
      });
      expect(runCheck(networkPolicyCheck, s)).toEqual([]);
    }
    expect(runCheck(networkPolicyCheck, kubeadmFlannel())).toEqual([]);
  });
});

describe('cni.agent-crashloop / cni.agent-not-ready (fallbacks)', () => {
  it('quotes the last log line of a crash-looping flannel pod with no known cause', () => {
    const name = 'kube-flannel-ds-amd64-qq7wr';
    const s = withChanges(kubeadmLegacyFlannel(), (s) => {
      crashLoop(s, name, 'kube-flannel', 4);
      setLogs(s, 'kube-system', name, 'kube-flannel', {
        previous:
          "E1127 06:01:02.000000 1 main.go:228] Failed to create SubnetManager: error retrieving pod spec for 'kube-system/kube-flannel-ds-amd64-qq7wr': Unauthorized\n",
      });
    });
    const f = expectFinding(agentHealthCheck, s, 'cni.agent-crashloop');
    expect(f.detail).toContain('kube-system/kube-flannel-ds-amd64');
    expect(f.evidence).toContain(`${name} 0/1 CrashLoopBackOff (restarts 4) on worker-1`);
    expect(f.evidence.some((e) => e.includes('Failed to create SubnetManager'))).toBe(true);
    expect(commands(f)).toContain(`kubectl -n kube-system logs ${name} -c kube-flannel --previous`);
  });

  it('reports an unready agent, and a NotReady node the DaemonSet never reached', () => {
    const s = withChanges(kubeadmFlannel(), (s) => {
      notReady(s, FLANNEL_PODS[0]!, 'kube-flannel');
      s.nodes.push(node({ name: 'worker-3', podCIDR: '10.244.3.0/24', ready: false }));
    });
    const f = expectFinding(agentHealthCheck, s, 'cni.agent-not-ready');
    expect(f.severity).toBe('critical');
    expect(f.detail).toContain('worker-3');
    expect(f.evidence).toContain(`${FLANNEL_PODS[0]} 0/1 Running on control-plane-1`);
  });

  it('leaves a down weave router to the Weave check but reports a crashing weave-npc', () => {
    const router = withChanges(kubeadmWeave(), (router) => {
      crashLoop(router, 'weave-net-6xk2d', 'weave', 2);
    });
    expect(runCheck(agentHealthCheck, router)).toEqual([]);
    const npc = withChanges(kubeadmWeave(), (npc) => {
      crashLoop(npc, 'weave-net-6xk2d', 'weave-npc', 2);
    });
    const f = expectFinding(agentHealthCheck, npc, 'cni.agent-crashloop');
    expect(f.evidence).toContain('weave-net-6xk2d 1/2 CrashLoopBackOff (restarts 2) on control-plane-1');
    expect(commands(f)).toContain('kubectl -n kube-system logs weave-net-6xk2d -c weave-npc --previous');
    expect(runCheck(weaveCheck, npc)).toEqual([]);
  });

  it('is silent for every healthy agent shape', () => {
    for (const s of [
      kubeadmFlannel(),
      kubeadmLegacyFlannel(),
      kubeadmCanal(),
      kubeadmWeave(),
      kubeadmCalico(),
      k3s(),
      gkeKubeDns(),
    ]) {
      expect(runCheck(agentHealthCheck, s)).toEqual([]);
    }
  });
});
