// What every kube-proxy check reads, parsed once: the DaemonSet, its pods, the --config path, the ConfigMaps behind
// it, the parsed KubeProxyConfiguration and kubeconfig, and the pods' logs.
import type { Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { step } from '../../findings.ts';
import { configFlagPath, isStaticProxyPod, resolveMountedFile } from '../../fingerprint.ts';
import { josa, type Translate } from '../../i18n.ts';
import { configMap } from '../../objects/configmaps.ts';
import { parseFullYaml } from '../../objects/full-yaml.ts';
import { allLogText, findLogLine, logsFor } from '../../objects/logs.ts';
import { podState, podUnhealthy } from '../../objects/pods.ts';
import { parseSimpleYaml } from '../../objects/simple-yaml.ts';
import { podsOf } from '../../objects/workloads.ts';
import { snapshotNow } from '../../recency.ts';
import type { RunbookStep } from '../../report.ts';
import { isAbsent } from '../../snapshot.ts';

export const KS = 'kube-system';
export const PROXY = 'kube-proxy';

export interface ParsedDoc {
  // biome-ignore lint/suspicious/noExplicitAny: parsed YAML is open-ended.
  value?: any;
  error?: string;
}

// Every kube-proxy check builds the view, so the same few documents would be parsed a dozen times per diagnosis
// (cold YAML parsing is the largest CPU cost after the network). Keyed by text; callers get their own copy.
const parsedDocs = new Map<string, ParsedDoc>();

export function parseDoc(text: string | undefined): ParsedDoc | undefined {
  if (text === undefined) return undefined;
  let doc = parsedDocs.get(text);
  if (!doc) {
    try {
      doc = { value: parseSimpleYaml(text) ?? parseFullYaml(text) };
    } catch (error) {
      doc = { error: (error as Error).message.split('\n')[0] };
    }
    if (parsedDocs.size >= 64) parsedDocs.clear();
    parsedDocs.set(text, doc);
  }
  return structuredClone(doc);
}

export interface ProxyPodLog {
  pod: KubeObject;
  text: string;
}

/** How kube-proxy runs, which decides how it is restarted and where its settings live. */
export type ProxyShape = 'daemonset' | 'rke2-static' | 'static';

export interface ProxyView {
  ds?: KubeObject;
  shape: ProxyShape;
  pods: KubeObject[];
  unhealthy: KubeObject[];
  /** The kube-proxy container of the pod template. */
  // biome-ignore lint/suspicious/noExplicitAny: container specs are open-ended.
  container?: any;
  /** Where `--config` sits: command or args, and the index (for the JSON patch). */
  configArg?: { field: 'command' | 'args'; index: number; containerIndex: number; value: string };
  configPath?: string;
  /** ConfigMap + key the --config path resolves to through the volume mounts. */
  configSource?: { configMap: string; key: string; mountPath: string; volume: string };
  /** The ConfigMap behind --config; undefined if not collected or absent. */
  configCm?: KubeObject;
  configCmAbsent: boolean;
  /** The KubeProxyConfiguration text actually found (fingerprint location, then the --config source). */
  configText?: string;
  config?: ParsedDoc;
  /** clientConnection.kubeconfig path and what it resolves to. */
  kubeconfigPath?: string;
  kubeconfigSource?: { configMap: string; key: string; mountPath: string; volume: string };
  kubeconfigText?: string;
  kubeconfig?: ParsedDoc;
  logs: ProxyPodLog[];
}

function commandLine(container: KubeObject['spec']): { field: 'command' | 'args'; args: string[] }[] {
  return [
    { field: 'command', args: (container?.command ?? []).map(String) },
    { field: 'args', args: (container?.args ?? []).map(String) },
  ];
}

export function proxyPods(snapshot: Snapshot): KubeObject[] {
  const owned = podsOf(snapshot, { kind: 'DaemonSet', namespace: KS, name: PROXY });
  if (owned.length > 0) return owned;
  // Static kube-proxy pods (kops, hard-way, GKE) carry a label but no DaemonSet owner.
  return snapshot.pods.filter(isStaticProxyPod);
}

export function proxyView(snapshot: Snapshot): ProxyView {
  const ds = snapshot.daemonSets.find((d) => d.metadata.namespace === KS && d.metadata.name === PROXY);
  const pods = proxyPods(snapshot);
  const podSpec = ds?.spec?.template?.spec ?? pods[0]?.spec;
  const containers: KubeObject['spec'][] = podSpec?.containers ?? [];
  const containerIndex = Math.max(
    0,
    containers.findIndex((c) => c?.name === PROXY),
  );
  const container = containers[containerIndex];
  const view: ProxyView = {
    ds,
    // Without a DaemonSet, the pods found are static (mirror) pods: kubelet runs them from a manifest on each node.
    shape: ds || pods.length === 0 ? 'daemonset' : snapshot.fingerprint.flavor === 'rke2' ? 'rke2-static' : 'static',
    pods,
    unhealthy: pods.filter((p) => podUnhealthy(p, snapshotNow(snapshot))),
    container,
    configCmAbsent: false,
    logs: pods
      .map((pod) => ({ pod, text: allLogText(logsFor(snapshot, pod, container?.name ?? PROXY)) }))
      .filter((l) => l.text !== ''),
  };
  for (const { field, args } of commandLine(container)) {
    const path = configFlagPath(args);
    if (path === undefined) continue;
    const index = args.findIndex((a) => a === `--config=${path}` || a === '--config');
    view.configArg = { field, index, containerIndex, value: args[index]! };
    view.configPath = path;
    break;
  }
  if (view.configPath) view.configSource = resolveMountedFile(podSpec, container?.name, view.configPath);
  const cmName = view.configSource?.configMap ?? snapshot.fingerprint.proxyConfig?.configMap;
  if (cmName) {
    view.configCm = configMap(snapshot, KS, cmName);
    view.configCmAbsent = isAbsent(snapshot, 'configmaps', KS, cmName);
  }
  // Read the configuration where it really lives, so a mistyped flag does not hide a broken config.
  const location = snapshot.fingerprint.proxyConfig;
  const fromFingerprint = location ? configMap(snapshot, KS, location.configMap)?.data?.[location.key] : undefined;
  const fromFlag = view.configSource ? view.configCm?.data?.[view.configSource.key] : undefined;
  view.configText = fromFlag ?? fromFingerprint;
  view.config = parseDoc(view.configText);
  const kubeconfigPath = view.config?.value?.clientConnection?.kubeconfig;
  if (typeof kubeconfigPath === 'string' && kubeconfigPath !== '') {
    view.kubeconfigPath = kubeconfigPath;
    view.kubeconfigSource = resolveMountedFile(podSpec, container?.name, kubeconfigPath);
    if (view.kubeconfigSource) {
      view.kubeconfigText = configMap(snapshot, KS, view.kubeconfigSource.configMap)?.data?.[view.kubeconfigSource.key];
      view.kubeconfig = parseDoc(view.kubeconfigText);
    }
  }
  return view;
}

/** The first log line matching, with the pod it came from. */
export function findInLogs(view: ProxyView, pattern: string | RegExp): { pod: KubeObject; line: string } | undefined {
  for (const { pod, text } of view.logs) {
    const line = findLogLine(text, pattern);
    if (line) return { pod, line };
  }
  return undefined;
}

/** Every pod whose logs match (for "on every node" statements). */
export function podsWithLog(view: ProxyView, pattern: string | RegExp): KubeObject[] {
  return view.logs.filter(({ text }) => findLogLine(text, pattern) !== undefined).map((l) => l.pod);
}

/** Up to three pod states: the unhealthy ones first. */
export function podEvidence(view: ProxyView, pods: KubeObject[] = view.unhealthy): string[] {
  return (pods.length > 0 ? pods : view.pods).slice(0, 3).map(podState);
}

export function firstPodName(view: ProxyView): string {
  return (view.unhealthy[0] ?? view.pods[0])?.metadata.name ?? '<kube-proxy-pod>';
}

/** `kubectl -n kube-system logs <pod>` with `--previous` when the pod restarted. */
export function logsCommand(view: ProxyView, pod?: KubeObject): string {
  const target = pod ?? view.unhealthy[0] ?? view.pods[0];
  const name = target?.metadata.name ?? '<kube-proxy-pod>';
  const restarted = (target?.status?.containerStatuses ?? []).some(
    (s: { restartCount?: number }) => (s.restartCount ?? 0) > 0,
  );
  return `kubectl -n kube-system logs ${name}${restarted ? ' --previous' : ''}`;
}

/** The first two triage steps for any kube-proxy failure: look at the pods, then at a failing pod's log. */
export function triageSteps(tr: Translate, view: ProxyView, pod?: KubeObject): RunbookStep[] {
  return [
    step(tr('Check the kube-proxy pods.', 'kube-proxy 파드 상태를 확인합니다.'), GREP_PODS),
    step(tr('Read the log of a failing pod.', '실패한 파드의 로그를 확인합니다.'), logsCommand(view, pod)),
  ];
}

export const GET_PODS = 'kubectl -n kube-system get pods -l k8s-app=kube-proxy -o wide';
export const GREP_PODS = 'kubectl -n kube-system get pods | grep kube-proxy';
export const RESTART_DS = 'kubectl -n kube-system rollout restart ds/kube-proxy';

/** RKE2 writes kube-proxy's static pod manifest here on each node (rancher/rke2 pkg/podexecutor/staticpod.go). */
export const RKE2_MANIFEST = '/var/lib/rancher/rke2/agent/pod-manifests/kube-proxy.yaml';
/** RKE2 takes kube-proxy's flags from `kube-proxy-arg` in its config file (docs.rke2.io, agent configuration). */
export const RKE2_CONFIG = '/etc/rancher/rke2/config.yaml';
/** The kubeconfig RKE2 writes for kube-proxy on each node (a hostPath in its static pod). */
export const RKE2_PROXY_KUBECONFIG = '/var/lib/rancher/rke2/agent/kubeproxy.kubeconfig';
/** kubelet's staticPodPath on kops and GKE nodes, where their kube-proxy manifest lives. */
export const STATIC_MANIFEST = '/etc/kubernetes/manifests/kube-proxy.manifest';

/** Moves a static pod manifest out of kubelet's directory and back: kubelet stops the pod, then starts it again. */
function cycleManifest(path: string): string {
  const file = path.split('/').pop()!;
  const dir = path.slice(0, path.length - file.length);
  return `sudo mv ${path} /tmp/${file} && sleep 20 && sudo mv /tmp/${file} ${dir}`;
}

/**
 * The step that restarts kube-proxy as it runs here: a DaemonSet rollout, or on each node (ssh) for static pods,
 * which `kubectl delete pod` only recreates as a mirror without restarting. With `pod`, only that pod's node.
 */
export function restartStep(
  tr: Translate,
  view: ProxyView,
  text: [en: string, ko: string],
  pod?: KubeObject,
  afterFlagEdit = false,
): RunbookStep {
  const node = pod?.spec?.nodeName ?? pod?.metadata.name;
  if (view.shape === 'daemonset') {
    return step(tr(...text), pod ? `kubectl -n kube-system delete pod ${pod.metadata.name}` : RESTART_DS);
  }
  const onNodes = node
    ? tr(`On node ${node} (ssh), `, `${node} 노드에 ssh로 접속해 `)
    : tr('On each node (ssh), ', '각 노드에 ssh로 접속해 ');
  if (view.shape === 'rke2-static' && afterFlagEdit) {
    // RKE2 rewrites the manifest from kube-proxy-arg only when its service starts; cycling the old manifest is not enough.
    return step(
      `${tr(...text)} ${onNodes}${tr(
        `restart rke2-agent (rke2-server on server nodes): RKE2 rewrites kube-proxy's static pod manifest ${RKE2_MANIFEST} from kube-proxy-arg when it starts, and kubelet restarts the pod.`,
        `rke2-agent(서버 노드는 rke2-server)를 재시작합니다. RKE2는 시작할 때 kube-proxy-arg로 kube-proxy 스태틱 파드 매니페스트 ${josa(RKE2_MANIFEST, '을/를')} 다시 쓰고, kubelet이 파드를 다시 시작합니다.`,
      )}`,
      'sudo systemctl restart rke2-agent',
      { where: 'node', changes: true },
    );
  }
  if (view.shape === 'rke2-static') {
    return step(
      `${tr(...text)} ${onNodes}${tr(
        `move kube-proxy's static pod manifest out of ${RKE2_MANIFEST.replace('/kube-proxy.yaml', '')} and back, and kubelet restarts the pod. After a change to kube-proxy-arg in ${RKE2_CONFIG}, restart rke2-server (server nodes) or rke2-agent (agents) instead: RKE2 rewrites the manifest when it starts.`,
        `kube-proxy 스태틱 파드 매니페스트를 ${RKE2_MANIFEST.replace('/kube-proxy.yaml', '')} 밖으로 옮겼다가 되돌리면 kubelet이 파드를 다시 시작합니다. ${RKE2_CONFIG}의 kube-proxy-arg를 바꿨다면 대신 rke2-server(서버 노드) 또는 rke2-agent(에이전트 노드)를 재시작합니다. RKE2는 시작할 때 매니페스트를 다시 씁니다.`,
      )}`,
      cycleManifest(RKE2_MANIFEST),
      { where: 'node', changes: true },
    );
  }
  return step(
    `${tr(...text)} ${onNodes}${tr(
      `move kube-proxy's static pod manifest out of kubelet's staticPodPath and back (kops and GKE: ${STATIC_MANIFEST}), and kubelet restarts the pod.`,
      `kube-proxy 스태틱 파드 매니페스트를 kubelet의 staticPodPath 밖으로 옮겼다가 되돌리면(kops, GKE: ${STATIC_MANIFEST}) kubelet이 파드를 다시 시작합니다.`,
    )}`,
    cycleManifest(STATIC_MANIFEST),
    { where: 'node', changes: true },
  );
}

/** Waits for every kube-proxy pod to run again: the DaemonSet rollout, or the static pods' state. */
export function waitCommand(view: ProxyView): string {
  return view.shape === 'daemonset'
    ? 'kubectl -n kube-system rollout status ds/kube-proxy'
    : 'kubectl -n kube-system get pods -o wide -w | grep --line-buffered kube-proxy';
}

/**
 * Where a kube-proxy setting is changed: the ConfigMap behind --config, or for RKE2's static pods, which run from
 * flags, `kube-proxy-arg` in the RKE2 config file on each node.
 */
export function configEditStep(tr: Translate, view: ProxyView, text: string, cm: string): RunbookStep {
  if (view.shape === 'daemonset') return step(text, `kubectl -n kube-system edit configmap ${cm}`);
  if (view.shape === 'static') {
    return step(
      `${text} ${tr(
        `kube-proxy runs as a static pod: on each node (ssh), change its flags in the manifest in kubelet's staticPodPath (kops and GKE: ${STATIC_MANIFEST}); kubelet restarts the pod when the file changes.`,
        `kube-proxy가 스태틱 파드로 실행됩니다. 각 노드에 ssh로 접속해 kubelet의 staticPodPath에 있는 매니페스트(kops, GKE: ${STATIC_MANIFEST})에서 플래그를 고칩니다. 파일이 바뀌면 kubelet이 파드를 다시 시작합니다.`,
      )}`,
      `sudoedit ${STATIC_MANIFEST}`,
      { where: 'node', changes: true },
    );
  }
  return step(
    `${text} ${tr(
      `RKE2 runs kube-proxy from flags, not a ConfigMap: on each node (ssh), set the flag under kube-proxy-arg in ${RKE2_CONFIG}.`,
      `RKE2는 kube-proxy를 컨피그맵이 아니라 플래그로 실행합니다. 각 노드에 ssh로 접속해 ${RKE2_CONFIG}의 kube-proxy-arg에 플래그를 설정합니다.`,
    )}`,
    `sudoedit ${RKE2_CONFIG}`,
    { where: 'node', changes: true },
  );
}

/**
 * Looking at kube-proxy's settings and backing them up before a change: the ConfigMap, or for static pods the flags
 * the mirror pod shows and the file on the node they come from.
 */
export function configLookSteps(tr: Translate, view: ProxyView, cm: string, key: string): RunbookStep[] {
  if (view.shape === 'daemonset') {
    return [
      step(
        tr(`Look at ${key} in ConfigMap ${cm}.`, `컨피그맵 ${cm}의 ${key}를 확인합니다.`),
        describeConfigMapCommand(cm),
      ),
      step(
        tr('Back up the ConfigMap.', '컨피그맵을 백업합니다.'),
        `kubectl -n kube-system get configmap ${cm} -o yaml > ${cm}-cm.bak.yaml`,
      ),
    ];
  }
  const file = view.shape === 'rke2-static' ? RKE2_CONFIG : STATIC_MANIFEST;
  return [
    step(
      tr('Look at the flags kube-proxy runs with.', 'kube-proxy가 실행되는 플래그를 확인합니다.'),
      `kubectl -n kube-system get pod ${firstPodName(view)} -o jsonpath='{.spec.containers[0].args}'`,
    ),
    step(
      tr(`On each node (ssh), back up ${file}.`, `각 노드에 ssh로 접속해 ${josa(file, '을/를')} 백업합니다.`),
      `sudo cp ${file} ${file}.bak`,
      { where: 'node', changes: true },
    ),
  ];
}

export function describeConfigMapCommand(name: string): string {
  return `kubectl -n kube-system get configmap ${name} -o yaml`;
}

/** Lines that kube-proxy logs on healthy clusters, which must never become findings. */
export const BENIGN_LOG_PATTERNS: RegExp[] = [
  /lenient decoding as strict decoding failed/i,
  /nodePortAddresses is unset/,
  /Kube-proxy configuration may be incomplete or incorrect/,
  /The ipvs proxier is now deprecated/,
  /Neither kubeconfig file nor master URL was specified/,
];

export function isBenign(line: string): boolean {
  return BENIGN_LOG_PATTERNS.some((p) => p.test(line));
}
