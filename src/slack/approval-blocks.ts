// The remediation plan in the report's thread: what will change (the dry-run diff), its preconditions, risk and
// rollback, who asked and when it expires, and Approve / Reject / Cancel. The same card is re-rendered for every
// later state; refusals are short ephemeral texts. Pure: it sees a plan record, never the table or the cluster.
// Every button carries only the opaque plan id: the listeners load everything else from the table.
import { isIP } from 'node:net';
import type { Lang } from '../engine/report.ts';
import type { Change, PlanState } from '../remediate/types.ts';
import { type Button, context, type KnownBlock, plain, section } from './blocks.ts';
import { LIMITS, type SlackMessage } from './limits.ts';
import { codeBlock, escapeMrkdwn, oneLine, safe } from './mrkdwn.ts';

export const APPROVAL_ACTIONS = {
  approve: 'netcheck_plan_approve',
  reject: 'netcheck_plan_reject',
  cancel: 'netcheck_plan_cancel',
  rollback: 'netcheck_plan_rollback',
} as const;
export type ApprovalAction = keyof typeof APPROVAL_ACTIONS;

/** The modal asking for a remediation's inputs; its private_metadata is the plan id. */
export const INPUT_MODAL_CALLBACK = 'netcheck_plan_inputs';

/** What the card needs from a plan record (src/aws/approvals.ts PlanRecord satisfies it). */
export interface PlanCardData {
  id: string;
  cluster: string;
  finding: string;
  state: PlanState;
  requester: string;
  approver?: string;
  selfApproval?: boolean;
  expiresAt: number;
  title?: string;
  risk?: string;
  rollback?: string;
  changes?: Change[];
  diff?: string;
  diffHash?: string;
  reason?: string;
  verification?: { ok: boolean; remaining: string[] };
  /** The component whose checks were re-run, for "DNS OK". */
  component?: string;
  rollbackOf?: string;
}

export type Refusal =
  | { why: 'not-approver' }
  | { why: 'requester' }
  | { why: 'expired' }
  | { why: 'already-approved'; by: string }
  | { why: 'rejected' }
  | { why: 'cancelled' }
  | { why: 'finished'; state: PlanState }
  | { why: 'not-requester' }
  | { why: 'unknown' }
  | { why: 'not-allowed'; reason: string }
  /** A Fix… button whose offer is unknown here, of another team, or expired. */
  | { why: 'offer-unknown' }
  /** A Fix… button already used for a plan that is still open. */
  | { why: 'already-requested'; by: string }
  | { why: 'already-fixed'; by: string };

interface ApprovalLabels {
  plan: (title: string, cluster: string) => string;
  rollbackPlan: (title: string, cluster: string) => string;
  whatChanges: string;
  preconditions: string;
  risk: string;
  rollback: string;
  requestedBy: (user: string) => string;
  expiresIn: (minutes: number) => string;
  diffHash: (hash: string) => string;
  approve: string;
  reject: string;
  cancel: string;
  rollbackButton: string;
  confirmTitle: string;
  confirmText: (title: string, cluster: string) => string;
  confirmYes: string;
  confirmNo: string;
  atVersion: (target: string, version: string) => string;
  mustNotExist: (target: string) => string;
  planning: string;
  approvedBy: (user: string, self: boolean) => string;
  applied: string;
  verified: (finding: string, component: string) => string;
  stillPresent: (findings: string) => string;
  rejectedBy: (user: string) => string;
  cancelledBy: (user: string) => string;
  expired: string;
  failed: (reason: string) => string;
  rolledBack: string;
  refusal: (r: Refusal) => string;
  modalTitle: string;
  modalSubmit: string;
  ipHint: string;
  ipInvalid: (value: string) => string;
  ipEmpty: string;
  requestAccepted: string;
  notEnabled: string;
  auditHeading: (cluster: string) => string;
  auditEmpty: (cluster: string) => string;
  /** The note on the original report once a fix was verified (or not): when, which fix, who approved. */
  recheckedAfterFix: (at: string, remediation: string, approver: string) => string;
}

const COMPONENT_OK: Record<string, Record<Lang, string>> = {
  dns: { en: 'DNS OK', ko: 'DNS 정상' },
  cni: { en: 'CNI OK', ko: 'CNI 정상' },
  'kube-proxy': { en: 'kube-proxy OK', ko: 'kube-proxy 정상' },
};

