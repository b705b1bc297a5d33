// Pending, missing ConfigMap/ServiceAccount, image pulls and zero replicas: DNS pods that never start.
import { describe, expect, it } from 'vitest';
import { configMapOf, replacePod, withChanges } from '#test/fixtures/changes.ts';
import {
  COREDNS_PODS,
  COREDNS_RS,
  event,
  gkeKubeDns,
  k3s,
  kubeadmCalico,
  kubeadmNoCni,
  pod,
} from '#test/fixtures/clusters.ts';
import { commands, expectFinding, runCheck } from '#test/support/checks.ts';
import { configMapCheck } from './configmap.ts';
import { imagePullCheck } from './image-pull.ts';
import { noReplicasCheck } from './no-replicas.ts';
import { pendingCheck } from './pending.ts';
import { serviceAccountCheck } from './serviceaccount.ts';

const [POD, POD2] = COREDNS_PODS as [string, string];
const TAINT_MSG =
  '0/3 nodes are available: 3 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';

function unscheduled(s: ReturnType<typeof kubeadmCalico>, name: string) {
  const i = s.pods.findIndex((p) => p.metadata.name === name);
  s.pods[i] = pod({
    name,
    labels: s.pods[i]!.metadata.labels,
    owner: { kind: 'ReplicaSet', name: COREDNS_RS },
    containers: [{ name: 'coredns' }],
  });
}

describe('coredns.unschedulable-node-not-ready / coredns.pending', () => {
  it('blames NotReady nodes (no CNI) for Pending CoreDNS, following the guide: check the network plugin', () => {
    const s = withChanges(kubeadmNoCni(), (s) => {
      s.events.push(event({ reason: 'FailedScheduling', name: POD, message: TAINT_MSG }));
    });
    const f = expectFinding(pendingCheck, s, 'coredns.unschedulable-node-not-ready');
    expect(f.severity).toBe('critical');
    expect(f.evidence).toContain(`${POD} 0/1 Pending (not scheduled)`);
    expect(f.evidence).toContain(`Warning FailedScheduling pod/${POD}: ${TAINT_MSG}`);
    expect(
      f.evidence.some((e) => e.startsWith('node/control-plane-1 Ready=False: container runtime network not ready')),
    ).toBe(true);
    expect(f.detail).toContain('CNI');
    expect(f.runbook.some((st) => st.text.includes('not-ready toleration'))).toBe(true);
    expect(commands(f)).toContain('kubectl describe node control-plane-1');
  });

  it('reports other scheduling failures with the scheduler message as the reason', () => {
    const msg =
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory.';
    const s = withChanges(kubeadmCalico(), (s) => {
      unscheduled(s, POD2);
      s.events.push(event({ reason: 'FailedScheduling', name: POD2, message: msg, count: 4 }));
    });
    const f = expectFinding(pendingCheck, s, 'coredns.pending');
    expect(f.severity).toBe('warning'); // the other replica serves DNS
    expect(f.detail).toContain('Insufficient memory');
    expect(commands(f)).toContain(`kubectl -n kube-system describe pod ${POD2}`);
    expect(runCheck(pendingCheck, s).map((x) => x.id)).toEqual(['coredns.pending']);
  });

  it('leaves DNS pods stuck on a broken pod network to the CNI checks', () => {
    const msg =
      'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "9c2f": plugin type="calico" failed (add): error getting ClusterInformation: connection is unauthorized: Unauthorized';
    const s = withChanges(kubeadmCalico(), (s) => {
      replacePod(s, POD, { containers: [{ name: 'coredns', waiting: 'ContainerCreating' }] });
      s.events.push(event({ reason: 'FailedCreatePodSandBox', name: POD, message: msg, count: 6 }));
    });
    expect(runCheck(pendingCheck, s)).toEqual([]);
  });

  it('is silent when every DNS pod is scheduled', () => {
    expect(runCheck(pendingCheck, kubeadmCalico())).toEqual([]);
    expect(runCheck(pendingCheck, k3s())).toEqual([]);
    expect(runCheck(pendingCheck, gkeKubeDns())).toEqual([]);
  });
});

