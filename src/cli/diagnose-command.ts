// `netcheck [scope]`: run the engine against a kubeconfig and print the report for people or machines.
import { parseArgs } from 'node:util';
import { Lang, type Report, Scope } from '../engine/report.ts';
import { verdict } from '../engine/report-view.ts';
import type { Io } from './io.ts';
import { renderText } from './render-text.ts';

export class UsageError extends Error {}

export interface DiagnoseArgs {
  scope: Scope;
  kubeconfig?: string;
  context?: string;
  output: 'text' | 'json';
  lang: Lang;
  timeoutSeconds: number;
}

const USAGE =
  'usage: netcheck [dns|cni|proxy|all] [--kubeconfig PATH] [--context NAME] [--output text|json] [--lang en|ko] [--timeout SECONDS]';

export function parseDiagnoseArgs(argv: string[]): DiagnoseArgs {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`expected one scope, got "${positionals.join(' ')}"`);
  const scope = Scope.safeParse(positionals[0] ?? 'all');
  if (!scope.success) throw new UsageError(`unknown scope "${positionals[0]}": choose dns, cni, proxy or all`);
  const output = values.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json, not "${output}"`);
  const lang = Lang.safeParse(values.lang ?? 'en');
  if (!lang.success) throw new UsageError(`--lang must be en or ko, not "${values.lang}"`);
  const timeoutSeconds = Number(values.timeout ?? '10');
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > 600) {
    throw new UsageError(`--timeout must be a number of seconds between 0 and 600, not "${values.timeout}"`);
  }
  return {
    scope: scope.data,
    kubeconfig: values.kubeconfig,
    context: values.context,
    output,
    lang: lang.data,
    timeoutSeconds,
  };
}

const OPTIONS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  output: { type: 'string', short: 'o' },
  lang: { type: 'string' },
  timeout: { type: 'string' },
} as const;

export async function diagnoseCommand(argv: string[], io: Io): Promise<number> {
  let args: DiagnoseArgs;
  try {
    args = parseDiagnoseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`netcheck: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  // Loaded lazily: the Kubernetes client dominates start-up and `--help`/usage errors should not pay for it.
  const { loadKubeConfig } = await import('../cluster/kubeconfig.ts');
  let connection: ReturnType<typeof loadKubeConfig>;
  try {
    connection = loadKubeConfig({ kubeconfigPath: args.kubeconfig, context: args.context, env: io.env });
  } catch (error) {
    io.stderr.write(`netcheck: ${(error as Error).message}\n`);
    return 2;
  }
  return runDiagnosis(connection, args, io);
}

/** Runs the engine and prints; shared by `netcheck [scope]` and `netcheck demo`. */
export async function runDiagnosis(
  connection: {
    kc: import('../cluster/kubeconfig-lite.ts').KubeConnectionConfig;
    clusterName: string;
    server: string;
    user?: string;
  },
  args: Pick<DiagnoseArgs, 'scope' | 'output' | 'lang' | 'timeoutSeconds'>,
  io: Io,
): Promise<number> {
  const [{ createKubeReader }, { diagnose }] = await Promise.all([
    import('../cluster/k8s-reader.ts'),
    import('../engine/index.ts'),
  ]);
  // --timeout bounds the whole run: one deadline for every request, retry and wait. A single request may use most
  // of it, but not all, so one hanging read still leaves time for the others and for the logs.
  const totalMs = args.timeoutSeconds * 1000;
  const reader = createKubeReader(connection.kc, {
    deadlineAt: Date.now() + totalMs,
    timeoutMs: Math.max(1000, Math.round(totalMs * 0.6)),
  });
  const tty = Boolean(io.stderr.isTTY) && args.output === 'text';
  const progress = (message: string) => {
    if (tty) io.stderr.write(`\r\x1b[2K${message}`);
  };
  let report: Report;
  try {
    report = await diagnose(reader, {
      scope: args.scope,
      lang: args.lang,
      cluster: { name: connection.clusterName, server: connection.server },
      timeoutMs: args.timeoutSeconds * 1000,
      onProgress: (event) => progress(`netcheck: ${event.message}`),
    });
  } catch (error) {
    progress('');
    io.stderr.write(`netcheck: diagnosis failed: ${(error as Error).message}\n`);
    return 2;
  } finally {
    if (tty) io.stderr.write('\r\x1b[2K');
  }
  // The report is always printed, partial or not; when a component could not be judged, stderr says which and why.
  const { exitCode, sentence } = verdict(report);
  if (args.output === 'json') {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    io.stdout.write(renderText(report, { color: Boolean(io.stdout.isTTY) && !io.env.NO_COLOR }));
  }
  if (sentence) io.stderr.write(`netcheck: ${sentence}\n`);
  return exitCode;
}