const EN: ApprovalLabels = {
  plan: (title, cluster) => `:wrench: Fix plan for ${cluster}: ${title}`,
  rollbackPlan: (title, cluster) => `:leftwards_arrow_with_hook: Rollback plan for ${cluster}: ${title}`,
  whatChanges: 'What will change',
  preconditions: 'Preconditions',
  risk: 'Risk',
  rollback: 'Rollback',
  requestedBy: (user) => `requested by ${user}`,
  expiresIn: (minutes) => `expires in ${minutes} min`,
  diffHash: (hash) => `diff ${hash}`,
  approve: 'Approve',
  reject: 'Reject',
  cancel: 'Cancel',
  rollbackButton: 'Roll back',
  confirmTitle: 'Approve this change?',
  confirmText: (title, cluster) => `netcheck will apply "${title}" on ${cluster} exactly as shown in the diff.`,
  confirmYes: 'Approve',
  confirmNo: 'Not yet',
  atVersion: (target, version) => `${target} is still at resourceVersion ${version}`,
  mustNotExist: (target) => `${target} does not exist yet`,
  planning: ':hourglass_flowing_sand: Reading the cluster and dry-running the change…',
  approvedBy: (user, self) =>
    `:white_check_mark: Approved by ${user}${self ? ' (self-approval allowed on this cluster)' : ''}; applying…`,
  applied: ':hourglass_flowing_sand: Applied; waiting for the rollout and re-running the checks…',
  verified: (finding, ok) => `:white_check_mark: Fixed and verified: \`${finding}\` is gone, ${ok}`,
  stillPresent: (findings) => `:warning: Applied, but ${findings} is still present`,
  rejectedBy: (user) => `:no_entry_sign: Rejected by ${user}. Nothing was changed.`,
  cancelledBy: (user) => `:heavy_multiplication_x: Cancelled by ${user}. Nothing was changed.`,
  expired: ':hourglass: This plan expired before anyone approved it. Nothing was changed; press Fix again.',
  failed: (reason) => `:x: Not applied: ${reason}`,
  rolledBack: ':leftwards_arrow_with_hook: Rolled back to the objects as they were before.',
  refusal: (r) => {
    switch (r.why) {
      case 'not-approver':
        return 'You are not an approver for this cluster.';
      case 'requester':
        return 'You requested this fix, so someone else has to approve it.';
      case 'expired':
        return 'This plan has expired. Press Fix again for a fresh plan.';
      case 'already-approved':
        return `Already approved by ${r.by}.`;
      case 'rejected':
        return 'This plan was rejected.';
      case 'cancelled':
        return 'This plan was cancelled.';
      case 'finished':
        return `This plan is already ${r.state}; nothing changed.`;
      case 'not-requester':
        return 'Only the person who requested this fix can cancel it.';
      case 'unknown':
        return 'This plan is not known here.';
      case 'not-allowed':
        return r.reason;
      case 'offer-unknown':
        return 'This Fix button is not known here or has expired; run /netcheck again for a fresh report.';
      case 'already-requested':
        return `A fix was already requested from this button by ${r.by}; its plan is in the report's thread.`;
      case 'already-fixed':
        return `This fix was already applied and verified (approved by ${r.by}); run /netcheck again to check.`;
    }
  },
  modalTitle: 'Fix: choose upstreams',
  modalSubmit: 'Make the plan',
  ipHint: 'IP addresses, separated by spaces or commas (e.g. 10.0.0.2 1.1.1.1)',
  ipInvalid: (value) => `"${value}" is not an IP address`,
  ipEmpty: 'Enter at least one IP address',
  requestAccepted: 'Making the plan: it will appear in the report’s thread with a dry-run diff, for an approver.',
  notEnabled: 'Automated fixes need approvers configured for this cluster. Follow the runbook steps in the report.',
  auditHeading: (cluster) => `Last remediation actions on ${cluster}`,
  auditEmpty: (cluster) => `No remediation actions recorded on ${cluster}.`,
  recheckedAfterFix: (at, remediation, approver) =>
    `:recycle: Re-checked at ${at} after fix \`${remediation}\` by ${approver}`,
};

