// The writer over real HTTPS against the sandbox: dry runs store nothing, every precondition holds (409 when the
// object moved or exists), and applyPlan refuses a plan whose targets changed without writing anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corednsLoopScenario } from '#test/fakes/sandbox.ts';
import { ClusterError } from '../engine/cluster-reader.ts';
import { applyPlan, dryRunPlan, rollbackPlan } from '../remediate/apply.ts';
import { target } from '../remediate/objects.ts';
import type { Change, Plan } from '../remediate/types.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { createKubeWriter, RESTARTED_AT } from './k8s-writer.ts';
import { parseLiteKubeConfig } from './kubeconfig-lite.ts';

let sandbox: Sandbox;
let writer: ReturnType<typeof createKubeWriter>;
const CM = { resource: 'configmaps', namespace: 'kube-system', name: 'coredns' };

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: corednsLoopScenario() });
  writer = createKubeWriter(parseLiteKubeConfig(sandbox.kubeconfig('admin'), '/nowhere/config')!, {
    now: () => new Date('2026-12-01T10:00:00Z'),
  });
});
afterAll(() => sandbox.close());

async function failure(p: Promise<unknown>): Promise<ClusterError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ClusterError) return e;
    throw e;
  }
  throw new Error('expected the API server to refuse');
}

const corefilePatch = (rv: string, text: string): Change => ({
  verb: 'patch',
  target: target('configmaps', 'coredns', 'kube-system'),
  patchType: 'merge',
  body: { data: { Corefile: text } },
  precondition: { resourceVersion: rv },
});

describe('k8s-writer', () => {
  it('sends dryRun=All: the server returns the result and stores nothing', async () => {
    const before = (await writer.get(CM))!;
    const result = await writer.apply(corefilePatch(before.metadata.resourceVersion!, 'dry'), { dryRun: true });
    expect(result?.data.Corefile).toBe('dry');
    expect((await writer.get(CM))!.data.Corefile).toBe(before.data.Corefile);
  });

  it('carries the resourceVersion read: a changed object answers 409 (merge, strategic and JSON patches alike)', async () => {
    const stale = await failure(writer.apply(corefilePatch('1', 'x'), { dryRun: false }));
    expect([stale.status, stale.kind, stale.verb, stale.resource]).toEqual([409, 'conflict', 'patch', 'configmaps']);
    const json: Change = {
      verb: 'patch',
      target: target('configmaps', 'coredns', 'kube-system'),
      patchType: 'json',
      body: [{ op: 'add', path: '/data/x', value: 'y' }],
      precondition: { resourceVersion: '1' },
    };
    expect((await failure(writer.apply(json, { dryRun: false }))).status).toBe(409);
  });

  it('creates only what must not exist (409 AlreadyExists otherwise)', async () => {
    const change: Change = {
      verb: 'create',
      target: target('configmaps', 'coredns', 'kube-system'),
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: {} },
      precondition: { mustNotExist: true },
    };
    const e = await failure(writer.apply(change, { dryRun: true }));
    expect(e.status).toBe(409);
    expect(e.message).toContain('already exists');
  });

  it('deletes a pod only at the version read (DeleteOptions preconditions)', async () => {
    const pod = { resource: 'pods', namespace: 'kube-system', name: 'coredns-668d6bf9bc-b' };
    const current = (await writer.get(pod))!;
    const del = (rv: string): Change => ({
      verb: 'delete',
      target: target('pods', pod.name, pod.namespace),
      precondition: { resourceVersion: rv },
    });
    expect((await failure(writer.apply(del('1'), { dryRun: false }))).status).toBe(409);
    expect(await writer.apply(del(current.metadata.resourceVersion!), { dryRun: true })).toBeNull();
    expect(await writer.get(pod)).not.toBeNull();
    await writer.apply(del(current.metadata.resourceVersion!), { dryRun: false });
    expect(await writer.get(pod)).toBeNull();
  });

  it('restarts like kubectl rollout restart: the template annotation, a new generation', async () => {
    const d = (await writer.get({ resource: 'deployments', namespace: 'kube-system', name: 'coredns' }))!;
    const after = await writer.apply(
      {
        verb: 'restart',
        target: target('deployments', 'coredns', 'kube-system'),
        precondition: { resourceVersion: d.metadata.resourceVersion! },
      },
      { dryRun: false },
    );
    expect(after?.spec.template.metadata.annotations[RESTARTED_AT]).toBe('2026-12-01T10:00:00.000Z');
    expect(after?.metadata.generation).toBe(Number(d.metadata.generation ?? 0) + 1);
  });
});

describe('applyPlan', () => {
  const plan = (rv: string, text: string): Plan => ({
    remediation: 'coredns.forward-upstream',
    finding: 'coredns.loop-detected',
    title: 'Forward upstream',
    risk: 'r.',
    rollback: 'b.',
    changes: [corefilePatch(rv, text)],
    clears: ['coredns.loop-detected'],
  });

  it('refuses a plan whose target changed since it was made, and writes nothing', async () => {
    sandbox.resetRequests();
    const outcome = await applyPlan(plan('1', 'x'), { reader: writer, writer });
    expect(outcome).toMatchObject({
      ok: false,
      stage: 'changed',
      reason: 'kube-system/coredns changed since the plan was made; press Fix again',
    });
    expect(sandbox.requests.filter((r) => r.verb !== 'GET')).toEqual([]);
  });

  it('applies, keeps the object as it was, and a rollback plan puts it back', async () => {
    const before = (await writer.get(CM))!;
    const p = plan(before.metadata.resourceVersion!, '.:53 {\n    forward . 10.0.0.2\n}\n');
    const dry = await dryRunPlan(p, { reader: writer, writer });
    expect(dry.ok && dry.diff).toMatch(/^\+\s+forward \. 10\.0\.0\.2$/m);
    const outcome = await applyPlan(p, { reader: writer, writer });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.before['configmaps/kube-system/coredns']?.data.Corefile).toBe(before.data.Corefile);
    const now = { 'configmaps/kube-system/coredns': await writer.get(CM) };
    const back = rollbackPlan(p, outcome.before, now);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect((await applyPlan(back.plan, { reader: writer, writer })).ok).toBe(true);
    expect((await writer.get(CM))!.data.Corefile).toBe(before.data.Corefile);
  });
});
