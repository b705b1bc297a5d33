// The remediator function: the only code that writes to a cluster. `plan` reads the cluster fresh, builds the Plan,
// dry-runs every change and posts the card; `apply` (after an approval the table recorded) re-reads, refuses on a
// changed resourceVersion, applies in order, waits (bounded) for the rollout and re-runs the component's checks.
// A job carries only a plan id: everything else comes from the table, in the state it is in.
import { createHash } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { ApprovalStore, PlanRecord } from '../../aws/approvals.ts';
import type { OfferStore } from '../../aws/offers.ts';
import type { ClusterReader, KubeObject } from '../../engine/cluster-reader.ts';
import { diagnose as engineDiagnose } from '../../engine/index.ts';
import type { ComponentName, Finding, Report, Scope } from '../../engine/report.ts';
import { RemediationJob } from '../../jobs/job.ts';
import { applyPlan, dryRunPlan, readTargets, rollbackPlan } from '../../remediate/apply.ts';
import { planFix, remediationById, remediationFor } from '../../remediate/registry.ts';
import type { ClusterWriter, Plan, TargetRead } from '../../remediate/types.ts';
import { componentsToRecheck, rolloutComplete, rolloutTargets, verifyCleared } from '../../remediate/verify.ts';
import { approvalLabels, planCard } from '../../slack/approval-blocks.ts';
import { withNotes } from '../../slack/incident-blocks.ts';
import type { SlackMessage } from '../../slack/limits.ts';
import { renderReport } from '../../slack/report-blocks.ts';
import type { AppConfig, ClusterConfig } from '../config/schema.ts';
import { createLog, type Log } from '../log.ts';

type WebClient = InstanceType<typeof webApi.WebClient>;

/** The two identities on one cluster: the read-only diagnosis reader, and the remediation writer. */
export interface RemediatorConnection {
  reader: ClusterReader;
  writer: ClusterWriter & { get(read: TargetRead): Promise<KubeObject | null> };
  server: string;
}

export interface RemediatorDeps {
  config: AppConfig;
  store: ApprovalStore;
  /** Re-run offers for the report re-rendered after a verified fix; without it, that report has no Re-run. */
  offers?: OfferStore;
  slack: () => Promise<WebClient>;
  connect: (cluster: ClusterConfig) => Promise<RemediatorConnection>;
  diagnose?: typeof engineDiagnose;
  log?: Log;
  now?: () => number;
  /** Upper bound on the rollout wait after apply (default 60 s). */
  rolloutTimeoutMs?: number;
  rolloutPollMs?: number;
  clusterTimeoutMs?: number;
}

export interface RemediatorResult {
  planId?: string;
  outcome: 'invalid-job' | 'stale' | 'planned' | 'refused' | 'failed' | 'verified' | 'not-verified';
}

const SCOPE: Record<ComponentName, Scope> = { dns: 'dns', cni: 'cni', 'kube-proxy': 'proxy' } as Record<
  ComponentName,
  Scope
>;
const REMEDIATOR = 'remediator';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function planOf(r: PlanRecord): Plan {
  return {
    remediation: r.remediation,
    finding: r.finding,
    title: r.title ?? r.remediation,
    risk: r.risk ?? '',
    rollback: r.rollback ?? '',
    changes: r.changes ?? [],
    clears: r.clears ?? [],
  };
}

function componentOf(findingId: string): ComponentName {
  return (
    findingId.startsWith('cni.') ? 'cni' : findingId.startsWith('kube-proxy.') ? 'kube-proxy' : 'dns'
  ) as ComponentName;
}

