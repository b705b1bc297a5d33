import { describe, expect, it } from 'vitest';
import { configMapOf, crashLoop, setLogs, withChanges } from '#test/fixtures/changes.ts';
import { COREDNS_PODS, gkeKubeDns, k3s, kubeadmCalico, kubeadmCorefile } from '#test/fixtures/clusters.ts';
import { commands, expectFinding, runCheck } from '#test/support/checks.ts';
import { corefileCheck } from './corefile.ts';

const [POD] = COREDNS_PODS as [string, string];
const LOOP =
  '[FATAL] plugin/loop: Loop (127.0.0.1:55953 -> :53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting. Query: "HINFO 4547991504243258144.3688648895315093531."';

function crashingWith(log: string, corefile?: string) {
  return withChanges(kubeadmCalico(), (s) => {
    if (corefile) configMapOf(s, 'kube-system', 'coredns').data.Corefile = corefile;
    for (const p of COREDNS_PODS) {
      crashLoop(s, p, 'coredns', 9);
      setLogs(s, 'kube-system', p, 'coredns', {
        previous: `.:53\nCoreDNS-1.11.3\nlinux/amd64, go1.21.11\n${log}\n`,
        current: '',
      });
    }
  });
}

describe('Corefile checks', () => {
  it('reports a forwarding loop from the previous log, quoting the forward line and the guide fixes', () => {
    const f = expectFinding(corefileCheck, crashingWith(LOOP), 'coredns.loop-detected');
    expect(f.severity).toBe('critical');
    expect(f.evidence).toContain(`${POD} 0/1 CrashLoopBackOff (restarts 9) on worker-1`);
    expect(f.evidence.some((e) => e.startsWith('[FATAL] plugin/loop: Loop (127.0.0.1:55953 -> :53)'))).toBe(true);
    expect(f.evidence).toContain('Corefile:13  forward . /etc/resolv.conf {');
    expect(commands(f)).toContain(`kubectl -n kube-system logs ${POD} -c coredns --previous`);
    expect(commands(f)).toContain('kubectl -n kube-system get cm coredns -o yaml > coredns.bak.yaml');
    expect(f.runbook.some((s) => s.text.includes('forward . 8.8.8.8'))).toBe(true);
    expect(commands(f)).toContain('resolvConf');
    expect(f.remediation?.id).toBe('coredns.forward-upstream'); // upstream IPs are asked for (inputs)
  });

  it('reports the removed proxy plugin with its Corefile line and the proxy→forward remediation', () => {
    const corefile = kubeadmCorefile().replace('forward . /etc/resolv.conf {', 'proxy . /etc/resolv.conf {');
    const s = crashingWith("/etc/coredns/Corefile:13 - Error during parsing: Unknown directive 'proxy'", corefile);
    const f = expectFinding(corefileCheck, s, 'coredns.corefile-removed-plugin');
    expect(f.severity).toBe('critical');
    expect(f.evidence).toContain('Corefile:13  proxy . /etc/resolv.conf {');
    expect(f.evidence).toContain("/etc/coredns/Corefile:13 - Error during parsing: Unknown directive 'proxy'");
    expect(f.remediation?.id).toBe('coredns.replace-proxy-with-forward');
    expect(commands(f)).toContain("sed -E 's/^( *)proxy /\\1forward /'");
    expect(commands(f)).toContain('kubectl -n kube-system rollout restart deploy/coredns');
    // The generic parse-error entry does not repeat what the specific one explains.
    expect(runCheck(corefileCheck, s).map((x) => x.id)).toEqual(['coredns.corefile-removed-plugin']);
  });

  it('warns about a proxy directive before it crashes anything when the image is ≥1.5.0', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      configMapOf(s, 'kube-system', 'coredns').data.Corefile = kubeadmCorefile().replace('forward .', 'proxy .');
    });
    const f = expectFinding(corefileCheck, s, 'coredns.corefile-removed-plugin');
    expect(f.severity).toBe('warning');
    expect(f.evidence).toContain('image: registry.k8s.io/coredns/coredns:v1.11.3');
  });

  it('reports a removed kubernetes option (upstream) and offers to delete just that line', () => {
    const corefile = kubeadmCorefile().replace('       ttl 30\n', '       ttl 30\n       upstream\n');
    const s = crashingWith(
      "plugin/kubernetes: /etc/coredns/Corefile:11 - Error during parsing: unknown property 'upstream'",
      corefile,
    );
    const f = expectFinding(corefileCheck, s, 'coredns.corefile-removed-option');
    expect(f.evidence).toContain('Corefile:11  upstream');
    expect(f.remediation?.id).toBe('coredns.remove-obsolete-option');
    expect(f.detail).toContain('1.7.0');
  });

  it('falls back to a generic parse error for other parse failures', () => {
    const s = crashingWith(
      "/etc/coredns/Corefile:21 - Error during parsing: Wrong argument count or unexpected line ending after '.'",
    );
    const f = expectFinding(corefileCheck, s, 'coredns.corefile-parse-error');
    expect(f.detail).toContain('line 21');
    expect(f.evidence).toContain('Corefile:21  reload');
    expect(f.remediation).toBeUndefined();
  });

  it('says nothing about healthy kubeadm, k3s or GKE kube-dns (no Corefile there)', () => {
    expect(runCheck(corefileCheck, kubeadmCalico())).toEqual([]);
    expect(runCheck(corefileCheck, k3s())).toEqual([]);
    const gke = withChanges(gkeKubeDns(), (gke) => {
      setLogs(gke, 'kube-system', gke.pods[0]!.metadata.name, 'kubedns', { current: LOOP });
    });
    expect(runCheck(corefileCheck, gke)).toEqual([]);
  });

  it('accepts the older plain `cache 30` Corefile and `proxy` on images older than 1.5.0', () => {
    const s = withChanges(kubeadmCalico(), (s) => {
      configMapOf(s, 'kube-system', 'coredns').data.Corefile = kubeadmCorefile()
        .replace(/ {4}cache 30 \{[^}]*\}\n/, '    cache 30\n')
        .replace('forward .', 'proxy .');
      s.deployments[0]!.spec.template.spec.containers[0].image = 'k8s.gcr.io/coredns:1.3.1';
    });
    expect(runCheck(corefileCheck, s)).toEqual([]);
  });
});
