// kube-proxy.sync-failing: a Running kube-proxy whose current log shows every rule sync failing, and nothing less.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cluster-reader.ts';
import { syncFailure } from './sync-errors.ts';

const pod: KubeObject = { kind: 'Pod', metadata: { name: 'kube-proxy-hz5ln', namespace: 'kube-system' } };
const START = [
  'I1120 09:03:01.589012       1 server_linux.go:169] "Using iptables Proxier"',
  'I1120 09:03:01.724580       1 shared_informer.go:320] Caches are synced for service config',
];
const FAIL = [
  'E1127 08:58:16.910840       1 proxier.go:1564] "Failed to execute iptables-restore" err=<',
  "\texit status 2: iptables-restore v1.8.9 (legacy): Couldn't load target `KUBE-SVC-UOLAULR5MHUYULMB':No such file or directory",
  ' > ipFamily="IPv4"',
  'I1127 08:58:16.910902       1 proxier.go:833] "Sync failed" ipFamily="IPv4" retryingTime="30s"',
];
const NFT_FAIL = [
  'E1127 08:58:16.910840       1 proxier.go:1795] "nftables sync failed" err="signal: segmentation fault (core dumped)"',
  'I1127 08:58:16.910902       1 proxier.go:1160] "Sync failed" ipFamily="IPv4" retryingTime="30s"',
];
const OK = 'I1127 08:59:16.957466       1 proxier.go:803] "SyncProxyRules complete" elapsed="112ms"';

describe('kube-proxy rule-sync failures', () => {
  it('are found when every recent sync failed (iptables and nftables modes)', () => {
    const iptables = syncFailure(pod, [...START, ...FAIL, ...FAIL, ...FAIL].join('\n'));
    expect(iptables?.failures).toBe(3);
    expect(iptables?.errorLine).toContain('"Failed to execute iptables-restore"');
    expect(iptables?.retryLine).toContain('retryingTime="30s"');
    expect(syncFailure(pod, [...NFT_FAIL, ...NFT_FAIL].join('\n'))?.errorLine).toContain('nftables sync failed');
  });

  it('are not found in healthy start-up lines, in one failure, or when a successful sync followed', () => {
    expect(syncFailure(pod, START.join('\n'))).toBeUndefined();
    expect(syncFailure(pod, [...START, ...FAIL].join('\n'))).toBeUndefined();
    expect(syncFailure(pod, [...FAIL, ...FAIL, OK].join('\n'))).toBeUndefined();
    expect(syncFailure(pod, undefined)).toBeUndefined();
  });
});
