// The sandbox scenarios (src/sandbox/scenarios/*.yaml, written from the catalog independently of these checks) are
// diagnosed end to end through the collector: the DNS and CNI findings must be exactly the ones each scenario expects.
import { describe, expect, it } from 'vitest';
import { FakeReader } from '#test/fakes/cluster-reader.ts';
import { RESOURCE_OF_KIND } from '#test/support/scenario-reports.ts';
import { loadScenarioSync, scenarioNames } from '../../../sandbox/scenarios.ts';
import type { KubeObject, Resource } from '../../cluster-reader.ts';
import { diagnose } from '../../diagnose.ts';

const OURS = /^(coredns|dns|cni)\./;

describe('sandbox scenarios: DNS and CNI findings', () => {
  for (const name of scenarioNames()) {
    it(name, async () => {
      const scenario = loadScenarioSync(name);
      const objects: Partial<Record<Resource, KubeObject[]>> = {};
      for (const obj of scenario.objects) {
        const resource = RESOURCE_OF_KIND[obj.kind ?? ''];
        if (resource) objects[resource] = [...(objects[resource] ?? []), obj];
      }
      const reader = new FakeReader(objects, scenario.logs);
      // The scenario's own clock, as the sandbox's Date header tells it.
      reader.serverTime = Date.parse(scenario.now ?? '');
      const report = await diagnose(reader, {
        scope: 'all',
        cluster: { name, server: 'https://127.0.0.1:6443' },
      });
      const found = report.components.filter((c) => c.component !== 'kube-proxy').flatMap((c) => c.findings);
      const ids = (severity: string) =>
        found
          .filter((f) => f.severity === severity)
          .map((f) => f.id)
          .sort();
      expect({ critical: ids('critical'), warning: ids('warning') }).toEqual({
        critical: scenario.expect.critical.filter((id) => OURS.test(id)).sort(),
        warning: scenario.expect.warning.filter((id) => OURS.test(id)).sort(),
      });
    });
  }
});
