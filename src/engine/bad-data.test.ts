// Bad data never crashes the engine. Whatever the API server (or a proxy, or a half-upgraded CRD) hands back — fields
// null or missing anywhere, megabyte log lines, bytes that are not UTF-8, 20,000 events — every check runs, the
// report validates, internal errors are never findings, and quotes stay short. The property test nulls fields at
// random (seeded, so a failure names the seed that reproduces it) across healthy and broken clusters.
import { describe, expect, it } from 'vitest';
import { clusterOf, FakeReader } from '#test/fakes/cluster-reader.ts';
import { crashAll, crashLoop } from '#test/fixtures/changes.ts';
import {
  eks,
  event,
  gkeKubeDns,
  k3s,
  kubeadmCalico,
  kubeadmCilium,
  kubeadmFlannel,
  kubeadmNoCni,
  kubeadmWeave,
} from '#test/fixtures/clusters.ts';
import { kubeadmProxyCluster } from '#test/fixtures/kube-proxy.ts';
import type { Snapshot } from './check.ts';
import type { KubeObject } from './cluster-reader.ts';
import { diagnose } from './diagnose.ts';
import { Report } from './report.ts';

function brokenProxy(): Snapshot {
  const s = kubeadmProxyCluster();
  crashAll(s, 'E0101 server.go:558] "Error running ProxyServer" err="failed to load configuration"');
  return s;
}

const BASES: [string, () => Snapshot][] = [
  ['kubeadm-calico', kubeadmCalico],
  ['kubeadm-flannel', kubeadmFlannel],
  ['kubeadm-cilium', kubeadmCilium],
  ['kubeadm-weave', kubeadmWeave],
  ['no-cni', kubeadmNoCni],
  ['k3s', k3s],
  ['eks', eks],
  ['gke-kube-dns', gkeKubeDns],
  ['kube-proxy crash-looping', brokenProxy],
];

/** mulberry32: small, seeded, good enough to spread mutations. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the wire really carries for an absent field: JSON null, or nothing at all. */
const WRONG: unknown[] = [null, undefined];

/** Replaces about `rate` of all fields (at any depth, except the object's name) with null or nothing. */
function mutate(value: unknown, next: () => number, rate: number, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((v) => mutate(v, next, rate, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const keep = depth === 1 && key === 'name';
    if (!keep && next() < rate) {
      const wrong = WRONG[Math.floor(next() * WRONG.length)];
      if (wrong !== undefined) out[key] = wrong;
      continue;
    }
    out[key] = mutate(v, next, rate, depth + 1);
  }
  return out;
}

function reader(snapshot: Snapshot): FakeReader {
  return new FakeReader(clusterOf(snapshot), snapshot.logs);
}

async function judge(r: FakeReader): Promise<Report> {
  const report = await diagnose(r, { scope: 'all', cluster: { name: 'fuzz', server: 'https://127.0.0.1:6443' } });
  return Report.parse(report);
}

/** What no report may contain, whatever the input: a crashed check, or a huge quote. */
function expectSound(report: Report, what: string): void {
  const errors = report.components.flatMap((c) => c.errors ?? []);
  expect(
    errors.filter((e) => /^check \S+ (failed|produced an invalid finding)/.test(e)),
    what,
  ).toEqual([]);
  for (const finding of report.components.flatMap((c) => c.findings)) {
    for (const line of finding.evidence) expect(line.length, `${what}: ${finding.id}`).toBeLessThanOrEqual(2000);
  }
}

describe('randomly nulled, missing and mistyped fields', () => {
  for (const [name, base] of BASES) {
    it(`${name}: 40 mutated clusters, every check runs and the report validates`, async () => {
      for (let seed = 1; seed <= 40; seed++) {
        const next = random(seed * 7919 + name.length);
        const snapshot = base();
        const rate = [0.02, 0.1, 0.3][seed % 3]!;
        const mutated = { ...snapshot } as unknown as Record<string, unknown>;
        for (const [key, value] of Object.entries(snapshot)) {
          if (Array.isArray(value)) mutated[key] = value.map((o) => mutate(o, next, rate));
        }
        const report = await judge(reader(mutated as unknown as Snapshot));
        expectSound(report, `${name} seed ${seed} rate ${rate}`);
      }
    });
  }

  it('list items that are not objects at all (null, a string, no metadata) are dropped, not dereferenced', async () => {
    const clean = await judge(reader(kubeadmCalico()));
    class Junk extends FakeReader {
      override async list(...args: Parameters<FakeReader['list']>): Promise<KubeObject[]> {
        const junk = [null, 'pod', 7, [], {}, { metadata: null }, { metadata: { name: null } }];
        return [...(await super.list(...args)), ...(junk as unknown as KubeObject[])];
      }
    }
    const snapshot = kubeadmCalico();
    const report = await judge(new Junk(clusterOf(snapshot), snapshot.logs));
    expectSound(report, 'non-objects');
    const verdict = (r: Report) => r.components.map((c) => [c.component, c.status, c.findings.map((f) => f.id)]);
    expect(verdict(report)).toEqual(verdict(clean));
  });
});

describe('hostile sizes and bytes', () => {
  it('a megabyte log line from a crash-looping CoreDNS is quoted short', async () => {
    const snapshot = kubeadmCalico();
    const pod = crashLoop(
      snapshot,
      snapshot.pods.find((p) => p.metadata.name.startsWith('coredns'))!.metadata.name,
      'coredns',
    );
    const line = `[FATAL] plugin/loop: Loop (127.0.0.1:55953 -> :53) detected for zone ".", ${'x'.repeat(1024 * 1024)}`;
    snapshot.logs[`kube-system/${pod.metadata.name}/coredns`] = { previous: line, current: 'y'.repeat(1024 * 1024) };
    const report = await judge(reader(snapshot));
    expectSound(report, 'megabyte line');
    expect(report.status).toBe('critical');
    expect(JSON.stringify(report).length).toBeLessThan(200_000);
  });

  it('log bytes that are not UTF-8 (decoded as U+FFFD, lone surrogates) neither crash nor break the JSON', async () => {
    const snapshot = kubeadmCalico();
    const pod = crashLoop(
      snapshot,
      snapshot.pods.find((p) => p.metadata.name.startsWith('coredns'))!.metadata.name,
      'coredns',
    );
    const bytes = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0x0a]).toString('utf8');
    snapshot.logs[`kube-system/${pod.metadata.name}/coredns`] = {
      previous: `${bytes}[FATAL] plugin/loop: Loop (127.0.0.1:1 -> :53) detected ${bytes}\ud800\udfff\ud800\n\u0000\u001b[31m`,
    };
    const report = await judge(reader(snapshot));
    expectSound(report, 'non-UTF-8');
    expect(() => JSON.parse(JSON.stringify(report))).not.toThrow();
    expect(report.components.find((c) => c.component === 'dns')!.findings.map((f) => f.id)).toContain(
      'coredns.loop-detected',
    );
  });

  it('20,000 warning events: judged, with bounded evidence', async () => {
    const snapshot = kubeadmCalico();
    const names = snapshot.pods.map((p) => p.metadata.name);
    for (let i = 0; i < 20_000; i++) {
      snapshot.events.push(
        event({
          name: names[i % names.length]!,
          reason: i % 2 ? 'BackOff' : 'FailedCreatePodSandBox',
          message: `event ${i}: failed to set up sandbox container network: plugin type="calico" failed`,
          count: 1 + (i % 5),
        }),
      );
    }
    const report = await judge(reader(snapshot));
    expectSound(report, '20k events');
    expect(JSON.stringify(report).length).toBeLessThan(200_000);
  });
});
