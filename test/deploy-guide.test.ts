// The README's deployment guide stays runnable: every command in it either runs in a test or says that it needs an
// AWS account (or a cluster), and it keeps the EKS authentication-mode note access entries depend on.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const guide = readme.slice(readme.indexOf('### Deploying'), readme.indexOf('### Trying it locally'));
const block = /```sh\n([\s\S]*?)```/.exec(guide)?.[1] ?? '';
const commands = block.split('\n').filter((line) => line.trim() && !line.trim().startsWith('#'));

// Commands the suite itself runs: `npm run package` from a fresh copy with no environment (test/package-fresh.test.ts).
const TESTED = new Set(['npm run package']);
const MARKED = /\s#\s*needs (an AWS account|a cluster)$/;

describe('the README deployment guide', () => {
  it('lists its commands in one block', () => {
    expect(guide).toContain('### Deploying');
    expect(commands.length).toBeGreaterThan(3);
  });

  it.each(commands)('%s: runs in a test or is marked as needing an AWS account', (command) => {
    expect(TESTED.has(command.trim()) || MARKED.test(command)).toBe(true);
  });

  it('names no command in its prose that the block does not list', () => {
    const prose = guide.replace(/```sh\n[\s\S]*?```/, '');
    const inline = [...prose.matchAll(/`((?:aws|kubectl|npx|npm|osls) [^`]+)`/g)].map((m) => m[1] ?? '');
    for (const command of inline) expect(block, command).toContain(command);
  });

  it('says access entries need the API or API_AND_CONFIG_MAP authentication mode', () => {
    expect(guide).toMatch(/authentication mode[\s\S]{0,40}`API` or `API_AND_CONFIG_MAP`/);
    expect(block).toContain('authenticationMode=API_AND_CONFIG_MAP');
  });

  it('packages with no environment, so the guide asks for no NETCHECK_CLUSTERS export', () => {
    expect(block).not.toMatch(/NETCHECK_CLUSTERS=/);
    expect(TESTED.has('npm run package')).toBe(true);
    expect(readFileSync(new URL('./package-fresh.test.ts', import.meta.url), 'utf8')).toContain("['run', 'package']");
  });
});
