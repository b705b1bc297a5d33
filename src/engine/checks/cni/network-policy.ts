// cni.network-policy-unsupported: Flannel alone does not implement NetworkPolicy, so policies exist but are silently
// not enforced ("Flannel은 현재 쿠버네티스 네트워크 정책을 지원하지 않음"). Canal and k3s (kube-router) do enforce them.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import type { Finding } from '../../report.ts';
import { verifyCniSteps } from './util.ts';

export const networkPolicyCheck: RegisteredCheck = {
  name: 'cni-network-policy',
  component: 'cni',
  emits: ['cni.network-policy-unsupported'],
  remediations: [],
  describe: {
    'cni.network-policy-unsupported': {
      severities: ['warning'],
      summary: 'NetworkPolicy objects exist but the only CNI is Flannel, which accepts and silently ignores them.',
      fix: 'Move to a CNI that enforces NetworkPolicy (Canal, Calico or Cilium) instead of installing a second CNI next to Flannel.',
      safety: 'manual',
      manual: 'design',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const fp = snapshot.fingerprint;
    if ((fp.cni !== 'flannel' && fp.cni !== 'flannel-legacy') || fp.extraCnis.length > 0) return [];
    const policies = snapshot.networkPolicies;
    if (policies.length === 0) return [];
    const names = policies.slice(0, 5).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    return [
      makeFinding({
        id: 'cni.network-policy-unsupported',
        severity: 'warning',
        title: ctx.tr('NetworkPolicies are not enforced by Flannel', 'Flannel은 네트워크폴리시를 적용하지 않음'),
        detail: ctx.tr(
          `The cluster has NetworkPolicy objects (${names.join(', ')}${policies.length > names.length ? ', …' : ''}) but its only CNI is Flannel, which does not implement Kubernetes network policy: they are accepted and silently ignored.`,
          `클러스터에 네트워크폴리시 오브젝트(${names.join(', ')}${policies.length > names.length ? ', …' : ''})가 있지만 CNI가 Flannel뿐입니다. Flannel은 현재 쿠버네티스 네트워크 정책을 지원하지 않으므로 정책이 등록은 되지만 실제로는 적용되지 않습니다.`,
        ),
        impact: ctx.tr(
          'Traffic the policies are meant to block is allowed; isolation you rely on does not exist.',
          '정책으로 막으려던 트래픽이 그대로 허용되어, 기대하는 격리가 실제로는 없습니다.',
        ),
        evidence: [
          ...names.map((n) => `networkpolicy/${n}`),
          `CNI: Flannel (${fp.cniWorkload?.namespace ?? '?'}/${fp.cniWorkload?.daemonSet ?? '?'})`,
        ],
        runbook: [
          step(
            ctx.tr('List the policies that are not being enforced.', '적용되지 않고 있는 정책 목록을 확인합니다.'),
            'kubectl get networkpolicy -A',
          ),
          step(
            ctx.tr(
              'To enforce them, plan a migration: replace the Flannel DaemonSet with Canal (Flannel networking plus Calico policy), or move to a CNI that implements NetworkPolicy, such as Calico or Cilium. Do not install a second CNI next to Flannel.',
              '정책을 적용하려면 이전을 계획합니다. Flannel 데몬셋을 Canal(Flannel 네트워킹 + Calico 정책)로 교체하거나, Calico나 Cilium처럼 네트워크폴리시를 지원하는 CNI로 바꿉니다. Flannel 옆에 두 번째 CNI를 설치하지는 마세요.',
            ),
          ),
          ...verifyCniSteps(ctx, fp.cniWorkload),
        ],
      }),
    ];
  },
};
