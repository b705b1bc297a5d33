// coredns.image-pull: DNS pods cannot pull their image; since kubeadm 1.21 the path is <registry>/coredns/coredns:<tag>.
import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import { makeFinding, step } from '../../findings.ts';
import { josa } from '../../i18n.ts';
import { eventLine, eventMessage, podEvents } from '../../objects/events.ts';
import { containerStatus, podReady, podState, waitingReason } from '../../objects/pods.ts';
import type { Finding } from '../../report.ts';
import { dnsImage, dnsWorkload, verifySteps } from './workload.ts';

const PULL_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

/** `registry.k8s.io/coredns:v1.8.6` → `registry.k8s.io/coredns/coredns:v1.8.6` (the nested path kubeadm expects). */
export function nestedCorednsImage(image: string): string | undefined {
  const m = image.match(/^(.+)\/coredns:([^/]+)$/);
  if (!m || m[1]!.endsWith('/coredns')) return undefined;
  return `${m[1]}/coredns/coredns:${m[2]}`;
}

export const imagePullCheck: RegisteredCheck = {
  name: 'coredns-image-pull',
  component: 'dns',
  emits: ['coredns.image-pull'],
  remediations: ['coredns.revert-image-to-kubeadm-default'],
  describe: {
    'coredns.image-pull': {
      severities: ['critical', 'warning'],
      summary: 'The DNS image cannot be pulled (wrong image path or registry), so DNS pods do not start.',
      fix: 'Set the Deployment image to an existing reference, such as <registry>/coredns/coredns:<tag>.',
      safety: 'auto-guarded',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const w = dnsWorkload(snapshot);
    if (!w) return [];
    const stuck = w.pods.filter((p) => PULL_REASONS.has(waitingReason(p) ?? ''));
    if (stuck.length === 0) return [];
    const events = stuck.flatMap((p) =>
      podEvents(snapshot, p).filter((e) => e.reason === 'Failed' && /pull|image/i.test(eventMessage(e))),
    );
    const image =
      stuck[0]!.spec?.containers?.find((c: { name: string }) => c.name === w.container)?.image ??
      dnsImage(w) ??
      '<image>';
    const nested = w.kind === 'coredns' ? nestedCorednsImage(image) : undefined;
    const anyReady = w.pods.some(podReady);
    // "not found" from the registry proves the reference wrong; credentials or network errors do not.
    const notFound = [
      ...stuck.map((p) => String(containerStatus(p, w.container)?.state?.waiting?.message ?? '')),
      ...events.map(eventMessage),
    ].some((m) => /not found|manifest unknown|NotFound/.test(m));
    return [
      makeFinding({
        id: 'coredns.image-pull',
        severity: anyReady ? 'warning' : 'critical',
        title: ctx.tr('DNS image cannot be pulled', 'DNS 이미지를 받아오지 못함'),
        detail: ctx.tr(
          `${stuck.length} pod(s) of ${w.namespace}/${w.name} cannot pull image ${image}.`,
          `${w.namespace}/${w.name}의 파드 ${stuck.length}개가 이미지 ${josa(image, '을/를')} 받아오지 못합니다.`,
        ),
        impact: anyReady
          ? ctx.tr(
              'DNS runs on fewer replicas; a rollout or node loss can take it down.',
              'DNS가 적은 레플리카로 동작하며, 롤아웃이나 노드 장애 시 멈출 수 있습니다.',
            )
          : ctx.tr(
              'No DNS pod is running: name resolution fails cluster-wide.',
              '실행 중인 DNS 파드가 없어 클러스터 전체에서 이름 조회가 실패합니다.',
            ),
        evidence: [...stuck.slice(0, 3).map(podState), `image: ${image}`, ...events.slice(0, 1).map(eventLine)],
        runbook: [
          step(
            ctx.tr(
              'Read the pull error (not found, unauthorized, or no route to the registry).',
              '이미지 풀 오류(not found, unauthorized, 레지스트리 접근 불가)를 확인합니다.',
            ),
            `kubectl -n ${w.namespace} describe pod ${stuck[0]!.metadata.name} | grep -A5 -i events`,
          ),
          step(
            nested
              ? ctx.tr(
                  `Since kubeadm 1.21 the CoreDNS image lives at <registry>/coredns/coredns:<tag>; point the Deployment at ${nested} (check the tag exists in your registry first).`,
                  `kubeadm 1.21부터 CoreDNS 이미지 경로는 <registry>/coredns/coredns:<tag>입니다. 레지스트리에 태그가 있는지 먼저 확인하고 디플로이먼트 이미지를 ${josa(nested, '으로/로')} 바꿉니다.`,
                )
              : ctx.tr(
                  'Point the Deployment at an image reference that exists in a registry the nodes can reach.',
                  '노드가 접근할 수 있는 레지스트리에 실제로 있는 이미지로 디플로이먼트를 바꿉니다.',
                ),
            `kubectl -n ${w.namespace} set image deploy/${w.name} ${w.container}=${nested ?? '<registry>/coredns/coredns:<tag>'}`,
          ),
          ...(w.kind === 'coredns' && snapshot.fingerprint.flavor === 'kubeadm'
            ? [
                step(
                  ctx.tr(
                    'On kubeadm, also fix dns.imageRepository in the ClusterConfiguration so the next upgrade keeps the right path.',
                    'kubeadm이라면 다음 업그레이드에서도 올바른 경로를 쓰도록 ClusterConfiguration의 dns.imageRepository도 고칩니다.',
                  ),
                  'kubectl -n kube-system edit cm kubeadm-config',
                ),
              ]
            : []),
          ...verifySteps(ctx, w),
        ],
        remediation:
          w.kind === 'coredns' && snapshot.fingerprint.flavor === 'kubeadm' && notFound && image !== '<image>'
            ? {
                id: 'coredns.revert-image-to-kubeadm-default',
                params: {
                  namespace: w.namespace,
                  deployment: w.name,
                  container: w.container,
                  image,
                  pullError: 'not-found',
                },
                title: ctx.tr("Use kubeadm's CoreDNS image", 'kubeadm 기본 CoreDNS 이미지로 되돌리기'),
              }
            : undefined,
      }),
    ];
  },
};
