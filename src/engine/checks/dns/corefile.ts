// Corefile failures: a forwarding loop, a removed plugin (`proxy`), a removed option (`upstream`, `resyncperiod`) or
// any other parse error. CoreDNS prints one fatal line and exits, so the previous log is where they show.

import type { CheckContext, RegisteredCheck, Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { makeFinding, option, step } from '../../findings.ts';
import { josa } from '../../i18n.ts';
import { findLine, podLogs } from '../../objects/logs.ts';
import { isCrashLooping, podReady, podState } from '../../objects/pods.ts';
import type { Finding, RunbookStep } from '../../report.ts';
import {
  backupStep,
  type Corefile,
  corefile,
  corefileLine,
  type DnsWorkload,
  directiveLines,
  dnsImage,
  dnsWorkload,
  imageVersion,
  verifySteps,
  versionAtLeast,
} from './workload.ts';

const LOOP = /plugin\/loop: (Loop \(.*detected|Seen "HINFO.*loop detected)/;
const PARSE = /Corefile:(\d+) - Error during parsing: (.*)$/;
const UNKNOWN_DIRECTIVE = /Unknown directive '?([^'\s]+)'?/;
const UNKNOWN_PROPERTY = /unknown property '?([^'\s]+)'?/;
const REMOVED_OPTIONS = ['upstream', 'resyncperiod'];

interface Hit {
  pod: KubeObject;
  line: string;
  lineNo?: number;
  token?: string;
}

function scan(snapshot: Snapshot, w: DnsWorkload, pattern: RegExp): Hit[] {
  const hits: Hit[] = [];
  for (const pod of w.pods) {
    const line = findLine(podLogs(snapshot, pod, w.container), pattern);
    if (!line) continue;
    const parse = line.match(PARSE);
    hits.push({ pod, line, lineNo: parse ? Number(parse[1]) : undefined });
  }
  return hits;
}

function severityOf(w: DnsWorkload, hits: Hit[]): 'critical' | 'warning' {
  // A failed live reload keeps the old config running: degraded, not down, until the pods restart.
  return w.pods.some(podReady) && !hits.some((h) => isCrashLooping(h.pod)) ? 'warning' : 'critical';
}

function evidenceOf(hits: Hit[], cf: Corefile | undefined, extraLines: number[] = []): string[] {
  const lines = new Set<number>([...hits.flatMap((h) => (h.lineNo ? [h.lineNo] : [])), ...extraLines]);
  return [
    ...hits.slice(0, 3).map((h) => podState(h.pod)),
    ...(hits[0] ? [hits[0].line] : []),
    ...[...lines].flatMap((n) => (cf ? (corefileLine(cf, n) ?? []) : [])),
  ];
}

function editSteps(ctx: CheckContext, w: DnsWorkload, cm: string, en: string, ko: string): RunbookStep[] {
  return [
    backupStep(ctx, w, cm),
    step(ctx.tr(en, ko), `kubectl -n ${w.namespace} edit cm ${cm}`),
    step(
      ctx.tr('Restart CoreDNS so it loads the fixed Corefile.', '수정한 Corefile을 읽도록 CoreDNS를 재시작합니다.'),
      `kubectl -n ${w.namespace} rollout restart deploy/${w.name}`,
    ),
  ];
}

