// Headings and labels of the Slack messages in English and Korean. The report's own texts (titles, details,
// runbooks) already arrive in the chosen language; only the frame around them is translated here.

import { josa } from '../engine/i18n.ts';
import type { ComponentName, Lang, Scope, Status } from '../engine/report.ts';

export interface Labels {
  status: Record<Status, string>;
  component: Record<ComponentName, string>;
  scope: Record<Scope, string>;
  rootCause: string;
  evidence: string;
  whyItMatters: string;
  howToFix: string;
  whatItCaused: string;
  causedBy: (what: string) => string;
  seeComponent: (component: string) => string;
  furtherFindings: string;
  couldNotRead: string;
  rerun: string;
  fix: (title: string) => string;
  fixConfirmTitle: string;
  fixConfirmText: (title: string, cluster: string) => string;
  fixConfirm: string;
  fixDeny: string;
  fixNotEnabled: (title: string) => string;
  leftOut: (count: number, command: string) => string;
  leftOutInThread: (count: number) => string;
  checked: (components: string) => string;
  apiCalls: (count: number) => string;
  duration: (ms: number) => string;
  cluster: (flavor: string, cni: string) => string;
  requestedBy: (user: string) => string;
  checking: (scope: string, cluster: string) => string;
  ackSuffix: string;
  phase: Record<string, string>;
  usageTitle: string;
  subcommands: Record<Scope | 'audit' | 'help', string>;
  options: string[];
  clustersYouMayCheck: string;
  noClusters: string;
  andMore: (count: number) => string;
  examples: string;
  couldNotCheck: (cluster: string) => string;
  errorHint: string;
  detailsTitle: (cluster: string, part: number, parts: number) => string;
  noFurtherFindings: string;
  healthy: string;
  // Answers of the Slack listeners (src/handlers/slack/).
  nameACluster: string;
  unknownCluster: (cluster: string) => string;
  /** `reason` comes from authorize() (English) and names the cluster and what is missing. */
  refused: (reason: string) => string;
  couldNotStart: string;
  buttonExpired: string;
  fixNeedsApproval: string;
  // Incidents (src/slack/incident-blocks.ts).
  clusterChosen: {
    label: (cluster: string, key: string, value: string) => string;
    channelPattern: (cluster: string) => string;
    channelMapping: (cluster: string, channel: string) => string;
    byDefault: (cluster: string, ignored: string[]) => string;
  };
  recheckedAt: (time: string) => string;
  newAlert: (name: string, count: number) => string;
  groupChanged: (name: string, count: number) => string;
  repeatChanged: (name: string) => string;
  newFindings: string;
  resolvedFindings: string;
  noChange: string;
  resolvedVerified: (name: string, cluster: string) => string;
  resolvedButFailing: (name: string, failing: string) => string;
  contradiction: (alert: string, components: string, cluster: string) => string;
  contradictionReasons: { 'target-down-dataplane-works': string; 'unseen-nodes': string };
  contradictionRerun: string;
  // The runbook layout: options, where commands run, what the first screen leaves to the thread.
  option: (id: string, title: string, recommended: boolean) => string;
  orOption: (heading: string) => string;
  beforeYouChoose: string;
  thenVerify: string;
  continued: (heading: string) => string;
  seeAbove: (heading: string) => string;
  rootCauseContinued: string;
  inThread: (parts: string[]) => string;
  moreSteps: (count: number) => string;
  checksBefore: string;
  optionShort: (id: string) => string;
  verification: string;
  causedCount: (count: number) => string;
  furtherCount: (count: number) => string;
  detailsCommand: (command: string) => string;
  notShown: (parts: string[]) => string;
  stepRange: (first: number, last: number) => string;
  commandInThread: string;
  /** Title suffix of a thread reply that replaces the rest posted before (a Re-run or an incident update changed it). */
  detailsUpdated: (time: string) => string;
  /** The rest posted before no longer applies: everything is in the report above now. */
  nothingFurtherNow: (time: string) => string;
}

