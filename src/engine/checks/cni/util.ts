// What the CNI checks share: the agent DaemonSet the fingerprint found, its pods per node, and the pod-sandbox
// failures kubelet reports for application pods (the CNI's most direct failure signal).
import type { CheckContext, CniKind, Snapshot } from '../../check.ts';
import type { KubeObject } from '../../cluster-reader.ts';
import { step } from '../../findings.ts';
import { CNI_NAMES } from '../../fingerprint.ts';
import { eventMessage, eventNamespace, eventNode, eventPodName, eventsWithReason } from '../../objects/events.ts';
import { findObject, type Labels, parseSelector, podsMatching } from '../../objects/workloads.ts';
import type { RunbookStep } from '../../report.ts';

/** The container that carries each agent's story. */
const MAIN_CONTAINER: Partial<Record<CniKind, string>> = {
  calico: 'calico-node',
  'calico-operator': 'calico-node',
  canal: 'calico-node',
  flannel: 'kube-flannel',
  'flannel-legacy': 'kube-flannel',
  weave: 'weave',
  cilium: 'cilium-agent',
  'gke-dataplane-v2': 'cilium-agent',
  'aws-vpc-cni': 'aws-node',
  kindnet: 'kindnet-cni',
};

export interface CniAgent {
  kind: CniKind;
  namespace: string;
  daemonSet: string;
  ds?: KubeObject;
  selector: Labels;
  /** Every pod of the agent (legacy per-arch Flannel: across all its DaemonSets, matched by label). */
  pods: KubeObject[];
  container: string;
}

export function cniAgent(snapshot: Snapshot): CniAgent | undefined {
  const fp = snapshot.fingerprint;
  const wl = fp.cniWorkload;
  if (!wl) return undefined;
  const ds = findObject(snapshot.daemonSets, wl.namespace, wl.daemonSet);
  const selector = wl.labelSelector ? parseSelector(wl.labelSelector) : (ds?.spec?.selector?.matchLabels ?? {});
  const pods = podsMatching(snapshot, wl.namespace, selector);
  const containers: string[] = (ds?.spec?.template?.spec?.containers ?? []).map((c: { name: string }) => c.name);
  const main = MAIN_CONTAINER[fp.cni];
  return {
    kind: fp.cni,
    namespace: wl.namespace,
    daemonSet: wl.daemonSet,
    ds,
    selector,
    pods,
    container: main && (containers.length === 0 || containers.includes(main)) ? main : (containers[0] ?? main ?? ''),
  };
}

export function agentPodOn(agent: CniAgent, node: string | undefined): KubeObject | undefined {
  return node ? agent.pods.find((p) => p.spec?.nodeName === node) : undefined;
}

export function selectorText(selector: Labels): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Fargate nodes never run node agents such as aws-node, so they are never counted as missing one. */
export function isFargate(node: KubeObject): boolean {
  return node.metadata.labels?.['eks.amazonaws.com/compute-type'] === 'fargate';
}

// ---- pod sandbox failures --------------------------------------------------------------------------------

export interface SandboxFailure {
  event: KubeObject;
  pod?: string;
  namespace?: string;
  node?: string;
  /** `plugin type="calico"` → calico. */
  pluginType?: string;
  message: string;
}

export function sandboxFailures(snapshot: Snapshot): SandboxFailure[] {
  return eventsWithReason(snapshot, 'FailedCreatePodSandBox').map((event) => {
    const message = eventMessage(event);
    const pod = eventPodName(event);
    const namespace = eventNamespace(event);
    const known = pod
      ? snapshot.pods.find((p) => p.metadata.name === pod && p.metadata.namespace === namespace)
      : undefined;
    return {
      event,
      pod,
      namespace,
      node: eventNode(event) ?? known?.spec?.nodeName,
      pluginType: message.match(/plugin type="([^"]+)"/)?.[1],
      message,
    };
  });
}