export function createRemediator(deps: RemediatorDeps): (event: unknown) => Promise<RemediatorResult> {
  const baseLog = deps.log ?? createLog();
  const now = deps.now ?? Date.now;
  const diagnose = deps.diagnose ?? engineDiagnose;
  const timeoutMs = deps.clusterTimeoutMs ?? 8000;

  const card = async (client: WebClient, r: PlanRecord, extra?: Partial<PlanRecord>): Promise<string | undefined> => {
    const rec = { ...r, ...extra };
    const message: SlackMessage = planCard({ ...rec, component: componentOf(rec.finding) }, rec.lang, now());
    if (rec.cardTs) {
      await client.chat.update({
        channel: rec.channelId,
        ts: rec.cardTs,
        text: message.text,
        blocks: message.blocks,
      } as never);
      return rec.cardTs;
    }
    const res = await client.chat.postMessage({
      channel: rec.channelId,
      text: message.text,
      blocks: message.blocks,
      ...(rec.threadTs ? { thread_ts: rec.threadTs } : {}),
      unfurl_links: false,
    } as never);
    return res.ts;
  };

  const run = async (reader: ClusterReader, cluster: ClusterConfig, server: string, scope: Scope, lang: 'en' | 'ko') =>
    diagnose(reader, { scope, lang, cluster: { name: cluster.name, server }, timeoutMs });

  /** Ends a plan that never reached the approver: the reason is shown on the card. */
  const fail = async (client: WebClient, r: PlanRecord, reason: string, from: PlanRecord['state'][]) => {
    const res = await deps.store.transition(r.id, {
      teamId: r.teamId,
      from,
      to: 'failed',
      by: REMEDIATOR,
      set: { reason },
    });
    if (res.ok) await card(client, res.record).catch(() => undefined);
    return res.ok ? res.record : r;
  };

  async function plan(r: PlanRecord, log: Log): Promise<RemediatorResult> {
    if (r.state !== 'pending' || r.diffHash) return { planId: r.id, outcome: 'stale' };
    const client = await deps.slack();
    const cluster = deps.config.clusters.find((c) => c.name === r.cluster);
    if (!cluster) {
      await fail(client, r, `cluster "${r.cluster}" is not configured`, ['pending']);
      return { planId: r.id, outcome: 'failed' };
    }
    let built: { plan: Plan; diff: string } | { reason: string };
    try {
      const conn = await deps.connect(cluster);
      built = await build(r, cluster, conn);
    } catch (error) {
      built = { reason: (error as Error).message };
    }
    if ('reason' in built) {
      log.warn('plan refused', { reason: built.reason });
      await fail(client, r, built.reason, ['pending']);
      return { planId: r.id, outcome: 'refused' };
    }
    const { plan: p, diff } = built;
    const diffHash = `sha256:${createHash('sha256').update(JSON.stringify(p.changes)).update(diff).digest('hex')}`;
    const details = {
      title: p.title,
      risk: p.risk,
      rollback: p.rollback,
      clears: p.clears,
      changes: p.changes,
      diff,
      diffHash,
    };
    const cardTs = await card(client, r, details);
    const res = await deps.store.transition(r.id, {
      teamId: r.teamId,
      from: ['pending'],
      to: 'pending',
      by: REMEDIATOR,
      unexpired: true,
      set: { ...details, ...(cardTs ? { cardTs } : {}) },
      note: 'planned',
    });
    if (!res.ok) {
      // Expired or cancelled while we dry-ran: the card must not keep live buttons.
      if (res.current && cardTs) await card(client, { ...res.current, cardTs }).catch(() => undefined);
      return { planId: r.id, outcome: 'stale' };
    }
    log.info('plan posted', { changes: p.changes.length, diffHash });
    return { planId: r.id, outcome: 'planned' };
  }

  /** The plan, fresh: the finding from a new diagnosis, the targets read again, every change dry-run. */
  async function build(
    r: PlanRecord,
    cluster: ClusterConfig,
    conn: RemediatorConnection,
  ): Promise<{ plan: Plan; diff: string } | { reason: string }> {
    let p: Plan;
    if (r.rollbackOf) {
      const original = await deps.store.get(r.rollbackOf);
      if (!original?.before || original.teamId !== r.teamId) return { reason: 'the plan to roll back is not known' };
      const op = planOf(original);
      const before: Record<string, KubeObject | null> = {};
      const current: Record<string, KubeObject | null> = {};
      const targets = [...new Map(op.changes.map((c) => [JSON.stringify(c.target), c.target])).values()];
      targets.forEach((t, i) => {
        before[`${t.resource}/${t.namespace ?? ''}/${t.name}`] = original.before?.[i] ?? null;
      });
      Object.assign(current, await readTargets(conn.writer, targets));
      const rb = rollbackPlan(op, before, current);
      if (!rb.ok) return { reason: rb.reason };
      p = rb.plan;
    } else {
      const remediation = remediationById(r.remediation);
      if (!remediation) return { reason: `no remediation "${r.remediation}"` };
      const report = await run(conn.reader, cluster, conn.server, SCOPE[componentOf(r.finding)] ?? 'all', r.lang);
      const finding: Finding | undefined = report.components
        .flatMap((c) => c.findings)
        .find((f) => f.id === r.finding && remediationFor(f)?.id === remediation.id);
      if (!finding) return { reason: `${r.finding} is no longer present in ${cluster.name}: nothing to fix` };
      const objects = await readTargets(conn.writer, remediation.reads(finding));
      const planned = planFix(remediation, { finding, objects, ...(r.inputs ? { inputs: r.inputs } : {}) });
      if (!planned.ok) return { reason: planned.reason };
      p = planned.plan;
    }
    const dry = await dryRunPlan(p, { reader: conn.writer, writer: conn.writer });
    if (!dry.ok) return { reason: `the API server refused the dry run: ${dry.reason}` };
    return { plan: p, diff: dry.diff };
  }

  async function apply(r: PlanRecord, log: Log): Promise<RemediatorResult> {
    if (r.state !== 'approved') return { planId: r.id, outcome: 'stale' };
    const client = await deps.slack();
    const cluster = deps.config.clusters.find((c) => c.name === r.cluster);
    if (!cluster) {
      await fail(client, r, `cluster "${r.cluster}" is not configured`, ['approved']);
      return { planId: r.id, outcome: 'failed' };
    }
    const p = planOf(r);
    let conn: RemediatorConnection;
    try {
      conn = await deps.connect(cluster);
    } catch (error) {
      await fail(client, r, (error as Error).message, ['approved']);
      return { planId: r.id, outcome: 'failed' };
    }
    const outcome = await applyPlan(p, { reader: conn.writer, writer: conn.writer });
    const targets = [...new Map(p.changes.map((c) => [JSON.stringify(c.target), c.target])).values()];
    const before = targets.map((t) => outcome.before[`${t.resource}/${t.namespace ?? ''}/${t.name}`] ?? null);
    if (!outcome.ok) {
      log.warn('apply refused', { stage: outcome.stage, reason: outcome.reason, applied: outcome.applied });
      const res = await deps.store.transition(r.id, {
        teamId: r.teamId,
        from: ['approved'],
        to: 'failed',
        by: REMEDIATOR,
        set: { reason: outcome.reason, ...(outcome.applied > 0 ? { before } : {}) },
      });
      if (res.ok) await card(client, res.record).catch(() => undefined);
      return { planId: r.id, outcome: outcome.stage === 'changed' ? 'refused' : 'failed' };
    }
    const applied = await deps.store.transition(r.id, {
      teamId: r.teamId,
      from: ['approved'],
      to: 'applied',
      by: REMEDIATOR,
      set: { before },
    });
    const rec = applied.ok ? applied.record : { ...r, state: 'applied' as const, before };
    await card(client, rec).catch((error) => log.warn('could not update the plan card', { error }));

    // Bounded: a rollout that does not finish is reported by the verification, not waited on forever.
    const deadline = now() + (deps.rolloutTimeoutMs ?? 60_000);
    for (const t of rolloutTargets(p)) {
      for (;;) {
        const obj = await conn.writer.get(t).catch(() => null);
        if (obj && rolloutComplete(obj).done) break;
        if (now() >= deadline) break;
        await sleep(deps.rolloutPollMs ?? 250);
      }
    }
    if (r.rollbackOf) {
      // A rollback puts the previous objects back, the problem included: done once applied and rolled out.
      const back = await deps.store.transition(r.id, {
        teamId: r.teamId,
        from: ['applied'],
        to: 'rolled-back',
        by: REMEDIATOR,
      });
      if (back.ok)
        await card(client, back.record).catch((error) => log.warn('could not update the plan card', { error }));
      const original = await deps.store.get(r.rollbackOf);
      if (original && (original.state === 'failed' || original.state === 'verified')) {
        await deps.store.transition(r.rollbackOf, {
          teamId: r.teamId,
          from: [original.state],
          to: 'rolled-back',
          by: REMEDIATOR,
          note: `rolled back by ${r.id}`,
        });
      }
      log.info('rollback applied');
      return { planId: r.id, outcome: 'verified' };
    }
    const components = componentsToRecheck(p);
    const scope: Scope = components.length === 1 ? (SCOPE[components[0]!] ?? 'all') : 'all';
    let report: Report | undefined;
    try {
      report = await run(conn.reader, cluster, conn.server, scope, r.lang);
    } catch (error) {
      log.warn('verification diagnosis failed', { error: (error as Error).message });
    }
    const v = report ? verifyCleared(p, report) : undefined;
    const ok = Boolean(v?.verified);
    const unreadable = v && 'unknown' in v ? (v.unknown as ComponentName[]).map((c) => `${c} (unreadable)`) : [];
    const remaining = v && !v.verified ? [...v.remaining, ...unreadable] : [];
    const done = await deps.store.transition(r.id, {
      teamId: r.teamId,
      from: ['applied'],
      to: ok ? 'verified' : 'failed',
      by: REMEDIATOR,
      set: {
        verification: { ok, remaining: report ? remaining : [r.finding], checkedAt: now() },
        ...(report ? {} : { reason: 'the verification diagnosis could not run' }),
      },
    });
    if (done.ok) {
      await card(client, done.record).catch((error) => log.warn('could not update the plan card', { error }));
    }
    if (report && r.reportTs) {
      await updateReport(client, r, cluster, conn, report, scope).catch((error) =>
        log.warn('could not update the original report', { error }),
      );
    }
    log.info('apply finished', { verified: ok, remaining });
    return { planId: r.id, outcome: ok ? 'verified' : 'not-verified' };
  }

  /**
   * The report the Fix… button was on, re-rendered from the verification's fresh diagnosis (or, when the report
   * covered more than the fixed component, a fresh one of its whole scope), marked with when, which fix and who
   * approved it. Without Fix buttons: a Re-run gives fresh ones.
   */
  /** Records the re-rendered report's Re-run offer; false (no button) when it cannot be recorded. */
  async function recordRerun(offers: OfferStore, id: string, r: PlanRecord, scope: Scope): Promise<boolean> {
    try {
      await offers.recordRerun({
        id,
        teamId: r.teamId,
        cluster: r.cluster,
        channelId: r.channelId,
        scope,
        ...(r.reportTs ? { reportTs: r.reportTs } : {}),
      });
      return true;
    } catch (error) {
      baseLog.warn('could not record the Re-run offer; the report goes without Re-run', { error, planId: r.id });
      return false;
    }
  }

  async function updateReport(
    client: WebClient,
    r: PlanRecord,
    cluster: ClusterConfig,
    conn: RemediatorConnection,
    verification: Report,
    scope: Scope,
  ): Promise<void> {
    const wanted = r.reportScope ?? scope;
    const fresh = wanted === scope ? verification : await run(conn.reader, cluster, conn.server, wanted, r.lang);
    const at = new Date(now());
    const note = approvalLabels(r.lang).recheckedAfterFix(
      `<!date^${Math.floor(at.getTime() / 1000)}^{time}|${at.toISOString().slice(11, 16)} UTC>`,
      r.remediation,
      r.approver ? `<@${r.approver}>` : REMEDIATOR,
    );
    // Re-run is an offer recorded here (the button carries its id only), and only when the report shows it.
    const { offers } = deps;
    const rerunId = offers?.newId();
    let rendered = renderReport(fresh, { lang: r.lang, ...(rerunId ? { rerunId } : {}) });
    if (offers && rerunId && JSON.stringify(rendered.blocks).includes(rerunId)) {
      if (!(await recordRerun(offers, rerunId, r, wanted))) rendered = renderReport(fresh, { lang: r.lang });
    }
    const message = withNotes(rendered, [note]);
    await client.chat.update({
      channel: r.channelId,
      ts: r.reportTs,
      text: message.text,
      blocks: message.blocks,
    } as never);
  }

  return async (event) => {
    const parsed = RemediationJob.safeParse(event);
    if (!parsed.success) {
      baseLog.error('invalid remediation job rejected', {
        issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
      });
      return { outcome: 'invalid-job' };
    }
    const job = parsed.data;
    const r = await deps.store.get(job.planId);
    if (!r) {
      baseLog.warn('remediation job for an unknown plan', { planId: job.planId });
      return { planId: job.planId, outcome: 'stale' };
    }
    const log = baseLog.child({ jobId: job.jobId, kind: job.kind, planId: r.id, cluster: r.cluster });
    // Each job acts only on the state it expects: a repeated invoke finds the plan moved on and does nothing.
    return job.kind === 'apply' ? apply(r, log) : plan(r, log);
  };
}
