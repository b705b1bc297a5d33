// cni.conflicting-plugins: two CNIs installed, or sandbox errors from a plugin type the installed CNI does not use
// (a leftover /etc/cni/net.d file wins because kubelet takes the lexically first config).
import type { CheckContext, CniKind, RegisteredCheck, Snapshot } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import { CNI_NAMES } from '../../fingerprint.ts';
import { josa } from '../../i18n.ts';
import { eventLine } from '../../objects/events.ts';
import type { Finding } from '../../report.ts';
import { nodesOf, PLUGIN_TYPE_OWNERS, type SandboxFailure, sandboxFailures, verifyCniSteps } from './util.ts';

const DS_NAMES: Partial<Record<CniKind, string>> = {
  calico: 'kube-system/calico-node',
  'calico-operator': 'calico-system/calico-node',
  flannel: 'kube-flannel/kube-flannel-ds',
  'flannel-legacy': 'kube-system/kube-flannel-ds',
  weave: 'kube-system/weave-net',
  cilium: 'kube-system/cilium',
  'aws-vpc-cni': 'kube-system/aws-node',
  canal: 'kube-system/canal',
  kindnet: 'kube-system/kindnet',
};

const CONF_FILES: Record<string, string> = {
  flannel: '10-flannel.conflist',
  calico: '10-calico.conflist',
  'calico-ipam': '10-calico.conflist',
  'weave-net': '10-weave.conflist',
  'cilium-cni': '05-cilium.conflist',
  'aws-cni': '10-aws.conflist',
};

/** A sandbox error from a plugin type that belongs to no installed CNI (a leftover config). */
export function isForeign(snapshot: Snapshot, f: SandboxFailure): boolean {
  const installed: CniKind[] = [snapshot.fingerprint.cni, ...snapshot.fingerprint.extraCnis];
  const owners = f.pluginType ? PLUGIN_TYPE_OWNERS[f.pluginType] : undefined;
  return owners !== undefined && !owners.some((k) => installed.includes(k));
}