const KO: ApprovalLabels = {
  plan: (title, cluster) => `:wrench: ${cluster} 수정 계획: ${title}`,
  rollbackPlan: (title, cluster) => `:leftwards_arrow_with_hook: ${cluster} 롤백 계획: ${title}`,
  whatChanges: '변경 내용',
  preconditions: '적용 조건',
  risk: '위험',
  rollback: '되돌리는 방법',
  requestedBy: (user) => `요청: ${user}`,
  expiresIn: (minutes) => `${minutes}분 후 만료`,
  diffHash: (hash) => `diff ${hash}`,
  approve: '승인',
  reject: '거절',
  cancel: '취소',
  rollbackButton: '롤백',
  confirmTitle: '이 변경을 승인할까요?',
  confirmText: (title, cluster) => `netcheck가 ${cluster}에 "${title}" 변경을 diff에 보이는 그대로 적용합니다.`,
  confirmYes: '승인',
  confirmNo: '나중에',
  atVersion: (target, version) => `${target}의 resourceVersion이 아직 ${version}일 것`,
  mustNotExist: (target) => `${target} 오브젝트가 아직 없을 것`,
  planning: ':hourglass_flowing_sand: 클러스터를 읽고 변경을 dry-run 하는 중…',
  approvedBy: (user, self) =>
    `:white_check_mark: ${user} 님이 승인했습니다${self ? ' (이 클러스터는 본인 승인 허용)' : ''}. 적용하는 중…`,
  applied: ':hourglass_flowing_sand: 적용했습니다. 롤아웃을 기다리고 점검을 다시 실행하는 중…',
  verified: (finding, ok) => `:white_check_mark: 수정 및 확인 완료: \`${finding}\` 문제가 사라졌습니다. ${ok}`,
  stillPresent: (findings) => `:warning: 적용했지만 ${findings} 문제가 아직 남아 있습니다`,
  rejectedBy: (user) => `:no_entry_sign: ${user} 님이 거절했습니다. 아무것도 바꾸지 않았습니다.`,
  cancelledBy: (user) => `:heavy_multiplication_x: ${user} 님이 취소했습니다. 아무것도 바꾸지 않았습니다.`,
  expired: ':hourglass: 승인 전에 계획이 만료되었습니다. 아무것도 바꾸지 않았습니다. Fix를 다시 눌러 주세요.',
  failed: (reason) => `:x: 적용하지 않았습니다: ${reason}`,
  rolledBack: ':leftwards_arrow_with_hook: 변경 전 오브젝트로 되돌렸습니다.',
  refusal: (r) => {
    switch (r.why) {
      case 'not-approver':
        return '이 클러스터의 승인자가 아닙니다.';
      case 'requester':
        return '직접 요청한 수정은 다른 사람이 승인해야 합니다.';
      case 'expired':
        return '계획이 만료되었습니다. Fix를 다시 눌러 새 계획을 만드세요.';
      case 'already-approved':
        return `${r.by} 님이 이미 승인했습니다.`;
      case 'rejected':
        return '거절된 계획입니다.';
      case 'cancelled':
        return '취소된 계획입니다.';
      case 'finished':
        return `이미 끝난 계획입니다(${r.state}). 아무것도 바꾸지 않았습니다.`;
      case 'not-requester':
        return '요청한 사람만 취소할 수 있습니다.';
      case 'unknown':
        return '알 수 없는 계획입니다.';
      case 'not-allowed':
        return r.reason;
      case 'offer-unknown':
        return '알 수 없거나 만료된 Fix 버튼입니다. /netcheck 를 다시 실행해 새 보고서를 받으세요.';
      case 'already-requested':
        return `${r.by} 님이 이 버튼으로 이미 수정을 요청했습니다. 계획은 보고서 스레드에 있습니다.`;
      case 'already-fixed':
        return `이미 적용하고 확인까지 끝난 수정입니다(승인: ${r.by}). /netcheck 를 다시 실행해 확인하세요.`;
    }
  },
  modalTitle: 'Fix: 업스트림 선택',
  modalSubmit: '계획 만들기',
  ipHint: 'IP 주소를 공백이나 쉼표로 구분해 입력하세요 (예: 10.0.0.2 1.1.1.1)',
  ipInvalid: (value) => `IP 주소가 아닙니다: "${value}"`,
  ipEmpty: 'IP 주소를 하나 이상 입력하세요',
  requestAccepted: '계획을 만드는 중입니다. dry-run diff와 함께 보고서 스레드에 올라오면 승인자가 검토합니다.',
  notEnabled:
    '이 클러스터에는 승인자가 설정되어 있지 않아 자동 조치를 쓸 수 없습니다. 보고서의 런북 단계를 따라 주세요.',
  auditHeading: (cluster) => `${cluster} 최근 조치 기록`,
  auditEmpty: (cluster) => `${cluster}에 기록된 조치가 없습니다.`,
  recheckedAfterFix: (at, remediation, approver) =>
    `:recycle: ${approver} 님이 승인한 수정 \`${remediation}\` 적용 후 ${at}에 다시 점검했습니다`,
};

