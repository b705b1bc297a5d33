import { describe, expect, it } from 'vitest';
import { renderAck as ackFromCommand, renderUsage as usageFromCommand } from './command.ts';
import { renderError } from './error-blocks.ts';
import { langFromLocale } from './i18n.ts';
import { checkLimits } from './limits.ts';
import { renderAck, renderProgress } from './progress-blocks.ts';
import { renderUsage } from './usage-blocks.ts';

// biome-ignore lint/suspicious/noExplicitAny: blocks are inspected structurally.
const json = (value: any) => JSON.stringify(value);

describe('progress', () => {
  it('says what is being checked where, with the current step as context', () => {
    const message = renderProgress({ cluster: 'prod-eu', scope: 'dns' }, 'reading CoreDNS logs');
    expect(message.text).toBe('Checking DNS on prod-eu…');
    expect(message.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: ':hourglass_flowing_sand: Checking *DNS* on *prod-eu*…' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'reading CoreDNS logs…' }] },
    ]);
  });

  it('translates the engine phases and has no context line before the first step', () => {
    expect(
      json(
        renderProgress(
          { cluster: 'prod-eu', scope: 'proxy', lang: 'ko' },
          { phase: 'logs', message: 'reading component logs' },
        ),
      ),
    ).toContain('컴포넌트 로그를 읽는 중…');
    expect(renderProgress({ cluster: 'prod-eu', scope: 'all' }).blocks).toHaveLength(1);
    expect(renderProgress({ cluster: 'prod-eu', scope: 'proxy', lang: 'ko' }).text).toBe(
      'prod-eu의 kube-proxy 점검 중…',
    );
  });
});

describe('ack', () => {
  it('is ephemeral and names the check and cluster', () => {
    expect(renderAck({ cluster: 'prod-eu', scope: 'dns' })).toEqual({
      response_type: 'ephemeral',
      text: ':hourglass_flowing_sand: Checking DNS on prod-eu… The report will appear in this channel.',
    });
    expect(ackFromCommand).toBe(renderAck);
  });
});

describe('usage', () => {
  it('lists the subcommands and the clusters this user may check, after the error', () => {
    const usage = renderUsage({ clusters: ['prod-eu', 'staging'], error: 'Unknown check "dsn". Did you mean "dns"?' });
    expect(usage.response_type).toBe('ephemeral');
    expect(usage.text).toMatch(
      /^Unknown check "dsn"\. Did you mean "dns"\? — \/netcheck &lt;dns\|cni\|proxy\|all\|audit\|help&gt;/,
    );
    expect(usage.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: ':warning: Unknown check "dsn". Did you mean "dns"?' },
    });
    for (const word of [
      '`dns`',
      '`cni`',
      '`proxy`',
      '`all`',
      '`audit` — the last 20 remediation actions',
      '`--cluster NAME`',
      '*Clusters you may check:* `prod-eu`, `staging`',
    ]) {
      expect(json(usage.blocks)).toContain(word);
    }
    expect(checkLimits(usage)).toEqual([]);
    expect(usageFromCommand).toBe(renderUsage);
  });

  it('says so when the user may check no cluster, in Korean too', () => {
    expect(json(renderUsage({ clusters: [] }).blocks)).toContain('You may not check any cluster from here');
    expect(json(renderUsage({ clusters: [], lang: 'ko' }).blocks)).toContain('점검할 수 있는 클러스터가 없습니다');
  });

  it('shortens a very long cluster list to fit one section', () => {
    const clusters = Array.from({ length: 400 }, (_, i) => `cluster-number-${i}`);
    const usage = renderUsage({ clusters });
    expect(checkLimits(usage)).toEqual([]);
    expect(json(usage.blocks)).toMatch(/and \d+ more/);
  });
});

describe('errors', () => {
  it('names the cluster and what was denied, escaped', () => {
    const message = renderError({
      cluster: 'prod-eu',
      message: 'list pods in kube-system: 403 Forbidden for <arn:aws:sts::1:assumed-role/netcheck>',
    });
    expect(message.text).toBe(
      'Could not check prod-eu: list pods in kube-system: 403 Forbidden for &lt;arn:aws:sts::1:assumed-role/netcheck&gt;',
    );
    expect(json(message.blocks)).toContain(':no_entry: *Could not check prod-eu*');
    expect(checkLimits(message)).toEqual([]);
    expect(checkLimits(renderError({ cluster: 'prod-eu', message: 'x'.repeat(10_000), lang: 'ko' }))).toEqual([]);
  });
});

describe('langFromLocale', () => {
  it.each([
    ['ko-KR', 'ko'],
    ['ko', 'ko'],
    ['KO_kr', 'ko'],
    ['en-US', 'en'],
    ['en-GB', 'en'],
    ['ja-JP', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j', (locale, lang) => {
    expect(langFromLocale(locale)).toBe(lang);
  });
});
