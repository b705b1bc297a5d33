import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectGolden as expectGoldenFile } from '#test/support/golden.ts';
import type { Finding, Report } from '../engine/report.ts';
import { upgradeReport } from '../engine/report-upgrade.ts';
import { ACTIONS } from './actions.ts';
import { renderDetails } from './details-blocks.ts';
import { checkLimits, type SlackMessage } from './limits.ts';
import { renderedLines, renderReport, SLACK_FIRST_SCREEN_LINES } from './report-blocks.ts';

// ---------------------------------------------------------------------------------------------------------------
// Reports that mirror real scenarios (ids and log lines from docs/failure-catalog.md, real object names).

const base = {
  schemaVersion: 2 as const,
  startedAt: '2026-11-27T06:40:00.000Z',
  durationMs: 2430,
  requests: 37,
};
/** Fix offers as the worker records them: an opaque id per button, and here what each id stands for. */
const offered = new Map<string, { finding: string; remediation: string }>();
const FIXES = {
  remediationEnabled: true,
  offerFix: (finding: Finding, remediation: string) => {
    const id = createHash('sha256').update(`${finding.id} ${remediation}`).digest('base64url').slice(0, 22);
    offered.set(id, { finding: finding.id, remediation });
    return id;
  },
};

/** The Re-run offer's id as the worker records it: the button carries nothing else. */
const RERUN_ID = 'Rerun0ffer1d0000000000';
const RERUN = { rerunId: RERUN_ID };

const kubeadm = { name: 'prod-eu', server: 'https://10.0.0.10:6443', flavor: 'kubeadm', cni: 'calico' };

const okProxy = {
  component: 'kube-proxy' as const,
  status: 'ok' as const,
  summary: 'kube-proxy (iptables) running on 3/3 nodes',
  detected: 'DaemonSet kube-system/kube-proxy, 3/3 ready',
  findings: [],
};
const okCni = {
  component: 'cni' as const,
  status: 'ok' as const,
  summary: 'Calico running on 3/3 nodes',
  detected: 'DaemonSet kube-system/calico-node, 3/3 ready',
  findings: [],
};

const loopFinding: Finding = {
  id: 'coredns.loop-detected',
  severity: 'critical',
  title: 'CoreDNS is crash-looping: a forwarding loop',
  detail:
    'CoreDNS forwards to /etc/resolv.conf, which on node worker-1 points at 127.0.0.53 (systemd-resolved), so queries come back to CoreDNS itself.',
  impact: 'No DNS pod is Ready: name resolution fails cluster-wide.',
  evidence: [
    'pod kube-system/coredns-5d78c9869d-7xk2p: CrashLoopBackOff (restarts 14)',
    'pod kube-system/coredns-5d78c9869d-q9z4m: CrashLoopBackOff (restarts 14)',
    '[FATAL] plugin/loop: Loop (127.0.0.1:47683 -> :53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting. Query: "HINFO 4547991504243258144.3688648895315093531."',
  ],
  runbook: [
    {
      text: 'Point kubelet at the real resolver: set resolvConf in the kubelet config on every node.',
      command:
        "sudo sed -i 's#^resolvConf:.*#resolvConf: /run/systemd/resolve/resolv.conf#' /var/lib/kubelet/config.yaml && sudo systemctl restart kubelet",
      option: { id: 'A', title: 'Fix the node resolver', recommended: true },
    },
    {
      text: 'Forward to the upstream resolvers in the Corefile.',
      command: 'kubectl -n kube-system edit cm coredns',
      option: { id: 'B', title: 'Pin upstreams in the Corefile' },
    },
    {
      text: 'Restart CoreDNS and watch it become Ready.',
      command:
        'kubectl -n kube-system rollout restart deploy/coredns\nkubectl -n kube-system rollout status deploy/coredns',
    },
  ],
  remediation: { id: 'coredns.forward-upstream', title: 'Forward to the upstream resolvers' },
};

