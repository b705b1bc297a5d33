// coredns.crashloop / coredns.not-ready: the generic fallbacks for a DNS pod that crash-loops or stays unready for a
// reason no specific check recognises. They quote the last log lines so a human can take it from there.
// Also used for GKE kube-dns, whose pods are judged only by their health (no Corefile).

import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { makeFinding, step } from '../../findings.ts';
import { eventLine, eventMessage, podEvents } from '../../objects/events.ts';
import { lastLines, podLogs } from '../../objects/logs.ts';
import { failingContainer, isCrashLooping, podReady, podState, podStatusText } from '../../objects/pods.ts';
import { eventCountInWindow, snapshotNow } from '../../recency.ts';
import type { Finding } from '../../report.ts';
import { corefileConfigMapName, dnsWorkload, RECOGNISED_DNS_LOG, verifySteps } from './workload.ts';

const WAITING = /Still waiting on: "kubernetes"|waiting for Kubernetes API before starting server/;
const PULL = /ErrImagePull|ImagePullBackOff|InvalidImageName/;

function recognised(texts: string[]): boolean {
  return texts.some((t) => RECOGNISED_DNS_LOG.some((re) => re.test(t)));
}

function crashing(pod: KubeObject): boolean {
  const status = podStatusText(pod);
  return (
    isCrashLooping(pod) ||
    (/^(Error|Init:Error)$/.test(status) &&
      (pod.status?.containerStatuses ?? []).some((c: { restartCount?: number }) => (c.restartCount ?? 0) > 0))
  );
}

