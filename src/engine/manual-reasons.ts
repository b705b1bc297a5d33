// Why a MANUAL finding has no Fix button, said once per reason in both languages and added as the last runbook step
// of every finding whose check classes it `manual` (src/engine/diagnose.ts).
import type { ManualReason } from './check.ts';
import type { RunbookStep } from './report.ts';

export const MANUAL_REASONS: Record<ManualReason, { en: string; ko: string }> = {
  node: {
    en: 'No Fix button: this needs access to the nodes themselves (kernel modules, host sysctl, files, the node network), which netcheck does not have.',
    ko: 'Fix 버튼이 없는 이유: 커널 모듈, 호스트 sysctl, 파일, 노드 네트워크처럼 노드에 직접 접속해야 하는 조치이며 netcheck에는 그 권한이 없습니다.',
  },
  design: {
    en: 'No Fix button: the right fix is a design decision (which CNI, which CIDR, which upstream) that your team has to make.',
    ko: 'Fix 버튼이 없는 이유: 어떤 CNI, CIDR, 업스트림을 쓸지 팀이 정해야 하는 설계 결정입니다.',
  },
  outside: {
    en: "No Fix button: the fix is outside the cluster's API (cloud subnets and ENI limits, DNS servers outside the cluster).",
    ko: 'Fix 버튼이 없는 이유: 클라우드 서브넷과 ENI 한도, 클러스터 밖 DNS 서버처럼 클러스터 API 밖에서 해야 하는 조치입니다.',
  },
  'diagnose-first': {
    en: 'No Fix button: this finding does not name its cause; the fix depends on what the log and events above say.',
    ko: 'Fix 버튼이 없는 이유: 이 항목만으로는 원인을 알 수 없고, 조치는 위의 로그와 이벤트 내용에 따라 달라집니다.',
  },
  consequence: {
    en: 'No Fix button: this is a consequence of another finding; fixing that root cause clears it.',
    ko: 'Fix 버튼이 없는 이유: 다른 문제의 결과이므로 그 근본 원인을 고치면 함께 사라집니다.',
  },
  intent: {
    en: 'No Fix button: netcheck cannot tell whether this was removed on purpose, so putting it back is your call.',
    ko: 'Fix 버튼이 없는 이유: 일부러 삭제한 것인지 netcheck가 알 수 없으므로 되살릴지는 직접 판단해야 합니다.',
  },
  distribution: {
    en: 'No Fix button: the distribution manages this component with its own tooling; change it there, not through netcheck.',
    ko: 'Fix 버튼이 없는 이유: 배포판이 자체 도구로 이 구성 요소를 관리하므로 netcheck가 아니라 그 도구에서 바꿔야 합니다.',
  },
  nothing: {
    en: 'No Fix button: nothing needs changing now.',
    ko: 'Fix 버튼이 없는 이유: 지금은 바꿀 것이 없습니다.',
  },
};

/** The runbook step saying why there is no automated fix. */
export function manualStep(reason: ManualReason, lang: 'en' | 'ko'): RunbookStep {
  return { text: MANUAL_REASONS[reason][lang] };
}