const corednsLoop: Report = upgradeReport({
  ...base,
  cluster: kubeadm,
  scope: 'dns',
  status: 'critical',
  components: [
    {
      component: 'dns',
      status: 'critical',
      summary: 'CoreDNS is crash-looping: a forwarding loop',
      detected: 'CoreDNS (Deployment kube-system/coredns, 0/2 ready)',
      findings: [loopFinding],
    },
  ],
});

const noCni: Report = upgradeReport({
  ...base,
  cluster: { ...kubeadm, name: 'lab', cni: 'none' },
  scope: 'all',
  status: 'critical',
  components: [
    {
      component: 'dns',
      status: 'critical',
      summary: 'CoreDNS pods are Pending: no node is Ready',
      detected: 'CoreDNS (Deployment kube-system/coredns, 0/2 ready)',
      findings: [
        {
          id: 'coredns.unschedulable-node-not-ready',
          severity: 'critical',
          title: 'CoreDNS cannot be scheduled: no node is Ready',
          detail:
            'Pods coredns-7db6d8ff4d-4lq8v and coredns-7db6d8ff4d-h2xnr are Pending: the only node carries node.kubernetes.io/not-ready.',
          evidence: [
            'FailedScheduling: 0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
          ],
          runbook: [{ text: 'Install a CNI (see cni.not-installed). Do not add a not-ready toleration to CoreDNS.' }],
          causedBy: 'cni.not-installed',
        },
      ],
    },
    {
      component: 'cni',
      status: 'critical',
      summary: 'No CNI add-on is installed',
      detected: 'no CNI DaemonSet found',
      findings: [
        {
          id: 'cni.not-installed',
          severity: 'critical',
          title: 'No CNI is installed',
          detail:
            'Node control-plane-1 is NotReady because the container runtime has no network configuration in /etc/cni/net.d, and no CNI DaemonSet exists.',
          impact: 'No pod outside the host network can start, CoreDNS included.',
          evidence: [
            'node/control-plane-1 Ready=False KubeletNotReady: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
            'node/control-plane-1 taint node.kubernetes.io/not-ready:NoSchedule',
          ],
          runbook: [
            {
              text: 'Check the pod CIDR the cluster was created with.',
              command:
                "kubectl -n kube-system get cm kubeadm-config -o jsonpath='{.data.ClusterConfiguration}' | grep podSubnet",
            },
            {
              text: 'Install one CNI whose network matches it, e.g. Flannel for 10.244.0.0/16.',
              command:
                'kubectl apply -f https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml',
            },
            { text: 'Watch the node become Ready.', command: 'kubectl get nodes -w' },
          ],
        },
      ],
    },
    {
      ...okProxy,
      summary: 'kube-proxy (iptables) running on 1/1 nodes',
      detected: 'DaemonSet kube-system/kube-proxy, 1/1 ready',
    },
  ],
});

