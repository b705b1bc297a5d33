// netcheck's command line: one entry that routes to the diagnosis, the sandbox, the demo and the dev server.
// Exit codes are a contract for CI: 0 no critical finding, 1 a critical finding, 2 could not run. A bug in
// netcheck is never a finding, so an internal error is answered with exit 2 and one sentence, never 1.
import { DIAGNOSE_FLAGS, diagnoseCommand, usage } from './diagnose-command.ts';
import type { Io } from './io.ts';
import { processIo } from './io.ts';

export function help(program = 'netcheck'): string {
  const flags = Object.entries(DIAGNOSE_FLAGS).map(([name, f]) => {
    const left = `${'short' in f ? `-${f.short}, ` : '    '}--${name}${'placeholder' in f ? ` ${f.placeholder}` : ''}`;
    return `  ${left.padEnd(38)} ${f.describe}`;
  });
  return `${program} — diagnose Kubernetes networking (CNI, CoreDNS, kube-proxy)

Usage:
  ${program} [dns|cni|proxy|all]... [flags]   several scopes at once: ${program} dns proxy
  ${program} demo [--scenario NAME] [--lang en|ko] [-o text|json|yaml|markdown]
  ${program} sandbox list
  ${program} sandbox start --scenario NAME --write-kubeconfig PATH [--port N] [--latency-ms N]
  ${program} dev [--scenario NAME] [--port N]   the Slack bot and its preview page on http://127.0.0.1:PORT/
  ${program} fix <finding-or-remediation-id> [--kubeconfig PATH] [--context NAME] [--dry-run] [--yes]
  /netcheck audit [--cluster NAME]   in Slack: the last 20 remediation actions (Fix…, approvals, applies)
  ${program} completion bash|zsh|fish
  ${program} schema                   print the report's JSON Schema
  ${program} --version

Flags:
${flags.join('\n')}

Exit codes: 0 no critical finding, 1 a critical finding, 2 could not run.
`;
}

/** One sentence about an unexpected error: its message, never a stack (unless NETCHECK_DEBUG asks for it). */
export function internalError(error: unknown, program: string, env: NodeJS.ProcessEnv): string {
  const e = error as { message?: unknown; issues?: { path: PropertyKey[]; message: string }[]; stack?: string };
  const issue = Array.isArray(e?.issues) ? e.issues[0] : undefined;
  const message = issue
    ? `invalid ${issue.path.map(String).join('.') || 'value'}: ${issue.message}`
    : (String(e?.message ?? error).split('\n')[0] ?? '');
  const hint = env.NETCHECK_DEBUG
    ? `\n${e?.stack ?? ''}`
    : ' This is a bug in netcheck, not a finding about the cluster: rerun with NETCHECK_DEBUG=1 for the stack trace and report it.';
  return `${program}: internal error: ${message.replace(/\.$/, '')}.${hint}\n`;
}

export async function main(argv: string[], io: Io = processIo(), options: { program?: string } = {}): Promise<number> {
  const program = options.program ?? io.program ?? 'netcheck';
  const ioWithProgram: Io = { ...io, program };
  try {
    return await route(argv, ioWithProgram);
  } catch (error) {
    try {
      io.stderr.write(internalError(error, program, io.env));
    } catch {
      // stderr is gone too: the exit code is all that is left to say it.
    }
    return 2;
  }
}

async function route(argv: string[], io: Io): Promise<number> {
  const program = io.program ?? 'netcheck';
  const [first, ...rest] = argv;
  switch (first) {
    case 'help':
    case '--help':
    case '-h':
      io.stdout.write(help(program));
      return 0;
    case '--version':
    case '-v':
    case 'version': {
      const { VERSION } = await import('./version.ts');
      io.stdout.write(`netcheck ${VERSION}\n`);
      return 0;
    }
    case 'completion': {
      const { completionCommand } = await import('./completion.ts');
      return completionCommand(rest, io);
    }
    case 'sandbox': {
      const { sandboxCommand } = await import('./sandbox-command.ts');
      return sandboxCommand(rest, io);
    }
    case 'demo': {
      const { demoCommand } = await import('./demo-command.ts');
      return demoCommand(rest, io);
    }
    case 'dev': {
      const { devCommand } = await import('./dev-command.ts');
      return devCommand(rest, io);
    }
    case 'schema': {
      if (rest.length > 0) {
        io.stderr.write(`${program}: schema takes no arguments.\nusage: ${program} schema\n`);
        return 2;
      }
      const { reportJsonSchema } = await import('../engine/report.ts');
      io.stdout.write(`${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
      return 0;
    }
    case 'fix': {
      const { fixCommand } = await import('./fix-command.ts');
      return fixCommand(rest, { ...io, stdin: process.stdin });
    }
    default:
      return diagnoseCommand(argv, io);
  }
}

export { usage };
