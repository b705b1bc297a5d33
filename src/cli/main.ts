// netcheck's command line: one entry that routes to the diagnosis, the sandbox, the demo and the dev server.
import { diagnoseCommand } from './diagnose-command.ts';
import type { Io } from './io.ts';
import { processIo } from './io.ts';

const HELP = `netcheck — diagnose Kubernetes networking (CNI, CoreDNS, kube-proxy)

Usage:
  netcheck [dns|cni|proxy|all] [--kubeconfig PATH] [--context NAME] [--output text|json] [--lang en|ko] [--timeout SECONDS]
  netcheck demo [--scenario NAME] [--lang en|ko] [--output text|json]
  netcheck sandbox list
  netcheck sandbox start --scenario NAME --write-kubeconfig PATH [--port N] [--latency-ms N]
  netcheck dev --scenario NAME [--port N]
  netcheck schema            print the report's JSON Schema
  netcheck fix <finding-or-remediation-id> [--kubeconfig PATH] [--context NAME] [--dry-run] [--yes]

Exit codes: 0 no critical finding, 1 a critical finding, 2 could not run.
`;

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  switch (first) {
    case 'help':
    case '--help':
    case '-h':
      io.stdout.write(HELP);
      return 0;
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

export { HELP };