const en: Labels = {
  status: { ok: 'OK', warning: 'WARNING', critical: 'CRITICAL', unknown: 'UNKNOWN' },
  component: { cni: 'CNI', dns: 'DNS', 'kube-proxy': 'kube-proxy' },
  scope: { dns: 'DNS', cni: 'CNI', proxy: 'kube-proxy', all: 'networking' },
  rootCause: 'Root cause',
  evidence: 'Evidence',
  whyItMatters: 'Why it matters',
  howToFix: 'How to fix',
  whatItCaused: 'What it caused',
  causedBy: (what) => `Caused by ${what}`,
  seeComponent: (component) => `see ${component} above`,
  furtherFindings: 'Further findings',
  couldNotRead: 'Could not read',
  rerun: 'Re-run',
  fix: (title) => `Fix: ${title}`,
  fixConfirmTitle: 'Make a fix plan?',
  fixConfirmText: (title, cluster) =>
    `netcheck will read ${cluster} again and post a plan for "${title}" with a dry-run diff in the thread. Nothing changes until someone else approves it.`,
  fixConfirm: 'Make the plan',
  fixDeny: 'Cancel',
  fixNotEnabled: (title) => `Automated fix available but not enabled here: ${title}`,
  leftOut: (count, command) =>
    `${count} further finding${count === 1 ? ' was' : 's were'} left out to fit Slack's limits. \`${command}\` posts them in the thread.`,
  leftOutInThread: (count) => `${count} further finding${count === 1 ? ' is' : 's are'} in the thread.`,
  checked: (components) => `Checked ${components}`,
  apiCalls: (count) => `${count} API call${count === 1 ? '' : 's'}`,
  duration: (ms) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`),
  cluster: (flavor, cni) => `${flavor} · CNI ${cni}`,
  requestedBy: (user) => `Requested by ${user}`,
  checking: (scope, cluster) => `Checking ${scope} on ${cluster}…`,
  ackSuffix: 'The report will appear in this channel.',
  phase: { collect: 'Reading cluster objects', logs: 'Reading component logs' },
  usageTitle: 'Diagnose Kubernetes networking',
  subcommands: {
    dns: 'CoreDNS / kube-dns: pods, Corefile, RBAC, upstreams',
    cni: 'the pod network: CNI add-on, node readiness',
    proxy: 'kube-proxy: DaemonSet, configuration, Service rules',
    all: 'all of the above',
    audit: 'the last 20 remediation actions on the cluster (Fix…, approvals, applies), only to you',
    help: 'this help',
  },
  options: [
    '`--cluster NAME` which cluster to check',
    '`--lang en|ko` language of the report',
    '`--details` post every finding in the thread',
  ],
  clustersYouMayCheck: 'Clusters you may check',
  noClusters: 'You may not check any cluster from here. Ask an administrator to grant access.',
  andMore: (count) => `and ${count} more`,
  examples: 'Examples: `/netcheck dns --cluster prod-eu` · `/netcheck all --details`',
  couldNotCheck: (cluster) => `Could not check ${cluster}`,
  errorHint: 'netcheck reads the cluster with its own identity: check the access entry / RBAC named above.',
  detailsTitle: (cluster, part, parts) => `Further findings on ${cluster}${parts > 1 ? ` (${part}/${parts})` : ''}`,
  noFurtherFindings: 'No further findings: everything is in the report above.',
  healthy: 'All checked components are healthy.',
  nameACluster: 'Name a cluster to check.',
  unknownCluster: (cluster) => `Unknown cluster "${cluster}".`,
  refused: (reason) => `:no_entry: ${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`,
  couldNotStart: ':warning: Could not start the check right now. Please try again in a minute.',
  buttonExpired: 'This button is no longer valid; run /netcheck again.',
  fixNeedsApproval:
    'Automated fixes need an approval flow, which is not enabled yet. Follow the runbook steps in the report.',
  clusterChosen: {
    label: (cluster, key, value) => `Checked cluster *${cluster}*: the alert's label \`${key}=${value}\`.`,
    channelPattern: (cluster) => `Checked cluster *${cluster}*: named in the channel name.`,
    channelMapping: (cluster, channel) => `Checked cluster *${cluster}*: the configuration maps #${channel} to it.`,
    byDefault: (cluster, ignored) =>
      `Checked the default cluster *${cluster}*: ${
        ignored.length
          ? `the alert names ${ignored.map((n) => `\`${n}\``).join(', ')}, which is not a configured cluster.`
          : 'neither the alert nor the channel names a cluster.'
      }`,
  },
  recheckedAt: (time) => `:repeat: Re-checked at ${time}`,
  newAlert: (name, count) => `:bell: New alert *${name}*${count > 1 ? ` (${count} firing)` : ''}: checked again.`,
  groupChanged: (name, count) =>
    `:bell: *${name}* now has ${count} alert${count === 1 ? '' : 's'} firing: checked again.`,
  repeatChanged: (name) => `:bell: *${name}* is still firing, and the cluster changed since the last check.`,
  newFindings: 'New findings',
  resolvedFindings: 'No longer found',
  noChange: 'No change since the last check: the report above still holds.',
  resolvedVerified: (name, cluster) => `:white_check_mark: *${name}* resolved, and verified: ${cluster} checks clean.`,
  resolvedButFailing: (name, failing) => `:warning: Alert *${name}* resolved, but ${failing} is still failing.`,
  contradiction: (alert, components, cluster) =>
    `:mag: *${alert}* says ${components} is down, but netcheck finds ${components} healthy on ${cluster}. Both can be true:`,
  contradictionReasons: {
    'target-down-dataplane-works':
      "The alert's target is down while the dataplane works: kube-proxy serves its metrics on 127.0.0.1:10249 by default (metricsBindAddress), so Prometheus cannot scrape it and KubeProxyDown fires while Services work. The same holds for any scrape target the alert watches.",
    'unseen-nodes':
      'The failure is on nodes netcheck cannot see: it reads the API server, so a node whose agent stopped reporting, or a problem outside Kubernetes objects, leaves no trace there.',
  },
  contradictionRerun: 'Re-run the check when you have looked: the report updates in place.',
  option: (id, title, recommended) => `Option ${id} — ${title}${recommended ? ' (recommended)' : ''}`,
  orOption: (heading) => `Or ${heading}`,
  beforeYouChoose: 'Before you choose',
  thenVerify: 'Then verify (after any option)',
  continued: (heading) => `${heading} (continued)`,
  seeAbove: (heading) => `${heading}: see the report above`,
  rootCauseContinued: 'Root cause, continued',
  inThread: (parts) => `In the thread: ${parts.join(', ')}.`,
  moreSteps: (count) => `${count} more step${count === 1 ? '' : 's'}`,
  checksBefore: 'checks before the fix',
  optionShort: (id) => `option ${id}`,
  verification: 'verification',
  causedCount: (count) => `what it caused (${count})`,
  furtherCount: (count) => `${count} further finding${count === 1 ? '' : 's'}`,
  detailsCommand: (command) => `see them with \`${command}\``,
  notShown: (parts) => `Not shown here: ${parts.join(', ')};`,
  stepRange: (first, last) => (first === last ? `Step ${first}` : `Steps ${first}–${last}`),
  commandInThread: 'the command is in the thread',
  detailsUpdated: (time) => `updated, re-checked at ${time}`,
  nothingFurtherNow: (time) => `Updated (re-checked at ${time}): nothing further, everything is in the report above.`,
};

