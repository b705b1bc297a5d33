// `npm run bench`: measures what the issues set targets for and writes bench/RESULTS.md. Loopback only.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateLargeCluster } from '../src/sandbox/generate.ts';
import { startSandbox } from '../src/sandbox/server.ts';
import { remediationBench } from './remediation.ts';
import { slackBench } from './slack.ts';

const run = promisify(execFile);
// Loopback only: no AWS credential chain may fall through to the instance metadata endpoint.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
const root = new URL('..', import.meta.url).pathname;
const quick = process.argv.includes('--quick');
const sizes = quick ? [10, 1000] : [10, 1000, 5000];
const latencies = [0, 20];
const repeats = quick ? 1 : 3;
const tmp = mkdtempSync(join(tmpdir(), 'netcheck-bench-'));

interface EngineRow {
  nodes: number;
  pods: number;
  latencyMs: number;
  wallMs: number;
  processMs: number;
  requests: number;
  maxRssMb: number;
  kubectlMs: number;
  kubectlCommands: number;
  criticalPathMs: number;
  findings: string;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function diagnoseInChild(kubeconfig: string) {
  const started = performance.now();
  // bin/netcheck.js turns the compile cache on before any TypeScript loads; the env does the same for this .ts entry.
  const { stdout } = await run(process.execPath, [join(root, 'bench/diagnose-child.ts'), kubeconfig], {
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? join(tmpdir(), 'node-compile-cache') },
  });
  const processMs = performance.now() - started;
  const result = JSON.parse(stdout) as { wallMs: number; requests: number; maxRssMb: number; findings: string[] };
  return { ...result, processMs };
}

/** The manual way: the kubectl commands an on-call engineer runs by hand, one after another. */
async function kubectlBaseline(kubeconfig: string): Promise<{ ms: number; commands: number }> {
  const cacheDir = join(tmp, 'kubectl-cache');
  const kubectl = (...args: string[]) =>
    run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, '--request-timeout=60s', ...args], {
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, HOME: tmp },
    });
  const ks = ['-n', 'kube-system'];
  const started = performance.now();
  let commands = 0;
  const step = async (...args: string[]) => {
    commands++;
    return (await kubectl(...args)).stdout;
  };
  await step('get', 'nodes');
  await step(...ks, 'get', 'pods');
  await step(...ks, 'get', 'ds');
  await step(...ks, 'get', 'deploy');
  const dnsPods = (await step(...ks, 'get', 'pods', '-l', 'k8s-app=kube-dns', '-o', 'name')).trim().split('\n');
  const dnsPod = dnsPods[0]?.replace('pod/', '') ?? '';
  await step(...ks, 'logs', dnsPod);
  await step(...ks, 'logs', dnsPod, '--previous').catch(() => undefined);
  await step(...ks, 'get', 'ep', 'kube-dns');
  await step(...ks, 'get', 'cm', 'coredns', '-o', 'yaml');
  const proxyPods = (await step(...ks, 'get', 'pods', '-l', 'k8s-app=kube-proxy', '-o', 'name')).trim().split('\n');
  await step(...ks, 'logs', proxyPods[0]?.replace('pod/', '') ?? '');
  await step(...ks, 'get', 'cm', 'kube-proxy', '-o', 'yaml');
  await step(...ks, 'get', 'events');
  return { ms: performance.now() - started, commands };
}

async function engineBench(): Promise<EngineRow[]> {
  const rows: EngineRow[] = [];
  for (const nodes of sizes) {
    const scenario = generateLargeCluster({ nodes, broken: 'coredns-loop' });
    const sandbox = await startSandbox({ scenario });
    const botConfig = join(tmp, `bot-${nodes}.kubeconfig`);
    const adminConfig = join(tmp, `admin-${nodes}.kubeconfig`);
    writeFileSync(botConfig, sandbox.kubeconfig('bot'));
    writeFileSync(adminConfig, sandbox.kubeconfig('admin'));
    try {
      for (const latencyMs of latencies) {
        sandbox.setLatency(latencyMs > 0 ? { fixedMs: latencyMs } : undefined);
        const samples = [];
        for (let i = 0; i < repeats; i++) samples.push(await diagnoseInChild(botConfig));
        const kubectl = await kubectlBaseline(adminConfig);
        const last = samples.at(-1)!;
        const podsPages = Math.ceil((nodes * 2 + 4) / 500);
        rows.push({
          nodes,
          pods: scenario.objects.filter((o) => o.kind === 'Pod').length,
          latencyMs,
          wallMs: median(samples.map((s) => s.wallMs)),
          processMs: median(samples.map((s) => s.processMs)),
          requests: last.requests,
          maxRssMb: Math.max(...samples.map((s) => s.maxRssMb)),
          kubectlMs: kubectl.ms,
          kubectlCommands: kubectl.commands,
          criticalPathMs: (3 + podsPages) * latencyMs + 100,
          findings: [...new Set(last.findings)].join(', '),
        });
        console.log(JSON.stringify(rows.at(-1)));
      }
    } finally {
      await sandbox.close();
    }
  }
  return rows;
}

function engineTable(rows: EngineRow[]): string {
  const lines = [
    '| nodes | pods | latency | diagnosis wall | CLI process | API requests | peak RSS | kubectl baseline (cmds) | speed-up vs kubectl | critical-path target |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.nodes} | ${r.pods} | ${r.latencyMs} ms | ${r.wallMs.toFixed(0)} ms | ${r.processMs.toFixed(0)} ms | ${r.requests} | ${r.maxRssMb.toFixed(0)} MB | ${r.kubectlMs.toFixed(0)} ms (${r.kubectlCommands}) | ${(r.kubectlMs / r.processMs).toFixed(1)}× | ≤ ${r.criticalPathMs} ms |`,
    );
  }
  return lines.join('\n');
}

const sections: string[] = [];
try {
  const rows = await engineBench();
  sections.push(
    '## Diagnosis (`all`) on generated sandbox clusters',
    '',
    'Generated kubeadm + Calico clusters with CoreDNS in a forwarding loop, 20 pods per node. "diagnosis wall" is the',
    'engine alone (median of runs); "CLI process" adds Node start-up and module loading; the kubectl baseline runs the',
    "troubleshooting guide's commands one after another against the same sandbox. Speed-up compares whole processes.",
    'Critical-path target: 3 round trips + the pages of the largest list (kube-system pods, 500 per page) × latency + 100 ms.',
    '',
    engineTable(rows),
    '',
  );
  sections.push(...(await slackBench(tmp, quick)));
  sections.push(...(await remediationBench(quick)));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const header = `# Benchmark results\n\nWritten by \`npm run bench\`${quick ? ' (--quick)' : ''} on ${new Date().toISOString()}, Node ${process.version}, ${(await import('node:os')).cpus().length} cores. Loopback only.\n\n`;
writeFileSync(join(root, 'bench/RESULTS.md'), header + sections.join('\n'));
console.log(`\n${sections.join('\n')}`);
