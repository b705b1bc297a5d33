import { describe, expect, it } from 'vitest';
import { createLog } from './log.ts';

function capture() {
  const lines: string[] = [];
  const log = createLog({ write: (l) => lines.push(l), now: () => new Date('2026-11-27T07:00:00Z') });
  return { log, lines };
}

describe('the structured logger', () => {
  it('writes one JSON object per line with level, time, message and fields', () => {
    const { log, lines } = capture();
    log.child({ jobId: 'command:1' }).info('job enqueued', { cluster: 'prod-eu' });
    expect(JSON.parse(lines[0] as string)).toEqual({
      level: 'info',
      time: '2026-11-27T07:00:00.000Z',
      message: 'job enqueued',
      jobId: 'command:1',
      cluster: 'prod-eu',
    });
  });

  it('never prints registered secrets, Slack tokens, signatures or response_url paths', () => {
    const { log, lines } = capture();
    log.redact('s3cr3t-signing-value');
    log.error('boom s3cr3t-signing-value xoxb-123-456-abcdef', {
      error: new Error('token xoxb-999-888-zzz rejected'),
      headers: { 'x-slack-signature': 'v0=0123456789abcdef0123456789abcdef' },
      note: 'sig v0=0123456789abcdef0123456789abcdef',
      botToken: 'anything',
      response_url: 'https://hooks.slack.com/commands/T1/2/AbCdEf',
      text: 'posted to https://hooks.slack.com/actions/T1/2/XyZ',
    });
    const line = lines.join('\n');
    for (const leak of ['s3cr3t-signing-value', 'xoxb-', '0123456789abcdef0123', 'AbCdEf', 'XyZ', 'anything']) {
      expect(line).not.toContain(leak);
    }
    expect(JSON.parse(lines[0] as string).response_url).toBe('https://hooks.slack.com/[redacted]');
  });

  it('drops lines below its level', () => {
    const lines: string[] = [];
    const log = createLog({ write: (l) => lines.push(l), level: 'warn' });
    log.info('quiet');
    log.warn('loud');
    expect(lines).toHaveLength(1);
  });
});
