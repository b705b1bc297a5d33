import { describe, expect, it } from 'vitest';
import { crashAll, logAll, proxyConfigMap, proxyDs, withChanges } from '#test/fixtures/changes.ts';
import { eksProxyCluster, kubeadmProxyCluster } from '#test/fixtures/kube-proxy.ts';
import { expectFinding, runCheck } from '#test/support/checks.ts';
import type { Snapshot } from '../../check.ts';
import { absentKey } from '../../snapshot.ts';
import { apiServerCheck } from './apiserver.ts';
import { clusterCidrCheck } from './cluster-cidr.ts';
import { configErrorsCheck } from './config-errors.ts';
import { configPathCheck } from './config-path.ts';
import { configMapMissingCheck } from './configmap-missing.ts';
import { daemonSetMissingCheck } from './daemonset-missing.ts';
import { hostLimitsCheck } from './host-limits.ts';
import { proxyChecks } from './index.ts';
import { ipvsCheck } from './ipvs.ts';
import { kubeconfigCheck } from './kubeconfig.ts';
import { podHealthCheck } from './pod-health.ts';
import { rbacCheck } from './rbac.ts';
import { serviceAccountCheck } from './serviceaccount.ts';

function runAll(snapshot: Snapshot, lang: 'en' | 'ko' = 'en') {
  return proxyChecks.flatMap((c) => runCheck(c, snapshot, lang));
}

const PATH_LOG =
  'E1127 06:15:20.635373       1 run.go:74] "command failed" err="failed complete: open /var/lib/kube-proxy/configuration.conf: no such file or directory"';

describe('healthy clusters give no kube-proxy findings', () => {
  it('kubeadm, including the benign warnings in its logs and the privileged container', () => {
    expect(runAll(kubeadmProxyCluster())).toEqual([]);
  });

  it('kubeadm with the capabilities-only container shape (trap.kubeadm-proxy-privileged)', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      proxyDs(s).spec.template.spec.containers[0].securityContext = {
        capabilities: { add: ['NET_ADMIN', 'SYS_MODULE'] },
      };
    });
    expect(runAll(s)).toEqual([]);
  });

  it('EKS: --config=/var/lib/kube-proxy-config/config with ConfigMap kube-proxy-config is not a mismatch', () => {
    const s = eksProxyCluster();
    expect(s.fingerprint.flavor).toBe('eks');
    expect(s.fingerprint.proxyConfig).toEqual({
      configMap: 'kube-proxy-config',
      key: 'config',
      mountPath: '/var/lib/kube-proxy-config',
    });
    expect(runAll(s)).toEqual([]);
  });

  it('an IPVSDeprecation event and lenient-decoding warnings are not findings', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      proxyConfigMap(s).data['config.conf'] = proxyConfigMap(s).data['config.conf'].replace('mode: ""', 'mode: ipvs');
      s.events.push({
        metadata: { name: 'cp-1.ipvs', namespace: 'default' },
        type: 'Warning',
        reason: 'IPVSDeprecation',
        involvedObject: { kind: 'Node', name: 'cp-1' },
        message:
          "The ipvs proxier is now deprecated and may be removed in a future release. Please use 'nftables' instead.",
      });
      logAll(
        s,
        'W1127 06:00:01.1 1 options.go:300] using lenient decoding as strict decoding failed: strict decoder error for ...: unknown field "udpIdleTimeout"',
      );
    });
    expect(runAll(s)).toEqual([]);
  });

  it('a pod that restarted once and is Ready again is not a finding', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      s.pods[0]!.status.containerStatuses[0].restartCount = 1;
    });
    expect(runAll(s)).toEqual([]);
  });
});

