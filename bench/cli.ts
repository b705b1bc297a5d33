// Whole-process `netcheck all` from the installed package (cold and warm compile cache) against the troubleshooting
// guide's kubectl runbook, alternated on the same sandbox, at 0 and 20 ms latency, on generated clusters.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateLargeCluster } from '../src/sandbox/generate.ts';
import { type RequestRecord, startSandbox } from '../src/sandbox/server.ts';
import { type Installed, installPackage } from './install.ts';

const run = promisify(execFile);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export interface CliRow {
  nodes: number;
  pods: number;
  latencyMs: number;
  coldMs: number;
  warmMs: number;
  requests: number;
  pages: number;
  waves: number;
  rssMb: number;
  kubectlMs: number;
  kubectlCommands: number;
  criticalPathMs: number;
  findings: string;
}

interface ProcessResult {
  ms: number;
  rssMb: number;
  stdout: string;
  stderr: string;
  code: number;
}

/** One process under GNU time (for peak RSS), timed from spawn to exit. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'netcheck-bench-rss %M', command, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    // Bounded: a hung run fails the bench instead of stalling it.
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      const rss = Number(/netcheck-bench-rss (\d+)/.exec(stderr)?.[1] ?? Number.NaN) / 1024;
      resolve({ ms, rssMb: rss, stdout, stderr, code: code ?? -1 });
    });
  });
}

/**
 * Round-trip waves as the server saw them: a wave starts with a request that arrives when nothing is outstanding.
 * Continuation pages of a list are counted apart (they are the list's own critical path, not another wave).
 */
export function waves(records: RequestRecord[]): { waves: number; requests: number; pages: number } {
  const first = records.filter((r) => !/(^|&)continue=/.test(r.query));
  const sorted = [...records].sort((a, b) => (a.receivedAt ?? 0) - (b.receivedAt ?? 0));
  let count = 0;
  let busyUntil = Number.NEGATIVE_INFINITY;
  for (const r of sorted) {
    const isPage = /(^|&)continue=/.test(r.query);
    if (!isPage && (r.receivedAt ?? 0) >= busyUntil) count++;
    busyUntil = Math.max(busyUntil, r.finishedAt ?? r.receivedAt ?? 0);
  }
  return { waves: count, requests: records.length, pages: records.length - first.length };
}

/** The troubleshooting guide's way: its kubectl commands, one after another. */
async function kubectlRunbook(kubeconfig: string, tmp: string): Promise<{ ms: number; commands: number }> {
  const cacheDir = join(tmp, 'kubectl-cache');
  const kubectl = (...args: string[]) =>
    run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, '--request-timeout=60s', ...args], {
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, HOME: tmp },
      timeout: 120_000,
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

export interface StartupRow {
  what: string;
  coldMs: number;
  warmMs: number;
}

