// `netcheck sandbox list|start`: serve a scenario cluster over real HTTPS on 127.0.0.1 for kubectl, the CLI and tests.
import { writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { parseArgs } from 'node:util';
import { generateLargeCluster } from '../sandbox/generate.ts';
import { listScenarios, loadScenario, UnknownScenarioError } from '../sandbox/scenarios.ts';
import type { Fault, Latency, Scenario } from '../sandbox/types.ts';

export interface SandboxCommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface SandboxCommandOptions {
  /** Stops `start` like SIGINT would (tests use it; the CLI relies on the signals). */
  signal?: AbortSignal;
  /** Called once the server answers and the kubeconfig is written (tests use it to find the URL). */
  onReady?: (info: { url: string; kubeconfigPath: string }) => void;
}

export const SANDBOX_USAGE = `Usage:
  netcheck sandbox list
  netcheck sandbox start --scenario NAME --write-kubeconfig PATH [--port N] [--latency-ms N] [--jitter-ms N]
                         [--fault SPEC]... [--user admin|bot]

  --scenario NAME          a scenario from \`netcheck sandbox list\`, or large:N for a generated N-node cluster
                           (large:N:coredns-loop for the broken variant)
  --write-kubeconfig PATH  where to write a kubeconfig for the sandbox (written once the server answers)
  --port N                 port on 127.0.0.1 (default: a free port)
  --latency-ms N           delay every response by N ms; --jitter-ms adds up to N ms at random
  --user admin|bot         identity in the kubeconfig: cluster-admin, or netcheck's read-only bot (default admin)
  --fault SPEC             inject a fault, repeatable. SPEC is VERB:PATH:ACTION[:TIMES]
                             VERB    GET, LIST (a GET on a collection), POST, PUT, PATCH, DELETE or *
                             PATH    regular expression on the request path, or *
                             ACTION  an HTTP status (500, 503, 429 or 429/SECONDS for Retry-After),
                                     hang (never answer), reset (drop the connection), html (a proxy's 502
                                     error page) or truncate (a 200 whose JSON is cut off)
                             TIMES   affect only the first TIMES matching requests
                           e.g. LIST:/api/v1/namespaces/kube-system/pods:503
                                *:/apis/apps.*:hang
                                GET:/api/v1/namespaces/kube-system/pods/.*/log:429/2:3
`;

/** Raised for bad command lines; the message is one sentence for stderr. */
class UsageError extends Error {}

export async function sandboxCommand(
  argv: string[],
  io: SandboxCommandIo,
  options: SandboxCommandOptions = {},
): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === 'list') return await list(rest, io);
    if (sub === 'start') return await start(rest, io, options);
    if (sub === 'help' || sub === '--help' || sub === '-h') {
      io.stdout.write(SANDBOX_USAGE);
      return 0;
    }
    throw new UsageError(sub ? `Unknown sandbox command "${sub}".` : 'Missing sandbox command (list or start).');
  } catch (err) {
    if (err instanceof UsageError || err instanceof UnknownScenarioError) {
      io.stderr.write(`netcheck sandbox: ${err.message}\n\n${SANDBOX_USAGE}`);
      return 2;
    }
    throw err;
  }
}

async function list(argv: string[], io: SandboxCommandIo): Promise<number> {
  parse(argv, {});
  const scenarios = await listScenarios();
  const width = Math.max(...scenarios.map((s) => s.name.length));
  for (const s of scenarios) {
    io.stdout.write(`${s.name.padEnd(width)}  ${s.healthy ? 'healthy' : 'broken '}  ${s.description}\n`);
  }
  return 0;
}

