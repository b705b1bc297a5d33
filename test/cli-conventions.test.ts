// The command-line conventions SREs and CI expect: --version, shell completion, yaml/markdown output, several
// scopes at once, "did you mean", one-sentence usage errors, no colour where it cannot show, --quiet, and exit 2
// (never 1) when netcheck itself fails.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../src/cli/main.ts';
import { Report } from '../src/engine/report.ts';
import { loadScenario } from '../src/sandbox/scenarios.ts';
import { type Sandbox, startSandbox } from '../src/sandbox/server.ts';
import { BIN, runCli } from './support/cli.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'netcheck-conventions-'));
const golden = (name: string) => new URL(`./golden/cli/${name}`, import.meta.url);
let sandbox: Sandbox;
let kubeconfig: string;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: await loadScenario('coredns-loop') });
  kubeconfig = join(dir, 'bot.kubeconfig');
  writeFileSync(kubeconfig, sandbox.kubeconfig('bot'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What differs between two runs of the same diagnosis: the time, the duration, the sandbox's port. */
function stable(text: string): string {
  return text
    .replaceAll(sandbox.url, 'https://127.0.0.1:PORT')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'STARTED-AT')
    .replace(/("?durationMs"?: )[\d.]+/g, '$1DURATION')
    .replace(/\d+ API requests in \d+ ms/g, 'N API requests in D ms')
    .replace(/("?requests"?: )\d+/g, '$1N');
}

function expectGolden(name: string, actual: string) {
  if (process.env.UPDATE_GOLDEN) writeFileSync(golden(name), actual);
  expect(actual).toBe(readFileSync(golden(name), 'utf8'));
}

describe('--version', () => {
  it.each(['--version', '-v', 'version'])('%s prints the package version and exits 0', async (flag) => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(await runCli([flag])).toEqual({ code: 0, stdout: `netcheck ${version}\n`, stderr: '' });
  });
});

describe('netcheck completion', () => {
  /** Completes `words` in a real bash with the generated script, as pressing TAB would. */
  async function complete(words: string[]): Promise<string[]> {
    const script = (await runCli(['completion', 'bash'])).stdout;
    writeFileSync(join(dir, 'netcheck.bash'), script);
    const array = words.map((w) => `'${w}'`).join(' ');
    const { stdout } = await run('bash', [
      '-c',
      `source ${join(dir, 'netcheck.bash')}; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _netcheck; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ]);
    return stdout.split('\n').filter(Boolean);
  }

  it('bash: completes commands, scopes, flags and flag values', async () => {
    expect(await complete(['netcheck', 'd'])).toEqual(['dns', 'demo']);
    expect(await complete(['netcheck', 'dns', 'p'])).toEqual(['proxy']);
    expect(await complete(['netcheck', 'dns', '--ku'])).toEqual(['--kubeconfig']);
    expect(await complete(['netcheck', '-o', ''])).toEqual(['text', 'json', 'yaml', 'markdown']);
    expect(await complete(['netcheck', '--lang', ''])).toEqual(['en', 'ko']);
    expect(await complete(['netcheck', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    expect(await complete(['kubectl-netcheck', 'pr'])).toEqual(['proxy']);
  });

  it('zsh and fish: every flag and output format, for netcheck and kubectl-netcheck', async () => {
    const zsh = await runCli(['completion', 'zsh']);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout.split('\n')[0]).toBe('#compdef netcheck kubectl-netcheck');
    const fish = await runCli(['completion', 'fish']);
    expect(fish.code).toBe(0);
    for (const flag of ['kubeconfig', 'context', 'output', 'lang', 'timeout', 'quiet']) {
      expect(zsh.stdout).toContain(`--${flag}`);
      expect(fish.stdout).toContain(`-l ${flag}`);
    }
    expect(zsh.stdout).toContain('(text json yaml markdown)');
    expect(fish.stdout).toContain("-s o -l output -x -a 'text json yaml markdown'");
    expect(fish.stdout).toContain('complete -c kubectl-netcheck -w netcheck');
  });

  it('an unknown shell is a usage error', async () => {
    const result = await runCli(['completion', 'powershell']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'netcheck: completion needs one shell: bash, zsh or fish, not "powershell".\nusage: netcheck completion bash|zsh|fish\n',
    );
  });
});

describe('-o yaml and -o markdown', () => {
  it('yaml: the same report as JSON', async () => {
    const [yaml, json] = await Promise.all([
      runCli(['all', '--kubeconfig', kubeconfig, '-o', 'yaml']),
      runCli(['all', '--kubeconfig', kubeconfig, '-o', 'json']),
    ]);
    expect(yaml.code).toBe(1);
    const fromYaml = Report.parse(parse(yaml.stdout));
    const fromJson = Report.parse(JSON.parse(json.stdout));
    expect({ ...fromYaml, startedAt: '', durationMs: 0 }).toEqual({ ...fromJson, startedAt: '', durationMs: 0 });
    expectGolden('coredns-loop.all.yaml', stable(yaml.stdout));
  });

  it('markdown: a status table, then the root cause with evidence and the runbook in code blocks', async () => {
    const result = await runCli(['all', '--kubeconfig', kubeconfig, '--output', 'markdown']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^## netcheck all: sandbox — 🔴 CRITICAL\n/);
    expect(result.stdout).toContain('| dns | 🔴 CRITICAL |');
    expect(result.stdout).toContain('`coredns.loop-detected`');
    expect(result.stdout).toMatch(/```sh\n\s+kubectl -n kube-system logs coredns-/);
    expect(result.stdout).not.toContain('\x1b[');
    expectGolden('coredns-loop.all.md', stable(result.stdout));
  });
});