export async function cliBench(
  root: string,
  tmp: string,
  options: { sizes: number[]; latencies: number[]; repeats: number },
): Promise<{ rows: CliRow[]; startup: StartupRow[]; installed: Installed; phases?: PhaseRuns }> {
  const installed = await installPackage(root, join(tmp, 'install'));
  const warmCache = join(tmp, 'compile-cache-warm');
  const env = (cache: string) => ({ ...process.env, PATH: installed.path, NO_COLOR: '1', NODE_COMPILE_CACHE: cache });
  const coldCache = () => mkdtempSync(join(tmp, 'compile-cache-cold-'));

  const startup: StartupRow[] = [];
  await timed(installed.netcheck, ['--version'], env(warmCache));
  const cold: number[] = [];
  const warm: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 5; i++) {
    cold.push((await timed(installed.netcheck, ['--version'], env(coldCache()))).ms);
    warm.push((await timed(installed.netcheck, ['--version'], env(warmCache))).ms);
    bare.push((await timed(process.execPath, ['-e', '0'], env(warmCache))).ms);
  }
  startup.push({ what: '`node -e 0` (Node alone)', coldMs: median(bare), warmMs: median(bare) });
  startup.push({ what: '`netcheck --version`', coldMs: median(cold), warmMs: median(warm) });

  const rows: CliRow[] = [];
  let phases: PhaseRuns | undefined;
  for (const nodes of options.sizes) {
    const scenario = generateLargeCluster({ nodes, broken: 'coredns-loop' });
    const sandbox = await startSandbox({ scenario });
    const botConfig = join(tmp, `bot-${nodes}.kubeconfig`);
    const adminConfig = join(tmp, `admin-${nodes}.kubeconfig`);
    writeFileSync(botConfig, sandbox.kubeconfig('bot'));
    writeFileSync(adminConfig, sandbox.kubeconfig('admin'));
    const args = ['all', '--kubeconfig', botConfig, '--timeout', '60'];
    try {
      for (const latencyMs of options.latencies) {
        sandbox.setLatency(latencyMs > 0 ? { fixedMs: latencyMs } : undefined);
        await timed(installed.netcheck, args, env(warmCache)); // fills the warm cache for this code path
        const colds: ProcessResult[] = [];
        const warms: ProcessResult[] = [];
        const kubectls: { ms: number; commands: number }[] = [];
        let counted: ReturnType<typeof waves> | undefined;
        for (let i = 0; i < options.repeats; i++) {
          colds.push(await timed(installed.netcheck, args, env(coldCache())));
          sandbox.resetRequests();
          warms.push(await timed(installed.netcheck, args, env(warmCache)));
          counted = waves(sandbox.requests.filter((r) => r.user === sandbox.identities.bot));
          kubectls.push(await kubectlRunbook(adminConfig, tmp));
        }
        const last = warms.at(-1)!;
        if (last.code !== 1) throw new Error(`netcheck all exited ${last.code} on ${nodes} nodes: ${last.stdout}`);
        const kubectlMs = median(kubectls.map((k) => k.ms));
        // The DaemonSet pod list: one page of 500 full pods, then Table rows 5,000 a page, then one round of full
        // gets (failing pods, templates) — its own chain, on top of the waves.
        const dsPods = nodes * 2 + 4;
        const podsPages = dsPods <= 500 ? 1 : 1 + Math.ceil((dsPods - 500) / 5000) + 1;
        rows.push({
          nodes,
          pods: scenario.objects.filter((o) => o.kind === 'Pod').length,
          latencyMs,
          coldMs: median(colds.map((r) => r.ms)),
          warmMs: median(warms.map((r) => r.ms)),
          requests: counted!.requests,
          pages: counted!.pages,
          waves: counted!.waves,
          rssMb: Math.max(...[...colds, ...warms].map((r) => r.rssMb)),
          kubectlMs,
          kubectlCommands: kubectls[0]!.commands,
          criticalPathMs: (counted!.waves + podsPages - 1) * latencyMs + 100,
          findings: [...new Set([...last.stdout.matchAll(/\[([a-z0-9-]+(?:\.[a-z0-9-]+)+)\]/g)].map((m) => m[1]))].join(
            ', ',
          ),
        });
        console.log(JSON.stringify(rows.at(-1)));
        if (nodes === options.sizes[0] && latencyMs === Math.max(...options.latencies)) {
          const traced: Phases[] = [];
          for (let i = 0; i < 3; i++) {
            const r = await timed(
              process.execPath,
              ['--import', PHASE_TRACE, installed.netcheck, ...args],
              env(warmCache),
            );
            const line = /netcheck-phases (\{.*\})/.exec(r.stderr)?.[1];
            if (line) traced.push({ ...(JSON.parse(line) as Omit<Phases, 'wallMs'>), wallMs: r.ms });
          }
          phases = { nodes, latencyMs, runs: traced };
        }
      }
    } finally {
      await sandbox.close();
    }
  }
  return { rows, startup, installed, phases };
}

const PHASE_TRACE = new URL('./phase-trace.ts', import.meta.url).pathname;

