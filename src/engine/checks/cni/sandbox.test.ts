// CNI failures seen through FailedCreatePodSandBox events on application pods.
import { describe, expect, it } from 'vitest';
import { crashLoop, findPod, withChanges } from '#test/fixtures/changes.ts';
import {
  CALICO_PODS,
  eks,
  event,
  FLANNEL_PODS,
  kubeadmCalico,
  kubeadmCilium,
  kubeadmFlannel,
  kubeadmOperatorCalico,
  kubeadmWeave,
} from '#test/fixtures/clusters.ts';
import { commands, expectFinding, runCheck } from '#test/support/checks.ts';
import { awsCheck } from './aws.ts';
import { calicoCheck } from './calico.ts';
import { ciliumCheck } from './cilium.ts';
import { conflictingCheck } from './conflicting.ts';
import { flannelCheck } from './flannel.ts';
import { pluginBinaryCheck } from './plugin-binary.ts';
import { sandboxFailedCheck } from './sandbox-failed.ts';
import { weaveCheck } from './weave.ts';

const SANDBOX =
  'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "3f2a9c41d7e8": ';

function sandboxEvent(tail: string, node = 'worker-2') {
  return event({
    reason: 'FailedCreatePodSandBox',
    namespace: 'default',
    name: 'web-6d4cf56db6-abcde',
    node,
    message: SANDBOX + tail,
    count: 12,
  });
}

describe('cni.plugin-binary-missing', () => {
  it('reports a missing reference plugin as a node-level install', () => {
    const s = withChanges(kubeadmFlannel(), (s) => {
      s.events.push(
        sandboxEvent('plugin type="loopback" failed (add): failed to find plugin "loopback" in path [/opt/cni/bin]'),
      );
    });
    const f = expectFinding(pluginBinaryCheck, s, 'cni.plugin-binary-missing');
    expect(f.title).toContain('"loopback"');
    expect(f.evidence[0]).toContain('Warning FailedCreatePodSandBox pod/web-6d4cf56db6-abcde (x12)');
    expect(f.detail).toContain('worker-2');
    expect(f.remediation).toBeUndefined();
  });

  it('restarts the CNI agent on that node when the missing binary is the agent’s own', () => {
    const s = withChanges(kubeadmFlannel(), (s) => {
      s.events.push(
        sandboxEvent('plugin type="flannel" failed (add): failed to find plugin "flannel" in path [/opt/cni/bin]'),
      );
    });
    const f = expectFinding(pluginBinaryCheck, s, 'cni.plugin-binary-missing');
    expect(f.remediation?.id).toBe('cni.restart-agent-on-node');
    expect(commands(f)).toContain(
      'kubectl -n kube-flannel delete pod -l app=flannel --field-selector spec.nodeName=worker-2',
    );
  });
});

describe('cni.flannel.subnet-env-missing', () => {
  it('names the flannel pod on the node whose sandboxes fail', () => {
    const s = withChanges(kubeadmFlannel(), (s) => {
      crashLoop(s, FLANNEL_PODS[2]!, 'kube-flannel', 6);
      s.events.push(
        sandboxEvent(
          'plugin type="flannel" failed (add): loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory',
        ),
      );
    });
    const f = expectFinding(flannelCheck, s, 'cni.flannel.subnet-env-missing');
    expect(f.evidence).toContain(`${FLANNEL_PODS[2]} 0/1 CrashLoopBackOff (restarts 6) on worker-2`);
    expect(f.remediation?.id).toBe('cni.flannel.restart');
    expect(commands(f)).toContain('kubectl -n kube-flannel rollout restart ds/kube-flannel-ds');
  });
});

