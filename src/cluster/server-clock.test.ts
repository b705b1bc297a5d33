// Evidence has a time, in the cluster's clock: the reader learns it from the API server's Date header (the sandbox
// sends its scenario's clock), and the diagnosis dates every finding with it.
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../engine/diagnose.ts';
import { loadScenario } from '../sandbox/scenarios.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { createKubeReader } from './k8s-reader.ts';

let sandbox: Sandbox;
const NOW = '2026-11-27T09:00:00Z';

beforeAll(async () => {
  const scenario = await loadScenario('noisy-recovered-crash');
  expect(scenario.now).toBe(NOW);
  sandbox = await startSandbox({ scenario });
});
afterAll(() => sandbox.close());

function reader() {
  const kc = new KubeConfig();
  kc.loadFromString(sandbox.kubeconfig('bot'));
  return createKubeReader(kc, { timeoutMs: 3000 });
}

describe('the server clock', () => {
  it('is unknown before the first response and the Date header after it', async () => {
    const r = reader();
    expect(r.serverTime).toBeUndefined();
    await r.list('nodes');
    expect(r.serverTime).toBe(Date.parse(NOW));
  });

  it("dates findings in the cluster's time, not this machine's", async () => {
    const report = await diagnose(reader(), { scope: 'all', cluster: { name: 'x', server: 'https://127.0.0.1' } });
    const findings = report.components.flatMap((c) => c.findings);
    expect(findings.map((f) => f.id)).toEqual(['dns.recovered']);
    // The recovered note carries when the problem was last seen, a week before the cluster's now.
    expect(findings[0]!.observedAt).toBe('2026-11-20T11:36:20Z');
  });
});
