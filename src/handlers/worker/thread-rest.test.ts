// The rest of a report in its thread: posted whole after a first report; after a re-check only when it changed,
// marked "updated"; one line when the earlier rest no longer applies; nothing when it is unchanged.
import { describe, expect, it } from 'vitest';
import { scenarioReport } from '#test/support/scenario-reports.ts';
import type { SlackMessage } from '../../slack/limits.ts';
import { postRest, restOf } from './thread-rest.ts';

const AT = new Date('2026-12-02T03:04:00Z');

async function collect(run: (send: (m: SlackMessage) => Promise<void>) => Promise<number>) {
  const sent: SlackMessage[] = [];
  const count = await run(async (m) => {
    sent.push(m);
  });
  expect(count).toBe(sent.length);
  return sent;
}

describe('the rest of a report in its thread', () => {
  it('a trimmed report has a rest with a stable digest; a report that fits has none', async () => {
    const loop = await scenarioReport('coredns-loop');
    const a = restOf(loop, 'en');
    expect(a.rest.length).toBeGreaterThan(0);
    expect(a.key).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(restOf(await scenarioReport('coredns-loop'), 'en').key).toBe(a.key);
    expect(restOf(await scenarioReport('kubeadm-calico'), 'en')).toEqual({ rest: [] });
  });

  it('after a first report, posts the whole rest, unmarked', async () => {
    const report = await scenarioReport('coredns-loop');
    const sent = await collect((send) => postRest(send, { report, ...restOf(report, 'en') }, 'en'));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]?.text).toMatch(/^Further findings on /);
    expect(JSON.stringify(sent)).not.toContain('updated');
  });

  it('after a re-check, posts nothing when the rest is unchanged', async () => {
    const report = await scenarioReport('coredns-loop');
    const { key } = restOf(report, 'en');
    const sent = await collect((send) => postRest(send, { report, restKey: key }, 'en', { previous: key, at: AT }));
    expect(sent).toEqual([]);
  });

  it('after a re-check, posts the new rest marked "updated" when it changed', async () => {
    const report = await scenarioReport('coredns-loop');
    const { key } = restOf(report, 'en');
    const sent = await collect((send) =>
      postRest(send, { report, restKey: key }, 'en', { previous: 'an-older-rest000', at: AT }),
    );
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]?.text).toContain('updated, re-checked at 03:04 UTC');
  });

  it('after a re-check that now fits the first screen, says once that nothing further applies (in Korean too)', async () => {
    const report = await scenarioReport('kubeadm-calico', 'ko');
    const sent = await collect((send) => postRest(send, { report }, 'ko', { previous: 'an-older-rest000', at: AT }));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain('03:04 UTC');
    expect(sent[0]?.text).toContain('추가 내용이 없습니다');
    // Never posted where the thread held no rest before.
    expect(await collect((send) => postRest(send, { report }, 'ko', { previous: undefined, at: AT }))).toEqual([]);
  });
});
