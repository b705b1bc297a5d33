// The worker's side of an incident: the first trigger posts the report; later triggers for the same channel and
// cluster re-check, update that report in place and say in its thread what changed; `[RESOLVED]` is verified.
// The state is an IncidentStore item written conditionally, so two triggers racing never both post the report.
import type { webApi } from '@slack/bolt';
import type { Report, Scope } from '../../engine/report.ts';
import {
  contradictionOf,
  DEFAULT_COOLDOWN_MS,
  diffFindings,
  failingFindings,
  followUpOf,
  type IncidentRecord,
  type IncidentStore,
  incidentStateKey,
  isEmptyDiff,
  mergeScope,
  touch,
  verifyResolution,
} from '../../incidents/index.ts';
import type { DiagnoseJob, IncidentTrigger, Job } from '../../jobs/job.ts';
import { labels } from '../../slack/i18n.ts';
import {
  clusterChoiceNote,
  type FindingLine,
  recheckedNote,
  renderContradiction,
  renderIncidentUpdate,
  renderResolution,
  withNotes,
} from '../../slack/incident-blocks.ts';
import type { SlackMessage } from '../../slack/limits.ts';
import type { Log } from '../log.ts';
import { type SlackOutput, slackErrorCode } from './slack-output.ts';
import { postRest } from './thread-rest.ts';

type WebClient = InstanceType<typeof webApi.WebClient>;

export type Checked =
  | { ok: true; report: Report; message: SlackMessage; restKey?: string }
  | { ok: false; message: SlackMessage };
export type Progress = { phase: 'collect' | 'logs' | 'checks' | 'done'; message: string };

export type IncidentOutcome = 'reported' | 'updated' | 'duplicate' | 'undeliverable' | 'cluster-error';

export interface IncidentRun {
  job: DiagnoseJob;
  incident: IncidentTrigger;
  store: IncidentStore;
  client: WebClient;
  log: Log;
  /** Posts the first report (progress, then the report), as for a command. */
  out: SlackOutput;
  check: (scope: Scope, onProgress?: (e: Progress) => void) => Promise<Checked>;
  progress: (e?: Progress) => SlackMessage;
  now: () => number;
  cooldownMs?: number;
  /** Records a Re-run offer for a message of its own and returns its id; undefined means no Re-run button. */
  offerRerun?: (scope: Scope) => Promise<string | undefined>;
}

