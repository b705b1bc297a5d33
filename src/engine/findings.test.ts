import { describe, expect, it } from 'vitest';
import { classifyCommand, makeFinding, option, step } from './findings.ts';
import { Finding } from './report.ts';

describe('where a command runs, read from the command', () => {
  it.each([
    ['kubectl -n kube-system logs coredns-1 --previous', 'kubectl', false],
    ['kubectl -n kube-system get cm coredns -o yaml > coredns.bak.yaml', 'kubectl', false],
    ['kubectl -n kube-system edit cm coredns', 'cluster-admin', true],
    ['kubectl -n kube-system rollout restart deploy/coredns', 'cluster-admin', true],
    ['kubectl -n kube-system rollout status deploy/coredns', 'kubectl', false],
    ['kubectl get cm x -o yaml | sed s/a/b/ | kubectl apply -f -', 'cluster-admin', true],
    ['kubectl run -it --rm dnsprobe --image=busybox:1.36 --restart=Never -- nslookup kubernetes.default', 'pod', false],
    ['kubectl -n kube-system exec cilium-1 -- cilium status', 'pod', false],
    ['cat /etc/resolv.conf', 'node', false],
    ['grep ^nameserver /etc/resolv.conf 2>/dev/null', 'node', false],
    ['sudo systemctl restart kubelet', 'node', true],
    ['sudo modprobe -a ip_vs', 'node', true],
    ['sudo vi /etc/kubernetes/manifests/kube-controller-manager.yaml', 'node', true],
  ] as const)('%s → %s', (command, where, changes) => {
    expect(classifyCommand(command)).toEqual({ where, changes });
  });
});

describe('runbook builders', () => {
  it('a step says where its command runs unless told otherwise; a step without a command carries neither', () => {
    expect(step('look', 'kubectl get nodes')).toEqual({
      text: 'look',
      command: 'kubectl get nodes',
      where: 'kubectl',
      changes: false,
    });
    expect(step('probe', 'nslookup example.com 10.0.0.2', 'pod')).toMatchObject({ where: 'pod', changes: false });
    expect(step('think')).toEqual({ text: 'think' });
  });

  it('an option stamps its steps, and the finding schema refuses an option split in two', () => {
    const a = { id: 'A', title: 'Fix the node resolver', recommended: true };
    const steps = option(a, [step('one'), step('two')]);
    expect(steps.every((s) => s.option === a)).toBe(true);
    const base = {
      id: 'coredns.loop-detected',
      severity: 'critical' as const,
      title: 't',
      detail: 'd',
      evidence: ['e'],
    };
    expect(Finding.safeParse(makeFinding({ ...base, runbook: [...steps, step('verify')] })).success).toBe(true);
    const split = [...option(a, [step('one')]), step('between'), ...option(a, [step('two')])];
    expect(Finding.safeParse(makeFinding({ ...base, runbook: split })).success).toBe(false);
  });

  it('makeFinding fills in where a hand-built command runs', () => {
    const base = { id: 'x.y', severity: 'warning' as const, title: 't', detail: 'd', evidence: ['e'] };
    const finding = makeFinding({ ...base, runbook: [{ text: 'restart', command: 'sudo systemctl restart kubelet' }] });
    expect(finding.runbook[0]).toMatchObject({ where: 'node', changes: true });
  });
});
