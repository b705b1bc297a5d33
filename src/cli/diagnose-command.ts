// `netcheck [scope...]`: run the engine against a kubeconfig and print the report for people, tickets or machines.
import { parseArgs } from 'node:util';
import type { ComponentName, Lang, Report, Scope } from '../engine/report.ts';
import { verdict } from '../engine/report-view.ts';
import type { Io } from './io.ts';
import { renderStatusLine, renderText } from './render-text.ts';
import { didYouMean } from './suggest.ts';

export class UsageError extends Error {}

export const SCOPES = ['dns', 'cni', 'proxy', 'all'] as const satisfies readonly Scope[];
export const OUTPUTS = ['text', 'json', 'yaml', 'markdown'] as const;
export type Output = (typeof OUTPUTS)[number];
const LANGS = ['en', 'ko'] as const satisfies readonly Lang[];

export interface DiagnoseArgs {
  /** One or more scopes in the order given; `all` alone when it was among them. */
  scopes: Scope[];
  kubeconfig?: string;
  context?: string;
  output: Output;
  lang: Lang;
  timeoutSeconds: number;
  quiet: boolean;
  help: boolean;
}

/** Every flag of the diagnosis, with the placeholder its usage shows; the completion scripts are built from it. */
export const DIAGNOSE_FLAGS = {
  kubeconfig: {
    type: 'string',
    placeholder: 'PATH',
    describe: 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config)',
  },
  context: { type: 'string', placeholder: 'NAME', describe: 'kubeconfig context (default: the current one)' },
  output: { type: 'string', short: 'o', placeholder: OUTPUTS.join('|'), describe: 'output format (default: text)' },
  lang: { type: 'string', placeholder: LANGS.join('|'), describe: 'language of the runbooks (default: en)' },
  timeout: { type: 'string', placeholder: 'SECONDS', describe: 'per-request timeout (default: 10)' },
  quiet: { type: 'boolean', short: 'q', describe: 'print only the status line' },
  help: { type: 'boolean', short: 'h', describe: 'show this help' },
} as const;

const FLAG_NAMES = Object.entries(DIAGNOSE_FLAGS).flatMap(([name, f]) => [
  `--${name}`,
  ...('short' in f ? [`-${f.short}`] : []),
]);

export function usage(program = 'netcheck'): string {
  const flags = Object.entries(DIAGNOSE_FLAGS)
    .filter(([name]) => name !== 'help')
    .map(([name, f]) => {
      const short = 'short' in f ? `-${f.short}|` : '';
      return `[${short}--${name}${'placeholder' in f ? ` ${f.placeholder}` : ''}]`;
    });
  return `usage: ${program} [dns|cni|proxy|all]... ${flags.join(' ')}`;
}

/** Words a mistyped scope may have meant: the scopes, and the other commands (`netcheck sandbx`). */
const COMMAND_WORDS = [...SCOPES, 'demo', 'sandbox', 'dev', 'schema', 'completion', 'help', 'version'];

/** parseArgs' own messages are paragraphs: answer an unknown or incomplete flag in one sentence. */
function flagError(error: Error & { code?: string }): string {
  // "Unknown option '--outptu'", "Option '-o, --output <value>' argument missing": the long name when there is one.
  const names = /option '([^']+)'/i.exec(error.message)?.[1]?.split(/[ ,]+/) ?? [];
  const option = names.find((n) => n.startsWith('--')) ?? names[0];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    return `unknown flag ${option}.${didYouMean(option, FLAG_NAMES)}`;
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    const name = option.replace(/^-+/, '');
    const flag =
      Object.entries(DIAGNOSE_FLAGS).find(([long, f]) => long === name || ('short' in f && f.short === name)) ?? [];
    const [long, spec] = flag;
    return spec && 'placeholder' in spec
      ? `--${long} needs a value: ${spec.placeholder}.`
      : `${option} takes no value.`;
  }
  return `${error.message.split('\n')[0]}`;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(
    `--${flag} must be ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}, not "${value}".${didYouMean(value, allowed)}`,
  );
}

export function parseDiagnoseArgs(argv: string[]): DiagnoseArgs {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof DIAGNOSE_FLAGS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: DIAGNOSE_FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(flagError(error as Error));
  }
  const { values, positionals } = parsed;
  const scopes: Scope[] = [];
  for (const word of positionals) {
    if (!(SCOPES as readonly string[]).includes(word)) {
      const hint = didYouMean(word, COMMAND_WORDS);
      const meantCommand = hint && !SCOPES.some((s) => hint.includes(`"${s}"`));
      throw new UsageError(
        `unknown ${meantCommand ? 'command' : 'scope'} "${word}".${hint || ' Choose dns, cni, proxy or all.'}`,
      );
    }
    if (!scopes.includes(word as Scope)) scopes.push(word as Scope);
  }
  const output = oneOf('output', values.output ?? 'text', OUTPUTS);
  const lang = oneOf('lang', values.lang ?? 'en', LANGS);
  const timeoutSeconds = Number(values.timeout ?? '10');
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > 600) {
    throw new UsageError(`--timeout must be a number of seconds between 0 and 600, not "${values.timeout}".`);
  }
  return {
    scopes: scopes.length === 0 || scopes.includes('all') ? ['all'] : scopes,
    kubeconfig: values.kubeconfig,
    context: values.context,
    output,
    lang,
    timeoutSeconds,
    quiet: values.quiet ?? false,
    help: values.help ?? false,
  };
}