/** One traced run (bench/phase-trace.ts) and its wall time from spawn to exit. */
interface Phases {
  toFirstRequestMs: number;
  tlsHandshakes: number;
  tlsMedianMs: number;
  waves: { ms: number; requests: number; gapBeforeMs: number }[];
  afterLastAnswerMs: number;
  exitMs: number;
  wallMs: number;
}

interface PhaseRuns {
  nodes: number;
  latencyMs: number;
  runs: Phases[];
}

/** Where a small run's time goes: the median of each phase over the traced runs. */
export function phaseTable(phases: PhaseRuns | undefined, bareNodeMs: number): string[] {
  if (!phases || phases.runs.length === 0) return [];
  const med = (pick: (p: Phases) => number | undefined) =>
    median(phases.runs.map(pick).filter((v) => v !== undefined) as number[]);
  const waveCount = Math.max(...phases.runs.map((r) => r.waves.length));
  const lines = [
    `| phase (${phases.nodes} nodes, ${phases.latencyMs} ms latency, warm cache, median of ${phases.runs.length} traced runs) | ms |`,
    '|---|---:|',
    `| Node start (\`node -e 0\`, spawn to exit) | ${bareNodeMs.toFixed(0)} |`,
    `| process start → first request (Node start, module loading, kubeconfig, reader) | ${med((p) => p.toFirstRequestMs).toFixed(0)} |`,
    `| TLS handshakes (count; median each, overlapping wave 1) | ${med((p) => p.tlsHandshakes)}; ${med((p) => p.tlsMedianMs).toFixed(0)} |`,
  ];
  for (let i = 0; i < waveCount; i++) {
    const gap = i === 0 ? '' : ` (engine before it: ${med((p) => p.waves[i]?.gapBeforeMs).toFixed(0)} ms)`;
    lines.push(
      `| wave ${i + 1}: ${med((p) => p.waves[i]?.requests)} requests${gap} | ${med((p) => p.waves[i]?.ms).toFixed(0)} |`,
    );
  }
  lines.push(
    `| last answer → exit (checks, linking, rendering, exit) | ${med((p) => p.afterLastAnswerMs).toFixed(0)} |`,
    `| whole process (spawn to exit; the trace itself adds a little) | ${med((p) => p.wallMs).toFixed(0)} |`,
  );
  return lines;
}

export function cliTables(result: { rows: CliRow[]; startup: StartupRow[]; phases?: PhaseRuns }): string[] {
  const lines = [
    '| nodes | pods | latency | netcheck cold cache | netcheck warm cache | requests (pages) | round trips | peak RSS | kubectl runbook (cmds) | speed-up warm / cold | critical-path target |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of result.rows) {
    lines.push(
      `| ${r.nodes} | ${r.pods} | ${r.latencyMs} ms | ${r.coldMs.toFixed(0)} ms | ${r.warmMs.toFixed(0)} ms | ${r.requests} (${r.pages}) | ${r.latencyMs > 0 ? r.waves : '—'} | ${r.rssMb.toFixed(0)} MB | ${r.kubectlMs.toFixed(0)} ms (${r.kubectlCommands}) | ${(r.kubectlMs / r.warmMs).toFixed(1)}× / ${(r.kubectlMs / r.coldMs).toFixed(1)}× | ≤ ${r.criticalPathMs} ms |`,
    );
  }
  const startup = [
    '| start-up | cold compile cache | warm compile cache |',
    '|---|---:|---:|',
    ...result.startup.map((s) => `| ${s.what} | ${s.coldMs.toFixed(0)} ms | ${s.warmMs.toFixed(0)} ms |`),
  ];
  const phases = phaseTable(result.phases, result.startup[0]?.warmMs ?? Number.NaN);
  return [...startup, '', ...lines, ...(phases.length ? ['', ...phases] : [])];
}