describe('kube-proxy.config-path-mismatch', () => {
  const broken = () =>
    withChanges(kubeadmProxyCluster(), (s) => {
      proxyDs(s).spec.template.spec.containers[0].command[1] = '--config=/var/lib/kube-proxy/configuration.conf';
      crashAll(s, PATH_LOG);
    });

  it('cross-checks the --config flag with the ConfigMap keys and quotes the crash', () => {
    const [f, ...rest] = expectFinding(configPathCheck, broken());
    expect(rest).toEqual([]);
    expect(f!.id).toBe('kube-proxy.config-path-mismatch');
    expect(f!.severity).toBe('critical');
    expect(f!.detail).toContain('--config=/var/lib/kube-proxy/configuration.conf');
    expect(f!.detail).toContain('config.conf, kubeconfig.conf');
    expect(f!.evidence).toContain('ds/kube-proxy command[1]: --config=/var/lib/kube-proxy/configuration.conf');
    expect(f!.evidence).toContain('kube-proxy-2kx9v 0/1 CrashLoopBackOff (restarts 7) on cp-1');
    expect(f!.evidence.some((e) => e.includes('failed complete: open /var/lib/kube-proxy/configuration.conf'))).toBe(
      true,
    );
    expect(f!.runbook.map((s) => s.command)).toContain(
      `kubectl -n kube-system patch ds kube-proxy --type=json -p='[{"op":"replace","path":"/spec/template/spec/containers/0/command/1","value":"--config=/var/lib/kube-proxy/config.conf"}]'`,
    );
    expect(f!.runbook[0]!.command).toBe('kubectl -n kube-system get pods | grep kube-proxy');
    expect(f!.runbook[1]!.command).toBe('kubectl -n kube-system logs kube-proxy-2kx9v --previous');
    expect(f!.remediation?.id).toBe('kube-proxy.fix-config-path');
  });

  it('is the only finding on the whole kube-proxy component (the crashloop fallback stays silent after linking)', () => {
    const ids = runAll(broken()).map((f) => f.id);
    expect(ids).toContain('kube-proxy.config-path-mismatch');
    expect(ids).not.toContain('kube-proxy.config-decode-error');
    expect(ids).not.toContain('kube-proxy.kubeconfig-missing-or-invalid');
  });

  it('is found from the DaemonSet alone, before pods restart', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      proxyDs(s).spec.template.spec.containers[0].command[1] = '--config=/var/lib/kube-proxy/configuration.conf';
    });
    expect(expectFinding(configPathCheck, s).map((f) => f.id)).toEqual(['kube-proxy.config-path-mismatch']);
  });

  it('offers no automated fix on EKS-shaped clusters', () => {
    const s = withChanges(eksProxyCluster(), (s) => {
      proxyDs(s).spec.template.spec.containers[0].command[2] = '--config=/var/lib/kube-proxy-config/conf';
    });
    const [f] = expectFinding(configPathCheck, s);
    expect(f!.remediation).toBeUndefined();
    expect(
      f!.runbook.some((step) => step.command?.includes('"value":"--config=/var/lib/kube-proxy-config/config"')),
    ).toBe(true);
  });

  it('speaks Korean', () => {
    const [f] = runCheck(configPathCheck, broken(), 'ko');
    expect(f!.title).toBe('kube-proxy --config가 존재하지 않는 파일을 가리킴');
  });
});

describe('kube-proxy.configmap-missing', () => {
  it('reports the FailedMount and the 404', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      s.configMaps = s.configMaps.filter((c) => c.metadata.name !== 'kube-proxy');
      s.absent!.push(absentKey('configmaps', 'kube-system', 'kube-proxy'));
      s.events.push({
        metadata: { name: 'e', namespace: 'kube-system' },
        type: 'Warning',
        reason: 'FailedMount',
        count: 9,
        involvedObject: { kind: 'Pod', name: 'kube-proxy-2kx9v', namespace: 'kube-system' },
        message: 'MountVolume.SetUp failed for volume "kube-proxy" : configmap "kube-proxy" not found',
      });
    });
    const findings = runAll(s);
    expect(findings.map((f) => f.id)).toEqual(['kube-proxy.configmap-missing']);
    expect(findings[0]!.evidence).toContain('configmap/kube-proxy: NotFound');
    expect(findings[0]!.evidence.some((e) => e.startsWith('Warning FailedMount pod/kube-proxy-2kx9v (x9)'))).toBe(true);
  });

  it('is silent when the ConfigMap was simply not read', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      s.configMaps = s.configMaps.filter((c) => c.metadata.name !== 'kube-proxy');
    });
    expect(expectFinding(configMapMissingCheck, s)).toEqual([]);
  });
});