describe('cni.calico.node-agent-down', () => {
  it('reports the sandbox nodename error together with the crash-looping calico-node', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      crashLoop(s, CALICO_PODS[2]!, 'calico-node', 11);
      s.events.push(
        sandboxEvent(
          'plugin type="calico" failed (add): stat /var/lib/calico/nodename: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/',
        ),
      );
    });
    const f = expectFinding(calicoCheck, s, 'cni.calico.node-agent-down');
    expect(f.severity).toBe('critical');
    expect(f.evidence).toContain(`${CALICO_PODS[2]} 0/1 CrashLoopBackOff (restarts 11) on worker-2`);
    expect(f.evidence.some((e) => e.includes('stat /var/lib/calico/nodename'))).toBe(true);
    expect(f.remediation?.id).toBe('cni.calico.restart-node-agent');
    expect(commands(f)).toContain(`kubectl -n kube-system logs ${CALICO_PODS[2]} -c calico-node --previous`);
    expect(commands(f)).toContain('kubectl -n kube-system rollout restart ds/calico-node');
  });

  it('points at the failing init container and uses calico-system for operator installs', () => {
    const name = CALICO_PODS[1]!;
    const s = withChanges(kubeadmOperatorCalico(), (s) => {
      const p = findPod(s, name);
      p.status.initContainerStatuses[1] = {
        name: 'install-cni',
        ready: false,
        restartCount: 4,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
      };
      p.status.conditions = [{ type: 'Ready', status: 'False' }];
      p.status.containerStatuses[0].ready = false;
      p.status.containerStatuses[0].state = { waiting: { reason: 'PodInitializing' } };
    });
    const f = expectFinding(calicoCheck, s, 'cni.calico.node-agent-down');
    expect(f.evidence).toContain(`${name} 0/1 Init:CrashLoopBackOff (restarts 4) on worker-1`);
    expect(f.detail).toContain('calico-system/calico-node');
    expect(commands(f)).toContain(`kubectl -n calico-system logs ${name} -c install-cni`);
    expect(commands(f)).toContain('kubectl -n calico-system delete pod -l k8s-app=calico-node');
  });
});

describe('cni.calico.bgp-peering-down', () => {
  it('reports Running 0/1 calico-node with BGP readiness failures, naming the peers', () => {
    const name = CALICO_PODS[1]!;
    const s = withChanges(kubeadmCalico(), (s) => {
      const p = findPod(s, name);
      p.status.conditions = [{ type: 'Ready', status: 'False' }];
      p.status.containerStatuses[0].ready = false;
      s.events.push(
        event({
          reason: 'Unhealthy',
          name,
          message:
            'Readiness probe failed: calico/node is not ready: BIRD is not ready: BGP not established with 10.0.0.11,10.0.0.12',
          count: 40,
        }),
      );
    });
    const f = expectFinding(calicoCheck, s, 'cni.calico.bgp-peering-down');
    expect(f.detail).toContain('10.0.0.11, 10.0.0.12');
    expect(commands(f)).toContain('nc -zv 10.0.0.11 179');
    expect(commands(f)).toContain('IP_AUTODETECTION_METHOD=interface=<if>');
    expect(runCheck(calicoCheck, s).map((x) => x.id)).toEqual(['cni.calico.bgp-peering-down']);
  });
});

describe('cni.weave.router-unreachable', () => {
  it('reports connection refused on 6784 and restarts the weave-net pod on that node', () => {
    const name = 'weave-net-n4m7r';
    const s = withChanges(kubeadmWeave(), (s) => {
      crashLoop(s, name, 'weave', 3);
      s.events.push(
        sandboxEvent(
          'plugin type="weave-net" name="weave" failed (add): unable to allocate IP address: Post "http://127.0.0.1:6784/ip/3f2a9c41d7e8": dial tcp 127.0.0.1:6784: connect: connection refused',
        ),
      );
    });
    const f = expectFinding(weaveCheck, s, 'cni.weave.router-unreachable');
    expect(f.evidence).toContain(`${name} 1/2 CrashLoopBackOff (restarts 3) on worker-2`);
    expect(commands(f)).toContain(`kubectl -n kube-system delete pod ${name}`);
    expect(f.runbook.some((st) => st.text.includes('v2.8.1'))).toBe(true);
  });
});

describe('cni.cilium.agent-unreachable', () => {
  it('reports the cilium.sock error and the agent pod on that node', () => {
    const s = withChanges(kubeadmCilium(), (s) => {
      crashLoop(s, 'cilium-w8d4t', 'cilium-agent', 2);
      s.events.push(
        sandboxEvent(
          'plugin type="cilium-cni" failed (add): unable to connect to Cilium agent: failed to create cilium agent client after 30.000000 seconds timeout: Get "http://localhost/v1/config": dial unix /var/run/cilium/cilium.sock: connect: no such file or directory',
        ),
      );
    });
    const f = expectFinding(ciliumCheck, s, 'cni.cilium.agent-unreachable');
    expect(f.evidence).toContain('cilium-w8d4t 0/1 CrashLoopBackOff (restarts 2) on worker-2');
    expect(commands(f)).toContain('kubectl -n kube-system logs cilium-w8d4t -c cilium-agent --previous');
    expect(commands(f)).toContain(
      'kubectl -n kube-system delete pod -l k8s-app=cilium --field-selector spec.nodeName=worker-2',
    );
  });
});

