// `netcheck fix <finding-or-remediation-id>`: the same plan the Slack flow builds, with the user's own credentials.
// Diagnose → plan (guards) → server dry run → diff → confirm (TTY, or --yes) → apply under preconditions → wait for
// the rollout (bounded) → diagnose again. Exit 0 verified, 1 the finding remains, 2 could not run.
import { isIP } from 'node:net';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { Finding, Report, Scope } from '../engine/report.ts';
import type { Io } from './io.ts';

const USAGE =
  'usage: netcheck fix <finding-or-remediation-id> [--kubeconfig PATH] [--context NAME] [--dry-run] [--yes] [--upstream IP[,IP...]] [--timeout SECONDS] [--wait SECONDS]';

const OPTIONS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'dry-run': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  upstream: { type: 'string' },
  timeout: { type: 'string' },
  wait: { type: 'string' },
} as const;

export interface FixIo extends Io {
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

const SCOPE_OF: Record<string, Scope> = { dns: 'dns', cni: 'cni', 'kube-proxy': 'proxy' };

function fail(io: Io, message: string): number {
  io.stderr.write(`netcheck fix: ${message}\n`);
  return 2;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function fixCommand(argv: string[], io: FixIo): Promise<number> {
  let values: { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
  } catch (error) {
    return fail(io, `${(error as Error).message.split('\n')[0]}\n${USAGE}`);
  }
  if (positionals.length !== 1) return fail(io, `name one finding or remediation id\n${USAGE}`);
  const id = positionals[0]!;
  const timeoutSeconds = Number(values.timeout ?? '10');
  const waitSeconds = Number(values.wait ?? '60');
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > 600) {
    return fail(io, `--timeout must be a number of seconds between 0 and 600, not "${values.timeout}"`);
  }
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0 || waitSeconds > 1800) {
    return fail(io, `--wait must be a number of seconds between 0 and 1800, not "${values.wait}"`);
  }
  const upstreams = values.upstream
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const badIp = upstreams?.find((ip) => isIP(ip) === 0);
  if (badIp) return fail(io, `--upstream takes IP addresses only, not "${badIp}"`);

  const [{ remediationById, remediationsAnswering, remediationFor, planFix }, { allChecks, componentOfFinding }] =
    await Promise.all([import('../remediate/registry.ts'), import('../engine/registry.ts')]);
  const byRemediation = remediationById(id);
  const findingIds = byRemediation ? byRemediation.answers : remediationsAnswering(id).length > 0 ? [id] : [];
  if (findingIds.length === 0) {
    const component = allChecks.some((c) => c.emits.includes(id)) ? componentOfFinding(id) : undefined;
    return fail(
      io,
      component
        ? `${id} has no automated fix (the catalogue says MANUAL); follow its runbook: netcheck ${SCOPE_OF[component] ?? 'all'}`
        : `unknown finding or remediation id "${id}"`,
    );
  }
  const components = [...new Set(findingIds.map((f) => componentOfFinding(f)).filter(Boolean))] as string[];
  const scope: Scope = components.length === 1 ? (SCOPE_OF[components[0]!] ?? 'all') : 'all';

  const { loadKubeConfig } = await import('../cluster/kubeconfig.ts');
  let connection: Awaited<ReturnType<typeof loadKubeConfig>>;
  try {
    connection = await loadKubeConfig({ kubeconfigPath: values.kubeconfig, context: values.context, env: io.env });
  } catch (error) {
    return fail(io, (error as Error).message);
  }
  const [{ createKubeReader }, { createKubeWriter }, { diagnose }, apply, verify] = await Promise.all([
    import('../cluster/k8s-reader.ts'),
    import('../cluster/k8s-writer.ts'),
    import('../engine/index.ts'),
    import('../remediate/apply.ts'),
    import('../remediate/verify.ts'),
  ]);
  const timeoutMs = timeoutSeconds * 1000;
  const writer = createKubeWriter(connection.kc, { timeoutMs });
  const run = async (): Promise<Report> =>
    diagnose(createKubeReader(connection.kc, { timeoutMs }), {
      scope,
      lang: 'en',
      cluster: { name: connection.clusterName, server: connection.server },
      timeoutMs,
    });