describe('several scopes at once', () => {
  it('`netcheck dns proxy` reports exactly those components, from one set of reads', async () => {
    const [both, all] = await Promise.all([
      runCli(['dns', 'proxy', '--kubeconfig', kubeconfig, '-o', 'json']),
      runCli(['all', '--kubeconfig', kubeconfig, '-o', 'json']),
    ]);
    expect(both.code).toBe(1);
    const report = Report.parse(JSON.parse(both.stdout));
    const full = Report.parse(JSON.parse(all.stdout));
    expect(report.scopes).toEqual(['dns', 'proxy']);
    expect(report.components.map((c) => c.component).sort()).toEqual(['dns', 'kube-proxy']);
    expect(report.requests).toBe(full.requests);
    expect(report.components).toEqual(full.components.filter((c) => c.component !== 'cni'));
    const text = await runCli(['proxy', 'dns', 'proxy', '--kubeconfig', kubeconfig]);
    expect(text.stdout.split('\n')[0]).toMatch(/^netcheck proxy dns sandbox .* CRITICAL$/);
  });

  it('`all` among them means all', async () => {
    const result = await runCli(['dns', 'all', '--kubeconfig', kubeconfig, '-o', 'json']);
    const report = Report.parse(JSON.parse(result.stdout));
    expect(report.scope).toBe('all');
    expect(report.scopes).toBeUndefined();
    expect(report.components).toHaveLength(3);
  });
});

describe('typos: one sentence, a suggestion, the usage line, exit 2', () => {
  it.each([
    [['dsn'], 'unknown scope "dsn". Did you mean "dns"?'],
    [['dns', 'proxi'], 'unknown scope "proxi". Did you mean "proxy"?'],
    [['sandbx', 'list'], 'unknown command "sandbx". Did you mean "sandbox"?'],
    [['completon', 'bash'], 'unknown command "completon". Did you mean "completion"?'],
    [['--outptu', 'json'], 'unknown flag --outptu. Did you mean "--output"?'],
    [['--kubconfig', 'x'], 'unknown flag --kubconfig. Did you mean "--kubeconfig"?'],
    [['--frobnicate'], 'unknown flag --frobnicate.'],
    [['-o', 'jsno'], '--output must be text, json, yaml or markdown, not "jsno". Did you mean "json"?'],
    [['-o'], '--output needs a value: text|json|yaml|markdown.'],
    [['--lang', 'kr'], '--lang must be en or ko, not "kr". Did you mean "ko"?'],
    [['nonsense'], 'unknown scope "nonsense". Choose dns, cni, proxy or all.'],
  ])('%j', async (args, sentence) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const [first, second, ...rest] = result.stderr.split('\n');
    expect(first).toBe(`netcheck: ${sentence}`);
    expect(second).toMatch(
      /^usage: netcheck \[dns\|cni\|proxy\|all\]\.\.\. .*\[-o\|--output text\|json\|yaml\|markdown\]/,
    );
    expect(rest).toEqual(['']);
  });
});