describe('kube-proxy.config-decode-error and config-validation-error', () => {
  it('flags an invalid mode from the ConfigMap before any pod crashes, with the AUTO-SAFE reset', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      proxyConfigMap(s).data['config.conf'] = proxyConfigMap(s).data['config.conf'].replace('mode: ""', 'mode: ipvss');
    });
    const [f, ...rest] = expectFinding(configErrorsCheck, s);
    expect(rest).toEqual([]);
    expect(f!.id).toBe('kube-proxy.config-validation-error');
    expect(f!.title).toBe('kube-proxy mode "ipvss" is not valid');
    expect(f!.remediation?.id).toBe('kube-proxy.reset-mode');
  });

  it('accepts every valid mode', () => {
    for (const mode of ['iptables', 'ipvs', 'nftables', '""']) {
      const s = withChanges(kubeadmProxyCluster(), (s) => {
        proxyConfigMap(s).data['config.conf'] = proxyConfigMap(s).data['config.conf'].replace(
          'mode: ""',
          `mode: ${mode}`,
        );
      });
      expect(expectFinding(configErrorsCheck, s)).toEqual([]);
    }
  });

  it('recognises the validation failure in the log', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      crashAll(
        s,
        'E1127 1 run.go:74] "command failed" err="failed validate: KubeProxyConfiguration.IPTables.SyncPeriod: Invalid value: 0: must be greater than 0"',
      );
    });
    const [f] = expectFinding(configErrorsCheck, s);
    expect(f!.id).toBe('kube-proxy.config-validation-error');
    expect(f!.remediation).toBeUndefined();
  });

  it('flags a kubeconfig passed as the configuration', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      const data = proxyConfigMap(s).data;
      data['config.conf'] = data['kubeconfig.conf'];
      crashAll(
        s,
        'E1127 1 run.go:74] "command failed" err="failed complete: failed to decode: no kind \\"Config\\" is registered for version \\"v1\\" in scheme \\"k8s.io/kubernetes/pkg/proxy/apis/config/scheme/scheme.go:29\\""',
      );
    });
    const findings = expectFinding(configErrorsCheck, s);
    expect(findings.map((f) => f.id)).toEqual(['kube-proxy.config-decode-error']);
    expect(findings[0]!.detail).toContain('kubeconfig (kind: Config)');
    expect(findings[0]!.evidence.some((e) => e.includes('no kind'))).toBe(true);
  });

  it('flags broken YAML', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      proxyConfigMap(s).data['config.conf'] = 'mode: [ipvs\nkind: KubeProxyConfiguration';
    });
    expect(expectFinding(configErrorsCheck, s).map((f) => f.id)).toEqual(['kube-proxy.config-decode-error']);
  });
});

describe('kube-proxy.kubeconfig-missing-or-invalid', () => {
  it('flags clientConnection.kubeconfig naming a key the ConfigMap lacks', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      const data = proxyConfigMap(s).data;
      data['config.conf'] = data['config.conf'].replace(
        '/var/lib/kube-proxy/kubeconfig.conf',
        '/var/lib/kube-proxy/kubeconfig',
      );
    });
    const [f] = expectFinding(kubeconfigCheck, s);
    expect(f!.detail).toContain('ConfigMap kube-proxy has no key kubeconfig');
  });

  it('flags a kubeconfig without a server, and the load error in the log', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      const data = proxyConfigMap(s).data;
      data['kubeconfig.conf'] = data['kubeconfig.conf'].replace('    server: https://controlplane:6443\n', '');
      logAll(
        s,
        'E1127 1 server.go:558] "Error running ProxyServer" err="invalid configuration: no server found for cluster \\"default\\""',
      );
    });
    const [f] = expectFinding(kubeconfigCheck, s);
    expect(f!.detail).toContain('has no server');
    expect(f!.evidence.some((e) => e.includes('no server found for cluster'))).toBe(true);
  });
});