/** Bytes of the installed CLI, and of the chunks a `netcheck all` with text output loads. */
export function cliBundleSizes(root: string): { totalKiB: number; diagnosisKiB: number; files: number } {
  const meta = JSON.parse(readFileSync(join(root, 'dist/cli.meta.json'), 'utf8')) as {
    outputs: Record<string, { bytes: number; imports: { path: string; kind: string; external?: boolean }[] }>;
  };
  // Loaded only by other commands or other kubeconfigs: never on `netcheck all -o text`.
  const lazy =
    /\/(completion|sandbox-command|demo-command|dev-command|report|client-node-kubeconfig|render-markdown|version)-/;
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path) || !meta.outputs[path]) return;
    seen.add(path);
    for (const i of meta.outputs[path]!.imports) if (!i.external && !lazy.test(i.path)) visit(i.path);
  };
  const entry = Object.keys(meta.outputs).find((p) => p.endsWith('/netcheck.mjs'))!;
  visit(entry);
  const kib = (paths: string[]) => Math.round(paths.reduce((sum, p) => sum + meta.outputs[p]!.bytes, 0) / 1024);
  const all = Object.keys(meta.outputs).filter((p) => p.endsWith('.mjs'));
  return { totalKiB: kib(all), diagnosisKiB: kib([...seen]), files: all.length };
}

/** Each target of the CLI against the measured rows: met or not, and what stands in the way. */
export function targetLines(rows: CliRow[], startup: StartupRow[], phases?: PhaseRuns): string[] {
  const at = (nodes: number, latencyMs: number) => rows.find((r) => r.nodes === nodes && r.latencyMs === latencyMs);
  const bare = startup[0]?.warmMs ?? Number.NaN;
  const version = startup[1]?.warmMs ?? Number.NaN;
  const yes = (ok: boolean) => (ok ? '**met**' : '**not met**');
  const lines = ['| target | measured | verdict and what stands in the way |', '|---|---|---|'];
  const small = at(10, 20) ?? rows.find((r) => r.nodes === Math.min(...rows.map((x) => x.nodes)) && r.latencyMs > 0);
  if (small) {
    const ratio = small.kubectlMs / small.warmMs;
    const firstRequest = phases ? median(phases.runs.map((p) => p.toFirstRequestMs)) : Number.NaN;
    lines.push(
      `| ≥ 25× the runbook at 20 ms, small cluster | ${ratio.toFixed(1)}× (${small.warmMs.toFixed(0)} ms vs ${small.kubectlMs.toFixed(0)} ms) | ${yes(ratio >= 25)}: 25× needs ≤ ${(small.kubectlMs / 25).toFixed(0)} ms; Node alone takes ${bare.toFixed(0)} ms, \`--version\` ${version.toFixed(0)} ms, the first request leaves at ${firstRequest.toFixed(0)} ms, then ${small.waves} round trips of ${small.latencyMs} ms plus TLS |`,
    );
  }
  const big = rows.filter((r) => r.latencyMs > 0).sort((a, b) => b.nodes - a.nodes)[0];
  if (big && big.nodes >= 5000) {
    const ratio = big.kubectlMs / big.warmMs;
    lines.push(
      `| ≥ 10× at 5,000 nodes | ${ratio.toFixed(1)}× (${big.warmMs.toFixed(0)} ms vs ${big.kubectlMs.toFixed(0)} ms) | ${yes(ratio >= 10)}: 10× needs ≤ ${(big.kubectlMs / 10).toFixed(0)} ms |`,
      `| peak RSS < 200 MB at 5,000 nodes | ${big.rssMb.toFixed(0)} MB | ${yes(big.rssMb < 200)} |`,
    );
  }
  for (const r of rows.filter((x) => x.latencyMs > 0)) {
    lines.push(
      `| within critical path + 100 ms, ${r.nodes} nodes | ${r.warmMs.toFixed(0)} ms vs ≤ ${r.criticalPathMs} ms | ${yes(r.warmMs <= r.criticalPathMs)}: over by ${Math.max(0, r.warmMs - r.criticalPathMs).toFixed(0)} ms, of which Node start is ${bare.toFixed(0)} ms |`,
    );
  }
  return lines;
}
