import { KubeConfig } from '@kubernetes/client-node';
import { createKubeReader } from '/work/main/src/cluster/k8s-reader.ts';
import { diagnose } from '/work/main/src/engine/index.ts';
import { startSandbox } from '/work/main/src/sandbox/server.ts';
import { loadScenario, scenarioNames } from '/work/main/src/sandbox/scenarios.ts';

const only = process.argv[2];
for (const name of scenarioNames()) {
  if (only && name !== only) continue;
  const scenario = await loadScenario(name);
  const sb = await startSandbox({ scenario });
  try {
    const kc = new KubeConfig();
    kc.loadFromString(sb.kubeconfig('bot'));
    const reader = createKubeReader(kc, { timeoutMs: 5000 });
    const t = Date.now();
    const report = await diagnose(reader, { scope: 'all', cluster: { name, server: sb.url } });
    const got = report.components.flatMap((c) => c.findings.map((f) => `${f.severity[0]}:${f.id}${f.causedBy ? `<-${f.causedBy}` : ''}`));
    console.log(`${name}: expect ${JSON.stringify(scenario.expect)} fp=${JSON.stringify(scenario.fingerprint)}`);
    console.log(`   got ${report.cluster.flavor}/${report.cluster.cni} status=${report.status} req=${report.requests} ${Date.now() - t}ms`, got.join(' '));
    for (const c of report.components) if (c.errors) console.log('   errors', c.component, c.errors);
    if (only) console.log(JSON.stringify(report, null, 2));
  } finally {
    await sb.close();
  }
}