export const crashloopCheck: RegisteredCheck = {
  name: 'coredns-crashloop',
  component: 'dns',
  emits: ['coredns.crashloop', 'coredns.not-ready'],
  remediations: [],
  describe: {
    'coredns.crashloop': {
      severities: ['critical', 'warning'],
      summary: 'DNS pods keep restarting for a reason no specific check recognises.',
      fix: 'Read the log of the crashed container, its exit reason and events, and fix the cause.',
      safety: 'manual',
      manual: 'diagnose-first',
    },
    'coredns.not-ready': {
      severities: ['critical', 'warning'],
      summary: 'DNS pods run but keep failing their readiness probe, so the kube-dns Service sends them no queries.',
      fix: 'Read the pod log and the probe failures, and fix the cause.',
      safety: 'manual',
      manual: 'diagnose-first',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const w = dnsWorkload(snapshot);
    if (!w) return [];
    const findings: Finding[] = [];
    const anyReady = w.pods.some(podReady);
    const ns = w.namespace;

    const looping = w.pods.filter(
      (p) => crashing(p) && !PULL.test(podStatusText(p)) && !recognised(podLogs(snapshot, p)),
    );
    if (looping.length > 0) {
      const pod = looping[0]!;
      const container = failingContainer(pod) ?? w.container;
      const tail = lastLines(podLogs(snapshot, pod, container), 3);
      const exit = (pod.status?.containerStatuses ?? [])
        .map((c: { lastState?: { terminated?: { exitCode?: number; reason?: string } } }) => c.lastState?.terminated)
        .find(Boolean);
      findings.push(
        makeFinding({
          id: 'coredns.crashloop',
          severity: anyReady ? 'warning' : 'critical',
          title: ctx.tr('DNS pods are crash-looping', 'DNS 파드가 CrashLoopBackOff 상태'),
          detail: ctx.tr(
            `${looping.length} pod(s) of ${ns}/${w.name} keep restarting${exit ? ` (last exit code ${exit.exitCode}, ${exit.reason ?? 'Error'})` : ''}; the log does not match a known cause${tail.length > 0 ? '' : ' and is empty'}.`,
            `${ns}/${w.name}의 파드 ${looping.length}개가 계속 재시작합니다${exit ? `(마지막 종료 코드 ${exit.exitCode}, ${exit.reason ?? 'Error'})` : ''}. 로그가 알려진 원인과 일치하지 않습니다${tail.length > 0 ? '' : '(로그가 비어 있음)'}.`,
          ),
          impact: anyReady
            ? ctx.tr(
                'DNS runs on fewer replicas and may fail under load or on the next disruption.',
                'DNS가 적은 레플리카로 동작하여 부하나 다음 장애 때 멈출 수 있습니다.',
              )
            : ctx.tr(
                'No DNS pod is Ready: name resolution fails cluster-wide.',
                'Ready 상태인 DNS 파드가 없어 클러스터 전체에서 이름 조회가 실패합니다.',
              ),
          evidence: [...looping.slice(0, 3).map(podState), ...tail],
          runbook: [
            step(
              ctx.tr('Read the log of the crashed container.', '종료된 컨테이너의 로그를 확인합니다.'),
              `kubectl -n ${ns} logs ${pod.metadata.name} -c ${container} --previous`,
            ),
            step(
              ctx.tr(
                'Look at the exit reason, probes and recent events of the pod.',
                '파드의 종료 사유, 프로브, 최근 이벤트를 확인합니다.',
              ),
              `kubectl -n ${ns} describe pod ${pod.metadata.name}`,
            ),
            ...(w.kind === 'coredns'
              ? [
                  step(
                    ctx.tr(
                      'Check the Corefile for recent edits (loop, forward targets, plugins), and the node for SELinux or an old Docker version.',
                      'Corefile의 최근 변경(loop, forward 대상, 플러그인)과 노드의 SELinux, 오래된 Docker 버전 여부를 확인합니다.',
                    ),
                    `kubectl -n ${ns} get cm ${corefileConfigMapName(w)} -o jsonpath='{.data.Corefile}'`,
                  ),
                ]
              : [
                  step(
                    ctx.tr(
                      'kube-dns has three containers: check kubedns, dnsmasq and sidecar separately.',
                      'kube-dns는 컨테이너가 세 개입니다. kubedns, dnsmasq, sidecar 로그를 각각 확인합니다.',
                    ),
                    `kubectl -n ${ns} logs ${pod.metadata.name} -c ${container === 'dnsmasq' ? 'kubedns' : 'dnsmasq'} --previous`,
                  ),
                ]),
            ...verifySteps(ctx, w),
          ],
        }),
      );
    }

    const now = snapshotNow(snapshot);
    const unready = w.pods.filter((p) => {
      if (p.status?.phase !== 'Running' || podReady(p) || crashing(p)) return false;
      const logs = podLogs(snapshot, p);
      if (recognised(logs) || logs.some((t) => WAITING.test(t))) return false;
      // A probe or two failing while a pod starts is normal; a repeated failure is not.
      return podEvents(snapshot, p, 'Unhealthy').some((e) => eventCountInWindow(e, now) >= 3);
    });
    if (unready.length > 0) {
      const pod = unready[0]!;
      const probe = podEvents(snapshot, pod, 'Unhealthy').find((e) => eventCountInWindow(e, now) >= 3)!;
      findings.push(
        makeFinding({
          id: 'coredns.not-ready',
          severity: anyReady ? 'warning' : 'critical',
          title: ctx.tr('DNS pods are not Ready', 'DNS 파드가 Ready가 아님'),
          detail: ctx.tr(
            `${unready.length} pod(s) of ${ns}/${w.name} run but fail their readiness probe (${eventMessage(probe)}), so the kube-dns Service does not send them queries.`,
            `${ns}/${w.name}의 파드 ${unready.length}개가 실행 중이지만 readiness 프로브에 실패하여(${eventMessage(probe)}) kube-dns 서비스가 이 파드로 질의를 보내지 않습니다.`,
          ),
          impact: anyReady
            ? ctx.tr('DNS capacity is reduced.', 'DNS 처리 용량이 줄어듭니다.')
            : ctx.tr(
                'No DNS pod is Ready: name resolution fails cluster-wide.',
                'Ready 상태인 DNS 파드가 없어 클러스터 전체에서 이름 조회가 실패합니다.',
              ),
          evidence: [
            ...unready.slice(0, 3).map(podState),
            eventLine(probe),
            ...lastLines(podLogs(snapshot, pod, w.container), 2),
          ],
          runbook: [
            step(
              ctx.tr('Read the pod log.', '파드 로그를 확인합니다.'),
              `kubectl -n ${ns} logs ${pod.metadata.name} -c ${w.container}`,
            ),
            step(
              ctx.tr('Look at the probe failures and recent events.', '프로브 실패 내용과 최근 이벤트를 확인합니다.'),
              `kubectl -n ${ns} describe pod ${pod.metadata.name}`,
            ),
            ...verifySteps(ctx, w),
          ],
        }),
      );
    }
    return findings;
  },
};