export function approvalLabels(lang: Lang): ApprovalLabels {
  return lang === 'ko' ? KO : EN;
}

const user = (id: string) => (/^[UW][A-Z0-9]{2,}$/.test(id) ? `<@${id}>` : escapeMrkdwn(id));

export function targetName(change: Change): string {
  const t = change.target;
  return t.namespace ? `${t.namespace}/${t.name}` : t.name;
}

function describeChange(change: Change): string {
  const t = change.target;
  const verb = change.verb === 'patch' ? `patch (${change.patchType})` : change.verb;
  return `• ${verb} ${t.kind} \`${escapeMrkdwn(targetName(change))}\``;
}

function describePrecondition(change: Change, L: ApprovalLabels): string {
  const name = `\`${escapeMrkdwn(targetName(change))}\``;
  return `• ${'resourceVersion' in change.precondition ? L.atVersion(name, escapeMrkdwn(change.precondition.resourceVersion)) : L.mustNotExist(name)}`;
}

const DIFF_MAX = LIMITS.sectionText - 100;

/** The plan card for its current state. `now` (epoch ms) decides "expires in N min". */
export function planCard(plan: PlanCardData, lang: Lang, now: number): SlackMessage {
  const L = approvalLabels(lang);
  const title = oneLine(plan.title ?? plan.finding);
  const heading = plan.rollbackOf ? L.rollbackPlan(title, plan.cluster) : L.plan(title, plan.cluster);
  const blocks: KnownBlock[] = [section(`*${safe(heading, 300)}*`)];
  const changes = plan.changes ?? [];
  if (changes.length > 0) {
    blocks.push(section(`${safe(`*${L.whatChanges}*`, 100)}\n${changes.slice(0, 20).map(describeChange).join('\n')}`));
  }
  if (plan.diff) {
    blocks.push(section(codeBlock(plan.diff.split('\n'), { maxLineLength: 300, maxLength: DIFF_MAX })));
  }
  if (changes.length > 0) {
    blocks.push(
      section(
        [
          `*${L.preconditions}*`,
          ...changes.slice(0, 20).map((c) => describePrecondition(c, L)),
          ...(plan.risk ? [`*${L.risk}:* ${safe(oneLine(plan.risk), 600)}`] : []),
          ...(plan.rollback ? [`*${L.rollback}:* ${safe(oneLine(plan.rollback), 600)}`] : []),
        ].join('\n'),
      ),
    );
  }
  const minutes = Math.max(0, Math.ceil((plan.expiresAt * 1000 - now) / 60_000));
  const meta = [L.requestedBy(user(plan.requester))];
  if (plan.state === 'pending') meta.push(L.expiresIn(minutes));
  if (plan.diffHash) meta.push(L.diffHash(`\`${escapeMrkdwn(plan.diffHash.slice(0, 19))}\``));
  blocks.push(context(meta));

  const status = statusLine(plan, lang);
  if (status) blocks.push(section(status));
  const buttons = buttonsFor(plan, L, title);
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  return { text: `${heading}${status ? ` — ${status}` : ''}`.slice(0, 2000), blocks };
}

function statusLine(plan: PlanCardData, lang: Lang): string | undefined {
  const L = approvalLabels(lang);
  switch (plan.state) {
    case 'pending':
      return plan.diff ? undefined : L.planning;
    case 'approved':
      return L.approvedBy(user(plan.approver ?? '?'), Boolean(plan.selfApproval));
    case 'applied':
      return L.applied;
    case 'verified':
      return L.verified(
        escapeMrkdwn(plan.finding),
        (COMPONENT_OK[plan.component ?? ''] ?? { en: 'OK', ko: '정상' })[lang],
      );
    case 'failed':
      if (plan.verification && !plan.verification.ok) {
        return L.stillPresent(plan.verification.remaining.map((f) => `\`${escapeMrkdwn(f)}\``).join(', '));
      }
      return L.failed(safe(oneLine(plan.reason ?? '?'), 1500));
    case 'rejected':
      return L.rejectedBy(user(plan.approver ?? '?'));
    case 'cancelled':
      return L.cancelledBy(user(plan.requester));
    case 'expired':
      return L.expired;
    case 'rolled-back':
      return L.rolledBack;
  }
}