describe('kube-proxy.apiserver-unreachable', () => {
  it('compares server: with controlPlaneEndpoint and quotes the dial error', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      const data = proxyConfigMap(s).data;
      data['kubeconfig.conf'] = data['kubeconfig.conf'].replace('https://controlplane:6443', 'https://10.0.0.99:6443');
      logAll(
        s,
        'E1127 06:01:00.523456       1 server.go:666] "Failed to retrieve node info" err="Get \\"https://10.0.0.99:6443/api/v1/nodes/cp-1\\": dial tcp 10.0.0.99:6443: connect: connection refused"',
      );
    });
    const [f] = expectFinding(apiServerCheck, s);
    expect(f!.detail).toBe(
      'kubeconfig.conf in ConfigMap kube-system/kube-proxy sends kube-proxy to https://10.0.0.99:6443, but the API server is at https://controlplane:6443.',
    );
    expect(f!.evidence.some((e) => e.includes('dial tcp 10.0.0.99:6443'))).toBe(true);
    // The pods look fine: that is exactly why the config and logs are read.
    expect(f!.evidence).toContain('kube-proxy-2kx9v 1/1 Running on cp-1');
  });

  it('judges an IP server against the kubernetes endpoints when kubeadm-config is absent', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      s.configMaps = s.configMaps.filter((c) => c.metadata.name !== 'kubeadm-config');
      const data = proxyConfigMap(s).data;
      data['kubeconfig.conf'] = data['kubeconfig.conf'].replace('https://controlplane:6443', 'https://10.0.0.99:6443');
    });
    expect(expectFinding(apiServerCheck, s)[0]!.detail).toContain('the API server is at https://192.168.0.10:6443');
  });

  it('accepts the live endpoint address and the EKS hostname', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      const data = proxyConfigMap(s).data;
      data['kubeconfig.conf'] = data['kubeconfig.conf'].replace(
        'https://controlplane:6443',
        'https://192.168.0.10:6443',
      );
    });
    expect(expectFinding(apiServerCheck, s)).toEqual([]);
    expect(expectFinding(apiServerCheck, eksProxyCluster())).toEqual([]);
  });

  it('reports a node name that does not exist', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      logAll(
        s,
        'E0805 15:22:08.949152       1 node.go:152] Failed to retrieve node info: nodes "ip-10-0-0-1" not found',
      );
    });
    expect(expectFinding(apiServerCheck, s)[0]!.detail).toContain('--hostname-override');
  });
});

describe('kube-proxy.rbac-forbidden', () => {
  it('reports a missing kubeadm:node-proxier binding with the AUTO-SAFE re-create', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      s.clusterRoleBindings = [];
      s.absent!.push(absentKey('clusterrolebindings', undefined, 'kubeadm:node-proxier'));
    });
    const [f] = expectFinding(rbacCheck, s);
    expect(f!.evidence).toContain('clusterrolebinding/kubeadm:node-proxier: NotFound');
    expect(f!.runbook.map((s) => s.command)).toContain(
      'kubectl create clusterrolebinding kubeadm:node-proxier --clusterrole=system:node-proxier --serviceaccount=kube-system:kube-proxy',
    );
    expect(f!.remediation?.id).toBe('kube-proxy.recreate-node-proxier-binding');
  });

  it('reports a binding to the wrong role', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      s.clusterRoleBindings[0]!.roleRef.name = 'view';
    });
    expect(expectFinding(rbacCheck, s)[0]!.detail).toContain('roleRef ClusterRole/view');
  });

  it('reports forbidden lines in the log, on any flavour, without an automated fix on EKS', () => {
    const s = withChanges(eksProxyCluster(), (s) => {
      logAll(
        s,
        'E1127 1 reflector.go:158] "Unhandled Error" err="failed to list *v1.EndpointSlice: endpointslices.discovery.k8s.io is forbidden: User \\"system:serviceaccount:kube-system:kube-proxy\\" cannot list resource \\"endpointslices\\" in API group \\"discovery.k8s.io\\" at the cluster scope"',
      );
    });
    const [f] = expectFinding(rbacCheck, s);
    expect(f!.evidence.some((e) => e.includes('is forbidden'))).toBe(true);
    expect(f!.remediation).toBeUndefined();
  });

  it('does not judge the kubeadm binding name on EKS', () => {
    expect(expectFinding(rbacCheck, eksProxyCluster())).toEqual([]);
  });
});

