// Only our workspace: a global Bolt middleware, registered first, that refuses commands, events and clicks from any
// other Slack team before any work (no lookup, no job), with one log line. The allowed ids are the team (or, for an
// Enterprise Grid org-wide install, enterprise) ids from SLACK_TEAM_ID or the Slack secret; in dev mode, without
// any configured, the team of the first request is taken as ours.
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { AppConfig } from '../config/schema.ts';
import type { Log } from '../log.ts';

/** The team and enterprise a request comes from, read from wherever its payload type carries them. */
export function teamOf(body: unknown): { teamId?: string; enterpriseId?: string } {
  // biome-ignore lint/suspicious/noExplicitAny: Slack bodies differ by type; only ids are read.
  const b = body as any;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const teamId = str(b?.team_id) ?? str(b?.team?.id) ?? str(b?.authorizations?.[0]?.team_id) ?? str(b?.user?.team_id);
  const enterpriseId = str(b?.enterprise_id) ?? str(b?.enterprise?.id) ?? str(b?.authorizations?.[0]?.enterprise_id);
  return { ...(teamId ? { teamId } : {}), ...(enterpriseId ? { enterpriseId } : {}) };
}

export interface TeamGuardDeps {
  config: AppConfig;
  log: Log;
}

export function teamGuard(deps: TeamGuardDeps): Middleware<AnyMiddlewareArgs> {
  const configured = new Set(deps.config.slack.teamIds ?? []);
  // Dev mode without a configured team: the first request's team becomes ours for this process.
  let learned: string | undefined;
  return async (args) => {
    const { teamId, enterpriseId } = teamOf(args.body);
    let allowed: boolean;
    if (configured.size > 0) {
      allowed =
        (teamId !== undefined && configured.has(teamId)) ||
        (enterpriseId !== undefined && configured.has(enterpriseId));
    } else if (deps.config.mode === 'dev') {
      learned ??= teamId;
      allowed = teamId !== undefined && teamId === learned;
    } else {
      allowed = false;
    }
    if (allowed) {
      await args.next();
      return;
    }
    deps.log.warn('request from another Slack team refused', {
      teamId: teamId ?? '(none)',
      ...(enterpriseId ? { enterpriseId } : {}),
      ...(configured.size === 0 && deps.config.mode !== 'dev'
        ? { problem: 'no team configured: set SLACK_TEAM_ID or teamId in the Slack secret' }
        : {}),
    });
    // Commands and clicks wait for an ack; answer with nothing so Slack shows no error and nothing runs.
    const ack = (args as { ack?: (response?: unknown) => Promise<void> }).ack;
    if (typeof ack === 'function') await ack();
  };
}
