// Runs one diagnosis in a fresh process so peak memory (maxRSS) belongs to the diagnosis alone, not the sandbox.
// Loads the kubeconfig and the compile cache the way bin/netcheck.js and the CLI do, so "CLI process" is comparable.
import { enableCompileCache } from 'node:module';

enableCompileCache?.();
const { loadKubeConfig } = await import('../src/cluster/kubeconfig.ts');
const { createKubeReader } = await import('../src/cluster/k8s-reader.ts');
const { diagnose } = await import('../src/engine/index.ts');

const [kubeconfigPath] = process.argv.slice(2);
if (!kubeconfigPath) throw new Error('usage: diagnose-child.ts KUBECONFIG');
const { kc } = await loadKubeConfig({ kubeconfigPath });
const reader = createKubeReader(kc, { timeoutMs: 60_000 });
const started = performance.now();
const report = await diagnose(reader, {
  scope: 'all',
  cluster: { name: 'bench', server: kc.getCurrentCluster()?.server ?? '' },
});
const wallMs = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({
    wallMs,
    requests: report.requests,
    status: report.status,
    findings: report.components.flatMap((c) => c.findings.map((f) => f.id)),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