describe('kube-proxy.serviceaccount-missing', () => {
  it('reports the missing ServiceAccount and the FailedCreate event', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      s.serviceAccounts = [];
      s.events.push({
        metadata: { name: 'e', namespace: 'kube-system' },
        type: 'Warning',
        reason: 'FailedCreate',
        involvedObject: { kind: 'DaemonSet', name: 'kube-proxy', namespace: 'kube-system' },
        message:
          'Error creating: pods "kube-proxy-" is forbidden: error looking up service account kube-system/kube-proxy: serviceaccount "kube-proxy" not found',
      });
    });
    const [f] = expectFinding(serviceAccountCheck, s);
    expect(f!.remediation?.id).toBe('kube-proxy.create-serviceaccount');
    expect(f!.runbook.at(-1)!.command).toBe('kubectl -n kube-system create serviceaccount kube-proxy');
  });

  it('is silent when the ServiceAccount list failed', async () => {
    const { ClusterError } = await import('../../cluster-reader.ts');
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      s.serviceAccounts = [];
      s.failures.push({
        components: ['kube-proxy'],
        error: new ClusterError({
          kind: 'forbidden',
          message: 'x',
          verb: 'list',
          resource: 'serviceaccounts',
          namespace: 'kube-system',
        }),
      });
    });
    expect(expectFinding(serviceAccountCheck, s)).toEqual([]);
  });
});

describe('kube-proxy.daemonset-missing', () => {
  it('reports a kubeadm cluster without kube-proxy', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      s.daemonSets = s.daemonSets.filter((d) => d.metadata.name !== 'kube-proxy');
      s.pods = [];
    });
    expect(s.fingerprint.proxy).toBe('missing');
    expect(runAll(s).map((f) => f.id)).toEqual(['kube-proxy.daemonset-missing']);
  });

  it('is suppressed by Cilium kube-proxy replacement (trap.cilium-kube-proxy-replacement)', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      s.daemonSets = [{ metadata: { name: 'cilium', namespace: 'kube-system', labels: { 'k8s-app': 'cilium' } } }];
      s.pods = [];
      s.configMaps.push({
        metadata: { name: 'cilium-config', namespace: 'kube-system' },
        data: { 'kube-proxy-replacement': 'true' },
      });
    });
    expect(s.fingerprint.proxy).toBe('cilium-kpr');
    expect(runAll(s)).toEqual([]);
  });

  it('is not reported on GKE, which manages kube-proxy itself', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      s.daemonSets = [];
      s.pods = [];
      s.configMaps = [];
      s.deployments = [
        {
          metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
          spec: { template: { spec: { containers: [{ name: 'kubedns' }, { name: 'dnsmasq' }, { name: 'sidecar' }] } } },
        },
      ];
    });
    expect([s.fingerprint.flavor, s.fingerprint.proxy]).toEqual(['gke', 'missing']);
    expect(expectFinding(daemonSetMissingCheck, s)).toEqual([]);
  });

  it('is suppressed by Calico eBPF parking kube-proxy on a non-calico node selector', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      proxyDs(s).spec.template.spec.nodeSelector = { 'kubernetes.io/os': 'linux', 'non-calico': 'true' };
      proxyDs(s).status = { desiredNumberScheduled: 0, numberReady: 0 };
      s.pods = [];
    });
    expect(s.fingerprint.proxy).toBe('calico-ebpf');
    expect(runAll(s)).toEqual([]);
  });

  it('is silent when the DaemonSet list failed', async () => {
    const { ClusterError } = await import('../../cluster-reader.ts');
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      s.daemonSets = [];
      s.pods = [];
      s.failures.push({
        components: ['kube-proxy'],
        error: new ClusterError({
          kind: 'timeout',
          message: 'x',
          verb: 'list',
          resource: 'daemonsets',
          namespace: 'kube-system',
        }),
      });
    });
    expect(expectFinding(daemonSetMissingCheck, s)).toEqual([]);
  });
});

