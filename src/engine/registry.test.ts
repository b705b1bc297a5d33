// The registry is the source of docs/checks.md and of the list of fixes: every check must say what each finding it
// emits means, and which fixes it can offer, so nothing a report shows is undocumented.
import { describe, expect, it } from 'vitest';
import { loadScenarioSync, scenarioNames } from '../sandbox/scenarios.ts';
import type { Snapshot } from './check.ts';
import type { KubeObject } from './cluster-reader.ts';
import { fingerprint } from './fingerprint.ts';
import { translator } from './i18n.ts';
import { allChecks } from './registry.ts';
import { REMEDIATION_IDS } from './remediation-ids.ts';
import { emptySnapshot } from './snapshot.ts';

const LIST_OF_KIND: Record<string, keyof Snapshot> = {
  Node: 'nodes',
  Pod: 'pods',
  Deployment: 'deployments',
  DaemonSet: 'daemonSets',
  ReplicaSet: 'replicaSets',
  Service: 'services',
  EndpointSlice: 'endpointSlices',
  ConfigMap: 'configMaps',
  ServiceAccount: 'serviceAccounts',
  Event: 'events',
  NetworkPolicy: 'networkPolicies',
  ClusterRole: 'clusterRoles',
  ClusterRoleBinding: 'clusterRoleBindings',
};

/** A scenario's objects as a Snapshot, without the collector: enough to run every check on a real failure shape. */
function scenarioSnapshot(name: string): Snapshot {
  const scenario = loadScenarioSync(name);
  const snapshot = emptySnapshot({ logs: scenario.logs });
  for (const obj of scenario.objects) {
    const list = LIST_OF_KIND[obj.kind ?? ''];
    if (list) (snapshot[list] as KubeObject[]).push(obj);
  }
  return { ...snapshot, fingerprint: fingerprint(snapshot) };
}

describe('registry metadata', () => {
  it('check names and finding ids are unique', () => {
    const names = allChecks.map((c) => c.name);
    const ids = allChecks.flatMap((c) => c.emits);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(allChecks.map((c) => [c.name, c] as const))('%s describes exactly the finding ids it emits', (_, check) => {
    expect(Object.keys(check.describe).sort()).toEqual([...check.emits].sort());
    for (const doc of Object.values(check.describe)) {
      expect(doc.severities.length).toBeGreaterThan(0);
      expect(doc.summary).toMatch(/^\S.*[.!]$/);
      expect(doc.fix).toMatch(/^\S.*[.!]$/);
    }
  });

  it('every listed remediation id is offered by some check, and no check offers one twice', () => {
    const offered = allChecks.flatMap((c) => c.remediations);
    expect([...new Set(offered)].sort()).toEqual([...REMEDIATION_IDS].sort());
    for (const check of allChecks) expect(new Set(check.remediations).size).toBe(check.remediations.length);
  });

  it('every finding a check reports on the sandbox scenarios is one it emits, offering only fixes it declares', () => {
    const offered = new Set<string>();
    for (const name of scenarioNames()) {
      const snapshot = scenarioSnapshot(name);
      for (const check of allChecks) {
        for (const finding of check.run(snapshot, { lang: 'en', tr: translator('en') })) {
          expect(check.emits, `${name}: ${check.name}`).toContain(finding.id);
          if (finding.remediation) {
            expect(check.remediations, `${name}: ${finding.id}`).toContain(finding.remediation.id);
            offered.add(finding.remediation.id);
          }
        }
      }
    }
    // Most fixes are reached without the collector (some need its 404 answers); none would mean the snapshots broke.
    expect(offered.size).toBeGreaterThan(REMEDIATION_IDS.length / 2);
  });
});
