// Where cluster DNS lives in this cluster (fingerprint first, kubeadm names as the fallback) and its Corefile.

import type { CheckContext, Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { step } from '../../findings.ts';
import { clusterDnsService, resolveMountedFile } from '../../fingerprint.ts';
import { configMapData } from '../../objects/configmaps.ts';
import { findObject, type Labels, podsMatching } from '../../objects/workloads.ts';
import type { RunbookStep } from '../../report.ts';

export interface DnsWorkload {
  kind: 'coredns' | 'kube-dns';
  namespace: string;
  /** Deployment name (coredns, or kube-dns on GKE). */
  name: string;
  deployment?: KubeObject;
  pods: KubeObject[];
  /** The container whose logs tell the story. */
  container: string;
  /** Pod template labels (what the kube-dns Service should select). */
  templateLabels: Labels;
}

export function dnsWorkload(snapshot: Snapshot): DnsWorkload | undefined {
  const fp = snapshot.fingerprint;
  if (fp.dns === 'none') return undefined;
  const namespace = fp.dnsWorkload?.namespace ?? 'kube-system';
  const name = fp.dnsWorkload?.deployment ?? (fp.dns === 'coredns' ? 'coredns' : 'kube-dns');
  const deployment =
    findObject(snapshot.deployments, namespace, name) ??
    snapshot.deployments.find(
      (d) => d.metadata.namespace === namespace && d.spec?.template?.metadata?.labels?.['k8s-app'] === 'kube-dns',
    );
  const selector: Labels = deployment?.spec?.selector?.matchLabels ?? { 'k8s-app': 'kube-dns' };
  return {
    kind: fp.dns,
    namespace,
    name: deployment?.metadata.name ?? name,
    deployment,
    pods: podsMatching(snapshot, namespace, selector),
    container: fp.dns === 'coredns' ? 'coredns' : 'kubedns',
    templateLabels: deployment?.spec?.template?.metadata?.labels ?? {},
  };
}

export interface Corefile {
  configMap: string;
  text: string;
  lines: string[];
}

/** `-conf /etc/coredns/Corefile` (or `-conf=…`) from the container's args; CoreDNS's default is ./Corefile. */
export function corefilePath(container: { args?: unknown[]; command?: unknown[] } | undefined): string | undefined {
  const args = [...(container?.command ?? []), ...(container?.args ?? [])].map(String);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-conf' || arg === '--conf') return args[i + 1];
    if (arg.startsWith('-conf=') || arg.startsWith('--conf=')) return arg.slice(arg.indexOf('=') + 1);
  }
  return undefined;
}

/**
 * The ConfigMap holding the Corefile: the one mounted where `-conf` points (kubeadm `coredns`, RKE2
 * `rke2-coredns-rke2-coredns`, AKS `coredns` beside the optional `coredns-custom`), else the first ConfigMap volume.
 */
export function corefileConfigMapName(w: DnsWorkload): string {
  const podSpec = w.deployment?.spec?.template?.spec;
  const containers: { name: string; args?: unknown[]; command?: unknown[] }[] = podSpec?.containers ?? [];
  const container = containers.find((c) => c.name === w.container) ?? containers[0];
  const path = corefilePath(container);
  const mounted = path ? resolveMountedFile(podSpec, container?.name, path) : undefined;
  if (mounted) return mounted.configMap;
  const volumes: { configMap?: { name?: string } }[] = podSpec?.volumes ?? [];
  return volumes.find((v) => v.configMap?.name)?.configMap?.name ?? 'coredns';
}

/** The key inside that ConfigMap (kubeadm and the charts: Corefile; `items` may project another key). */
function corefileKey(w: DnsWorkload): string {
  const podSpec = w.deployment?.spec?.template?.spec;
  const containers: { name: string; args?: unknown[]; command?: unknown[] }[] = podSpec?.containers ?? [];
  const container = containers.find((c) => c.name === w.container) ?? containers[0];
  const path = corefilePath(container);
  return (path ? resolveMountedFile(podSpec, container?.name, path)?.key : undefined) ?? 'Corefile';
}