/** The contradiction note, with a Re-run button when its offer could be recorded. */
async function contradictionMessage(
  run: IncidentRun,
  contradiction: NonNullable<ReturnType<typeof contradictionOf>>,
  scope: Scope,
): Promise<SlackMessage> {
  const rerunId = await run.offerRerun?.(scope);
  return renderContradiction({
    ...contradiction,
    cluster: run.job.cluster,
    scope,
    lang: run.job.lang,
    ...(rerunId ? { rerunId } : {}),
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runIncident(run: IncidentRun): Promise<IncidentOutcome> {
  const { job, incident, store, now } = run;
  const cooldownMs = run.cooldownMs ?? DEFAULT_COOLDOWN_MS;
  const key = incidentStateKey(job.channelId, job.cluster);
  const alert = incident.alert;
  const note = clusterChoiceNote(job.cluster, incident.clusterReason, job.lang);

  let existing = await store.get(key, now());
  if (!existing && alert?.status === 'resolved') {
    // A resolution with no open incident (netcheck never saw it fire): verify it in the alert's thread, open nothing.
    const checked = await run.check(alert.scope);
    await post(run, job.threadTs, resolutionMessage(run, checked, alert.name, alert.scope));
    return checked.ok ? 'reported' : 'cluster-error';
  }
  if (!existing) {
    const t = now();
    const record: IncidentRecord = {
      key,
      channelId: job.channelId,
      cluster: job.cluster,
      scope: job.scope,
      findings: [],
      alerts: alert ? { [alert.fingerprint]: { status: alert.status, count: alert.count, name: alert.name } } : {},
      openedAt: t,
      updatedAt: t,
      expiresAt: t + cooldownMs,
      version: 1,
    };
    if (await store.open(record)) return first(run, record, note);
    existing = await store.get(key, now());
    if (!existing) throw new Error(`incident ${key} was neither opened nor found`);
  }
  return followUp(run, existing, note);
}

/** The first trigger: the report, with the cluster choice under it; a contradiction goes to its thread. */
async function first(run: IncidentRun, record: IncidentRecord, note: string): Promise<IncidentOutcome> {
  const { job, incident, store, out, log } = run;
  if (!(await out.start(run.progress()))) return 'undeliverable';
  // Where the report is, recorded before the check runs: a trigger arriving meanwhile follows up on it.
  const reportTs = out.ts();
  const placed = {
    ...record,
    ...(reportTs ? { reportTs, threadTs: job.threadTs ?? reportTs } : {}),
    version: record.version + 1,
  };
  const savedPlace = await store.save(placed);
  const checked = await run.check(job.scope, (e) => out.progress(run.progress(e)));
  await out.finish(withNotes(checked.message, [note]));
  // The rest of the report goes to its thread once, before anything else is said there.
  if (checked.ok && out.ts()) await postRest((message) => out.reply(message), checked, job.lang);
  const saved =
    savedPlace &&
    (await store.save({
      ...placed,
      findings: checked.ok ? failingFindings(checked.report) : [],
      ...(checked.ok ? { restKey: checked.restKey ?? '' } : {}),
      version: placed.version + 1,
    }));
  // A follow-up that came in during the check wrote its own, newer findings.
  if (!saved) log.info('incident updated while its first report was written', { key: record.key });
  if (!checked.ok) return 'cluster-error';
  const contradiction = incident.alert ? contradictionOf({ ...incident.alert, labels: {} }, checked.report) : undefined;
  if (contradiction) {
    await out.reply(await contradictionMessage(run, contradiction, incident.alert?.scope ?? job.scope));
  }
  return 'reported';
}

/** A later trigger: re-check, update the report in place, and reply in its thread with what changed. */
async function followUp(run: IncidentRun, found: IncidentRecord, note: string): Promise<IncidentOutcome> {
  const { job, incident, store, log, now } = run;
  const alert = incident.alert ? { ...incident.alert, labels: {} } : undefined;
  const kind = followUpOf(found, alert);
  if (kind === 'again') {
    log.info('incident already open: its report stands', { key: found.key });
    return 'duplicate';
  }
  // The first trigger may still be writing its report: wait for its ts rather than post a second one.
  let record = found;
  for (let i = 0; !record.reportTs && i < 20; i++) {
    await sleep(250);
    record = (await store.get(found.key, now())) ?? record;
  }
  const scope = mergeScope(record.scope, job.scope);
  const checked = await run.check(scope);
  const after = checked.ok ? failingFindings(checked.report) : record.findings;
  const diff = diffFindings(record.findings, after);

  const thread = record.threadTs ?? record.reportTs ?? job.threadTs;
  if (record.reportTs && checked.ok) {
    await update(run, record.reportTs, withNotes(checked.message, [note, recheckedNote(new Date(now()), job.lang)]));
    // The report changed in place: its thread gets the new rest only if the rest changed too. While the first
    // report is still being written (no restKey yet), its own rest is on the way: nothing to add.
    if (record.restKey !== undefined)
      await postRest((message) => post(run, thread, message), checked, job.lang, {
        previous: record.restKey || undefined,
        at: new Date(now()),
      });
  }
  const t = labels(job.lang);
  const titles = new Map(
    checked.ok ? checked.report.components.flatMap((c) => c.findings.map((f) => [f.id, f.title] as const)) : [],
  );
  const lines = (ids: string[]): FindingLine[] =>
    ids.map((id) => ({ id, ...(titles.get(id) ? { title: titles.get(id) } : {}) }));

  if (kind === 'resolved' && alert) {
    await post(run, thread, resolutionMessage(run, checked, alert.name, alert.scope));
  } else if (!checked.ok) {
    await post(run, thread, checked.message);
  } else if (kind === 'changed' || !isEmptyDiff(diff)) {
    const name = alert?.name ?? '';
    const known = alert ? record.alerts[alert.fingerprint] : undefined;
    const headline =
      kind === 'repeat'
        ? t.repeatChanged(name)
        : known
          ? t.groupChanged(name, alert?.count ?? 1)
          : t.newAlert(name, alert?.count ?? 1);
    await post(
      run,
      thread,
      renderIncidentUpdate({ headline, added: lines(diff.added), resolved: lines(diff.resolved), lang: job.lang }),
    );
    const contradiction = alert && kind === 'changed' ? contradictionOf(alert, checked.report) : undefined;
    if (contradiction) {
      await post(run, thread, await contradictionMessage(run, contradiction, alert?.scope ?? scope));
    }
  } else {
    // repeat_interval: the same alert again and nothing changed; the report's "re-checked at" says it was looked at.
    log.info('alert repeat: re-checked, nothing changed', { key: record.key });
  }

  const touched = touch(record, {
    ...(alert ? { alert } : {}),
    scope,
    ...(checked.ok ? { findings: after } : {}),
    now: now(),
    cooldownMs: run.cooldownMs ?? DEFAULT_COOLDOWN_MS,
  });
  const next = record.reportTs && checked.ok ? withRestKey(touched, checked.restKey ?? '') : touched;
  if (!(await store.save(next)))
    log.warn('incident state changed concurrently; this update was not recorded', { key: record.key });
  return checked.ok ? 'updated' : 'cluster-error';
}

function resolutionMessage(run: IncidentRun, checked: Checked, alert: string, scope: Scope): SlackMessage {
  if (!checked.ok) return checked.message;
  const verdict = verifyResolution(checked.report, scope);
  const titles = new Map(checked.report.components.flatMap((c) => c.findings.map((f) => [f.id, f.title] as const)));
  return renderResolution({
    alert,
    cluster: run.job.cluster,
    failing: verdict.verified
      ? []
      : verdict.failing.map((id) => ({ id, ...(titles.get(id) ? { title: titles.get(id) } : {}) })),
    lang: run.job.lang,
  });
}

async function post(run: IncidentRun, threadTs: string | undefined, message: SlackMessage): Promise<void> {
  try {
    await run.client.chat.postMessage({
      channel: run.job.channelId,
      text: message.text,
      blocks: message.blocks,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      unfurl_links: false,
    } as never);
  } catch (error) {
    run.log.error('could not post in the incident thread', { code: slackErrorCode(error) });
  }
}

async function update(run: IncidentRun, ts: string, message: SlackMessage): Promise<void> {
  try {
    await run.client.chat.update({
      channel: run.job.channelId,
      ts,
      text: message.text,
      blocks: message.blocks,
    } as never);
  } catch (error) {
    run.log.warn('could not update the incident report in place', { code: slackErrorCode(error) });
  }
}

/**
 * Where a Re-run's report goes: the message it was clicked under, or, when that message is in an incident's
 * thread (a contradiction note, an update), the incident's report itself.
 */
export async function rerunTarget(
  job: Job,
  store: IncidentStore | undefined,
  now: number,
): Promise<{ job: Job; incident?: IncidentRecord }> {
  if (job.kind !== 'rerun' || !job.messageTs) return { job };
  const thread = job.messageThreadTs;
  const record = store ? await store.get(incidentStateKey(job.channelId, job.cluster), now) : undefined;
  if (record?.reportTs && (job.messageTs === record.reportTs || (thread && thread === record.threadTs))) {
    return {
      job: { ...job, messageTs: record.reportTs, ...(record.threadTs ? { threadTs: record.threadTs } : {}) },
      incident: record,
    };
  }
  return { job: { ...job, threadTs: thread ?? job.messageTs } };
}

/** Keeps the incident's findings at its latest check (a Re-run), so the next update diffs against it. */
export async function recordRecheck(
  store: IncidentStore,
  record: IncidentRecord,
  report: Report,
  now: number,
  log: Log,
  restKey?: string,
): Promise<void> {
  // A narrower re-run (kube-proxy only, from a contradiction note) says nothing about the rest of the incident.
  if (mergeScope(record.scope, report.scope) !== report.scope) return;
  const next = withRestKey(
    { ...record, findings: failingFindings(report), updatedAt: now, version: record.version + 1 },
    restKey ?? '',
  );
  if (!(await store.save(next))) log.info('incident changed during the re-run; its next update diffs from there');
}

/** The record with the digest of the rest its thread now holds (none: the report shows everything). */
function withRestKey(record: IncidentRecord, restKey: string): IncidentRecord {
  return { ...record, restKey };
}