const proxyConfigPath: Report = upgradeReport({
  ...base,
  scope: 'all',
  cluster: kubeadm,
  status: 'critical',
  requests: 52,
  components: [
    {
      component: 'dns',
      status: 'critical',
      summary: 'CoreDNS cannot reach the API server',
      detected: 'CoreDNS (Deployment kube-system/coredns, 0/2 ready)',
      findings: [
        {
          id: 'coredns.api-unreachable',
          severity: 'critical',
          title: 'CoreDNS cannot reach the API server through the kubernetes Service',
          detail: 'CoreDNS pods run but stay 0/1: they cannot list Services at 10.96.0.1:443.',
          evidence: [
            '[INFO] plugin/ready: Still waiting on: "kubernetes"',
            'Failed to list *v1.Namespace: Get "https://10.96.0.1:443/api/v1/namespaces?limit=500&resourceVersion=0": dial tcp 10.96.0.1:443: i/o timeout',
          ],
          runbook: [
            {
              text: 'Fix kube-proxy first, then restart CoreDNS.',
              command: 'kubectl -n kube-system rollout restart deploy/coredns',
            },
          ],
          causedBy: 'kube-proxy.config-path-mismatch',
        },
      ],
    },
    okCni,
    {
      component: 'kube-proxy',
      status: 'critical',
      summary: 'kube-proxy crash-loops on 3/3 nodes',
      detected: 'DaemonSet kube-system/kube-proxy, 0/3 ready',
      findings: [
        {
          id: 'kube-proxy.config-path-mismatch',
          severity: 'critical',
          title: 'kube-proxy --config points to a file that does not exist',
          detail:
            'DaemonSet kube-system/kube-proxy starts kube-proxy with --config=/var/lib/kube-proxy/configuration.conf, but ConfigMap kube-system/kube-proxy (mounted at /var/lib/kube-proxy) only has the keys config.conf, kubeconfig.conf; the configuration is at /var/lib/kube-proxy/config.conf.',
          impact:
            'kube-proxy exits at start-up on 3 node(s), so Service rules (ClusterIPs, NodePorts, the kubernetes and kube-dns VIPs) are no longer kept up to date.',
          evidence: [
            'ds/kube-proxy command[1]: --config=/var/lib/kube-proxy/configuration.conf',
            'configmap/kube-proxy keys: config.conf, kubeconfig.conf',
            'kube-proxy-8xq2l: E1007 21:05:58.635373       1 run.go:74] "command failed" err="failed complete: open /var/lib/kube-proxy/configuration.conf: no such file or directory"',
          ],
          runbook: [
            {
              text: 'Back up the DaemonSet.',
              command: 'kubectl -n kube-system get ds kube-proxy -o yaml > kube-proxy-ds.bak.yaml',
            },
            {
              text: 'Point --config at the file the ConfigMap provides.',
              command:
                'kubectl -n kube-system patch ds kube-proxy --type=json -p=\'[{"op":"replace","path":"/spec/template/spec/containers/0/command/1","value":"--config=/var/lib/kube-proxy/config.conf"}]\'',
            },
            { text: 'Watch the pods come back.', command: 'kubectl -n kube-system rollout status ds/kube-proxy' },
          ],
          remediation: { id: 'kube-proxy.fix-config-path', title: 'Point --config at /var/lib/kube-proxy/config.conf' },
        },
      ],
    },
  ],
});

const healthy: Report = upgradeReport({
  ...base,
  cluster: {
    name: 'prod-us',
    server: 'https://ABCDEF.gr7.us-east-1.eks.amazonaws.com',
    flavor: 'eks',
    cni: 'aws-vpc-cni',
  },
  scope: 'all',
  status: 'ok',
  durationMs: 812,
  requests: 21,
  components: [
    {
      component: 'cni',
      status: 'ok',
      summary: 'Amazon VPC CNI running on 4/4 nodes',
      detected: 'DaemonSet kube-system/aws-node, 4/4 ready',
      findings: [],
    },
    {
      component: 'dns',
      status: 'ok',
      summary: 'CoreDNS healthy (2/2 ready)',
      detected: 'CoreDNS (Deployment kube-system/coredns, 2/2 ready)',
      findings: [],
    },
    {
      component: 'kube-proxy',
      status: 'ok',
      summary: 'kube-proxy (iptables) running on 4/4 nodes',
      detected: 'DaemonSet kube-system/kube-proxy, 4/4 ready',
      findings: [],
    },
  ],
});

const forbidden: Report = upgradeReport({
  ...base,
  cluster: {
    name: 'prod-us',
    server: 'https://ABCDEF.gr7.us-east-1.eks.amazonaws.com',
    flavor: 'eks',
    cni: 'aws-vpc-cni',
  },
  scope: 'dns',
  status: 'unknown',
  requests: 4,
  components: [
    {
      component: 'dns',
      status: 'unknown',
      summary: 'Could not read the DNS add-on: access denied',
      detected: 'unknown',
      findings: [],
      errors: [
        'list pods in kube-system: 403 Forbidden: User "arn:aws:sts::123456789012:assumed-role/netcheck-worker/netcheck" cannot list resource "pods" in API group "" in the namespace "kube-system"',
      ],
    },
  ],
});

