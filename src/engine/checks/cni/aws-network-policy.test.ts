// The aws-node network-policy agent: a crash or enforcement errors are its own finding (not IPAM), and NetworkPolicies
// with enforcement disabled are a warning; a healthy agent's start-up lines are nothing.
import { describe, expect, it } from 'vitest';
import { withChanges } from '#test/fixtures/changes.ts';
import { eks } from '#test/fixtures/clusters.ts';
import { expectFinding } from '#test/support/checks.ts';
import type { Snapshot } from '../../check.ts';
import { awsCheck } from './aws.ts';
import { awsNetworkPolicyCheck } from './aws-network-policy.ts';

const AGENT = (enabled: boolean) => ({
  name: 'aws-eks-nodeagent',
  image: '602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon/aws-network-policy-agent:v1.1.5-eksbuild.1',
  args: ['--enable-ipv6=false', `--enable-network-policy=${enabled}`, '--metrics-bind-addr=:8162'],
});
const POLICY = {
  kind: 'NetworkPolicy',
  metadata: { name: 'default-deny-ingress', namespace: 'shop' },
  spec: { podSelector: {}, policyTypes: ['Ingress'] },
};

function withAgent(enabled: boolean, change: (s: Snapshot) => void = () => {}): Snapshot {
  return withChanges(eks(), (s) => {
    const ds = s.daemonSets.find((d) => d.metadata.name === 'aws-node')!;
    ds.spec.template.spec.containers.push(AGENT(enabled));
    change(s);
  });
}

const ERROR =
  '{"level":"error","ts":"2026-11-27T08:58:01.112Z","logger":"controllers.policyEndpoints","caller":"controllers/policyendpoints_controller.go:402","msg":"failed to update map ","podIdentifier ":"checkout-7b9c6d5f48-shop","error":"unable to update map"}';
const START =
  '{"level":"info","ts":"2026-11-20T09:01:04.518Z","caller":"runtime/asm_amd64.s:1700","msg":"version","GitVersion":"","GitCommit":"","BuildDate":""}';

describe('the aws-node network-policy agent', () => {
  it("reports enforcement errors from a Ready agent's current log", () => {
    const s = withAgent(true, (snap) => {
      const pod = snap.pods.find((p) => p.metadata.name.startsWith('aws-node-'))!;
      snap.logs[`kube-system/${pod.metadata.name}/aws-eks-nodeagent`] = { current: [START, ERROR].join('\n') };
    });
    const f = expectFinding(awsNetworkPolicyCheck, s, 'cni.aws.network-policy-agent-failing');
    expect(f.evidence.join('\n')).toContain('"msg":"failed to update map "');
  });

  it('says nothing about healthy start-up lines, or errors while enforcement is disabled and nothing crashes', () => {
    const healthy = withAgent(true, (snap) => {
      for (const p of snap.pods) snap.logs[`kube-system/${p.metadata.name}/aws-eks-nodeagent`] = { current: START };
    });
    expect(expectFinding(awsNetworkPolicyCheck, healthy)).toEqual([]);
    const disabled = withAgent(false, (snap) => {
      for (const p of snap.pods) snap.logs[`kube-system/${p.metadata.name}/aws-eks-nodeagent`] = { current: ERROR };
    });
    expect(expectFinding(awsNetworkPolicyCheck, disabled)).toEqual([]);
  });

  it('owns a crash-looping agent container while ipamd is Ready, so IPAM is not blamed', () => {
    const s = withAgent(false, (snap) => {
      const pod = snap.pods.find((p) => p.metadata.name.startsWith('aws-node-'))!;
      pod.status.conditions = [{ type: 'Ready', status: 'False' }];
      pod.status.containerStatuses = [
        { name: 'aws-node', ready: true, restartCount: 0, state: { running: {} } },
        {
          name: 'aws-eks-nodeagent',
          ready: false,
          restartCount: 6,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 2, reason: 'Error' } },
        },
      ];
      snap.logs[`kube-system/${pod.metadata.name}/aws-eks-nodeagent`] = {
        previous: 'panic: runtime error: invalid memory address or nil pointer dereference [recovered]',
      };
    });
    const f = expectFinding(awsNetworkPolicyCheck, s, 'cni.aws.network-policy-agent-failing');
    expect(f.evidence.join('\n')).toContain('panic: runtime error');
    expect(expectFinding(awsCheck, s)).toEqual([]);
  });

  it('warns when NetworkPolicies exist but enforcement is off, and not when it is on', () => {
    const off = withAgent(false, (snap) => snap.networkPolicies.push(POLICY));
    const f = expectFinding(awsNetworkPolicyCheck, off, 'cni.aws.network-policy-disabled');
    expect(f.evidence).toContain('networkpolicy/shop/default-deny-ingress');
    expect(
      expectFinding(
        awsNetworkPolicyCheck,
        withAgent(true, (snap) => snap.networkPolicies.push(POLICY)),
      ),
    ).toEqual([]);
  });
});
