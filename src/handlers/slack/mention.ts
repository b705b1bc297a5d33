// "@netcheck dns prod-eu" or "@netcheck is DNS broken?": parsed like the command, with a keyword fallback.
// Every answer but the report is an ephemeral in the mention's thread.
import type { App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { scopeFromAlert } from '../../incidents/index.ts';
import { parseCommand, renderUsage } from '../../slack/command.ts';
import { labels } from '../../slack/i18n.ts';
import { access, accessOf, NO_CLUSTER } from './access.ts';
import { dedupeKey, mentionText } from './delivery.ts';
import type { ListenerDeps } from './deps.ts';

type Mention = SlackEventMiddlewareArgs<'app_mention'>['event'];

/** The command a mention asks for. People write "@netcheck is DNS broken?": keywords stand in for a command. */
function commandOf(event: Mention): ReturnType<typeof parseCommand> {
  const said = mentionText(event.text ?? '');
  const parsed = parseCommand(said);
  const guessed = parsed.ok ? undefined : scopeFromAlert(said);
  return guessed ? { ok: true, command: { kind: 'check', scope: guessed, details: false } } : parsed;
}

export function registerMention(app: App, deps: ListenerDeps): void {
  const { log } = deps;
  const requestOf = ({ event }: SlackEventMiddlewareArgs<'app_mention'>) => {
    const parsed = commandOf(event);
    const check = parsed.ok && parsed.command.kind === 'check' ? parsed.command : undefined;
    return {
      userId: event.user ?? '',
      channelId: event.channel,
      lang: check?.lang,
      check: { cluster: check?.cluster },
    };
  };

  app.event('app_mention', access(deps.access, requestOf), async ({ event, body, client, context }) => {
    const { lang, allowedClusters, verdict } = accessOf(context);
    const t = labels(lang);
    const userId = event.user ?? '';
    const channelId = event.channel;
    const threadTs = event.thread_ts ?? event.ts;
    const parsed = commandOf(event);
    const whisper = (text: string, blocks?: unknown[]) =>
      client.chat.postEphemeral({
        channel: channelId,
        user: userId,
        thread_ts: threadTs,
        text,
        ...(blocks ? { blocks } : {}),
      } as never);

    if (!parsed.ok || parsed.command.kind === 'help') {
      const usage = renderUsage({ clusters: allowedClusters, lang, ...(!parsed.ok ? { error: parsed.error } : {}) });
      await whisper(usage.text, usage.blocks as unknown[]);
      return;
    }
    if (!verdict) throw new Error('a check mention reached the listener without an access verdict');
    if (!verdict.ok) {
      if (verdict.problem === 'no-cluster') {
        await whisper(verdict.allowed.length === 0 ? t.refused(NO_CLUSTER) : t.nameACluster);
        return;
      }
      log.warn('check refused', { userId, channelId, cluster: verdict.cluster, reason: verdict.reason });
      await whisper(t.refused(verdict.reason));
      return;
    }
    const teamId = (body as { team_id?: string }).team_id;
    await deps.enqueue({
      kind: 'slash-command',
      jobId: dedupeKey(body) ?? `event:${event.ts}`,
      cluster: verdict.cluster,
      scope: parsed.command.scope,
      lang,
      details: parsed.command.details,
      userId,
      channelId,
      threadTs,
      ...(teamId ? { teamId } : {}),
    });
  });
}