/** Which CNIs a sandbox error's `plugin type=` belongs to; undefined for generic plugins (loopback, portmap…). */
export const PLUGIN_TYPE_OWNERS: Record<string, CniKind[]> = {
  flannel: ['flannel', 'flannel-legacy', 'k3s-flannel'],
  calico: ['calico', 'calico-operator', 'canal'],
  'calico-ipam': ['calico', 'calico-operator', 'canal'],
  'weave-net': ['weave'],
  'cilium-cni': ['cilium', 'gke-dataplane-v2'],
  'aws-cni': ['aws-vpc-cni'],
};

export function nodesOf(failures: SandboxFailure[]): string[] {
  return [...new Set(failures.map((f) => f.node).filter((n): n is string => Boolean(n)))];
}

export function failureSubject(f: SandboxFailure): string {
  return `${f.namespace ?? '?'}/${f.pod ?? '?'}${f.node ? ` on ${f.node}` : ''}`;
}

// ---- runbook pieces --------------------------------------------------------------------------------------

export function agentLogStep(
  ctx: CheckContext,
  agent: CniAgent,
  pod: KubeObject | undefined,
  previous: boolean,
  container = agent.container,
): RunbookStep {
  const target = pod ? pod.metadata.name : `ds/${agent.daemonSet}`;
  return step(
    previous
      ? ctx.tr(
          `Read the last crash of the ${CNI_NAMES[agent.kind]} agent.`,
          `${CNI_NAMES[agent.kind]} 에이전트의 마지막 종료 로그를 확인합니다.`,
        )
      : ctx.tr(`Read the ${CNI_NAMES[agent.kind]} agent log.`, `${CNI_NAMES[agent.kind]} 에이전트 로그를 확인합니다.`),
    `kubectl -n ${agent.namespace} logs ${target}${container ? ` -c ${container}` : ''}${previous ? ' --previous' : ''}`,
  );
}

export function restartAgentStep(ctx: CheckContext, agent: CniAgent, node?: string): RunbookStep {
  // The tigera operator owns its DaemonSet spec, so restart by deleting pods rather than patching the template.
  if (!node && agent.kind === 'calico-operator') {
    return step(
      ctx.tr(`Restart the ${CNI_NAMES[agent.kind]} agents.`, `${CNI_NAMES[agent.kind]} 에이전트를 재시작합니다.`),
      `kubectl -n ${agent.namespace} delete pod -l ${selectorText(agent.selector)}`,
    );
  }
  return node
    ? step(
        ctx.tr(
          `Restart the ${CNI_NAMES[agent.kind]} agent on ${node} (the DaemonSet re-creates it).`,
          `${node}의 ${CNI_NAMES[agent.kind]} 에이전트를 재시작합니다(데몬셋이 다시 만듭니다).`,
        ),
        `kubectl -n ${agent.namespace} delete pod -l ${selectorText(agent.selector)} --field-selector spec.nodeName=${node}`,
      )
    : step(
        ctx.tr(`Restart the ${CNI_NAMES[agent.kind]} agents.`, `${CNI_NAMES[agent.kind]} 에이전트를 재시작합니다.`),
        `kubectl -n ${agent.namespace} rollout restart ds/${agent.daemonSet}`,
      );
}

/** Closing steps of every CNI runbook: the agents settle, nodes are Ready, and a new pod gets a sandbox. */
export function verifyCniSteps(
  ctx: CheckContext,
  agent: { namespace: string; daemonSet: string } | undefined,
): RunbookStep[] {
  return [
    ...(agent
      ? [
          step(
            ctx.tr('Wait until every agent pod is Ready.', '모든 에이전트 파드가 Ready가 될 때까지 기다립니다.'),
            `kubectl -n ${agent.namespace} rollout status ds/${agent.daemonSet}`,
          ),
        ]
      : []),
    step(
      ctx.tr(
        'Verify the nodes are Ready and a new pod gets an IP and can resolve a Service name.',
        '노드가 Ready인지, 새 파드가 IP를 받고 서비스 이름을 조회할 수 있는지 확인합니다.',
      ),
      'kubectl get nodes && kubectl run -it --rm netprobe --image=busybox:1.36 --restart=Never -- nslookup kubernetes.default',
    ),
  ];
}