export function corefile(snapshot: Snapshot, w: DnsWorkload): Corefile | undefined {
  if (w.kind !== 'coredns') return undefined;
  const cmName = corefileConfigMapName(w);
  const data = configMapData(snapshot, w.namespace, cmName);
  const text = data?.[corefileKey(w)] ?? data?.['Corefile'];
  if (text === undefined) return undefined;
  return { configMap: cmName, text, lines: text.split('\n') };
}

/** `Corefile:12  proxy . /etc/resolv.conf` (1-based, as CoreDNS counts). */
export function corefileLine(cf: Corefile, lineNo: number): string | undefined {
  const line = cf.lines[lineNo - 1];
  return line === undefined ? undefined : `Corefile:${lineNo}  ${line.trim()}`;
}

/** Line numbers (1-based) whose first token is `directive`. */
export function directiveLines(cf: Corefile, directive: string): number[] {
  const out: number[] = [];
  cf.lines.forEach((line, i) => {
    const first = line.trim().split(/\s+/)[0];
    if (first === directive) out.push(i + 1);
  });
  return out;
}

/** `registry.k8s.io/coredns/coredns:v1.11.1` → [1, 11, 1]; undefined when the tag is not a version. */
export function imageVersion(image: string | undefined): [number, number, number] | undefined {
  const tag = image?.split('@')[0]?.split(':').pop();
  const m = tag?.match(/^v?(\d+)\.(\d+)(?:\.(\d+))?/);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function versionAtLeast(v: [number, number, number], min: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) {
    if (v[i]! !== min[i]!) return v[i]! > min[i]!;
  }
  return true;
}

export function dnsImage(w: DnsWorkload): string | undefined {
  const containers: { name: string; image?: string }[] = w.deployment?.spec?.template?.spec?.containers ?? [];
  return (containers.find((c) => c.name === w.container) ?? containers[0])?.image;
}

/** Log lines that another DNS check explains; the generic crash-loop fallback stays quiet when one matches. */
export const RECOGNISED_DNS_LOG = [
  /plugin\/loop: (Loop \(|Seen "HINFO)/,
  /Corefile:\d+ - Error during parsing/,
  /is forbidden: User "system:serviceaccount:/,
  /bind: permission denied/,
  /dial tcp [^\s]+:443: (i\/o timeout|connect: connection refused|connect: no route to host)/,
];

export function backupStep(ctx: CheckContext, w: DnsWorkload, cm: string): RunbookStep {
  return step(
    ctx.tr(`Back up the ConfigMap before editing it.`, `수정하기 전에 컨피그맵을 백업합니다.`),
    `kubectl -n ${w.namespace} get cm ${cm} -o yaml > ${cm}.bak.yaml`,
  );
}

/** The two closing steps every DNS runbook ends with: the rollout settles, and a pod can resolve a Service name. */
export function verifySteps(ctx: CheckContext, w: { namespace: string; name: string }): RunbookStep[] {
  return [
    step(
      ctx.tr(
        `Wait until the DNS Deployment is rolled out and every replica is Ready.`,
        `DNS 디플로이먼트 롤아웃이 끝나고 모든 레플리카가 Ready가 될 때까지 기다립니다.`,
      ),
      `kubectl -n ${w.namespace} rollout status deploy/${w.name}`,
    ),
    step(
      ctx.tr(
        `Verify from a throwaway pod that cluster DNS answers.`,
        `임시 파드에서 클러스터 DNS가 응답하는지 확인합니다.`,
      ),
      'kubectl run -it --rm dnsprobe --image=busybox:1.36 --restart=Never -- nslookup kubernetes.default',
    ),
  ];
}

/**
 * The cluster DNS Service, found by what it is rather than by name: the Service whose clusterIP is kubelet's
 * clusterDNS, else the conventional name kube-dns, else the one selecting `k8s-app: kube-dns` (RKE2's
 * rke2-coredns-rke2-coredns).
 */
export function dnsService(snapshot: Snapshot, namespace: string, clusterDNS?: string[]): KubeObject | undefined {
  return clusterDnsService(snapshot, namespace, clusterDNS);
}
