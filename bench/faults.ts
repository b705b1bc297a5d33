// Diagnosis time on a degraded API server: 20 ms latency on every request, and 10% of the distinct reads failing
// once (503 or a reset connection, alternately) so the reader's single retry carries them — next to the clean run.
// In-process (engine + HTTPS reader against the sandbox on 127.0.0.1); median of several runs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKubeReader } from '../src/cluster/k8s-reader.ts';
import { loadKubeConfig } from '../src/cluster/kubeconfig.ts';
import { diagnose } from '../src/engine/index.ts';
import type { Report } from '../src/engine/report.ts';
import { generateLargeCluster } from '../src/sandbox/generate.ts';
import { startSandbox } from '../src/sandbox/server.ts';
import type { Fault } from '../src/sandbox/types.ts';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Row {
  nodes: number;
  mode: string;
  wallMs: number;
  requests: number;
  failedOnce: number;
  statuses: string;
}

export async function faultsBench(quick: boolean): Promise<string[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'netcheck-bench-faults-'));
  const repeats = quick ? 3 : 5;
  const rows: Row[] = [];
  try {
    for (const nodes of quick ? [10] : [10, 1000]) {
      const sandbox = await startSandbox({ scenario: generateLargeCluster({ nodes, broken: 'coredns-loop' }) });
      const config = join(tmp, `bot-${nodes}.kubeconfig`);
      writeFileSync(config, sandbox.kubeconfig('bot'));
      const { kc } = await loadKubeConfig({ kubeconfigPath: config });
      const once = async () => {
        const reader = createKubeReader(kc, { timeoutMs: 10_000, deadlineAt: Date.now() + 30_000 });
        const started = performance.now();
        const report: Report = await diagnose(reader, {
          scope: 'all',
          cluster: { name: 'bench', server: sandbox.url },
        });
        return { wallMs: performance.now() - started, report };
      };
      try {
        sandbox.setLatency({ fixedMs: 20 });
        await once(); // warm-up: TLS context, module JIT
        sandbox.resetRequests();
        const clean = [];
        for (let i = 0; i < repeats; i++) clean.push(await once());
        // The distinct reads of one diagnosis; every tenth fails once per run, re-armed before each run.
        const paths = [...new Set(sandbox.requests.map((r) => r.path))].sort();
        const victims = paths.filter((_, i) => i % 10 === 0);
        const faults: Fault[] = victims.map((path, i) => ({
          path: `^${escapeRegExp(path)}$`,
          times: 1,
          ...(i % 2 === 0 ? { kind: 'status' as const, status: 503 } : { kind: 'reset' as const }),
        }));
        const faulty = [];
        for (let i = 0; i < repeats; i++) {
          sandbox.setFaults(faults);
          faulty.push(await once());
        }
        sandbox.setFaults([]);
        const statuses = (r: Report) => r.components.map((c) => `${c.component} ${c.status}`).join(', ');
        rows.push({
          nodes,
          mode: 'clean',
          wallMs: median(clean.map((s) => s.wallMs)),
          requests: clean.at(-1)!.report.requests,
          failedOnce: 0,
          statuses: statuses(clean.at(-1)!.report),
        });
        rows.push({
          nodes,
          mode: `${victims.length} of ${paths.length} reads fail once`,
          wallMs: median(faulty.map((s) => s.wallMs)),
          requests: faulty.at(-1)!.report.requests,
          failedOnce: victims.length,
          statuses: statuses(faulty.at(-1)!.report),
        });
        console.log(JSON.stringify(rows.slice(-2)));
      } finally {
        await sandbox.close();
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return [
    '## Diagnosis on a degraded API server (20 ms latency, 10% of reads failing once)',
    '',
    'The same generated clusters (CoreDNS in a forwarding loop), 20 ms latency on every request. The faulty runs arm',
    'every tenth distinct read of a diagnosis to fail once — a 503 or a reset connection, alternately — so the reader',
    'retries it once (200 ms later). Engine + HTTPS reader in-process, median of runs; the statuses show the report',
    'is the same whole report.',
    '',
    '| nodes | run | diagnosis wall | API requests | component statuses |',
    '|---:|---|---:|---:|---|',
    ...rows.map((r) => `| ${r.nodes} | ${r.mode} | ${r.wallMs.toFixed(0)} ms | ${r.requests} | ${r.statuses} |`),
    '',
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log((await faultsBench(process.argv.includes('--quick'))).join('\n'));
}