const korean: Report = upgradeReport({
  ...corednsLoop,
  lang: 'ko',
  components: [
    {
      component: 'dns',
      status: 'critical',
      summary: 'CoreDNS가 CrashLoopBackOff 상태: 포워딩 루프',
      detected: 'CoreDNS (Deployment kube-system/coredns, 0/2 준비됨)',
      findings: [
        {
          ...loopFinding,
          title: 'CoreDNS가 CrashLoopBackOff 상태: 포워딩 루프',
          detail:
            'CoreDNS가 /etc/resolv.conf로 포워딩하는데, 노드 worker-1에서 이 파일이 127.0.0.53(systemd-resolved)을 가리켜 질의가 CoreDNS로 되돌아옵니다.',
          impact: 'Ready 상태인 DNS 파드가 없어 클러스터 전체에서 이름 조회가 실패합니다.',
          runbook: [
            {
              text: 'kubelet 설정의 resolvConf를 실제 리졸버로 지정합니다.',
              command: 'sudo systemctl restart kubelet',
            },
            { text: 'CoreDNS를 재시작합니다.', command: 'kubectl -n kube-system rollout restart deploy/coredns' },
          ],
          remediation: { id: 'coredns.forward-upstream', title: '업스트림 리졸버로 포워딩' },
        },
      ],
    },
  ],
});