function button(action: ApprovalAction, text: string, planId: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    action_id: APPROVAL_ACTIONS[action],
    text: plain(text, LIMITS.buttonText),
    value: planId,
    ...(style ? { style } : {}),
  };
}

function buttonsFor(plan: PlanCardData, L: ApprovalLabels, title: string): Button[] {
  if (plan.state === 'pending' && plan.diff) {
    return [
      {
        ...button('approve', L.approve, plan.id, 'primary'),
        confirm: {
          title: plain(L.confirmTitle, LIMITS.confirmTitle),
          text: plain(L.confirmText(title, plan.cluster), LIMITS.confirmText),
          confirm: plain(L.confirmYes, LIMITS.confirmButton),
          deny: plain(L.confirmNo, LIMITS.confirmButton),
        },
      },
      button('reject', L.reject, plan.id, 'danger'),
      button('cancel', L.cancel, plan.id),
    ];
  }
  // An applied fix whose finding remains can be rolled back (a new plan, approved like any other).
  if (plan.state === 'failed' && plan.verification && !plan.verification.ok && !plan.rollbackOf) {
    return [button('rollback', L.rollbackButton, plan.id, 'danger')];
  }
  return [];
}

/** The ephemeral answer to a click that changes nothing. */
export function refusalMessage(refusal: Refusal, lang: Lang): SlackMessage {
  const text = approvalLabels(lang).refusal(refusal);
  return { text, blocks: [section(`:no_entry: ${safe(text, LIMITS.sectionText - 20)}`)] };
}

/** The modal for a remediation's inputs (IP lists only). */
export function inputModal(
  planId: string,
  inputs: readonly { name: string; label: string }[],
  lang: Lang,
): Record<string, unknown> {
  const L = approvalLabels(lang);
  return {
    type: 'modal',
    callback_id: INPUT_MODAL_CALLBACK,
    private_metadata: planId,
    title: plain(L.modalTitle, 24),
    submit: plain(L.modalSubmit, 24),
    close: plain(L.cancel, 24),
    blocks: inputs.slice(0, 10).map((input) => ({
      type: 'input',
      block_id: `input:${input.name}`,
      label: plain(input.label, 2000),
      hint: plain(L.ipHint, 2000),
      element: { type: 'plain_text_input', action_id: 'value', max_length: 500 },
    })),
  };
}

/** Parses an IP list typed into the modal; the error is shown under the field. */
export function parseIpList(text: string, lang: Lang): { ok: true; ips: string[] } | { ok: false; error: string } {
  const L = approvalLabels(lang);
  const parts = text
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return { ok: false, error: L.ipEmpty };
  const bad = parts.find((p) => isIP(p) === 0);
  if (bad !== undefined) return { ok: false, error: L.ipInvalid(bad.slice(0, 60)) };
  return { ok: true, ips: [...new Set(parts)].slice(0, 8) };
}

/** `/netcheck audit`: the last actions on a cluster, newest first (ephemeral). */
export function auditMessage(
  cluster: string,
  entries: readonly {
    planId: string;
    at: number;
    by: string;
    from: string;
    to: string;
    selfApproval?: boolean;
    note?: string;
  }[],
  lang: Lang,
): SlackMessage {
  const L = approvalLabels(lang);
  if (entries.length === 0) {
    const text = L.auditEmpty(cluster);
    return { text, blocks: [section(safe(text, 500))] };
  }
  const lines = entries.slice(0, 20).map((e) => {
    const when = `<!date^${Math.floor(e.at / 1000)}^{date_short_pretty} {time}|${new Date(e.at).toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
    const who = e.by === 'remediator' ? 'remediator' : user(e.by);
    const self = e.selfApproval ? ' (self-approval)' : '';
    const note = e.note ? ` — ${safe(oneLine(e.note), 80)}` : '';
    return `${when} \`${escapeMrkdwn(e.planId.slice(0, 8))}\` ${e.from} → *${e.to}* ${who}${self}${note}`;
  });
  const heading = L.auditHeading(cluster);
  return {
    text: heading,
    blocks: [section(`*${safe(heading, 200)}*`), section(lines.join('\n').slice(0, LIMITS.sectionText))],
  };
}
