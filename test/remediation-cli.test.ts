// Every implemented remediation, end to end against the sandbox over HTTPS: diagnose (the bot's read-only identity)
// → `netcheck fix <id> --yes` with the user's own credentials → verified → the finding is gone in a fresh diagnosis.
// The scenario's reactions heal the cluster only once the fix really landed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../src/cli/io.ts';
import { main } from '../src/cli/main.ts';
import { Report } from '../src/engine/report.ts';
import { REMEDIATIONS } from '../src/remediate/registry.ts';
import { loadScenario } from '../src/sandbox/scenarios.ts';
import { startSandbox } from '../src/sandbox/server.ts';
import { CASES, NO_SCENARIO } from './support/remediation-cases.ts';

const dir = mkdtempSync(join(tmpdir(), 'netcheck-fix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(): { io: Io; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c) => {
    o += c;
  });
  stderr.on('data', (c) => {
    e += c;
  });
  return { io: { stdout, stderr, env: { NO_COLOR: '1' } }, out: () => o, err: () => e };
}

async function findingIds(kubeconfig: string): Promise<string[]> {
  const c = capture();
  await main(['all', '--kubeconfig', kubeconfig, '--output', 'json', '--timeout', '30'], c.io);
  return Report.parse(JSON.parse(c.out())).components.flatMap((x) => x.findings.map((f) => f.id));
}

describe('the catalogue has an end-to-end case for every remediation', () => {
  it('lists every implemented remediation exactly once (or says why not)', () => {
    expect([...Object.keys(CASES), ...NO_SCENARIO].sort()).toEqual(REMEDIATIONS.map((r) => r.id).sort());
  });
});

// One case at a time: each starts a sandbox and diagnoses three times, and the machine is shared with the suite.
describe.each(Object.entries(CASES))('netcheck fix %s', (id, c) => {
  it(`heals ${c.scenario}: diagnose → fix --yes → verified → gone in a fresh diagnosis`, async () => {
    const sandbox = await startSandbox({ scenario: await loadScenario(c.scenario) });
    const bot = join(dir, `${id}.bot.kubeconfig`);
    const user = join(dir, `${id}.user.kubeconfig`);
    writeFileSync(bot, sandbox.kubeconfig('bot'));
    writeFileSync(user, sandbox.kubeconfig('admin'));
    try {
      expect(await findingIds(bot)).toContain(c.finding);
      const fix = capture();
      const code = await main(
        ['fix', id, '--kubeconfig', user, '--yes', '--wait', '2', '--timeout', '30', ...(c.args ?? [])],
        fix.io,
      );
      expect({ code, err: fix.err() }).toEqual({ code: 0, err: '' });
      expect(fix.out()).toContain(`Fix ${c.finding} with ${id} as admin:`);
      expect(fix.out()).toContain('✅ Fixed and verified');
      expect(await findingIds(bot)).not.toContain(c.finding);
    } finally {
      await sandbox.close();
    }
  }, 120_000);
});

describe('netcheck fix refuses clearly and changes nothing', () => {
  it('exit 2 for an unknown id, a MANUAL finding, and an upstream that is not an IP address', async () => {
    const unknown = capture();
    expect(await main(['fix', 'dns.nope'], unknown.io)).toBe(2);
    expect(unknown.err()).toBe('netcheck fix: unknown finding or remediation id "dns.nope"\n');
    const manual = capture();
    expect(await main(['fix', 'cni.not-installed'], manual.io)).toBe(2);
    expect(manual.err()).toContain('cni.not-installed has no automated fix (the catalogue says MANUAL)');
    const badIp = capture();
    expect(await main(['fix', 'coredns.forward-upstream', '--upstream', '10.0.0.2,dns.google'], badIp.io)).toBe(2);
    expect(badIp.err()).toContain('--upstream takes IP addresses only, not "dns.google"');
  });

  it('without a terminal and without --yes it shows the diff, then refuses; --dry-run exits 1; nothing changes', async () => {
    const sandbox = await startSandbox({ scenario: await loadScenario('coredns-proxy-plugin') });
    const user = join(dir, 'refuse.user.kubeconfig');
    writeFileSync(user, sandbox.kubeconfig('admin'));
    try {
      const noTty = capture();
      expect(
        await main(['fix', 'coredns.corefile-removed-plugin', '--kubeconfig', user, '--timeout', '30'], noTty.io),
      ).toBe(2);
      expect(noTty.out()).toContain('+        forward . /etc/resolv.conf');
      expect(noTty.err()).toBe('netcheck fix: not a terminal: pass --yes to apply without a confirmation\n');
      const dry = capture();
      const args = ['fix', 'coredns.replace-proxy-with-forward', '--kubeconfig', user, '--dry-run', '--timeout', '30'];
      expect(await main(args, dry.io)).toBe(1);
      expect(dry.out()).toContain('Dry run only: nothing was changed.');
      const writes = sandbox.requests.filter((r) => ['PATCH', 'POST', 'DELETE', 'PUT'].includes(r.verb));
      expect(writes.length).toBeGreaterThan(0);
      expect(writes.every((r) => r.query.includes('dryRun=All'))).toBe(true);
    } finally {
      await sandbox.close();
    }
  }, 120_000);
});
