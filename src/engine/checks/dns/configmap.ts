// coredns.configmap-missing / coredns.configmap-key-missing: the Corefile volume cannot be mounted, pods stay
// ContainerCreating. Read from the Deployment's own volume list, so k3s (Corefile + NodeHosts) needs no special case.

import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { makeFinding, step } from '../../findings.ts';
import { josa } from '../../i18n.ts';
import { eventLine, eventMessage, podEvents } from '../../objects/events.ts';
import { podState } from '../../objects/pods.ts';
import { findObject } from '../../objects/workloads.ts';
import type { Finding, RunbookStep } from '../../report.ts';
import { isAbsent } from '../../snapshot.ts';
import { clusterDomain } from './cluster-config.ts';
import { type DnsWorkload, dnsWorkload, verifySteps } from './workload.ts';

interface ConfigVolume {
  name: string;
  configMap?: { name?: string; optional?: boolean; items?: { key: string; path: string }[] };
}

const CM_NOT_FOUND = /configmap "([^"]+)" not found/;
const KEY_MISSING = /non-existent config key: (\S+)/;

export function defaultCorefile(domain: string): string {
  return `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${domain} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}`;
}

export const configMapCheck: RegisteredCheck = {
  name: 'coredns-configmap',
  component: 'dns',
  emits: ['coredns.configmap-missing', 'coredns.configmap-key-missing'],
  remediations: ['coredns.restore-configmap', 'coredns.restore-configmap-key'],
  describe: {
    'coredns.configmap-missing': {
      severities: ['critical'],
      summary: 'ConfigMap kube-system/coredns was deleted, so DNS pods cannot mount their Corefile.',
      fix: 'Re-create the ConfigMap with the kubeadm default Corefile for the cluster domain.',
      safety: 'auto-safe',
    },
    'coredns.configmap-key-missing': {
      severities: ['critical'],
      summary:
        'The coredns ConfigMap lacks a key the Deployment projects (Corefile, or NodeHosts on k3s), so pods cannot mount it.',
      fix: 'Restore the missing key in the ConfigMap.',
      safety: 'auto-guarded',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const w = dnsWorkload(snapshot);
    if (!w) return [];
    const mountEvents = w.pods.flatMap((p) => podEvents(snapshot, p).filter((e) => e.reason === 'FailedMount'));
    const volumes = ((w.deployment?.spec?.template?.spec?.volumes ?? []) as ConfigVolume[]).filter(
      (v) => v.configMap?.name && !v.configMap.optional,
    );
    const missing = new Map<string, KubeObject[]>();
    const missingKeys = new Map<string, { cm: string; keys: string[]; events: KubeObject[] }>();

    for (const v of volumes) {
      const cmName = v.configMap!.name!;
      const cm = findObject(snapshot.configMaps, w.namespace, cmName);
      if (!cm) {
        // ConfigMaps are fetched by name: only a recorded 404 proves the object is gone.
        if (isAbsent(snapshot, 'configmaps', w.namespace, cmName)) missing.set(cmName, []);
        continue;
      }
      const data = { ...(cm.data ?? {}), ...(cm.binaryData ?? {}) };
      const absent = (v.configMap!.items ?? []).map((i) => i.key).filter((k) => !(k in data));
      if (absent.length > 0) missingKeys.set(cmName, { cm: cmName, keys: absent, events: [] });
    }
    // Events also count when the Deployment itself was not collected or was edited since.
    for (const ev of mountEvents) {
      const msg = eventMessage(ev);
      const cmMatch = msg.match(CM_NOT_FOUND);
      const keyMatch = msg.match(KEY_MISSING);
      if (cmMatch) missing.set(cmMatch[1]!, [...(missing.get(cmMatch[1]!) ?? []), ev]);
      else if (keyMatch) {
        const cmName = volumes[0]?.configMap?.name ?? 'coredns';
        const entry = missingKeys.get(cmName) ?? { cm: cmName, keys: [], events: [] };
        if (!entry.keys.includes(keyMatch[1]!)) entry.keys.push(keyMatch[1]!);
        entry.events.push(ev);
        missingKeys.set(cmName, entry);
      }
    }

    const podEvidence = w.pods
      .filter((p) => !p.status?.containerStatuses?.some((c: { ready: boolean }) => c.ready))
      .map(podState);
    const findings: Finding[] = [];
    for (const [cm, events] of missing) {
      findings.push(
        makeFinding({
          id: 'coredns.configmap-missing',
          severity: 'critical',
          title: ctx.tr(`ConfigMap ${cm} is missing`, `컨피그맵 ${josa(cm, '이/가')} 없음`),
          detail: ctx.tr(
            `Deployment ${w.namespace}/${w.name} mounts ConfigMap ${w.namespace}/${cm}, which does not exist, so its pods cannot start.`,
            `디플로이먼트 ${w.namespace}/${w.name}는 컨피그맵 ${w.namespace}/${josa(cm, '을/를')} 마운트하는데, 이 컨피그맵이 없어서 파드가 시작되지 못합니다.`,
          ),
          impact: ctx.tr(
            'New or restarted DNS pods stay in ContainerCreating; when the last running one goes, cluster DNS stops.',
            '새로 뜨거나 재시작한 DNS 파드가 ContainerCreating에 머무르며, 마지막 파드가 사라지면 클러스터 DNS가 멈춥니다.',
          ),
          evidence: [
            ...(events.length > 0
              ? events.slice(0, 2).map(eventLine)
              : [`configmap/${cm} not found in ${w.namespace}`]),
            ...podEvidence.slice(0, 3),
          ],
          runbook: restoreRunbook(ctx, snapshot, w, cm, undefined),
          remediation: {
            id: 'coredns.restore-configmap',
            params: { namespace: w.namespace, configMap: cm, deployment: w.name, domain: clusterDomain(snapshot) },
            title: ctx.tr(
              `Re-create ConfigMap ${w.namespace}/${cm} from the default template`,
              `기본 템플릿으로 컨피그맵 ${w.namespace}/${cm} 재생성`,
            ),
          },
        }),
      );
    }
    for (const { cm, keys, events } of missingKeys.values()) {
      findings.push(
        makeFinding({
          id: 'coredns.configmap-key-missing',
          severity: 'critical',
          title: ctx.tr(
            `ConfigMap ${cm} lacks key ${keys.join(', ')}`,
            `컨피그맵 ${cm}에 ${keys.join(', ')} 키가 없음`,
          ),
          detail: ctx.tr(
            `Deployment ${w.namespace}/${w.name} projects key(s) ${keys.join(', ')} of ConfigMap ${cm}, but the ConfigMap does not have them, so the volume cannot be mounted.`,
            `디플로이먼트 ${w.namespace}/${w.name}는 컨피그맵 ${cm}의 ${keys.join(', ')} 키를 마운트하는데, 컨피그맵에 해당 키가 없어 볼륨을 마운트할 수 없습니다.`,
          ),
          impact: ctx.tr(
            'New or restarted DNS pods stay in ContainerCreating; when the last running one goes, cluster DNS stops.',
            '새로 뜨거나 재시작한 DNS 파드가 ContainerCreating에 머무르며, 마지막 파드가 사라지면 클러스터 DNS가 멈춥니다.',
          ),
          evidence: [
            ...(events.length > 0
              ? events.slice(0, 2).map(eventLine)
              : [
                  `configmap/${cm} keys: ${Object.keys(findObject(snapshot.configMaps, w.namespace, cm)?.data ?? {}).join(', ') || '(none)'}`,
                ]),
            ...podEvidence.slice(0, 3),
          ],
          runbook: restoreRunbook(ctx, snapshot, w, cm, keys),
          remediation: {
            id: 'coredns.restore-configmap-key',
            params: {
              namespace: w.namespace,
              configMap: cm,
              deployment: w.name,
              keys: keys.join(','),
              domain: clusterDomain(snapshot),
            },
            title: ctx.tr(
              `Restore key ${keys.join(', ')} in ConfigMap ${cm}`,
              `컨피그맵 ${cm}에 ${keys.join(', ')} 키 복원`,
            ),
          },
        }),
      );
    }
    return findings;
  },
};

function restoreRunbook(
  ctx: CheckContext,
  snapshot: Snapshot,
  w: DnsWorkload,
  cm: string,
  keys: string[] | undefined,
): RunbookStep[] {
  const k3s = snapshot.fingerprint.flavor === 'k3s';
  const domain = clusterDomain(snapshot);
  const steps: RunbookStep[] = [
    step(
      ctx.tr('Read the mount error on a DNS pod.', 'DNS 파드의 마운트 오류를 확인합니다.'),
      `kubectl -n ${w.namespace} describe pod ${w.pods[0]?.metadata.name ?? `-l k8s-app=kube-dns`} | grep -A3 FailedMount`,
    ),
  ];
  if (k3s) {
    steps.push(
      step(
        ctx.tr(
          'k3s writes the coredns ConfigMap (Corefile and NodeHosts) from its packaged manifest: restart the k3s server so it re-creates it.',
          'k3s는 패키지된 매니페스트로 coredns 컨피그맵(Corefile, NodeHosts)을 만듭니다. k3s 서버를 재시작하면 다시 생성됩니다.',
        ),
        'sudo systemctl restart k3s',
      ),
    );
  } else if (!keys) {
    steps.push(
      step(
        ctx.tr(
          `Save the kubeadm default Corefile to a file named Corefile (use your cluster domain if it is not ${domain}):\n${defaultCorefile(domain)}`,
          `kubeadm 기본 Corefile을 Corefile 파일로 저장합니다(클러스터 도메인이 ${domain}이 아니면 바꿔 넣으세요):\n${defaultCorefile(domain)}`,
        ),
      ),
      step(
        ctx.tr(`Re-create ConfigMap ${cm} from that file.`, `그 파일로 컨피그맵 ${josa(cm, '을/를')} 다시 만듭니다.`),
        `kubectl -n ${w.namespace} create configmap ${cm} --from-file=Corefile=Corefile`,
      ),
    );
  } else {
    steps.push(
      step(
        ctx.tr('Back up the ConfigMap before editing it.', '수정하기 전에 컨피그맵을 백업합니다.'),
        `kubectl -n ${w.namespace} get cm ${cm} -o yaml > ${cm}.bak.yaml`,
      ),
      step(
        ctx.tr(
          `Add the missing key(s) ${keys.join(', ')} (for Corefile, the kubeadm default with your site-specific stanzas).`,
          `빠진 키 ${keys.join(', ')}를 추가합니다(Corefile이라면 kubeadm 기본값에 사이트별 설정을 다시 넣은 내용).`,
        ),
        `kubectl -n ${w.namespace} edit cm ${cm}`,
      ),
    );
  }
  steps.push(
    step(
      ctx.tr(
        'Restart the DNS pods so they mount the ConfigMap.',
        'DNS 파드를 재시작하여 컨피그맵을 다시 마운트하게 합니다.',
      ),
      `kubectl -n ${w.namespace} rollout restart deploy/${w.name}`,
    ),
  );
  return [...steps, ...verifySteps(ctx, w)];
}
