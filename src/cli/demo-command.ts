// `netcheck demo`: a broken sandbox cluster on loopback, diagnosed over real HTTPS with the bot's least-privilege identity.
import { parseArgs } from 'node:util';
import { Lang } from '../engine/report.ts';
import type { Io } from './io.ts';

const USAGE = 'usage: netcheck demo [--scenario NAME] [--lang en|ko] [--output text|json]';

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
  const lang = Lang.safeParse(values.lang ?? 'en');
  const output = values.output ?? 'text';
  if (!lang.success || (output !== 'text' && output !== 'json')) {
    io.stderr.write(`netcheck demo: --lang takes en or ko and --output text or json\n${USAGE}\n`);
    return 2;
  }
  const [{ loadScenario, DEFAULT_DEMO_SCENARIO, UnknownScenarioError }, { startSandbox }, { KubeConfig }] =
    await Promise.all([
      import('../sandbox/scenarios.ts'),
      import('../sandbox/server.ts'),
      import('@kubernetes/client-node'),
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
    const kc = new KubeConfig();
    kc.loadFromString(sandbox.kubeconfig('bot'));
    const { runDiagnosis } = await import('./diagnose-command.ts');
    const code = await runDiagnosis(
      { kc, clusterName: `sandbox/${scenario.name}`, server: sandbox.url },
      { scope: 'all', output, lang: lang.data, timeoutSeconds: 10 },
      io,
    );
    if (output === 'text') {
      io.stdout.write(
        `\nLook at it yourself with kubectl:\n  npm run netcheck -- sandbox start --scenario ${scenario.name} --write-kubeconfig /tmp/netcheck-demo.kubeconfig\n  kubectl --kubeconfig /tmp/netcheck-demo.kubeconfig -n kube-system get pods,ds,deploy,svc,ep,cm\nOther scenarios: npm run netcheck -- sandbox list; npm run demo -- --scenario NAME\nSee it the way Slack shows it, and click through it: npm run netcheck -- dev --scenario ${scenario.name}, then open http://127.0.0.1:3000/\n`,
      );
    }
    // A critical finding is the point of the demo, not a failure of it.
    return code === 2 ? 2 : 0;
  } finally {
    await sandbox.close();
  }
}
