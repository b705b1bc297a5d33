// Root-cause linking, data-driven: a symptom finding points at the finding that explains it (`causedBy`), so the
// report can lead with the cause. Rules are tried in order; for each symptom the first rule with a present cause wins.
import type { ComponentName, Finding, Severity } from './report.ts';

export interface LinkRule {
  /** Symptom finding ids (exact) or a pattern. */
  effect: string | RegExp;
  /** Candidate causes, most specific first. */
  causes: { id: string | RegExp; severity?: Severity }[];
  /** Symptoms this rule must leave alone (e.g. a finding that already names its own cause). */
  unless?: (effect: Finding) => boolean;
  why: string;
}

const CNI_AGENT_DOWN =
  /^cni\.(.+\.)?(crashloop|pods-not-ready|not-ready|agent-down|node-agent-down|agent-crashloop|agent-not-ready)$/;

export const LINK_RULES: LinkRule[] = [
  {
    effect: /^coredns\.(unschedulable-node-not-ready|pending)$/,
    causes: [{ id: 'cni.not-installed' }],
    why: 'CoreDNS does not tolerate the not-ready taint a node carries until its CNI is installed.',
  },
  {
    effect: /^coredns\.(api-unreachable|not-ready)$/,
    causes: [
      { id: /^kube-proxy\./, severity: 'critical' },
      { id: /^cni\./, severity: 'critical' },
    ],
    why: 'CoreDNS reaches the API through the kubernetes Service VIP, which kube-proxy programs over the pod network.',
  },
  {
    effect: 'dns.service-no-endpoints',
    causes: [
      { id: 'coredns.no-replicas' },
      {
        id: /^coredns\.(crashloop|loop-detected|corefile-|configmap-|serviceaccount-missing|image-pull|pending|unschedulable|rbac-forbidden|api-unreachable|not-ready|permission-denied)/,
        severity: 'critical',
      },
      { id: /^coredns\./, severity: 'critical' },
      // DNS pods that cannot get a sandbox (FailedCreatePodSandBox) never become endpoints.
      { id: /^cni\./, severity: 'critical' },
    ],
    // A selector that selects nothing is its own cause, whatever the pods do.
    unless: (f) => f.remediation?.id === 'dns.restore-service-selector',
    why: 'The kube-dns Service has endpoints only for Ready DNS pods.',
  },
  {
    effect: /^coredns\./,
    causes: [{ id: 'cni.not-installed' }],
    why: 'Without a pod network no DNS pod can start.',
  },
  {
    effect: /^coredns\.(pending|not-ready)$/,
    causes: [{ id: /^cni\./, severity: 'critical' }],
    why: 'A DNS pod whose sandbox cannot be networked stays ContainerCreating / not Ready.',
  },
  {
    effect: 'cni.flannel.subnet-env-missing',
    causes: [
      { id: 'cni.flannel.podcidr-not-assigned' },
      { id: 'cni.flannel.network-mismatch' },
      { id: CNI_AGENT_DOWN },
    ],
    why: 'subnet.env is written by flanneld; it is missing while flanneld is down.',
  },
  {
    effect: 'cni.weave.router-unreachable',
    causes: [{ id: 'cni.weave.ipalloc-overlap' }, { id: CNI_AGENT_DOWN }],
    why: 'The weave router exits when its IP range overlaps a host route.',
  },
  {
    effect:
      /^cni\.(plugin-binary-missing|sandbox-failed|calico\.node-agent-down|cilium\.agent-unreachable|aws\.ipamd-unavailable-or-ip-exhausted)$/,
    causes: [{ id: CNI_AGENT_DOWN }],
    why: 'Sandbox creation fails while the CNI agent on the node is down.',
  },
];

/**
 * Generic "pods unhealthy" findings that a specific critical finding of the same component already explains.
 * (The DNS checks suppress their own fallbacks by recognising the log lines, so only kube-proxy's are listed.)
 */
export const FALLBACK_IDS = new Set(['kube-proxy.crashloop', 'kube-proxy.pods-not-ready']);

function matches(pattern: string | RegExp, id: string): boolean {
  return typeof pattern === 'string' ? pattern === id : pattern.test(id);
}

export interface Located {
  component: ComponentName;
  finding: Finding;
}

/** A dated "recovered" note (checks/history): it says nothing is failing now. */
export const RECOVERED_ID = /\.recovered$/;

/**
 * Drops fallbacks explained by a specific critical finding of the same component, and "recovered" notes of a
 * component that is failing now: history next to a current failure of the same component would say the opposite.
 */
export function dropExplainedFallbacks(all: Located[]): Located[] {
  return all.filter(({ component, finding }) => {
    if (RECOVERED_ID.test(finding.id))
      return !all.some((o) => o.component === component && o.finding.severity !== 'info');
    if (!FALLBACK_IDS.has(finding.id)) return true;
    return !all.some(
      (o) => o.component === component && o.finding.severity === 'critical' && !FALLBACK_IDS.has(o.finding.id),
    );
  });
}

/** Sets `causedBy` on symptoms (keeping any a check set itself), never creating a cycle. */
export function linkRootCauses(all: Located[], rules: readonly LinkRule[] = LINK_RULES): Located[] {
  const byId = new Map<string, Finding>();
  for (const { finding } of all) if (!byId.has(finding.id)) byId.set(finding.id, finding);
  const causeOf = new Map<string, string>();
  for (const { finding } of all) if (finding.causedBy) causeOf.set(finding.id, finding.causedBy);

  const createsCycle = (effect: string, cause: string) => {
    let cursor: string | undefined = cause;
    for (let i = 0; cursor && i < 20; i++) {
      if (cursor === effect) return true;
      cursor = causeOf.get(cursor);
    }
    return false;
  };

  for (const { finding } of all) {
    if (finding.causedBy) continue;
    for (const rule of rules) {
      if (!matches(rule.effect, finding.id) || rule.unless?.(finding)) continue;
      const cause = findCause(all, rule, finding);
      if (cause && !createsCycle(finding.id, cause.id)) {
        finding.causedBy = cause.id;
        causeOf.set(finding.id, cause.id);
        break;
      }
    }
  }
  return all;
}

/**
 * A root cause needs its own evidence: a finding that quotes nothing, or is only a history note, never explains
 * another. (Each check emits its finding only when the condition in its folder's evidence.ts holds.)
 */
export function isProvenCause(finding: Finding): boolean {
  return finding.severity !== 'info' && finding.evidence.some((e) => e.trim() !== '');
}

function findCause(all: Located[], rule: LinkRule, effect: Finding): Finding | undefined {
  for (const candidate of rule.causes) {
    const hit = all.find(
      ({ finding }) =>
        finding !== effect &&
        finding.id !== effect.id &&
        matches(candidate.id, finding.id) &&
        (!candidate.severity || finding.severity === candidate.severity) &&
        isProvenCause(finding),
    );
    if (hit) return hit.finding;
  }
  return undefined;
}
