import { describe, expect, it } from 'vitest';
import { incidentCluster } from './cluster.ts';

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