describe('host limits and IPVS', () => {
  it('kube-proxy.conntrack-sysctl-permission', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) =>
      crashAll(
        s,
        "I0513 1 conntrack.go:100] Set sysctl 'net/netfilter/nf_conntrack_max' to 524288\nF0513 1 server.go:495] open /proc/sys/net/netfilter/nf_conntrack_max: permission denied",
      ),
    );
    expect(expectFinding(hostLimitsCheck, s).map((f) => f.id)).toEqual(['kube-proxy.conntrack-sysctl-permission']);
  });

  it('kube-proxy.inotify-exhausted', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) =>
      crashAll(
        s,
        'E0319 21:27:41.893683       1 run.go:72] "command failed" err="failed complete: too many open files"',
      ),
    );
    const findings = runAll(s).map((f) => f.id);
    expect(findings).toContain('kube-proxy.inotify-exhausted');
    expect(findings).not.toContain('kube-proxy.config-path-mismatch');
  });

  it('kube-proxy.ipvs-unavailable is critical now and a warning in the fallback era', () => {
    const fatal = withChanges(kubeadmProxyCluster(), (s) =>
      crashAll(
        s,
        'E1127 1 server_linux.go:1] "Could not create dummy VS" err="no such file or directory" scheduler="r"\nE1127 1 run.go:74] "command failed" err="can\'t use the IPVS proxier: no such file or directory"',
      ),
    );
    expect(expectFinding(ipvsCheck, fatal)[0]!.severity).toBe('critical');
    const fallback = withChanges(kubeadmProxyCluster(), (s) =>
      logAll(
        s,
        "E0626 1 server_others.go:127] Can't use the IPVS proxier: IPVS proxier will not be used because the following required kernel modules are not loaded: [ip_vs ip_vs_rr ip_vs_wrr ip_vs_sh]",
      ),
    );
    expect(expectFinding(ipvsCheck, fallback)[0]!.severity).toBe('warning');
  });
});

describe('kube-proxy.cluster-cidr-mismatch', () => {
  it('warns when node pod CIDRs lie outside clusterCIDR', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      const data = proxyConfigMap(s).data;
      data['config.conf'] = data['config.conf'].replace('clusterCIDR: 10.244.0.0/16', 'clusterCIDR: 192.168.0.0/16');
    });
    const [f] = expectFinding(clusterCidrCheck, s);
    expect(f!.severity).toBe('warning');
    expect(f!.detail).toContain('cp-1 10.244.0.0/24');
  });

  it('handles dual-stack clusterCIDR', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      const data = proxyConfigMap(s).data;
      data['config.conf'] = data['config.conf'].replace(
        'clusterCIDR: 10.244.0.0/16',
        'clusterCIDR: 10.244.0.0/16,fd00:10:244::/56',
      );
      s.nodes[0]!.spec.podCIDRs = ['10.244.0.0/24', 'fd00:10:244::/64'];
    });
    expect(expectFinding(clusterCidrCheck, s)).toEqual([]);
  });
});

describe('generic fallbacks', () => {
  it('kube-proxy.crashloop quotes the last error line, skipping benign warnings', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) =>
      crashAll(
        s,
        'E1127 1 run.go:74] "command failed" err="something new and strange"\nW1127 1 options.go:300] Using lenient decoding as strict decoding failed',
      ),
    );
    const findings = runAll(s);
    expect(findings.map((f) => f.id)).toEqual(['kube-proxy.crashloop']);
    expect(findings[0]!.evidence).toContain(
      'kube-proxy-2kx9v: E1127 1 run.go:74] "command failed" err="something new and strange"',
    );
  });

  it('kube-proxy.pods-not-ready for image pull failures', () => {
    const s = withChanges(kubeadmProxyCluster(), (s) => {
      s.pods[1]!.status = {
        phase: 'Pending',
        containerStatuses: [
          { name: 'kube-proxy', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } },
        ],
      };
    });
    const [f] = expectFinding(podHealthCheck, s);
    expect(f!.id).toBe('kube-proxy.pods-not-ready');
    expect(f!.detail).toContain('1 of 3 kube-proxy pods are not ready (ImagePullBackOff)');
  });
});

describe('every kube-proxy check', () => {
  it('declares unique names and only kube-proxy ids', () => {
    const names = proxyChecks.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const check of proxyChecks) {
      expect(check.component).toBe('kube-proxy');
      for (const id of check.emits) expect(id.startsWith('kube-proxy.')).toBe(true);
    }
  });
});