export const corefileCheck: RegisteredCheck = {
  name: 'coredns-corefile',
  component: 'dns',
  emits: [
    'coredns.loop-detected',
    'coredns.corefile-removed-plugin',
    'coredns.corefile-removed-option',
    'coredns.corefile-parse-error',
  ],
  remediations: ['coredns.remove-obsolete-option', 'coredns.replace-proxy-with-forward', 'coredns.forward-upstream'],
  describe: {
    'coredns.loop-detected': {
      severities: ['critical', 'warning'],
      summary:
        "CoreDNS forwards to itself (for example the node's resolv.conf points at a local stub like 127.0.0.53) and exits.",
      fix: 'Point kubelet resolvConf at the real resolver, or forward the Corefile to upstream IPs, then restart CoreDNS.',
      // The host side is manual; the Corefile side (forward to resolvers a human names) is guarded.
      safety: 'auto-guarded',
    },
    'coredns.corefile-removed-plugin': {
      severities: ['critical', 'warning'],
      summary:
        'The Corefile uses a plugin this CoreDNS image does not have (proxy was replaced by forward in 1.5.0), so CoreDNS fails to start.',
      fix: 'Replace proxy with forward (or remove the unknown plugin) in the Corefile, then restart CoreDNS.',
      safety: 'auto-guarded',
    },
    'coredns.corefile-removed-option': {
      severities: ['critical', 'warning'],
      summary:
        'The Corefile kubernetes block uses an option removed in CoreDNS 1.7.0 (upstream, resyncperiod), so CoreDNS fails to start.',
      fix: 'Delete the obsolete option line from the Corefile, or align the image version with the Corefile.',
      safety: 'auto-guarded',
    },
    'coredns.corefile-parse-error': {
      severities: ['critical', 'warning'],
      summary: 'The Corefile does not parse, so CoreDNS exits or keeps the old config.',
      fix: 'Fix the Corefile line CoreDNS names, or restore the kubeadm default Corefile with the site stanzas re-added.',
      safety: 'auto-guarded',
      notAutomated:
        'Not implemented yet: the kubeadm Corefile may replace a broken one only when the cluster had no site stanzas, which needs a last known-good copy (last-applied-configuration or a backup) that netcheck does not read yet.',
    },
  },
  run(snapshot: Snapshot, ctx: CheckContext): Finding[] {
    const w = dnsWorkload(snapshot);
    // kube-dns (GKE) has no Corefile.
    if (w?.kind !== 'coredns') return [];
    const cf = corefile(snapshot, w);
    const cm = cf?.configMap ?? 'coredns';
    const findings: Finding[] = [];
    const firstPod = w.pods[0]?.metadata.name ?? '<coredns-pod>';
    // The version the diagnosis saw: a Corefile fix refuses to rewrite a ConfigMap that changed since.
    const rv = snapshot.configMaps.find((c) => c.metadata.namespace === w.namespace && c.metadata.name === cm)?.metadata
      .resourceVersion;
    const seenVersion: Record<string, string> = rv ? { configMapResourceVersion: rv } : {};

    const loops = scan(snapshot, w, LOOP);
    if (loops.length > 0) {
      const forwardNo = cf ? directiveLines(cf, 'forward')[0] : undefined;
      const forwardLine =
        forwardNo && cf ? cf.lines[forwardNo - 1]!.trim().replace(/\s*\{$/, '') : 'forward . /etc/resolv.conf';
      findings.push(
        makeFinding({
          id: 'coredns.loop-detected',
          severity: severityOf(w, loops),
          title: ctx.tr('CoreDNS detected a forwarding loop', 'CoreDNS가 DNS 포워딩 루프를 감지함'),
          detail: ctx.tr(
            `CoreDNS in ${w.namespace}/${w.name} forwards queries back to itself (\`${forwardLine}\` reaches a local resolver such as 127.0.0.53) and exits.`,
            `${w.namespace}/${w.name}의 CoreDNS가 질의를 자기 자신에게 다시 포워딩하여(\`${forwardLine}\`이 127.0.0.53 같은 로컬 리졸버를 가리킴) 종료됩니다.`,
          ),
          impact: ctx.tr(
            'CoreDNS crash-loops, so cluster DNS is down or flapping.',
            'CoreDNS가 CrashLoopBackOff에 빠져 클러스터 DNS가 멈추거나 불안정합니다.',
          ),
          evidence: evidenceOf(loops, cf, forwardNo ? [forwardNo] : []),
          runbook: [
            step(
              ctx.tr(
                'Read the loop message in the previous container log.',
                '이전 컨테이너 로그에서 루프 메시지를 확인합니다.',
              ),
              `kubectl -n ${w.namespace} logs ${loops[0]!.pod.metadata.name} -c ${w.container} --previous`,
            ),
            step(
              ctx.tr(
                `On node ${loops[0]!.pod.spec?.nodeName ?? '<node>'}, check /etc/resolv.conf: a nameserver such as 127.0.0.53 (systemd-resolved) or another local cache causes the loop.`,
                `노드 ${loops[0]!.pod.spec?.nodeName ?? '<node>'}에서 /etc/resolv.conf를 확인합니다. 127.0.0.53(systemd-resolved) 같은 로컬 DNS 캐시가 nameserver로 있으면 루프가 생깁니다.`,
              ),
              'cat /etc/resolv.conf',
            ),
            ...option(
              {
                id: 'A',
                title: ctx.tr('Fix the node resolver', '노드의 리졸버 고치기'),
                recommended: true,
              },
              [
                snapshot.fingerprint.flavor === 'rke2'
                  ? // RKE2 runs kubelet from its own flags: there is no /var/lib/kubelet/config.yaml to edit.
                    step(
                      ctx.tr(
                        'On each node, add `kubelet-arg: ["resolv-conf=/run/systemd/resolve/resolv.conf"]` to /etc/rancher/rke2/config.yaml and restart RKE2 (rke2-server on servers, rke2-agent on agents); or disable the local DNS cache on the host.',
                        '각 노드의 /etc/rancher/rke2/config.yaml에 `kubelet-arg: ["resolv-conf=/run/systemd/resolve/resolv.conf"]`를 추가하고 RKE2(서버는 rke2-server, 에이전트는 rke2-agent)를 재시작합니다. 호스트의 로컬 DNS 캐시를 끄는 방법도 있습니다.',
                      ),
                      'sudoedit /etc/rancher/rke2/config.yaml && sudo systemctl restart rke2-server   # rke2-agent on agent nodes',
                      'node',
                    )
                  : step(
                      ctx.tr(
                        'On each node, point kubelet at the real resolv.conf (resolvConf in /var/lib/kubelet/config.yaml) and restart kubelet; or disable the local DNS cache on the host.',
                        '각 노드에서 kubelet 구성(/var/lib/kubelet/config.yaml)의 resolvConf에 실제 resolv.conf 경로를 지정하고 kubelet을 재시작합니다. 호스트의 로컬 DNS 캐시를 끄는 방법도 있습니다.',
                      ),
                      "sudo sed -i 's#^resolvConf:.*#resolvConf: /run/systemd/resolve/resolv.conf#' /var/lib/kubelet/config.yaml && sudo systemctl restart kubelet",
                      'node',
                    ),
                step(
                  ctx.tr(
                    'Restart CoreDNS so its pods get the new resolv.conf.',
                    '새 resolv.conf를 받도록 CoreDNS를 재시작합니다.',
                  ),
                  `kubectl -n ${w.namespace} rollout restart deploy/${w.name}`,
                ),
              ],
            ),
            ...option(
              { id: 'B', title: ctx.tr('Pin upstreams in the Corefile', 'Corefile에 업스트림 고정하기') },
              editSteps(
                ctx,
                w,
                cm,
                `Name the upstream DNS in the Corefile instead of /etc/resolv.conf: replace \`${forwardLine}\`${forwardNo ? ` (line ${forwardNo})` : ''} with \`forward . 8.8.8.8\` (or your own resolvers).`,
                `Corefile에서 /etc/resolv.conf 대신 업스트림 DNS를 직접 지정합니다. \`${forwardLine}\`${forwardNo ? `(${forwardNo}번째 줄)` : ''} 줄을 \`forward . 8.8.8.8\`(또는 사내 DNS 서버)로 바꿉니다.`,
              ),
            ),
            ...verifySteps(ctx, w),
          ],
          remediation: {
            id: 'coredns.forward-upstream',
            title: ctx.tr(
              'Forward the Corefile to upstream resolvers you name',
              'Corefile을 지정한 업스트림 리졸버로 포워딩',
            ),
            params: { namespace: w.namespace, configMap: cm, deployment: w.name, ...seenVersion },
          },
        }),
      );
    }

    // Removed plugin: from the log, or statically when the image is known to be ≥1.5.0 and the Corefile uses proxy.
    const removedPlugin = scan(
      snapshot,
      w,
      /Corefile:\d+ - Error during parsing: Unknown directive '?(proxy|kubernetai)\b/,
    );
    const version = imageVersion(dnsImage(w));
    const staticProxy = cf && version && versionAtLeast(version, [1, 5, 0]) ? directiveLines(cf, 'proxy') : [];
    if (removedPlugin.length > 0 || staticProxy.length > 0) {
      const directive = removedPlugin[0]?.line.match(UNKNOWN_DIRECTIVE)?.[1] ?? 'proxy';
      const lineNo = removedPlugin[0]?.lineNo ?? staticProxy[0];
      const isProxy = directive === 'proxy';
      const current = lineNo && cf ? cf.lines[lineNo - 1]?.trim() : undefined;
      const replacement = current?.replace(/^proxy\b/, 'forward');
      findings.push(
        makeFinding({
          id: 'coredns.corefile-removed-plugin',
          severity: removedPlugin.length > 0 ? severityOf(w, removedPlugin) : 'warning',
          title: ctx.tr(
            `Corefile uses removed plugin '${directive}'`,
            `Corefile이 제거된 플러그인 ${josa(`'${directive}'`, '을/를')} 사용함`,
          ),
          detail: isProxy
            ? ctx.tr(
                `ConfigMap ${w.namespace}/${cm} uses the \`proxy\` plugin${lineNo ? ` on line ${lineNo}` : ''}; it was removed in CoreDNS 1.5.0 (image ${dnsImage(w) ?? '?'}) and replaced by \`forward\`.`,
                `컨피그맵 ${w.namespace}/${cm}${lineNo ? `의 ${lineNo}번째 줄` : ''}이 \`proxy\` 플러그인을 사용합니다. 이 플러그인은 CoreDNS 1.5.0에서 제거되고 \`forward\`로 대체되었습니다(이미지 ${dnsImage(w) ?? '?'}).`,
              )
            : ctx.tr(
                `ConfigMap ${w.namespace}/${cm} uses the directive \`${directive}\`${lineNo ? ` on line ${lineNo}` : ''}, which image ${dnsImage(w) ?? '?'} does not include.`,
                `컨피그맵 ${w.namespace}/${cm}${lineNo ? `의 ${lineNo}번째 줄` : ''}이 이미지 ${dnsImage(w) ?? '?'}에 포함되지 않은 \`${directive}\` 지시어를 사용합니다.`,
              ),
          ...parseFailure(ctx, w, cf, removedPlugin, lineNo),
          runbook: [
            ...(removedPlugin.length > 0
              ? [
                  step(
                    ctx.tr(
                      'Read the parse error in the previous container log.',
                      '이전 컨테이너 로그에서 파싱 오류를 확인합니다.',
                    ),
                    `kubectl -n ${w.namespace} logs ${removedPlugin[0]!.pod.metadata.name} -c ${w.container} --previous`,
                  ),
                ]
              : []),
            ...(isProxy
              ? [
                  backupStep(ctx, w, cm),
                  step(
                    ctx.tr(
                      `Replace \`${current ?? 'proxy . /etc/resolv.conf'}\` with \`${replacement ?? 'forward . /etc/resolv.conf'}\` (same arguments).`,
                      `${josa(`\`${current ?? 'proxy . /etc/resolv.conf'}\``, '을/를')} ${josa(`\`${replacement ?? 'forward . /etc/resolv.conf'}\``, '으로/로')} 바꿉니다(인자는 그대로).`,
                    ),
                    `kubectl -n ${w.namespace} get cm ${cm} -o yaml | sed -E 's/^( *)proxy /\\1forward /' | kubectl apply -f -`,
                  ),
                  step(
                    ctx.tr(
                      'Restart CoreDNS so it loads the fixed Corefile.',
                      '수정한 Corefile을 읽도록 CoreDNS를 재시작합니다.',
                    ),
                    `kubectl -n ${w.namespace} rollout restart deploy/${w.name}`,
                  ),
                ]
              : editSteps(
                  ctx,
                  w,
                  cm,
                  `Remove the \`${directive}\` stanza or use an image that includes that plugin.`,
                  `\`${directive}\` 설정 블록을 지우거나, 그 플러그인이 포함된 이미지를 사용합니다.`,
                )),
            ...verifySteps(ctx, w),
          ],
          ...(isProxy
            ? {
                remediation: {
                  id: 'coredns.replace-proxy-with-forward',
                  params: { namespace: w.namespace, configMap: cm, deployment: w.name, ...seenVersion },
                  title: ctx.tr('Replace proxy with forward in the Corefile', 'Corefile의 proxy를 forward로 교체'),
                },
              }
            : {}),
        }),
      );
    }

    const removedOption = scan(
      snapshot,
      w,
      /Error during parsing: unknown property '?(upstream|resyncperiod|max_concurrent)\b/,
    );
    const staticOptions =
      cf && version && versionAtLeast(version, [1, 7, 0]) ? REMOVED_OPTIONS.flatMap((o) => directiveLines(cf, o)) : [];
    if (removedOption.length > 0 || staticOptions.length > 0) {
      const option =
        removedOption[0]?.line.match(UNKNOWN_PROPERTY)?.[1] ??
        cf?.lines[staticOptions[0]! - 1]?.trim().split(/\s+/)[0] ??
        'upstream';
      const lineNo = removedOption[0]?.lineNo ?? staticOptions[0];
      const tooNew = option === 'max_concurrent';
      findings.push(
        makeFinding({
          id: 'coredns.corefile-removed-option',
          severity: removedOption.length > 0 ? severityOf(w, removedOption) : 'warning',
          title: ctx.tr(
            `Corefile uses unsupported option '${option}'`,
            `Corefile이 지원되지 않는 옵션 ${josa(`'${option}'`, '을/를')} 사용함`,
          ),
          detail: tooNew
            ? ctx.tr(
                `ConfigMap ${w.namespace}/${cm} uses \`max_concurrent\`${lineNo ? ` on line ${lineNo}` : ''}, which image ${dnsImage(w) ?? '?'} (older than 1.6.9) does not know.`,
                `컨피그맵 ${w.namespace}/${cm}${lineNo ? `의 ${lineNo}번째 줄` : ''}이 \`max_concurrent\`를 사용하는데, 이미지 ${dnsImage(w) ?? '?'}(1.6.9 이전)는 이 옵션을 모릅니다.`,
              )
            : ctx.tr(
                `ConfigMap ${w.namespace}/${cm} sets \`${option}\` in the kubernetes plugin${lineNo ? ` on line ${lineNo}` : ''}; CoreDNS 1.7.0 removed it (image ${dnsImage(w) ?? '?'}).`,
                `컨피그맵 ${w.namespace}/${cm}${lineNo ? `의 ${lineNo}번째 줄` : ''}에서 kubernetes 플러그인에 ${josa(`\`${option}\``, '을/를')} 설정했는데, 이 옵션은 CoreDNS 1.7.0에서 제거되었습니다(이미지 ${dnsImage(w) ?? '?'}).`,
              ),
          ...parseFailure(ctx, w, cf, removedOption, lineNo),
          runbook: [
            ...editSteps(
              ctx,
              w,
              cm,
              tooNew
                ? `Delete the \`max_concurrent\` line${lineNo ? ` (line ${lineNo})` : ''}, or upgrade the CoreDNS image to 1.6.9 or later.`
                : `Delete the \`${option}\` line${lineNo ? ` (line ${lineNo})` : ''}; nothing replaces it.`,
              tooNew
                ? `\`max_concurrent\` 줄${lineNo ? `(${lineNo}번째 줄)` : ''}을 지우거나 CoreDNS 이미지를 1.6.9 이상으로 올립니다.`
                : `\`${option}\` 줄${lineNo ? `(${lineNo}번째 줄)` : ''}을 지웁니다. 대체할 옵션은 없습니다.`,
            ),
            ...verifySteps(ctx, w),
          ],
          remediation: {
            id: 'coredns.remove-obsolete-option',
            params: { namespace: w.namespace, configMap: cm, deployment: w.name, option, ...seenVersion },
            title: ctx.tr(`Delete the '${option}' line from the Corefile`, `Corefile에서 '${option}' 줄 삭제`),
          },
        }),
      );
    }

    // Generic parse errors not explained above.
    const explained = new Set([...removedPlugin, ...removedOption].map((h) => h.pod.metadata.name));
    const parseErrors = scan(snapshot, w, PARSE).filter((h) => !explained.has(h.pod.metadata.name));
    if (parseErrors.length > 0 && removedPlugin.length === 0 && removedOption.length === 0) {
      const lineNo = parseErrors[0]!.lineNo;
      findings.push(
        makeFinding({
          id: 'coredns.corefile-parse-error',
          severity: severityOf(w, parseErrors),
          title: ctx.tr('Corefile does not parse', 'Corefile 구문 오류'),
          detail: ctx.tr(
            `CoreDNS in ${w.namespace}/${w.name} rejects ConfigMap ${cm}${lineNo ? ` at line ${lineNo}` : ''}: ${parseErrors[0]!.line.match(PARSE)?.[2] ?? 'parse error'}.`,
            `${w.namespace}/${w.name}의 CoreDNS가 컨피그맵 ${josa(`${cm}${lineNo ? `의 ${lineNo}번째 줄` : ''}`, '을/를')} 해석하지 못합니다: ${parseErrors[0]!.line.match(PARSE)?.[2] ?? 'parse error'}.`,
          ),
          impact: ctx.tr(
            'CoreDNS crash-loops on a bad config; cluster DNS is down.',
            '잘못된 설정 때문에 CoreDNS가 CrashLoopBackOff에 빠져 클러스터 DNS가 멈춥니다.',
          ),
          evidence: evidenceOf(parseErrors, cf),
          runbook: [
            step(
              ctx.tr(
                'Read the parse error in the previous container log.',
                '이전 컨테이너 로그에서 파싱 오류를 확인합니다.',
              ),
              `kubectl -n ${w.namespace} logs ${parseErrors[0]!.pod.metadata.name ?? firstPod} -c ${w.container} --previous`,
            ),
            ...editSteps(
              ctx,
              w,
              cm,
              `Fix the Corefile${lineNo ? ` around line ${lineNo}` : ''} (balanced braces, one directive per line), or restore the kubeadm default and re-add your own stanzas.`,
              `Corefile${lineNo ? `의 ${lineNo}번째 줄 부근` : ''}을 고칩니다(중괄호 짝, 한 줄에 지시어 하나). 또는 kubeadm 기본값으로 되돌린 뒤 사이트별 설정을 다시 넣습니다.`,
            ),
            ...verifySteps(ctx, w),
          ],
        }),
      );
    }
    return findings;
  },
};

/** Impact and evidence of a Corefile CoreDNS cannot parse: already crashing (log lines), or latent (only the image). */
function parseFailure(
  ctx: CheckContext,
  w: DnsWorkload,
  cf: Corefile | undefined,
  logHits: Hit[],
  lineNo: number | undefined,
): Pick<Finding, 'impact' | 'evidence'> {
  const crashing = logHits.length > 0;
  return {
    impact: crashing
      ? ctx.tr(
          'CoreDNS cannot parse its config and crash-loops; cluster DNS is down.',
          'CoreDNS가 설정을 해석하지 못해 CrashLoopBackOff에 빠지고 클러스터 DNS가 멈춥니다.',
        )
      : ctx.tr(
          'The next CoreDNS restart will fail to parse the Corefile and take cluster DNS down.',
          '다음에 CoreDNS가 재시작하면 Corefile을 해석하지 못해 클러스터 DNS가 멈춥니다.',
        ),
    evidence: [
      ...evidenceOf(logHits, cf, lineNo ? [lineNo] : []),
      ...(crashing ? [] : [`image: ${dnsImage(w) ?? '?'}`]),
    ],
  };
}
