// Log sampling of healthy-looking agents at cluster scale: requests, time and memory of a whole diagnosis with the
// sample (HEALTHY_SAMPLE current logs per agent workload, suspect nodes first) next to one healthy representative per
// workload (as before sampling), and whether one bad node among all of them is found.
// `node --expose-gc bench/sampling.ts [--quick]` prints a Markdown section; it asserts nothing.
// In-process: engine + HTTPS reader against the sandbox on 127.0.0.1, 20 ms latency on every request.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKubeReader } from '../src/cluster/k8s-reader.ts';
import { loadKubeConfig } from '../src/cluster/kubeconfig.ts';
import type { KubeObject } from '../src/engine/cluster-reader.ts';
import { diagnose } from '../src/engine/index.ts';
import { DEFAULT_SAMPLE, HEALTHY_SAMPLE, type SampleBudget, SUSPECT_SAMPLE } from '../src/engine/sampling.ts';
import { generateLargeCluster } from '../src/sandbox/generate.ts';
import { startSandbox } from '../src/sandbox/server.ts';
import type { Scenario } from '../src/sandbox/types.ts';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** One node in the middle of the cluster is under memory pressure, and its Ready kube-proxy fails every sync. */
function withOneBadNode(scenario: Scenario): { scenario: Scenario; node: string } {
  const nodes = scenario.objects.filter((o) => o.kind === 'Node');
  const bad = nodes[Math.floor(nodes.length / 2)]!;
  const node = bad.metadata.name;
  const objects = scenario.objects.map((o): KubeObject => {
    if (o !== bad) return o;
    const conditions = (o.status?.conditions ?? []).map((c: { type: string }) =>
      c.type === 'MemoryPressure' ? { ...c, status: 'True', reason: 'KubeletHasInsufficientMemory' } : c,
    );
    return { ...o, status: { ...o.status, conditions } };
  });
  const proxy = objects.find(
    (o) => o.kind === 'Pod' && o.metadata.labels?.['k8s-app'] === 'kube-proxy' && o.spec?.nodeName === node,
  )!;
  const failure = [
    'E1127 08:58:16.910840       1 proxier.go:1564] "Failed to execute iptables-restore" err=<',
    "\texit status 2: iptables-restore v1.8.9 (legacy): Couldn't load target `KUBE-SVC-UOLAULR5MHUYULMB':No such file or directory",
    ' > ipFamily="IPv4"',
    'I1127 08:58:16.910902       1 proxier.go:833] "Sync failed" ipFamily="IPv4" retryingTime="30s"',
  ].join('\n');
  const logs = {
    ...scenario.logs,
    [`kube-system/${proxy.metadata.name}/kube-proxy`]: { current: `${failure}\n${failure}\n` },
  };
  return { scenario: { ...scenario, objects, logs }, node };
}

interface Row {
  nodes: number;
  mode: string;
  wallMs: number;
  requests: number;
  logReads: number;
  peakHeapMiB: number;
  found: boolean;
}

export async function samplingBench(quick: boolean): Promise<string[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'netcheck-bench-sampling-'));
  const repeats = quick ? 3 : 5;
  const rows: Row[] = [];
  try {
    for (const nodes of quick ? [1000] : [1000, 5000]) {
      const { scenario, node } = withOneBadNode(generateLargeCluster({ nodes, broken: 'coredns-loop' }));
      const sandbox = await startSandbox({ scenario });
      const config = join(tmp, `bot-${nodes}.kubeconfig`);
      writeFileSync(config, sandbox.kubeconfig('bot'));
      const { kc } = await loadKubeConfig({ kubeconfigPath: config });
      try {
        sandbox.setLatency({ fixedMs: 20 });
        const modes: [string, SampleBudget][] = [
          ['one representative per workload (before sampling)', { healthy: 1, suspect: 0 }],
          [`${HEALTHY_SAMPLE} per workload, up to ${SUSPECT_SAMPLE} on suspect nodes first`, DEFAULT_SAMPLE],
        ];
        for (const [mode, sampling] of modes) {
          const run = async () => {
            const reader = createKubeReader(kc, { timeoutMs: 20_000, deadlineAt: Date.now() + 60_000 });
            gc();
            const base = process.memoryUsage().heapUsed;
            let peak = base;
            const timer = setInterval(() => {
              peak = Math.max(peak, process.memoryUsage().heapUsed);
            }, 5);
            sandbox.resetRequests();
            const started = performance.now();
            const report = await diagnose(reader, {
              scope: 'all',
              cluster: { name: 'bench', server: sandbox.url },
              sampling,
            });
            const wallMs = performance.now() - started;
            clearInterval(timer);
            peak = Math.max(peak, process.memoryUsage().heapUsed);
            const requests = sandbox.requests.length;
            const logReads = sandbox.requests.filter((r) => r.path.endsWith('/log')).length;
            const found = report.components
              .flatMap((c) => c.findings)
              .some((f) => f.id === 'kube-proxy.sync-failing' && f.detail.includes(node));
            return { wallMs, requests, logReads, peakHeapMiB: (peak - base) / 1024 / 1024, found };
          };
          await run(); // warm-up: TLS context, module JIT
          const runs = [];
          for (let i = 0; i < repeats; i++) runs.push(await run());
          rows.push({
            nodes,
            mode,
            wallMs: median(runs.map((r) => r.wallMs)),
            requests: runs[0]!.requests,
            logReads: runs[0]!.logReads,
            peakHeapMiB: median(runs.map((r) => r.peakHeapMiB)),
            found: runs.every((r) => r.found),
          });
        }
      } finally {
        await sandbox.close();
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return [
    '## Log sampling of healthy-looking agents',
    '',
    'The generated clusters (kubeadm + Calico, CoreDNS in a forwarding loop, 20 pods per node) with one node in the',
    'middle under memory pressure whose kube-proxy is Running and Ready but fails every rule sync (only its current',
    'log shows it). A whole diagnosis in-process (engine + HTTPS reader against the sandbox on 127.0.0.1, 20 ms',
    `latency), median of ${repeats} runs after a warm-up. Peak heap is the growth over the run (sampled every 5 ms).`,
    '',
    '| nodes | healthy logs read | diagnosis wall | API requests | of which log reads | peak heap growth | bad node found |',
    '|---:|---|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.nodes} | ${r.mode} | ${r.wallMs.toFixed(0)} ms | ${r.requests} | ${r.logReads} | ${r.peakHeapMiB.toFixed(0)} MiB | ${r.found ? 'yes' : 'no'} |`,
    ),
    '',
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  console.log((await samplingBench(process.argv.includes('--quick'))).join('\n'));
}
