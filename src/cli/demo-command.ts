// `netcheck demo`: a broken sandbox cluster on loopback, diagnosed over real HTTPS with the bot's least-privilege identity.
import { parseArgs } from 'node:util';
import type { Lang } from '../engine/report.ts';
import { OUTPUTS, type Output } from './diagnose-command.ts';
import type { Io } from './io.ts';

const USAGE = `usage: netcheck demo [--scenario NAME] [--lang en|ko] [--output ${OUTPUTS.join('|')}]`;

export async function demoCommand(argv: string[], io: Io): Promise<number> {
  let values: { scenario?: string; lang?: string; output?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { scenario: { type: 'string' }, lang: { type: 'string' }, output: { type: 'string', short: 'o' } },
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`netcheck demo: ${(error as Error).message.split('\n')[0]}\n${USAGE}\n`);
    return 2;
  }
  const lang = (values.lang ?? 'en') as Lang;
  const output = (values.output ?? 'text') as Output;
  if (!['en', 'ko'].includes(lang) || !OUTPUTS.includes(output)) {
    io.stderr.write(`netcheck demo: --lang takes en or ko and --output ${OUTPUTS.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  const [{ loadScenario, DEFAULT_DEMO_SCENARIO, UnknownScenarioError }, { startSandbox }, { parseLiteKubeConfig }] =
    await Promise.all([
      import('../sandbox/scenarios.ts'),
      import('../sandbox/server.ts'),
      import('../cluster/kubeconfig-lite.ts'),
    ]);
  const name = values.scenario ?? DEFAULT_DEMO_SCENARIO;
  let scenario: Awaited<ReturnType<typeof loadScenario>>;
  try {
    scenario = await loadScenario(name);
  } catch (error) {
    if (error instanceof UnknownScenarioError) {
      io.stderr.write(`netcheck demo: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const sandbox = await startSandbox({ scenario });
  try {
    if (output === 'text') {
      io.stdout.write(`Sandbox cluster "${scenario.name}" on ${sandbox.url}: ${scenario.description}\n\n`);
    }
    // The sandbox's kubeconfig is a plain token one: the lite reader takes it without loading client-node.
    const kc = parseLiteKubeConfig(sandbox.kubeconfig('bot'), 'sandbox.kubeconfig')!;
    const { runDiagnosis } = await import('./diagnose-command.ts');
    const code = await runDiagnosis(
      { kc, clusterName: `sandbox/${scenario.name}`, server: sandbox.url },
      { scopes: ['all'], output, lang, timeoutSeconds: 10, quiet: false },
      io,
    );
    if (output === 'text') {
      io.stdout.write(
        `\nLook at it yourself with kubectl:\n  npm run netcheck -- sandbox start --scenario ${scenario.name} --write-kubeconfig /tmp/netcheck-demo.kubeconfig\n  kubectl --kubeconfig /tmp/netcheck-demo.kubeconfig -n kube-system get pods,ds,deploy,svc,ep,cm\nOther scenarios: npm run netcheck -- sandbox list; npm run demo -- --scenario NAME\nSee it the way Slack shows it, and click through it: npm run netcheck -- dev --scenario ${scenario.name}, then open http://127.0.0.1:3000/\n`,
      );
    }
    // A critical finding is the point of the demo, not a failure of it; say so, on stderr when stdout is a document.
    if (code === 1) {
      (output === 'text' ? io.stdout : io.stderr).write(
        `\nThis is a demo, so it exits 0; on a real cluster \`netcheck\` exits 1 on a critical finding like this one.\n`,
      );
    }
    return code === 2 ? 2 : 0;
  } finally {
    await sandbox.close();
  }
}