describe('coredns.configmap-missing / coredns.configmap-key-missing', () => {
  function containerCreating(s: ReturnType<typeof kubeadmCalico>, name: string) {
    replacePod(s, name, { containers: [{ name: 'coredns', waiting: 'ContainerCreating' }] });
  }

  it('reports a deleted coredns ConfigMap from the FailedMount event', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      s.configMaps = s.configMaps.filter((c) => c.metadata.name !== 'coredns');
      s.absent = ['configmaps/kube-system/coredns'];
      containerCreating(s, POD);
      s.events.push(
        event({
          reason: 'FailedMount',
          name: POD,
          message: 'MountVolume.SetUp failed for volume "config-volume" : configmap "coredns" not found',
          count: 9,
        }),
      );
    });
    const f = expectFinding(configMapCheck, s, 'coredns.configmap-missing');
    expect(f.severity).toBe('critical');
    expect(f.evidence[0]).toContain('configmap "coredns" not found');
    expect(f.evidence).toContain(`${POD} 0/1 ContainerCreating on worker-1`);
    expect(f.remediation?.id).toBe('coredns.restore-configmap');
    expect(commands(f)).toContain('kubectl -n kube-system create configmap coredns --from-file=Corefile=Corefile');
    expect(f.runbook.some((st) => st.text.includes('kubernetes cluster.local in-addr.arpa ip6.arpa'))).toBe(true);
  });

  it('reports a ConfigMap that lost its Corefile key', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      configMapOf(s, 'kube-system', 'coredns').data = { Corefile_old: 'x' };
    });
    const f = expectFinding(configMapCheck, s, 'coredns.configmap-key-missing');
    expect(f.title).toContain('Corefile');
    expect(f.evidence).toContain('configmap/coredns keys: Corefile_old');
    expect(commands(f)).toContain('kubectl -n kube-system get cm coredns -o yaml > coredns.bak.yaml');
  });

  it('knows k3s also needs NodeHosts, and that k3s re-creates it', () => {
    const s = withChanges(k3s(), (s) => {
      delete configMapOf(s, 'kube-system', 'coredns').data.NodeHosts;
      s.events.push(
        event({
          reason: 'FailedMount',
          name: s.pods[0]!.metadata.name,
          message:
            'MountVolume.SetUp failed for volume "config-volume" : configmap references non-existent config key: NodeHosts',
        }),
      );
    });
    const f = expectFinding(configMapCheck, s, 'coredns.configmap-key-missing');
    expect(f.title).toContain('NodeHosts');
    expect(commands(f)).toContain('systemctl restart k3s');
  });

  it('does not claim a ConfigMap is gone when it was merely not collected, and ignores optional kube-dns config', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      s.configMaps = s.configMaps.filter((c) => c.metadata.name !== 'coredns');
    });
    expect(runCheck(configMapCheck, s)).toEqual([]);
    expect(runCheck(configMapCheck, gkeKubeDns())).toEqual([]);
    expect(runCheck(configMapCheck, k3s())).toEqual([]);
  });
});

describe('coredns.serviceaccount-missing', () => {
  it('reports the ReplicaSet FailedCreate event and offers to create the ServiceAccount', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      s.serviceAccounts = s.serviceAccounts.filter((sa) => sa.metadata.name !== 'coredns');
      s.pods = s.pods.filter((p) => p.metadata.labels?.['k8s-app'] !== 'kube-dns');
      s.deployments[0]!.status = { replicas: 0, availableReplicas: 0 };
      s.events.push(
        event({
          reason: 'FailedCreate',
          kind: 'ReplicaSet',
          name: COREDNS_RS,
          message:
            'Error creating: pods "coredns-7db6d8ff4d-" is forbidden: error looking up service account kube-system/coredns: serviceaccount "coredns" not found',
          count: 15,
        }),
      );
    });
    const f = expectFinding(serviceAccountCheck, s, 'coredns.serviceaccount-missing');
    expect(f.severity).toBe('critical');
    expect(f.evidence[0]).toContain(`Warning FailedCreate replicaset/${COREDNS_RS} (x15): Error creating`);
    expect(f.remediation?.id).toBe('coredns.create-serviceaccount');
    expect(commands(f)).toContain('kubectl -n kube-system create serviceaccount coredns');
  });

  it('is silent when the ServiceAccount exists', () => {
    expect(runCheck(serviceAccountCheck, kubeadmCalico())).toEqual([]);
    expect(runCheck(serviceAccountCheck, gkeKubeDns())).toEqual([]);
  });
});

