// Every sandbox scenario diagnosed in-process (the scenario's objects and logs behind the in-memory reader), in
// either language, with a fixed clock so rendered output is stable enough for golden files.
import type { KubeObject, Resource } from '../../src/engine/cluster-reader.ts';
import { diagnose } from '../../src/engine/diagnose.ts';
import type { Lang, Report } from '../../src/engine/report.ts';
import { loadScenarioSync, SANDBOX_EPOCH, scenarioNames } from '../../src/sandbox/scenarios.ts';
import { FakeReader } from '../fakes/cluster-reader.ts';

/** The API resource each scenario kind is listed as. */
export const RESOURCE_OF_KIND: Record<string, Resource> = {
  Node: 'nodes',
  Namespace: 'namespaces',
  Pod: 'pods',
  Deployment: 'deployments',
  DaemonSet: 'daemonsets',
  ReplicaSet: 'replicasets',
  Service: 'services',
  Endpoints: 'endpoints',
  EndpointSlice: 'endpointslices',
  ConfigMap: 'configmaps',
  ServiceAccount: 'serviceaccounts',
  Event: 'events',
  NetworkPolicy: 'networkpolicies',
  ClusterRole: 'clusterroles',
  ClusterRoleBinding: 'clusterrolebindings',
  Role: 'roles',
  RoleBinding: 'rolebindings',
};

export { scenarioNames };

/** The report `netcheck all` gives for a sandbox scenario, diagnosed in-process. */
export async function scenarioReport(name: string, lang: Lang = 'en'): Promise<Report> {
  const scenario = loadScenarioSync(name);
  const objects: Partial<Record<Resource, KubeObject[]>> = {};
  for (const obj of scenario.objects) {
    const resource = RESOURCE_OF_KIND[obj.kind ?? ''];
    if (resource) objects[resource] = [...(objects[resource] ?? []), obj];
  }
  let t = Date.parse(SANDBOX_EPOCH);
  return diagnose(new FakeReader(objects, scenario.logs), {
    scope: 'all',
    lang,
    cluster: { name, server: 'https://127.0.0.1:6443' },
    now: () => (t += 125),
  });
}