export const conflictingCheck: RegisteredCheck = {
  name: 'cni-conflicting-plugins',
  component: 'cni',
  emits: ['cni.conflicting-plugins'],
  remediations: [],
  describe: {
    'cni.conflicting-plugins': {
      severities: ['critical'],
      summary:
        'Two CNIs are installed, or a removed CNI left its config on the nodes, so pods fail or get IPs from the wrong plugin.',
      fix: "Delete the unwanted CNI's objects and its conflist on every node, then restart the affected pods.",
      safety: 'auto-guarded',
      notAutomated:
        "Deleting another CNI's objects is not a change the fix catalogue makes (it deletes only agent pods), and which CNI stays is a human choice; the node file cleanup is MANUAL.",
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const fp = snapshot.fingerprint;
    const foreign = sandboxFailures(snapshot).filter((f) => isForeign(snapshot, f));
    // With two CNIs installed, any sandbox failure (e.g. flannel's `"cni0" already has an IP address different
    // from …`) is evidence of the clash.
    const clash = fp.extraCnis.length > 0 ? sandboxFailures(snapshot).filter((f) => !foreign.includes(f)) : [];
    if (fp.extraCnis.length === 0 && foreign.length === 0) return [];
    const types = [...new Set(foreign.map((f) => f.pluginType!))];
    const nodes = nodesOf(foreign);
    const main = fp.cni === 'none' ? ctx.tr('no CNI DaemonSet', 'CNI 데몬셋 없음') : CNI_NAMES[fp.cni];
    const extras = fp.extraCnis.map((k) => CNI_NAMES[k]);
    const detail =
      fp.extraCnis.length > 0
        ? ctx.tr(
            `More than one CNI is installed: ${CNI_NAMES[fp.cni]} and ${extras.join(', ')}. Only the lexically first config in /etc/cni/net.d is used, so pods get addresses from an unexpected plugin.`,
            `CNI가 두 개 이상 설치되어 있습니다: ${josa(CNI_NAMES[fp.cni], '과/와')} ${extras.join(', ')}. /etc/cni/net.d에서 사전 순으로 첫 번째 구성만 사용되므로 파드가 예상하지 못한 플러그인에서 주소를 받습니다.`,
          )
        : ctx.tr(
            `Pods on ${nodes.join(', ') || 'some nodes'} are set up by plugin type ${types.map((t) => `"${t}"`).join(', ')}, but the installed CNI is ${main}: a leftover CNI config on those nodes takes precedence.`,
            `${nodes.join(', ') || '일부 노드'}의 파드가 플러그인 ${types.map((t) => `"${t}"`).join(', ')}로 구성되는데, 설치된 CNI는 ${main}입니다. 그 노드에 남아 있는 이전 CNI 구성이 우선 적용되고 있습니다.`,
          );
    const leftover = types.map((t) => CONF_FILES[t]).filter(Boolean);
    return [
      makeFinding({
        id: 'cni.conflicting-plugins',
        severity: 'critical',
        title: ctx.tr('Conflicting CNI plugins', 'CNI 플러그인 충돌'),
        detail,
        impact: ctx.tr(
          'Pod networking is inconsistent: sandboxes fail or pods get unroutable addresses.',
          '파드 네트워크가 일관되지 않아 샌드박스 생성이 실패하거나 라우팅되지 않는 주소를 받습니다.',
        ),
        evidence: [
          ...[fp.cni, ...fp.extraCnis]
            .filter((k) => k !== 'none')
            .map((k) => `daemonset ${DS_NAMES[k] ?? CNI_NAMES[k]} (${CNI_NAMES[k]})`),
          ...[...foreign, ...clash].slice(0, 2).map((f) => eventLine(f.event)),
        ],
        runbook: [
          step(
            ctx.tr('List every CNI DaemonSet in the cluster.', '클러스터의 모든 CNI 데몬셋을 확인합니다.'),
            'kubectl get ds -A | grep -Ei "calico|flannel|weave|cilium|canal|aws-node|kindnet"',
          ),
          step(
            ctx.tr(
              `On ${nodes[0] ?? 'each node'}, list the CNI configs; kubelet uses the lexically first file.`,
              `${nodes[0] ?? '각 노드'}에서 CNI 구성 파일을 확인합니다. kubelet은 사전 순으로 첫 번째 파일을 사용합니다.`,
            ),
            'ls -l /etc/cni/net.d/',
          ),
          {
            text:
              fp.extraCnis.length > 0
                ? ctx.tr(
                    `Decide which CNI stays, delete the other one's objects (kubectl delete -f <its manifest>), and remove its conflist from every node.`,
                    `남길 CNI를 정하고, 다른 CNI의 오브젝트를 삭제한 뒤(kubectl delete -f <해당 매니페스트>) 모든 노드에서 그 conflist 파일을 지웁니다.`,
                  )
                : ctx.tr(
                    `Remove the leftover config${leftover.length > 0 ? ` (${leftover.join(', ')})` : ''} from /etc/cni/net.d on every node.`,
                    `모든 노드의 /etc/cni/net.d에서 남아 있는 구성${leftover.length > 0 ? `(${leftover.join(', ')})` : ''}을 지웁니다.`,
                  ),
            command: leftover.length > 0 ? `sudo rm /etc/cni/net.d/${leftover[0]}` : 'sudo ls /etc/cni/net.d/',
          },
          step(
            ctx.tr(
              'Re-create the affected pods so they get a sandbox from the right CNI.',
              '영향받은 파드를 다시 만들어 올바른 CNI로 샌드박스를 받게 합니다.',
            ),
            foreign[0]?.pod
              ? `kubectl -n ${foreign[0].namespace} delete pod ${foreign[0].pod}`
              : 'kubectl get pods -A -o wide | grep -v Running',
          ),
          ...verifyCniSteps(ctx, snapshot.fingerprint.cniWorkload),
        ],
      }),
    ];
  },
};