async function start(argv: string[], io: SandboxCommandIo, options: SandboxCommandOptions): Promise<number> {
  const { values } = parse(argv, {
    scenario: { type: 'string' },
    'write-kubeconfig': { type: 'string' },
    port: { type: 'string' },
    'latency-ms': { type: 'string' },
    'jitter-ms': { type: 'string' },
    fault: { type: 'string', multiple: true },
    user: { type: 'string' },
  });
  if (!values.scenario) throw new UsageError('--scenario is required.');
  const kubeconfigPath = values['write-kubeconfig'];
  if (!kubeconfigPath) throw new UsageError('--write-kubeconfig is required.');
  const user = values.user ?? 'admin';
  if (user !== 'admin' && user !== 'bot') throw new UsageError(`--user must be admin or bot, not "${user}".`);
  const port = values.port === undefined ? 0 : integer('--port', values.port, 0, 65535);
  const latency = latencyFrom(values['latency-ms'], values['jitter-ms']);
  const faults = (values.fault ?? []).map(parseFault);
  const scenario = await scenarioFor(values.scenario);

  const { startSandbox } = await import('../sandbox/server.ts');
  const sandbox = await startSandbox({
    scenario,
    port,
    ...(latency ? { latency } : {}),
    ...(faults.length ? { faults } : {}),
  });
  try {
    await waitUntilAnswering(sandbox.url, sandbox.caPem, sandbox.tokens[user]);
    await writeFile(kubeconfigPath, sandbox.kubeconfig(user), { mode: 0o600 });
    io.stdout.write(`sandbox ${scenario.name} serving at ${sandbox.url}; kubeconfig written to ${kubeconfigPath}\n`);
    options.onReady?.({ url: sandbox.url, kubeconfigPath });
    await untilStopped(options.signal);
  } finally {
    await sandbox.close();
  }
  return 0;
}

function parse<T extends Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>(argv: string[], spec: T) {
  try {
    return parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false });
  } catch (err) {
    // node:util messages are already one sentence, e.g. "Unknown option '--bogus'".
    throw new UsageError(`${(err as Error).message.replace(/\.?$/, '.')}`);
  }
}

function integer(flag: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max)
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}.`);
  return n;
}

function latencyFrom(fixed: string | undefined, jitter: string | undefined): Latency | undefined {
  if (fixed === undefined && jitter === undefined) return undefined;
  return {
    fixedMs: fixed === undefined ? 0 : integer('--latency-ms', fixed, 0, 600_000),
    ...(jitter === undefined ? {} : { jitterMs: integer('--jitter-ms', jitter, 0, 600_000) }),
  };
}

const FAULT_VERBS = new Set(['GET', 'LIST', 'POST', 'PUT', 'PATCH', 'DELETE', '*']);

/** VERB:PATH:ACTION[:TIMES]; PATH may itself contain colons, so the ends are parsed first. */
export function parseFault(spec: string): Fault {
  const parts = spec.split(':');
  const bad = (why: string) => new UsageError(`Bad --fault "${spec}": ${why}; expected VERB:PATH:ACTION[:TIMES].`);
  if (parts.length < 3) throw bad('too few parts');
  const verb = parts.shift()!.toUpperCase();
  if (!FAULT_VERBS.has(verb)) throw bad(`unknown verb "${verb}"`);
  let times: number | undefined;
  const isAction = (s: string | undefined) => s !== undefined && /^(hang|reset|html|truncate|\d{3}(\/\d+)?)$/.test(s);
  if (parts.length >= 3 && /^\d+$/.test(parts.at(-1)!) && isAction(parts.at(-2))) times = Number(parts.pop());
  const action = parts.pop()!;
  const path = parts.join(':');
  if (!path) throw bad('empty path');
  if (path !== '*') {
    try {
      new RegExp(path);
    } catch {
      throw bad('the path is not a valid regular expression');
    }
  }
  const base = { ...(verb === '*' ? {} : { verb }), ...(path === '*' ? {} : { path }), ...(times ? { times } : {}) };
  if (action === 'hang' || action === 'reset' || action === 'html' || action === 'truncate') {
    return { ...base, kind: action };
  }
  const status = /^(\d{3})(?:\/(\d+))?$/.exec(action);
  if (!status || Number(status[1]) < 400) throw bad(`unknown action "${action}"`);
  return {
    ...base,
    kind: 'status',
    status: Number(status[1]),
    ...(status[2] ? { retryAfterSeconds: Number(status[2]) } : {}),
  };
}

async function scenarioFor(name: string): Promise<Scenario> {
  const large = /^large:(\d+)(?::(coredns-loop))?$/.exec(name);
  if (!large) return loadScenario(name);
  try {
    return generateLargeCluster({
      nodes: Number(large[1]),
      broken: large[2] === 'coredns-loop' ? 'coredns-loop' : 'none',
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}.`);
  }
}

/** Polls GET /version over TLS with the sandbox CA until it answers, so the kubeconfig never points at nothing. */
async function waitUntilAnswering(url: string, ca: string, token: string): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await getVersion(url, ca, token);
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`sandbox at ${url} did not answer: ${(lastError as Error)?.message}`);
}

function getVersion(url: string, ca: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${token}` };
    const req = request(new URL('/version', url), { ca, headers, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

function untilStopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    if (signal?.aborted) return stop();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    signal?.addEventListener('abort', stop);
  });
}
