import { describe, expect, it } from 'vitest';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.ts';

const matches = (selector: string, labels: Record<string, string>) =>
  matchesLabels(parseLabelSelector(selector), labels);

describe('label selectors', () => {
  const dns = { 'k8s-app': 'kube-dns', tier: 'control-plane' };

  it('supports equality, inequality, existence and set operators, ANDed', () => {
    expect(matches('k8s-app=kube-dns', dns)).toBe(true);
    expect(matches('k8s-app==kube-dns,tier=control-plane', dns)).toBe(true);
    expect(matches('k8s-app!=kube-dns', dns)).toBe(false);
    expect(matches('k8s-app in (kube-dns, coredns)', dns)).toBe(true);
    expect(matches('k8s-app notin (kube-dns)', dns)).toBe(false);
    expect(matches('missing notin (x)', dns)).toBe(true);
    expect(matches('tier', dns)).toBe(true);
    expect(matches('!tier', dns)).toBe(false);
    expect(matches('!app.kubernetes.io/name', dns)).toBe(true);
    expect(matches('', dns)).toBe(true);
  });

  it('rejects malformed requirements', () => {
    expect(() => parseLabelSelector('k8s-app in ()')).toThrow(SelectorError);
    expect(() => parseLabelSelector('a b')).toThrow(SelectorError);
  });
});

describe('field selectors', () => {
  const pod = { metadata: { name: 'p', namespace: 'ns' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } };

  it('evaluates supported fields with =, == and != joined by commas', () => {
    const reqs = parseFieldSelector('status.phase=Running,spec.nodeName==n1,metadata.namespace!=kube-system', 'pods.');
    expect(matchesFields('pods.', reqs, pod)).toBe(true);
    expect(matchesFields('pods.', parseFieldSelector('status.phase!=Running', 'pods.'), pod)).toBe(false);
  });

  it('rejects fields the resource does not index, with the apiserver wording', () => {
    expect(() => parseFieldSelector('status.phase=Running', 'configmaps.')).toThrow(
      'field label not supported: status.phase',
    );
  });
});
