// The access verdict every trigger reads: which cluster a request goes to, or why it may not.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.ts';
import { createLog } from '../log.ts';
import { createAccessResolver } from './access.ts';

const config = loadConfig({
  NETCHECK_MODE: 'lambda',
  NETCHECK_CLUSTERS: JSON.stringify([
    { name: 'prod', auth: { type: 'eks', clusterName: 'prod-eks', region: 'eu-west-1' }, allowedUsers: ['U1'] },
    { name: 'staging', auth: { type: 'token-secret', secretId: 'netcheck/test/staging' }, allowedChannels: ['C-ops'] },
    { name: 'sre', auth: { type: 'token-secret', secretId: 'netcheck/test/sre' }, allowedGroups: ['S-sre'] },
  ]),
  SLACK_SECRET_ID: 'netcheck/test/slack',
  WORKER_FUNCTION_NAME: 'netcheck-test-worker',
  DEDUPE_TABLE: 'netcheck-test-dedupe',
  AWS_REGION: 'eu-west-1',
});
const { decide } = createAccessResolver({ config, log: createLog({ write: () => {} }) });
const ask = (userId: string, channelId: string, cluster?: string, groups: string[] = []) =>
  decide({ userId, channelId, check: { cluster } }, groups);

describe('the access verdict', () => {
  it('grants a named cluster the user may check', () => {
    expect(ask('U1', 'C-dev', 'prod')).toEqual({ ok: true, cluster: 'prod' });
    expect(ask('U9', 'C-dev', 'sre', ['S-sre'])).toEqual({ ok: true, cluster: 'sre' });
  });

  it('takes the only allowed cluster when none is named', () => {
    expect(ask('U1', 'C-dev')).toEqual({ ok: true, cluster: 'prod' });
  });

  it('asks for a cluster when several are allowed and none is named, and says when none is', () => {
    expect(ask('U1', 'C-ops')).toEqual({ ok: false, problem: 'no-cluster', allowed: ['prod', 'staging'] });
    expect(ask('U9', 'C-dev')).toEqual({ ok: false, problem: 'no-cluster', allowed: [] });
  });

  it('tells an unknown cluster from a refused one, with the reason authorize() gives', () => {
    expect(ask('U1', 'C-dev', 'qa')).toEqual({
      ok: false,
      problem: 'unknown-cluster',
      cluster: 'qa',
      reason: 'unknown cluster "qa" (known: prod, staging, sre)',
    });
    expect(ask('U9', 'C-dev', 'prod')).toEqual({
      ok: false,
      problem: 'refused',
      cluster: 'prod',
      reason: 'you are not allowed to check cluster "prod"',
    });
    expect(ask('U9', 'C-dev', 'sre', ['S-other'])).toMatchObject({ ok: false, problem: 'refused', cluster: 'sre' });
  });
});
