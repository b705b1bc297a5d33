import { describe, expect, it } from 'vitest';
import { chooseIncidentCluster, incidentCluster } from './cluster.ts';

describe('the cluster an incident is checked on', () => {
  it('is the cluster marked default', () => {
    expect(incidentCluster([{ name: 'staging' }, { name: 'prod', default: true }])).toBe('prod');
  });
  it('is the only cluster when just one is configured', () => {
    expect(incidentCluster([{ name: 'prod' }])).toBe('prod');
  });
  it('is none when several clusters leave the choice open', () => {
    expect(incidentCluster([{ name: 'staging' }, { name: 'prod' }])).toBeUndefined();
    expect(incidentCluster([])).toBeUndefined();
  });
});

describe('choosing the cluster of an incident', () => {
  const clusters = [
    { name: 'prod-eu', default: true },
    { name: 'staging', incidentChannels: ['inc-staging-war-room'] },
    { name: 'payments' },
  ];
  const channel = { id: 'CINC1', name: 'inc-2231-dns' };

  it('takes an alert label naming a configured cluster, configurable keys first', () => {
    expect(chooseIncidentCluster({ clusters, channel, labels: { cluster: 'staging' } })).toEqual({
      cluster: 'staging',
      reason: { kind: 'label', key: 'cluster', value: 'staging' },
    });
    expect(
      chooseIncidentCluster({
        clusters,
        channel,
        labels: { env: 'payments', k8s_cluster: 'staging' },
        labelKeys: ['env'],
      }),
    ).toMatchObject({ cluster: 'payments', reason: { kind: 'label', key: 'env' } });
  });

  it('then a capture group of the channel pattern, then the channel mapping', () => {
    const pattern = /^inc-(?<cluster>[a-z-]+?)-\d+/;
    expect(chooseIncidentCluster({ clusters, channel: { id: 'C2', name: 'inc-payments-77' }, pattern })).toEqual({
      cluster: 'payments',
      reason: { kind: 'channel-pattern', value: 'payments' },
    });
    expect(chooseIncidentCluster({ clusters, channel: { id: 'C3', name: 'inc-staging-war-room' } })).toEqual({
      cluster: 'staging',
      reason: { kind: 'channel-mapping', channel: 'inc-staging-war-room' },
    });
  });

  it('falls back to the default, naming what it ignored', () => {
    expect(chooseIncidentCluster({ clusters, channel, labels: { cluster: 'qa-west' } })).toEqual({
      cluster: 'prod-eu',
      reason: { kind: 'default', ignored: ['qa-west'] },
    });
    expect(chooseIncidentCluster({ clusters: [{ name: 'a' }, { name: 'b' }], channel })).toBeUndefined();
  });
});
