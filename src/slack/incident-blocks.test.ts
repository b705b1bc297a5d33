import { describe, expect, it } from 'vitest';
import {
  clusterChoiceNote,
  recheckedNote,
  renderContradiction,
  renderIncidentUpdate,
  renderResolution,
  withNotes,
} from './incident-blocks.ts';
import { checkLimits } from './limits.ts';

const messages = (lang: 'en' | 'ko') => [
  renderIncidentUpdate({ headline: 'x', added: [{ id: 'coredns.loop-detected', title: 'Loop' }], resolved: [], lang }),
  renderIncidentUpdate({ headline: 'x', added: [], resolved: [], lang }),
  renderResolution({ alert: 'CoreDNSErrorsHigh', cluster: 'prod-eu', failing: [], lang }),
  renderResolution({ alert: 'CoreDNSErrorsHigh', cluster: 'prod-eu', failing: [{ id: 'a.b', title: 'Loop' }], lang }),
  renderContradiction({
    alert: 'KubeProxyDown',
    healthy: ['kube-proxy'],
    reasons: ['target-down-dataplane-works', 'unseen-nodes'],
    cluster: 'prod-eu',
    scope: 'proxy',
    lang,
  }),
];

describe('incident thread messages', () => {
  it('a contradiction offers Re-run only as a recorded offer: the button carries its opaque id alone', () => {
    const input = {
      alert: 'KubeProxyDown',
      healthy: ['kube-proxy' as const],
      reasons: ['unseen-nodes' as const],
      cluster: 'prod-eu',
      scope: 'proxy' as const,
    };
    const withOffer = renderContradiction({ ...input, rerunId: 'Rerun0ffer1d0000000000' });
    const actions = withOffer.blocks.filter((b) => b.type === 'actions') as { elements: { value?: string }[] }[];
    expect(actions.map((a) => a.elements.map((e) => e.value))).toEqual([['Rerun0ffer1d0000000000']]);
    expect(renderContradiction(input).blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it.each(['en', 'ko'] as const)('fit Slack limits (%s)', (lang) => {
    for (const message of messages(lang)) expect(checkLimits(message)).toEqual([]);
  });

  it('say which cluster was checked and why, for every reason', () => {
    expect(clusterChoiceNote('prod-eu', { kind: 'label', key: 'k8s_cluster', value: 'prod-eu' })).toBe(
      "Checked cluster *prod-eu*: the alert's label `k8s_cluster=prod-eu`.",
    );
    expect(clusterChoiceNote('pay', { kind: 'channel-pattern', value: 'pay' })).toContain('channel name');
    expect(clusterChoiceNote('pay', { kind: 'channel-mapping', channel: 'inc-pay' })).toContain('#inc-pay');
    expect(clusterChoiceNote('prod-eu', { kind: 'default', ignored: ['qa'] })).toBe(
      'Checked the default cluster *prod-eu*: the alert names `qa`, which is not a configured cluster.',
    );
    expect(clusterChoiceNote('prod-eu', { kind: 'default', ignored: [] }, 'ko')).toContain('기본 클러스터 *prod-eu*');
  });

  it('escape what the alert bot wrote', () => {
    const message = renderResolution({ alert: '<!channel> *x*', cluster: 'prod-eu', failing: [] });
    expect(message.text).not.toContain('<!channel>');
  });

  it('mark a report updated in place, keeping it within the block limit', () => {
    expect(recheckedNote(new Date('2026-12-01T03:07:00Z'))).toBe(':repeat: Re-checked at 03:07 UTC');
    const full = { text: 't', blocks: Array.from({ length: 50 }, () => ({ type: 'divider' as const })) };
    const marked = withNotes(full, ['note']);
    expect(marked.blocks).toHaveLength(50);
    expect(marked.blocks.at(-1)).toMatchObject({ type: 'context' });
  });

  it('write Korean without fallback particles', () => {
    for (const message of messages('ko'))
      expect(JSON.stringify(message)).not.toMatch(/\((이|을|은|과|으)\)|이\(가\)|을\(를\)|은\(는\)|과\(와\)/);
  });
});