describe('colour and --quiet', () => {
  /** Runs the CLI on a pseudo-terminal (util-linux `script`), as an interactive shell would. */
  async function onTerminal(term: string): Promise<string> {
    const command = [process.execPath, BIN, 'dns', '--kubeconfig', kubeconfig].map((a) => `'${a}'`).join(' ');
    const { stdout } = await run('script', ['-qec', command, '/dev/null'], {
      env: { ...process.env, TERM: term, NO_COLOR: '' },
    }).catch((e: { stdout: string }) => e);
    return stdout;
  }

  it('colour on a terminal, none with TERM=dumb or through a pipe', async () => {
    expect(await onTerminal('xterm-256color')).toContain('\x1b[31mCRITICAL');
    const dumb = await onTerminal('dumb');
    expect(dumb).toContain('CRITICAL');
    expect(dumb).not.toContain('\x1b[');
    const piped = await runCli(['dns', '--kubeconfig', kubeconfig], { NO_COLOR: '', TERM: 'xterm-256color' });
    expect(piped.stdout).toContain('CRITICAL');
    expect(piped.stdout).not.toContain('\x1b[');
  });

  it('--quiet prints only the status line, with the same exit code', async () => {
    const result = await runCli(['dns', '--kubeconfig', kubeconfig, '--quiet']);
    expect(result).toEqual({
      code: 1,
      stdout: 'netcheck dns sandbox (kubeadm, CNI calico) — CRITICAL\n',
      stderr: '',
    });
  });
});

describe('could not run is exit 2, even when netcheck itself fails', () => {
  const failing = () => {
    let err = '';
    const stdout = new Writable({
      write(_chunk, _encoding, callback) {
        callback();
      },
    });
    // A stdout that fails the way a closed terminal or a full disk does.
    stdout.write = () => {
      throw Object.assign(new Error('write EIO'), { code: 'EIO' });
    };
    const stderr = new Writable({
      write(chunk, _encoding, callback) {
        err += String(chunk);
        callback();
      },
    });
    return { io: { stdout, stderr, env: {} }, err: () => err };
  };

  it('an internal error is exit 2 with one sentence and a hint, never 1 and never a stack', async () => {
    const { io, err } = failing();
    expect(await main(['dns', '--kubeconfig', kubeconfig], io)).toBe(2);
    expect(err()).toBe(
      'netcheck: internal error: write EIO. This is a bug in netcheck, not a finding about the cluster: rerun with NETCHECK_DEBUG=1 for the stack trace and report it.\n',
    );
  });

  it('NETCHECK_DEBUG=1 adds the stack trace', async () => {
    const { io, err } = failing();
    expect(await main(['--version'], { ...io, env: { NETCHECK_DEBUG: '1' } })).toBe(2);
    expect(err()).toMatch(/^netcheck: internal error: write EIO\.\nError: write EIO\n\s+at /);
  });
});

describe('the demo', () => {
  it('exits 0 although the cluster has a critical finding, and says why', async () => {
    const result = await runCli(['demo']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/CRITICAL/);
    expect(result.stdout).toContain(
      'This is a demo, so it exits 0; on a real cluster `netcheck` exits 1 on a critical finding like this one.',
    );
  });
});

describe('as a kubectl plugin', () => {
  it('help and usage name `kubectl netcheck`', async () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        out += String(chunk);
        callback();
      },
    });
    expect(await main(['dsn'], { stdout: sink, stderr: sink, env: {} }, { program: 'kubectl netcheck' })).toBe(2);
    expect(out).toMatch(/^kubectl netcheck: unknown scope "dsn"\. Did you mean "dns"\?\nusage: kubectl netcheck /);
  });
});