describe('coredns.image-pull', () => {
  it('reports ImagePullBackOff and suggests the nested coredns/coredns path', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      for (const p of COREDNS_PODS) {
        replacePod(s, p, {
          containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns:v1.8.6', waiting: 'ImagePullBackOff' }],
        });
      }
      s.events.push(
        event({
          reason: 'Failed',
          name: POD,
          message:
            'Failed to pull image "registry.k8s.io/coredns:v1.8.6": rpc error: code = NotFound desc = failed to pull and unpack image "registry.k8s.io/coredns:v1.8.6": not found',
        }),
      );
    });
    const f = expectFinding(imagePullCheck, s, 'coredns.image-pull');
    expect(f.severity).toBe('critical');
    expect(f.evidence).toContain(`${POD} 0/1 ImagePullBackOff on worker-1`);
    expect(commands(f)).toContain(
      'kubectl -n kube-system set image deploy/coredns coredns=registry.k8s.io/coredns/coredns:v1.8.6',
    );
  });

  it('is silent for pulled images', () => {
    expect(runCheck(imagePullCheck, kubeadmCalico())).toEqual([]);
  });
});

describe('coredns.no-replicas', () => {
  it('reports a Deployment scaled to zero with the scale-up remediation', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      s.deployments[0]!.spec.replicas = 0;
      s.pods = s.pods.filter((p) => p.metadata.labels?.['k8s-app'] !== 'kube-dns');
    });
    const f = expectFinding(noReplicasCheck, s, 'coredns.no-replicas');
    expect(f.severity).toBe('critical');
    expect(f.evidence[0]).toBe('deployment/coredns replicas: 0 (ready 2)');
    expect(f.remediation?.id).toBe('coredns.scale-up');
    expect(commands(f)).toContain('kubectl -n kube-system scale deploy/coredns --replicas=2');
  });

  it('reports a missing DNS Deployment on kubeadm', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      s.deployments = s.deployments.filter((d) => d.metadata.name !== 'coredns');
      s.pods = s.pods.filter((p) => p.metadata.labels?.['k8s-app'] !== 'kube-dns');
      s.fingerprint = { ...s.fingerprint, dns: 'none', dnsWorkload: undefined };
    });
    const f = expectFinding(noReplicasCheck, s, 'coredns.no-replicas');
    expect(commands(f)).toContain('kubeadm init phase addon coredns');
  });

  it('accepts GKE Cloud DNS and k3s without CoreDNS, and healthy replicas', () => {
    const gke = withChanges(gkeKubeDns(), (gke) => {
      gke.deployments = [];
      gke.fingerprint = { ...gke.fingerprint, dns: 'none', dnsWorkload: undefined };
    });
    expect(runCheck(noReplicasCheck, gke)).toEqual([]);
    const k = withChanges(k3s(), (k) => {
      k.deployments = [];
      k.fingerprint = { ...k.fingerprint, dns: 'none', dnsWorkload: undefined };
    });
    expect(runCheck(noReplicasCheck, k)).toEqual([]);
    expect(runCheck(noReplicasCheck, kubeadmCalico())).toEqual([]);
    expect(runCheck(noReplicasCheck, gkeKubeDns())).toEqual([]);
    const cloudDns = withChanges(gkeKubeDns(), (cloudDns) => {
      cloudDns.deployments[0]!.spec.replicas = 0;
    });
    expect(runCheck(noReplicasCheck, cloudDns)).toEqual([]);
  });
});