const ko: Labels = {
  status: { ok: '정상', warning: '경고', critical: '심각', unknown: '알 수 없음' },
  component: { cni: 'CNI', dns: 'DNS', 'kube-proxy': 'kube-proxy' },
  scope: { dns: 'DNS', cni: 'CNI', proxy: 'kube-proxy', all: '네트워크' },
  rootCause: '근본 원인',
  evidence: '근거',
  whyItMatters: '영향',
  howToFix: '조치 방법',
  whatItCaused: '이로 인해 발생한 문제',
  causedBy: (what) => `원인: ${what}`,
  seeComponent: (component) => `위의 ${component} 참고`,
  furtherFindings: '추가 발견 사항',
  couldNotRead: '읽지 못함',
  rerun: '다시 실행',
  fix: (title) => `조치: ${title}`,
  fixConfirmTitle: '수정 계획을 만들까요?',
  fixConfirmText: (title, cluster) =>
    `netcheck가 클러스터 ${cluster}의 오브젝트를 다시 읽고 "${title}" 수정 계획과 dry-run diff를 스레드에 올립니다. 다른 사람이 승인하기 전에는 아무것도 바뀌지 않습니다.`,
  fixConfirm: '계획 만들기',
  fixDeny: '취소',
  fixNotEnabled: (title) => `자동 조치가 가능하지만 여기서는 활성화되지 않았습니다: ${title}`,
  leftOut: (count, command) =>
    `Slack 메시지 한도 때문에 추가 발견 사항 ${count}개를 생략했습니다. \`${command}\` 를 실행하면 스레드에 게시됩니다.`,
  leftOutInThread: (count) => `추가 발견 사항 ${count}개는 스레드에 있습니다.`,
  checked: (components) => `점검: ${components}`,
  apiCalls: (count) => `API 호출 ${count}회`,
  duration: (ms) => (ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}초`),
  cluster: (flavor, cni) => `${flavor} · CNI ${cni}`,
  requestedBy: (user) => `요청: ${user}`,
  checking: (scope, cluster) => `${cluster}의 ${scope} 점검 중…`,
  ackSuffix: '결과는 이 채널에 게시됩니다.',
  phase: { collect: '클러스터 오브젝트를 읽는 중', logs: '컴포넌트 로그를 읽는 중' },
  usageTitle: 'Kubernetes 네트워크 진단',
  subcommands: {
    dns: 'CoreDNS / kube-dns: 파드, Corefile, RBAC, 업스트림',
    cni: '파드 네트워크: CNI 애드온, 노드 Ready 상태',
    proxy: 'kube-proxy: DaemonSet, 설정, Service 규칙',
    all: '위의 모든 항목',
    audit: '클러스터의 최근 조치 기록 20건(Fix 요청, 승인, 적용). 나에게만 보입니다',
    help: '이 도움말',
  },
  options: [
    '`--cluster NAME` 점검할 클러스터',
    '`--lang en|ko` 보고서 언어',
    '`--details` 모든 발견 사항을 스레드에 게시',
  ],
  clustersYouMayCheck: '점검할 수 있는 클러스터',
  noClusters: '여기서 점검할 수 있는 클러스터가 없습니다. 관리자에게 권한을 요청하세요.',
  andMore: (count) => `외 ${count}개`,
  examples: '예: `/netcheck dns --cluster prod-eu` · `/netcheck all --details`',
  couldNotCheck: (cluster) => `${josa(cluster, '을/를')} 점검하지 못했습니다`,
  errorHint: 'netcheck는 자체 ID로 클러스터를 읽습니다. 위에 나온 액세스 항목 / RBAC 권한을 확인하세요.',
  detailsTitle: (cluster, part, parts) => `${cluster} 추가 발견 사항${parts > 1 ? ` (${part}/${parts})` : ''}`,
  noFurtherFindings: '추가 발견 사항이 없습니다. 모든 내용이 위 보고서에 있습니다.',
  healthy: '점검한 모든 컴포넌트가 정상입니다.',
  nameACluster: '확인할 클러스터를 지정하세요.',
  unknownCluster: (cluster) => `알 수 없는 클러스터 "${cluster}"입니다.`,
  refused: (reason) => `:no_entry: 허용되지 않습니다: ${reason}.`,
  couldNotStart: ':warning: 지금은 점검을 시작할 수 없습니다. 잠시 후 다시 시도하세요.',
  buttonExpired: '이 버튼은 더 이상 유효하지 않습니다. /netcheck 를 다시 실행하세요.',
  fixNeedsApproval: '자동 조치에는 승인 절차가 필요하며 아직 활성화되지 않았습니다. 보고서의 런북 단계를 따라 주세요.',
  clusterChosen: {
    label: (cluster, key, value) => `점검한 클러스터: *${cluster}* (알림 레이블 \`${key}=${value}\`)`,
    channelPattern: (cluster) => `점검한 클러스터: *${cluster}* (채널 이름에 적힌 클러스터)`,
    channelMapping: (cluster, channel) => `점검한 클러스터: *${cluster}* (설정에서 #${channel} 채널에 연결된 클러스터)`,
    byDefault: (cluster, ignored) =>
      `점검한 클러스터: 기본 클러스터 *${cluster}* (${
        ignored.length
          ? `알림에 적힌 ${ignored.map((n) => `\`${n}\``).join(', ')} 클러스터는 설정에 없음`
          : '알림과 채널 이름 모두 클러스터를 지정하지 않음'
      })`,
  },
  recheckedAt: (time) => `:repeat: 다시 점검한 시각: ${time}`,
  newAlert: (name, count) => `:bell: 새 알림 *${name}*${count > 1 ? ` (${count}건 발생 중)` : ''}: 다시 점검했습니다.`,
  groupChanged: (name, count) => `:bell: *${name}* 알림이 이제 ${count}건 발생 중입니다: 다시 점검했습니다.`,
  repeatChanged: (name) => `:bell: *${name}* 알림이 계속 발생 중이며, 지난 점검 이후 클러스터 상태가 바뀌었습니다.`,
  newFindings: '새 발견 사항',
  resolvedFindings: '더 이상 발견되지 않음',
  noChange: '지난 점검 이후 바뀐 것이 없습니다. 위 보고서 내용이 그대로 유효합니다.',
  resolvedVerified: (name, cluster) =>
    `:white_check_mark: *${name}* 알림 해소, 확인 완료: ${cluster} 점검 결과 이상 없음.`,
  resolvedButFailing: (name, failing) =>
    `:warning: *${name}* 알림은 해소되었지만 아직 실패 중인 항목이 있습니다: ${failing}`,
  contradiction: (alert, components, cluster) =>
    `:mag: *${alert}* 알림은 ${components} 장애를 알리지만, netcheck가 ${cluster}에서 점검한 ${components} 상태는 정상입니다. 두 가지가 모두 사실일 수 있습니다:`,
  contradictionReasons: {
    'target-down-dataplane-works':
      '알림 대상만 내려가고 데이터플레인은 동작하는 경우: kube-proxy는 기본적으로 메트릭을 127.0.0.1:10249에서 제공하므로(metricsBindAddress) Prometheus가 수집하지 못해 Service가 정상인데도 KubeProxyDown 알림이 발생합니다. 알림이 감시하는 다른 수집 대상도 마찬가지입니다.',
    'unseen-nodes':
      '장애가 netcheck가 볼 수 없는 노드에 있는 경우: netcheck는 API 서버를 읽으므로, 에이전트가 보고를 멈춘 노드나 Kubernetes 오브젝트 밖의 문제는 흔적이 남지 않습니다.',
  },
  contradictionRerun: '확인한 뒤 다시 점검하세요. 보고서가 그 자리에서 갱신됩니다.',
  option: (id, title, recommended) => `옵션 ${id} — ${title}${recommended ? ' (권장)' : ''}`,
  orOption: (heading) => `또는 ${heading}`,
  beforeYouChoose: '선택하기 전에',
  thenVerify: '확인 (어느 옵션이든 마친 뒤)',
  continued: (heading) => `${heading} (이어서)`,
  seeAbove: (heading) => `${heading}: 위 보고서 참고`,
  rootCauseContinued: '근본 원인 (이어서)',
  inThread: (parts) => `스레드에 있는 내용: ${parts.join(', ')}.`,
  moreSteps: (count) => `나머지 단계 ${count}개`,
  checksBefore: '조치 전 확인',
  optionShort: (id) => `옵션 ${id}`,
  verification: '확인 단계',
  causedCount: (count) => `이 원인이 일으킨 문제 ${count}개`,
  furtherCount: (count) => `추가 발견 사항 ${count}개`,
  detailsCommand: (command) => `\`${command}\` 명령으로 볼 수 있습니다.`,
  notShown: (parts) => `여기에 없는 내용: ${parts.join(', ')}.`,
  stepRange: (first, last) => (first === last ? `${first}단계` : `${first}–${last}단계`),
  commandInThread: '명령은 스레드에 있음',
  detailsUpdated: (time) => `갱신됨, 다시 점검한 시각: ${time}`,
  nothingFurtherNow: (time) =>
    `갱신됨 (다시 점검한 시각: ${time}): 추가 내용이 없습니다. 모든 내용이 위 보고서에 있습니다.`,
};

export function labels(lang: Lang | undefined): Labels {
  return lang === 'ko' ? ko : en;
}

/** Slack user locales look like `ko-KR` or `en-US`; anything we do not translate falls back to the caller's default. */
export function langFromLocale(locale?: string): Lang | undefined {
  const primary = locale?.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === 'ko') return 'ko';
  if (primary === 'en') return 'en';
  return undefined;
}