  let report: Report;
  try {
    report = await run();
  } catch (error) {
    return fail(io, `diagnosis failed: ${(error as Error).message}`);
  }
  const findings = report.components.flatMap((c) => c.findings);
  const finding: Finding | undefined = findings.find(
    (f) => findingIds.includes(f.id) && (!byRemediation || f.remediation?.id === byRemediation.id),
  );
  if (!finding) {
    const unknown = report.components.filter((c) => c.status === 'unknown').map((c) => c.component);
    if (unknown.length > 0)
      return fail(
        io,
        `could not read ${unknown.join(', ')}: ${report.components.flatMap((c) => c.errors ?? []).join('; ')}`,
      );
    io.stdout.write(`${findingIds.join(' / ')} is not present in ${connection.clusterName}: nothing to fix.\n`);
    return 0;
  }
  const remediation = remediationFor(finding);
  if (!remediation)
    return fail(io, `${finding.id} in ${connection.clusterName} has no automated fix here; follow its runbook.`);

  let objects: Awaited<ReturnType<typeof apply.readTargets>>;
  try {
    objects = await apply.readTargets(writer, remediation.reads(finding));
  } catch (error) {
    return fail(io, (error as { describe?: () => string }).describe?.() ?? (error as Error).message);
  }
  const inputs = upstreams ? { upstreams } : undefined;
  const planned = planFix(remediation, { finding, objects, ...(inputs ? { inputs } : {}) });
  if (!planned.ok) {
    const hint = remediation.inputs?.length ? ' (pass --upstream IP[,IP...])' : '';
    return fail(io, `${planned.reason}${hint}`);
  }
  const plan = planned.plan;
  const dry = await apply.dryRunPlan(plan, { reader: writer, writer });
  if (!dry.ok) return fail(io, `the API server refused the dry run: ${dry.reason}`);
  io.stdout.write(
    [
      `Fix ${finding.id} with ${plan.remediation} as ${writer.identity}:`,
      `  ${plan.title}`,
      `  Risk: ${plan.risk}`,
      `  Rollback: ${plan.rollback}`,
      ...plan.changes.map(
        (c) =>
          `  - ${c.verb} ${c.target.kind} ${c.target.namespace ? `${c.target.namespace}/` : ''}${c.target.name} (${'mustNotExist' in c.precondition ? 'must not exist' : `resourceVersion ${c.precondition.resourceVersion}`})`,
      ),
      '',
      dry.diff || '(no change to any object body: restarts only)\n',
    ].join('\n'),
  );
  if (values['dry-run']) {
    io.stdout.write('Dry run only: nothing was changed.\n');
    return 1;
  }
  if (!values.yes) {
    if (!io.stdin?.isTTY) return fail(io, 'not a terminal: pass --yes to apply without a confirmation');
    const rl = createInterface({ input: io.stdin, output: io.stderr });
    const answer = await rl.question('Apply these changes? [y/N] ');
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      io.stdout.write('Nothing was changed.\n');
      return 1;
    }
  }
  const outcome = await apply.applyPlan(plan, { reader: writer, writer });
  if (!outcome.ok) return fail(io, outcome.reason);
  io.stdout.write(`Applied ${plan.changes.length} change(s).\n`);

  // Bounded wait for the rollouts the plan started.
  const deadline = Date.now() + waitSeconds * 1000;
  for (const t of verify.rolloutTargets(plan)) {
    for (;;) {
      const obj = await writer.get(t).catch(() => null);
      const state = obj ? verify.rolloutComplete(obj) : { done: false as const, reason: 'not found' };
      if (state.done) break;
      if (Date.now() >= deadline) {
        io.stdout.write(`Rollout of ${t.resource}/${t.name} not complete after ${waitSeconds}s (${state.reason}).\n`);
        break;
      }
      await sleep(500);
    }
  }
  let after: Report;
  try {
    after = await run();
  } catch (error) {
    return fail(io, `applied, but the verification diagnosis failed: ${(error as Error).message}`);
  }
  const result = verify.verifyCleared(plan, after);
  if (result.verified) {
    io.stdout.write(`✅ Fixed and verified: ${result.cleared.map((c) => `\`${c}\``).join(', ')} gone.\n`);
    return 0;
  }
  if ('unknown' in result) return fail(io, `applied, but ${result.unknown.join(', ')} could not be read to verify`);
  io.stdout.write(`⚠️ Applied, but ${result.remaining.map((c) => `\`${c}\``).join(', ')} still present.\n`);
  return 1;
}