export async function diagnoseCommand(argv: string[], io: Io): Promise<number> {
  const program = io.program ?? 'netcheck';
  let args: DiagnoseArgs;
  try {
    args = parseDiagnoseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${program}: ${error.message}\n${usage(program)}\n`);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    const { help } = await import('./main.ts');
    io.stdout.write(help(program));
    return 0;
  }
  // Loaded lazily: `--help`, `--version` and usage errors should not pay for the kubeconfig parser.
  const { loadKubeConfig } = await import('../cluster/kubeconfig.ts');
  let connection: Awaited<ReturnType<typeof loadKubeConfig>>;
  try {
    connection = await loadKubeConfig({ kubeconfigPath: args.kubeconfig, context: args.context, env: io.env });
  } catch (error) {
    io.stderr.write(`${program}: ${(error as Error).message}\n`);
    return 2;
  }
  return runDiagnosis(connection, args, io);
}

/** Colour only for a terminal that can show it: not for pipes, NO_COLOR or TERM=dumb. */
export function colorFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
}

const COMPONENT_OF_SCOPE: Record<Exclude<Scope, 'all'>, ComponentName> = {
  dns: 'dns',
  cni: 'cni',
  proxy: 'kube-proxy',
};

/**
 * Several scopes at once: one diagnosis of `all` (one set of reads), narrowed to the components asked for. As for
 * `dns` alone, a lower layer that holds the cause of a DNS finding stays in.
 */
export function narrowToScopes(
  report: Report,
  scopes: readonly Scope[],
  worst: (s: Report['status'][]) => Report['status'],
): Report {
  if (scopes.length < 2) return report;
  const wanted = new Set(scopes.map((s) => COMPONENT_OF_SCOPE[s as Exclude<Scope, 'all'>]));
  const all = report.components.flatMap((c) => c.findings.map((f) => ({ component: c.component, finding: f })));
  if (wanted.has('dns')) {
    for (const { component, finding } of all) {
      if (component !== 'dns' || !finding.causedBy) continue;
      const cause = all.find((l) => l.finding.id === finding.causedBy);
      if (cause) wanted.add(cause.component);
    }
  }
  const components = report.components.filter((c) => wanted.has(c.component));
  const named = scopes.filter((s): s is Exclude<Scope, 'all'> => s !== 'all');
  return { ...report, scopes: named, components, status: worst(components.map((c) => c.status)) };
}

/** Runs the engine and prints; shared by `netcheck [scope...]` and `netcheck demo`. */
export async function runDiagnosis(
  connection: {
    kc: import('../cluster/kubeconfig-lite.ts').KubeConnectionConfig;
    clusterName: string;
    server: string;
    user?: string;
  },
  args: Pick<DiagnoseArgs, 'scopes' | 'output' | 'lang' | 'timeoutSeconds' | 'quiet'>,
  io: Io,
): Promise<number> {
  const program = io.program ?? 'netcheck';
  const [{ createKubeReader }, { diagnose, worstStatus }] = await Promise.all([
    import('../cluster/k8s-reader.ts'),
    // The diagnosis itself, not engine/index.ts: that re-exports the zod schemas, which text output never needs.
    import('../engine/diagnose.ts'),
  ]);
  // --timeout bounds the whole run: one deadline for every request, retry and wait. A single request may use most
  // of it, but not all, so one hanging read still leaves time for the others and for the logs.
  const totalMs = args.timeoutSeconds * 1000;
  const reader = createKubeReader(connection.kc, {
    deadlineAt: Date.now() + totalMs,
    timeoutMs: Math.max(1000, Math.round(totalMs * 0.6)),
  });
  const live = colorFor(io.stderr, io.env) && args.output === 'text' && !args.quiet;
  const progress = (message: string) => {
    if (live) io.stderr.write(`\r\x1b[2K${message}`);
  };
  let report: Report;
  try {
    report = await diagnose(reader, {
      scope: args.scopes.length === 1 ? args.scopes[0]! : 'all',
      lang: args.lang,
      cluster: { name: connection.clusterName, server: connection.server },
      timeoutMs: args.timeoutSeconds * 1000,
      onProgress: (event) => progress(`${program}: ${event.message}`),
      // JSON and YAML leave the process for other programs: they get the contract's own check.
      validate: args.output === 'json' || args.output === 'yaml',
    });
  } finally {
    if (live) io.stderr.write('\r\x1b[2K');
  }
  report = narrowToScopes(report, args.scopes, worstStatus);
  // The report is always printed, partial or not; when a component could not be judged, stderr says which and why.
  const { exitCode, sentence } = verdict(report);
  const color = colorFor(io.stdout, io.env);
  if (args.quiet) {
    io.stdout.write(renderStatusLine(report, { color }));
  } else if (args.output === 'json') {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else if (args.output === 'yaml') {
    const { stringify } = await import('yaml');
    io.stdout.write(stringify(report, { lineWidth: 0 }));
  } else if (args.output === 'markdown') {
    const { renderMarkdown } = await import('./render-markdown.ts');
    io.stdout.write(renderMarkdown(report));
  } else {
    io.stdout.write(renderText(report, { color }));
  }
  if (sentence) io.stderr.write(`${program}: ${sentence}\n`);
  return exitCode;
}
