// Measures the sandbox at cluster scale: `node bench/sandbox-scale.ts [pods] [nodes]`.
// Prints start-up time, paged list times and heap use; it asserts nothing (numbers go into reports).
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../src/engine/cluster-reader.ts';
import { startSandbox } from '../src/sandbox/server.ts';

const podCount = Number(process.argv[2] ?? 100_000);
const nodeCount = Number(process.argv[3] ?? 5_000);

function objects(): KubeObject[] {
  const out: KubeObject[] = [];
  for (let i = 0; i < nodeCount; i++) {
    out.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `node-${String(i).padStart(5, '0')}`, labels: { 'kubernetes.io/os': 'linux' } },
      status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.32.4' } },
    });
  }
  for (let i = 0; i < podCount; i++) {
    out.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `app-${i}`, namespace: `ns-${i % 200}`, labels: { app: `app-${i % 50}` } },
      spec: {
        nodeName: `node-${String(i % nodeCount).padStart(5, '0')}`,
        containers: [{ name: 'app', image: 'nginx' }],
      },
      status: { phase: i % 97 === 0 ? 'Pending' : 'Running' },
    });
  }
  return out;
}

const ms = (t0: number) => `${(performance.now() - t0).toFixed(0)} ms`;
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;

const generated = objects();
global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
let t0 = performance.now();
const sandbox = await startSandbox({
  scenario: {
    name: 'scale',
    description: '',
    expect: { critical: [], warning: [] },
    objects: generated,
    logs: {},
    reactions: [],
  },
});
console.log(`start with ${podCount} pods + ${nodeCount} nodes: ${ms(t0)}`);
global.gc?.();
console.log(`store heap (after start minus input): ${mib(process.memoryUsage().heapUsed - heapBefore)}`);
const kc = new KubeConfig();
kc.loadFromString(sandbox.kubeconfig());
const core = kc.makeApiClient(CoreV1Api);

async function pagedNodes(): Promise<number> {
  let total = 0;
  let token: string | undefined;
  do {
    const page = await core.listNode({ limit: 500, ...(token ? { _continue: token } : {}) });
    total += page.items.length;
    token = page.metadata?._continue;
  } while (token);
  return total;
}

for (const round of ['cold', 'warm']) {
  t0 = performance.now();
  const n = await pagedNodes();
  console.log(`list ${n} nodes in pages of 500 (${round}): ${ms(t0)}`);
}
t0 = performance.now();
let pods = 0;
let token: string | undefined;
do {
  const page = await core.listPodForAllNamespaces({ limit: 500, ...(token ? { _continue: token } : {}) });
  pods += page.items.length;
  token = page.metadata?._continue;
} while (token);
console.log(`list ${pods} pods in pages of 500: ${ms(t0)}`);
t0 = performance.now();
const pending = await core.listPodForAllNamespaces({
  fieldSelector: 'status.phase=Pending',
  labelSelector: 'app in (app-1,app-2,app-3)',
});
console.log(`selector scan over all pods (${pending.items.length} matches): ${ms(t0)}`);
t0 = performance.now();
const ns = await core.listNamespacedPod({ namespace: 'ns-7', limit: 500 });
console.log(`list one namespace (${ns.items.length} pods): ${ms(t0)}`);
global.gc?.();
const mem = process.memoryUsage();
console.log(`heap used ${mib(mem.heapUsed)}, rss ${mib(mem.rss)} (includes the generated input and client-node)`);
await sandbox.close();
