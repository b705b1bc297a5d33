// `/netcheck dns --cluster prod-eu`: answer with usage, a refusal, or "checking…" once the worker has the job.
import type { App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Lang } from '../../engine/report.ts';
import { auditMessage } from '../../slack/approval-blocks.ts';
import { parseAuditCommand } from '../../slack/audit-command.ts';
import { parseCommand, renderAck, renderUsage } from '../../slack/command.ts';
import { labels } from '../../slack/i18n.ts';
import { access, accessOf, NO_CLUSTER, type Verdict } from './access.ts';
import { dedupeKey } from './delivery.ts';
import type { ListenerDeps } from './deps.ts';

export function registerCommand(app: App, deps: ListenerDeps): void {
  const { log } = deps;
  const requestOf = ({ command }: SlackCommandMiddlewareArgs) => {
    const audit = parseAuditCommand(command.text ?? '');
    if (audit?.ok) return { userId: command.user_id, channelId: command.channel_id, check: { cluster: audit.cluster } };
    const parsed = parseCommand(command.text ?? '');
    const check = parsed.ok && parsed.command.kind === 'check' ? parsed.command : undefined;
    return {
      userId: command.user_id,
      channelId: command.channel_id,
      lang: check?.lang,
      check: { cluster: check?.cluster },
    };
  };

  app.command(/.*/, access(deps.access, requestOf), async ({ command, ack, body, context }) => {
    const { lang, allowedClusters, verdict } = accessOf(context);
    const t = labels(lang);
    const audit = parseAuditCommand(command.text ?? '');
    if (audit) return answerAudit(deps, audit, { lang, verdict, ack });
    const parsed = parseCommand(command.text ?? '');
    const usage = (error?: string) =>
      ack(renderUsage({ clusters: allowedClusters, lang, ...(error ? { error } : {}) }));

    if (!parsed.ok) return usage(parsed.error);
    if (parsed.command.kind === 'help') return usage();
    if (!verdict) throw new Error('a check command reached the listener without an access verdict');
    if (!verdict.ok) {
      if (verdict.problem === 'no-cluster') {
        if (verdict.allowed.length === 0) return ack({ response_type: 'ephemeral', text: t.refused(NO_CLUSTER) });
        return usage(t.nameACluster);
      }
      if (verdict.problem === 'unknown-cluster') return usage(t.unknownCluster(verdict.cluster));
      log.warn('check refused', {
        userId: command.user_id,
        channelId: command.channel_id,
        cluster: verdict.cluster,
        reason: verdict.reason,
      });
      return ack({ response_type: 'ephemeral', text: t.refused(verdict.reason) });
    }
    const { cluster } = verdict;
    const { scope, details } = parsed.command;
    try {
      await deps.enqueue({
        kind: 'slash-command',
        jobId: dedupeKey(body) ?? `command:${command.trigger_id}`,
        cluster,
        scope,
        lang,
        details,
        userId: command.user_id,
        channelId: command.channel_id,
        responseUrl: command.response_url,
        teamId: command.team_id,
      });
    } catch (error) {
      log.error('could not start the worker', { error, cluster });
      return ack({ response_type: 'ephemeral', text: t.couldNotStart });
    }
    return ack(renderAck({ cluster, scope, lang }));
  });
}

/** `/netcheck audit`: the last 20 actions, only to users who may check that cluster (ephemeral). */
async function answerAudit(
  deps: ListenerDeps,
  audit: NonNullable<ReturnType<typeof parseAuditCommand>>,
  {
    lang,
    verdict,
    ack,
  }: { lang: Lang; verdict: Verdict | undefined; ack: (m: Record<string, unknown>) => Promise<void> },
): Promise<void> {
  const t = labels(lang);
  if (!audit.ok) return ack({ response_type: 'ephemeral', text: audit.error });
  if (!deps.remediation) return ack({ response_type: 'ephemeral', text: t.fixNeedsApproval });
  if (!verdict?.ok) {
    const reason = !verdict ? 'no cluster' : verdict.problem === 'no-cluster' ? t.nameACluster : verdict.reason;
    return ack({ response_type: 'ephemeral', text: t.refused(reason) });
  }
  const entries = await deps.remediation.store.audit(verdict.cluster, 20);
  return ack({ response_type: 'ephemeral', ...auditMessage(verdict.cluster, entries, lang) });
}