describe('cni.aws.ipamd-unavailable-or-ip-exhausted', () => {
  it('reports IP assignment failures on EKS', () => {
    const s = withChanges(eks(), (s) => {
      s.events.push(
        sandboxEvent(
          'plugin type="aws-cni" name="aws-cni" failed (add): add cmd: failed to assign an IP address to container',
          'ip-10-0-1-23.ec2.internal',
        ),
      );
    });
    const f = expectFinding(awsCheck, s, 'cni.aws.ipamd-unavailable-or-ip-exhausted');
    expect(f.detail).toContain('ip-10-0-1-23.ec2.internal');
    expect(commands(f)).toContain('ENABLE_PREFIX_DELEGATION=true');
    expect(f.remediation).toBeUndefined();
  });

  it('does not expect aws-node on Fargate nodes', () => {
    expect(runCheck(awsCheck, eks())).toEqual([]);
  });
});

describe('cni.conflicting-plugins', () => {
  it('reports a sandbox error from a CNI that is not installed (leftover config)', () => {
    const s = withChanges(eks(), (s) => {
      s.events.push(
        sandboxEvent(
          'plugin type="cilium-cni" failed (add): unable to connect to Cilium daemon: failed to create cilium agent client after 30.000000 seconds timeout',
          'ip-10-0-2-45.ec2.internal',
        ),
      );
    });
    const f = expectFinding(conflictingCheck, s, 'cni.conflicting-plugins');
    expect(f.detail).toContain('"cilium-cni"');
    expect(f.detail).toContain('AWS VPC CNI');
    expect(commands(f)).toContain('sudo rm /etc/cni/net.d/05-cilium.conflist');
    expect(runCheck(ciliumCheck, s)).toEqual([]);
  });

  it('reports two CNI DaemonSets from the fingerprint', () => {
    const s = withChanges(kubeadmFlannel(), (s) => {
      s.fingerprint = { ...s.fingerprint, extraCnis: ['weave'] };
    });
    const f = expectFinding(conflictingCheck, s, 'cni.conflicting-plugins');
    expect(f.evidence).toContain('daemonset kube-flannel/kube-flannel-ds (Flannel)');
    expect(f.evidence).toContain('daemonset kube-system/weave-net (Weave Net)');
  });

  it('accepts generic plugin types and the installed CNI’s own type', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      s.events.push(
        sandboxEvent('plugin type="calico" failed (add): error getting ClusterInformation: connection is unauthorized'),
      );
      s.events.push(sandboxEvent('plugin type="portmap" failed (add): failed to set up portmap'));
    });
    expect(runCheck(conflictingCheck, s)).toEqual([]);
  });
});

describe('cni.sandbox-failed (fallback)', () => {
  it('quotes an unrecognised CNI error and the agent pod on that node', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      s.events.push(
        sandboxEvent(
          'plugin type="calico" failed (add): error getting ClusterInformation: connection is unauthorized: Unauthorized',
        ),
      );
    });
    const f = expectFinding(sandboxFailedCheck, s, 'cni.sandbox-failed');
    expect(f.severity).toBe('critical');
    expect(f.detail).toContain('Calico reports: plugin type="calico" failed (add): error getting ClusterInformation');
    expect(f.evidence).toContain(`${CALICO_PODS[2]} 1/1 Running on worker-2`);
    expect(commands(f)).toContain('kubectl -n default describe pod web-6d4cf56db6-abcde');
  });

  it('stays quiet for errors a specific check explains, and on healthy clusters', () => {
    const s = withChanges(kubeadmFlannel(), (s) => {
      s.events.push(
        sandboxEvent(
          'plugin type="flannel" failed (add): loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory',
        ),
        sandboxEvent('plugin type="loopback" failed (add): failed to find plugin "loopback" in path [/opt/cni/bin]'),
        sandboxEvent('plugin type="cilium-cni" failed (add): unable to connect to Cilium daemon'),
      );
    });
    expect(runCheck(sandboxFailedCheck, s)).toEqual([]);
    expect(runCheck(sandboxFailedCheck, kubeadmCalico())).toEqual([]);
    // Two CNIs installed: cni.conflicting-plugins is the root cause of the cni0 bridge clash.
    const both = withChanges(kubeadmFlannel(), (both) => {
      both.fingerprint = { ...both.fingerprint, extraCnis: ['calico'] };
      both.events.push(
        sandboxEvent(
          'plugin type="flannel" failed (add): failed to delegate add: failed to set bridge addr: "cni0" already has an IP address different from 10.244.2.1/24',
        ),
      );
    });
    expect(runCheck(sandboxFailedCheck, both)).toEqual([]);
    expect(
      runCheck(conflictingCheck, both)[0]!.evidence.some((e) => e.includes('"cni0" already has an IP address')),
    ).toBe(true);
  });
});