/** 40 findings: a root cause with a long runbook, critical and warning siblings, and symptoms it caused. */
function hugeReport(): Report {
  const findings: Finding[] = [];
  for (let i = 0; i < 40; i++) {
    const root = i === 0;
    findings.push({
      id: root ? 'coredns.loop-detected' : `coredns.symptom-${String(i).padStart(2, '0')}`,
      severity: i < 12 ? 'critical' : i < 30 ? 'warning' : 'info',
      title: root ? loopFinding.title : `Finding number ${i} about pod coredns-5d78c9869d-${i}`,
      detail: `${'A long explanation of what is wrong with the object, naming it in full. '.repeat(6)}(${i})`,
      impact: 'Name resolution is degraded for every workload in the cluster.',
      evidence: Array.from({ length: 8 }, (_, n) => `log line ${n} of finding ${i}: ${'x'.repeat(400)}`),
      runbook: Array.from({ length: 4 }, (_, n) => ({
        text: `Step ${n + 1} of finding ${i}.`,
        command: `kubectl -n kube-system describe pod coredns-5d78c9869d-${i} # ${'y'.repeat(150)}`,
      })),
      ...(root ? { remediation: loopFinding.remediation } : {}),
      ...(i > 0 && i % 3 === 0 ? { causedBy: 'coredns.loop-detected' } : {}),
    });
  }
  return upgradeReport({
    ...corednsLoop,
    components: [{ ...corednsLoop.components[0]!, findings }],
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers.

/** Compares with test/golden/slack/<name>.json (UPDATE_GOLDEN=1 rewrites it). */
const expectGolden = (name: string, value: unknown) =>
  expectGoldenFile('slack', `${name}.json`, `${JSON.stringify(value, null, 2)}\n`);

// biome-ignore lint/suspicious/noExplicitAny: blocks are inspected structurally.
type AnyBlock = any;
const blocksOf = (m: SlackMessage) => m.blocks as AnyBlock[];
const sectionTexts = (m: SlackMessage) =>
  blocksOf(m)
    .filter((b) => b.type === 'section')
    .map((b) => b.text.text as string);
const allText = (m: SlackMessage) => JSON.stringify(m.blocks);
const buttons = (m: SlackMessage) =>
  blocksOf(m)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements);
const footerOf = (m: SlackMessage) => blocksOf(m).at(-1);

// ---------------------------------------------------------------------------------------------------------------

describe('golden Block Kit output', () => {
  const cases: [string, SlackMessage][] = [
    ['coredns-loop', renderReport(corednsLoop, { requestedBy: 'UALICE0001', ...FIXES, ...RERUN })],
    ['no-cni', renderReport(noCni, RERUN)],
    ['kube-proxy-config-path', renderReport(proxyConfigPath, { ...FIXES, ...RERUN })],
    ['healthy', renderReport(healthy, RERUN)],
    ['unknown-403', renderReport(forbidden, RERUN)],
    ['korean', renderReport(korean, { ...FIXES, ...RERUN })],
    ['huge-trimmed', renderReport(hugeReport(), RERUN)],
    ['huge-details', { thread: renderDetails(hugeReport(), {}) } as unknown as SlackMessage],
    ['coredns-loop-thread', { thread: renderDetails(corednsLoop, {}) } as unknown as SlackMessage],
    ['korean-thread', { thread: renderDetails(korean, {}) } as unknown as SlackMessage],
  ];
  it.each(cases)('%s matches its golden file', (name, message) => expectGolden(name, message));
});

describe('a critical report (CoreDNS forwarding loop)', () => {
  const message = renderReport(corednsLoop, { requestedBy: 'UALICE0001', ...FIXES, ...RERUN });

  it('notifies with cluster, check, verdict and root cause in one line', () => {
    expect(message.text).toBe(
      'prod-eu DNS: CRITICAL — CoreDNS is crash-looping: a forwarding loop (coredns.loop-detected)',
    );
  });

  it('opens with a header naming the cluster and the verdict, then one line per component', () => {
    expect(blocksOf(message)[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: ':rotating_light: netcheck — prod-eu: CRITICAL', emoji: true },
    });
    expect(sectionTexts(message)[0]).toBe(':red_circle: *DNS* — CoreDNS is crash-looping: a forwarding loop');
  });

  it('shows the root cause, its key evidence in a code block and the first option’s steps, saying where they run', () => {
    const text = sectionTexts(message).join('\n');
    expect(text).toContain('*CoreDNS is crash-looping: a forwarding loop*  `coredns.loop-detected`');
    expect(text).toMatch(/\n```pod kube-system\/coredns-5d78c9869d-7xk2p: CrashLoopBackOff/);
    expect(text).toContain('*How to fix: Option A — Fix the node resolver (recommended)*');
    expect(text).toContain(
      '1. Point kubelet at the real resolver: set resolvConf in the kubelet config on every node. _(on each node (ssh) · makes a change)_',
    );
    // Option B and the steps after the options are in the thread, and the message says so.
    expect(text).not.toContain('Forward to the upstream resolvers in the Corefile.');
    expect(allText(message)).toContain('Not shown here: option B, verification');
    expect(renderedLines(message)).toBeLessThanOrEqual(SLACK_FIRST_SCREEN_LINES);
  });

  it('offers Re-run and the automated fix, each button carrying only an opaque offer id', () => {
    const [rerun, fix] = buttons(message);
    expect(rerun.action_id).toBe(ACTIONS.rerun);
    expect(rerun.value).toBe(RERUN_ID);
    expect(rerun.value).not.toContain('prod-eu');
    expect(fix.action_id).toBe(ACTIONS.fix);
    expect(fix.text.text).toBe(':wrench: Fix: Forward to the upstream resolvers');
    expect(fix.confirm).toBeDefined();
    expect(fix.value).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(fix.value).not.toContain('coredns');
    expect(offered.get(fix.value)).toEqual({
      remediation: 'coredns.forward-upstream',
      finding: 'coredns.loop-detected',
    });
    expect(fix.confirm.text.text).toContain('Nothing changes until someone else approves it.');
  });

  it('offers no Fix button unless remediation is enabled and each button is an offer', () => {
    const plain = renderReport(corednsLoop, RERUN);
    expect(buttons(plain).map((b: AnyBlock) => b.action_id)).toEqual([ACTIONS.rerun]);
    const noOffers = renderReport(corednsLoop, { remediationEnabled: true, ...RERUN });
    expect(buttons(noOffers).map((b: AnyBlock) => b.action_id)).toEqual([ACTIONS.rerun]);
  });

  it('offers no Re-run button without a recorded Re-run offer (a button never names its target)', () => {
    const message = renderReport(corednsLoop, FIXES);
    expect(buttons(message).map((b: AnyBlock) => b.action_id)).toEqual([ACTIONS.fix]);
    expect(blocksOf(renderReport(corednsLoop, {})).some((b: AnyBlock) => b.type === 'actions')).toBe(false);
  });

  it('ends with a footer: who asked, what was checked, API calls, duration, a localized date, flavor and CNI', () => {
    expect(footerOf(message)).toEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: 'Requested by <@UALICE0001>' },
        { type: 'mrkdwn', text: 'Checked DNS' },
        { type: 'mrkdwn', text: '37 API calls' },
        { type: 'mrkdwn', text: '2.4 s' },
        { type: 'mrkdwn', text: '<!date^1795761600^{date_short_pretty} {time}|2026-11-27 06:40 UTC>' },
        { type: 'mrkdwn', text: 'kubeadm · CNI calico' },
      ],
    });
  });
});

describe('root cause first', () => {
  it('no CNI: the CNI root cause leads, and the DNS symptom it caused is left to the thread, shown once', () => {
    const message = renderReport(noCni, {});
    const text = sectionTexts(message).join('\n');
    expect(text).toContain('*Root cause: No CNI is installed*');
    expect(allText(message)).not.toContain('coredns.unschedulable-node-not-ready');
    expect(allText(message)).toContain('what it caused (1)');
    expect(message.text).toBe('lab networking: CRITICAL — No CNI is installed (cni.not-installed) +1');
    const thread = renderDetails(noCni, {}).map(allText).join('\n');
    expect(thread.split('`coredns.unschedulable-node-not-ready`').length - 1).toBe(1);
    expect(thread.indexOf('*What it caused*')).toBeLessThan(thread.indexOf('coredns.unschedulable-node-not-ready'));
  });

  it('kube-proxy config path: kube-proxy is explained first although DNS is listed first in the report', () => {
    const message = renderReport(proxyConfigPath, { ...FIXES, ...RERUN });
    expect(allText(message)).toContain('*Root cause: kube-proxy --config points');
    expect(allText(message)).not.toContain('CoreDNS cannot reach the API server through');
    expect(buttons(message).map((b: AnyBlock) => offered.get(b.value)?.remediation)).toEqual([
      undefined,
      'kube-proxy.fix-config-path',
    ]);
    // `>` in a command is escaped for Slack, wherever the step is shown.
    const everything = [message, ...renderDetails(proxyConfigPath, {})].map(allText).join('\n');
    expect(everything).toContain('`kubectl -n kube-system get ds kube-proxy -o yaml &gt; kube-proxy-ds.bak.yaml`');
    expect(everything).toContain('CoreDNS cannot reach the API server through');
    expect(everything).toContain('kube-proxy-8xq2l: E1007 21:05:58.635373');
  });
});

describe('a healthy report', () => {
  const message = renderReport(healthy, {});
  it('is short and green: header, components, footer, no buttons', () => {
    expect(blocksOf(message).map((b) => b.type)).toEqual(['header', 'section', 'context']);
    expect(blocksOf(message)[0].text.text).toBe(':white_check_mark: netcheck — prod-us: OK');
    expect(
      sectionTexts(message)[0]
        ?.split('\n')
        .every((line) => line.startsWith(':white_check_mark:')),
    ).toBe(true);
    expect(message.text).toBe('prod-us networking: OK — All checked components are healthy.');
  });
});

describe('an unknown component (403)', () => {
  const message = renderReport(forbidden, {});
  it('says what could not be read and whose request was denied', () => {
    expect(blocksOf(message)[0].text.text).toBe(':grey_question: netcheck — prod-us: UNKNOWN');
    const text = sectionTexts(message).join('\n');
    expect(text).toContain(
      '*Could not read:*\n• list pods in kube-system: 403 Forbidden: User "arn:aws:sts::123456789012:assumed-role/netcheck-worker/netcheck"',
    );
    expect(message.text).toMatch(/^prod-us DNS: UNKNOWN — list pods in kube-system: 403 Forbidden/);
  });
});

describe('a Korean report', () => {
  const message = renderReport(korean, { ...FIXES, ...RERUN });
  it('renders headings, labels and footer in Korean', () => {
    expect(blocksOf(message)[0].text.text).toBe(':rotating_light: netcheck — prod-eu: 심각');
    const text = sectionTexts(message).join('\n');
    expect(text).toContain('*조치 방법');
    const thread = renderDetails(korean, {}).map(allText).join('\n');
    for (const label of ['*근거*', '*영향*']) expect(thread).toContain(label);
    expect(buttons(message).map((b: AnyBlock) => b.text.text)).toEqual([
      ':repeat: 다시 실행',
      ':wrench: 조치: 업스트림 리졸버로 포워딩',
    ]);
    expect(footerOf(message).elements.map((e: AnyBlock) => e.text)).toContain('API 호출 37회');
    expect(message.text).toBe(
      'prod-eu DNS: 심각 — CoreDNS가 CrashLoopBackOff 상태: 포워딩 루프 (coredns.loop-detected)',
    );
  });
  it('follows options.lang over the report when both are given', () => {
    expect(blocksOf(renderReport(corednsLoop, { lang: 'ko' }))[0].text.text).toContain('심각');
  });
});

describe('a report too big for one message', () => {
  const report = hugeReport();
  const message = renderReport(report, {});

  it('stays within Slack limits', () => {
    expect(blocksOf(message).length).toBeLessThanOrEqual(50);
    expect(checkLimits(message)).toEqual([]);
  });

  it('keeps the root cause and the first of its steps that fit the first screen', () => {
    const text = sectionTexts(message).join('\n');
    expect(text).toContain('*Root cause: CoreDNS is crash-looping: a forwarding loop*');
    expect(text).toContain('1. Step 1 of finding 0.');
    expect(renderedLines(message)).toBeLessThanOrEqual(SLACK_FIRST_SCREEN_LINES);
  });

  it('says what it left out and how to see it', () => {
    const notice = blocksOf(message).find((b) => b.type === 'context' && JSON.stringify(b).includes('Not shown'));
    expect(notice.elements[0].text).toMatch(
      /^:heavy_plus_sign: Not shown here: \d+ more steps?, what it caused \(13\), 26 further findings; see them with `\/netcheck dns --cluster prod-eu --details`$/,
    );
  });

  it('cuts long evidence lines with an ellipsis and never leaves a code block open', () => {
    for (const text of sectionTexts(message)) expect(text.split('```').length % 2).toBe(1);
    expect(allText(message)).toMatch(/x…/);
  });

  it('with --details points to the thread, where every further finding is posted in full', () => {
    const withDetails = renderReport(report, { details: true });
    expect(allText(withDetails)).toMatch(/:thread: In the thread: .*26 further findings\./);
    const thread = renderDetails(report, {});
    expect(thread.length).toBeGreaterThan(1);
    const threadText = thread.map(allText).join('\n');
    const mainText = allText(withDetails);
    for (const finding of report.components[0]!.findings) {
      const fullInMain = mainText.includes(
        `Step 1 of finding ${finding.id === 'coredns.loop-detected' ? 0 : Number(finding.id.slice(-2))}.`,
      );
      expect(fullInMain || threadText.includes(`*${finding.title}*  \`${finding.id}\``)).toBe(true);
      // Once: never both in the report and in full in the thread, never twice in the thread.
      expect(threadText.split(`*${finding.title}*  \`${finding.id}\``).length - 1).toBeLessThanOrEqual(1);
    }
    for (const part of thread) expect(checkLimits(part)).toEqual([]);
    expect(thread[0]!.blocks[0]).toMatchObject({
      text: { text: `*Further findings on prod-eu (1/${thread.length})*` },
    });
  });
});

describe('details for the thread', () => {
  it('says there is nothing further when the report already showed everything', () => {
    const small = upgradeReport({
      ...corednsLoop,
      components: [
        {
          ...corednsLoop.components[0]!,
          findings: [{ ...loopFinding, impact: undefined, evidence: ['one line'], runbook: [{ text: 'do it' }] }],
        },
      ],
    });
    expect(renderDetails(small, {})).toEqual([
      {
        text: 'No further findings: everything is in the report above.',
        blocks: [
          {
            type: 'section',
            text: { type: 'mrkdwn', text: 'No further findings: everything is in the report above.' },
          },
        ],
      },
    ]);
  });

  it('posts the rest of the runbook, then the symptoms in full under "what it caused", with their evidence', () => {
    const [thread, ...rest] = renderDetails(noCni, { lang: 'ko' });
    expect(rest).toEqual([]);
    expect(thread!.text).toBe('lab 추가 발견 사항: cni.not-installed, coredns.unschedulable-node-not-ready');
    expect(allText(thread!)).toContain('근본 원인 (이어서)');
    expect(allText(thread!)).toContain('이로 인해 발생한 문제');
    expect(allText(thread!)).toContain('FailedScheduling: 0/1 nodes are available');
    expect(allText(thread!)).toContain('_원인: `cni.not-installed`_');
  });

  it('posts option B and the verification of the CoreDNS loop, and says the report showed option A', () => {
    const text = renderDetails(corednsLoop, {}).map(allText).join('\n');
    expect(text).toContain('_Option A — Fix the node resolver (recommended): see the report above_');
    expect(text).toContain('*Or Option B — Pin upstreams in the Corefile*');
    expect(text).toContain('*Then verify (after any option)*');
    expect(text.indexOf('Then verify')).toBeGreaterThan(text.indexOf('Option B'));
  });
});

describe('every rendered message passes checkLimits', () => {
  const reports = { corednsLoop, noCni, proxyConfigPath, healthy, forbidden, korean, huge: hugeReport() };
  it.each(Object.entries(reports))('%s', (_name, report) => {
    for (const options of [{}, { details: true, ...FIXES, requestedBy: 'UBOB000001' }]) {
      expect(checkLimits(renderReport(report, options))).toEqual([]);
    }
    for (const part of renderDetails(report, {})) expect(checkLimits(part)).toEqual([]);
  });
});

describe('hostile and oversized report texts', () => {
  const nasty = upgradeReport({
    ...corednsLoop,
    cluster: { ...kubeadm, name: 'x'.repeat(200) },
    components: [
      {
        ...corednsLoop.components[0]!,
        summary: '<!channel> & <@U999> summary',
        findings: [
          {
            ...loopFinding,
            title: `T${'i'.repeat(400)}`,
            detail: `<!here> ${'d'.repeat(5000)}`,
            evidence: ['```closing fence in the log``` <script>', '😀'.repeat(2000)],
            runbook: [{ text: 'run it', command: `echo \`${'z'.repeat(4000)}\`` }],
            remediation: { id: 'coredns.forward-upstream', title: 'F'.repeat(200) },
          },
        ],
      },
    ],
  });
  const message = renderReport(nasty, FIXES);

  it('escapes mentions and control characters', () => {
    expect(allText(message)).not.toContain('<!channel>');
    expect(allText(message)).not.toContain('<!here>');
    expect(allText(message)).toContain('&lt;!channel&gt; &amp; &lt;@U999&gt;');
  });

  it('cuts every text to its limit without breaking a code block or an emoji', () => {
    expect(checkLimits(message)).toEqual([]);
    for (const text of sectionTexts(message)) {
      expect(text.split('```').length % 2).toBe(1);
      expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    }
    expect(blocksOf(message)[0].text.text.length).toBeLessThanOrEqual(150);
  });

  it('gives no buttons for a cluster name Slack buttons cannot carry', () => {
    expect(buttons(message)).toEqual([]);
  });
});
