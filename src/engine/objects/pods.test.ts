// Evidence has a time: a restart count says when the last restart happened, relative to the snapshot's clock.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../cluster-reader.ts';
import { datePodStates, lastExitAt, podState, restartText } from './pods.ts';

const NOW = Date.parse('2026-12-02T02:54:10Z');

function restarted(finishedAt?: string): KubeObject {
  return {
    metadata: { name: 'kube-proxy-rke2-agent-1', namespace: 'kube-system' },
    spec: { nodeName: 'rke2-agent-1', containers: [{ name: 'kube-proxy' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'kube-proxy',
          ready: false,
          restartCount: 9,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, ...(finishedAt ? { finishedAt } : {}) } },
        },
      ],
    },
  };
}

describe('the time of the last restart', () => {
  it('is the latest lastState.terminated.finishedAt', () => {
    expect(lastExitAt(restarted('2026-12-02T02:51:02Z'))).toBe(Date.parse('2026-12-02T02:51:02Z'));
    expect(lastExitAt(restarted())).toBeUndefined();
  });

  it('is said relative to the snapshot, with the UTC clock time (and the date on another day)', () => {
    expect(restartText(restarted('2026-12-02T02:51:02Z'), NOW)).toBe('restarts 9, last exit 3m ago (02:51 UTC)');
    expect(restartText(restarted('2026-11-27T06:20:13Z'), NOW)).toBe(
      'restarts 9, last exit 4d ago (2026-11-27 06:20 UTC)',
    );
    expect(restartText(restarted('2026-12-02T02:54:00Z'), NOW)).toBe('restarts 9, last exit 10s ago (02:54 UTC)');
  });

  it('without a clock, or with one behind the exit, is an absolute time; without an exit time only the count', () => {
    expect(restartText(restarted('2026-12-02T02:51:02Z'), undefined)).toBe(
      'restarts 9, last exit 2026-12-02 02:51 UTC',
    );
    expect(restartText(restarted(), NOW)).toBe('restarts 9');
    expect(restartText(restarted('2026-12-02T03:10:00Z'), NOW)).toBe('restarts 9, last exit 03:10 UTC');
  });

  it('is added to the podState lines of evidence, and to nothing else', () => {
    const pod = restarted('2026-12-02T02:51:02Z');
    const line = podState(pod);
    expect(line).toBe('kube-proxy-rke2-agent-1 0/1 CrashLoopBackOff (restarts 9) on rke2-agent-1');
    const other = 'kube-proxy-rke2-agent-1: E1202 02:51:01 "command failed" (restarts 9)';
    expect(datePodStates([line, other], [pod], NOW)).toEqual([
      'kube-proxy-rke2-agent-1 0/1 CrashLoopBackOff (restarts 9, last exit 3m ago (02:51 UTC)) on rke2-agent-1',
      other,
    ]);
    expect(datePodStates([line], [], NOW)).toEqual([line]);
  });
});
