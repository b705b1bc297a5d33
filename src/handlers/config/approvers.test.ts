import { describe, expect, it } from 'vitest';
import { mayApprove, remediationEnabled } from './approvers.ts';
import { ConfigError, loadConfig } from './load.ts';

const prod = {
  name: 'prod',
  auth: { type: 'eks', clusterName: 'prod-eks', region: 'eu-west-1' },
  allowedUsers: ['UALICE', 'UBOB', 'UCAROL'],
  approvers: ['UBOB'],
  approverGroups: ['SONCALL'],
};
const env = (over: Record<string, string> = {}, clusters: unknown[] = [prod]) => ({
  NETCHECK_MODE: 'lambda',
  NETCHECK_CLUSTERS: JSON.stringify(clusters),
  SLACK_SECRET_ID: 'netcheck/test/slack',
  WORKER_FUNCTION_NAME: 'netcheck-test-worker',
  DEDUPE_TABLE: 'netcheck-test-dedupe',
  PLANS_TABLE: 'netcheck-test-plans',
  REMEDIATOR_FUNCTION_NAME: 'netcheck-test-remediator',
  ...over,
});
const problemsOf = (e: NodeJS.ProcessEnv) => {
  try {
    loadConfig(e);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
};

describe('remediation configuration', () => {
  it('reads the plans table, the remediator and a 15-minute TTL by default', () => {
    expect(loadConfig(env()).remediation).toEqual({
      plansTable: 'netcheck-test-plans',
      remediatorFunctionName: 'netcheck-test-remediator',
      planTtlSeconds: 900,
    });
    expect(loadConfig(env({ NETCHECK_PLAN_TTL_MINUTES: '5' })).remediation?.planTtlSeconds).toBe(300);
  });

  it('names each missing or bad setting at cold start', () => {
    const { PLANS_TABLE: _p, REMEDIATOR_FUNCTION_NAME: _r, ...bare } = env({ NETCHECK_PLAN_TTL_MINUTES: '0' });
    expect(problemsOf(bare)).toEqual([
      'NETCHECK_PLAN_TTL_MINUTES: expected a whole number of minutes from 1 to 60',
      'PLANS_TABLE: Required in lambda mode when a cluster has approvers',
      'REMEDIATOR_FUNCTION_NAME: Required in lambda mode when a cluster has approvers',
    ]);
    expect(problemsOf(env({}, [{ ...prod, approvers: 'UBOB' }]))).toEqual([
      'NETCHECK_CLUSTERS[0].approvers: Invalid input: expected array, received string',
    ]);
  });

  it('a cluster without approvers has no remediation in lambda mode, and needs no table', () => {
    const { PLANS_TABLE: _p, REMEDIATOR_FUNCTION_NAME: _r, ...bare } = env();
    const config = loadConfig({
      ...bare,
      NETCHECK_CLUSTERS: JSON.stringify([{ ...prod, approvers: undefined, approverGroups: undefined }]),
    });
    expect(config.remediation).toBeUndefined();
    expect(remediationEnabled(config, 'prod')).toBe(false);
    expect(remediationEnabled(loadConfig(env()), 'prod')).toBe(true);
  });
});

describe('who may approve', () => {
  const config = loadConfig(env());
  it('an approver by user id or by group, never the requester (two people)', () => {
    expect(mayApprove(config, { cluster: 'prod', userId: 'UBOB', userGroups: [], requester: 'UALICE' })).toEqual({
      ok: true,
      selfApproval: false,
    });
    expect(
      mayApprove(config, { cluster: 'prod', userId: 'UCAROL', userGroups: ['SONCALL'], requester: 'UALICE' }).ok,
    ).toBe(true);
    expect(mayApprove(config, { cluster: 'prod', userId: 'UCAROL', userGroups: [], requester: 'UALICE' })).toEqual({
      ok: false,
      why: 'not-approver',
    });
    expect(mayApprove(config, { cluster: 'prod', userId: 'UBOB', userGroups: [], requester: 'UBOB' })).toEqual({
      ok: false,
      why: 'requester',
    });
  });

  it('allowSelfApproval lets the requester approve, and says so', () => {
    const relaxed = loadConfig(env({}, [{ ...prod, allowSelfApproval: true }]));
    expect(mayApprove(relaxed, { cluster: 'prod', userId: 'UBOB', userGroups: [], requester: 'UBOB' })).toEqual({
      ok: true,
      selfApproval: true,
    });
  });

  it('dev mode without approvers: anyone but the requester', () => {
    const dev = loadConfig({
      NETCHECK_MODE: 'dev',
      NETCHECK_CLUSTERS: JSON.stringify([
        { name: 'sandbox', auth: { type: 'token-secret', secretId: 'netcheck/dev/sandbox' } },
      ]),
      SLACK_SIGNING_SECRET: 's',
      SLACK_BOT_TOKEN: 'xoxb-1',
    });
    expect(dev.remediation?.plansTable).toBe('netcheck-plans');
    expect(mayApprove(dev, { cluster: 'sandbox', userId: 'UBOB', userGroups: [], requester: 'UALICE' }).ok).toBe(true);
    expect(mayApprove(dev, { cluster: 'sandbox', userId: 'UALICE', userGroups: [], requester: 'UALICE' })).toEqual({
      ok: false,
      why: 'requester',
    });
  });
});
