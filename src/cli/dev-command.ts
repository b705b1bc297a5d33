// `netcheck dev [--scenario NAME] [--port N] [--latency-ms N] [--socket]`: the Slack bot against a sandbox cluster on
// this machine. HTTP mode serves POST /slack/events and, unless SLACK_API_URL points at another Slack API, a
// built-in Slack API with the preview page on http://127.0.0.1:PORT/; --socket connects to a real workspace.
import { parseArgs } from 'node:util';
import { FAKE_TEAM } from '../dev/slack-api.ts';
import { DEV_OPS_CHANNEL, DEV_USERS } from '../dev/workspace.ts';
import type { Io } from './io.ts';

const USAGE = 'usage: netcheck dev [--scenario NAME] [--port N] [--latency-ms N] [--socket]';

export async function devCommand(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  let values: { scenario?: string; port?: string; 'latency-ms'?: string; socket?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string' },
        port: { type: 'string' },
        'latency-ms': { type: 'string' },
        socket: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`${(error as Error).message.split('\n')[0]}\n${USAGE}\n`);
    return 2;
  }
  const port = Number(values.port ?? '3000');
  const latencyMs = values['latency-ms'] === undefined ? undefined : Number(values['latency-ms']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr.write(`--port must be a port number, not "${values.port}"\n${USAGE}\n`);
    return 2;
  }
  if (latencyMs !== undefined && (!Number.isFinite(latencyMs) || latencyMs < 0)) {
    io.stderr.write(`--latency-ms must be a non-negative number\n${USAGE}\n`);
    return 2;
  }
  const scenario = values.scenario ?? 'coredns-loop';

  const { DevSetupError, requireDevSlackEnv, startDevServer, startSocketModeDev } = await import(
    '../dev/dev-server.ts'
  );
  const { createLog } = await import('../handlers/log.ts');
  const log = createLog({ write: (line) => io.stderr.write(`${line}\n`) });
  let close: () => Promise<void>;
  try {
    requireDevSlackEnv(io.env, values.socket);
    const latency = latencyMs === undefined ? undefined : { fixedMs: latencyMs };
    if (values.socket) {
      const dev = await startSocketModeDev({ scenario, env: io.env, log, ...(latency ? { latency } : {}) });
      io.stdout.write(
        `netcheck dev: connected to Slack over Socket Mode; cluster "sandbox" runs scenario ${scenario}\n`,
      );
      close = dev.close;
    } else {
      const dev = await startDevServer({ scenario, port, env: io.env, log, ...(latency ? { latency } : {}) });
      io.stdout.write(readyText(dev, scenario));
      close = dev.close;
    }
  } catch (error) {
    if (error instanceof DevSetupError || (error as Error).name === 'UnknownScenarioError') {
      io.stderr.write(`netcheck dev: ${(error as Error).message}\n`);
      return 2;
    }
    io.stderr.write(`netcheck dev: could not start: ${(error as Error).message}\n`);
    return 2;
  }

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    if (signal?.aborted) return stop();
    signal?.addEventListener('abort', stop, { once: true });
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await close();
  io.stdout.write('netcheck dev: stopped\n');
  return 0;
}

/** What to open and what to paste: the page, and a curl that signs a /netcheck the way Slack does. */
export function readyText(
  dev: { url: string; pageUrl?: string; signingSecretFile: string; sampleResponseUrl: string },
  scenario: string,
): string {
  // Shell text, not a template: $ts, $body and $sig are the pasting shell's. Everything else is spelled out, so it
  // works in a fresh shell; the secret is read from a 0600 file instead of being printed.
  const body = new URLSearchParams({
    command: '/netcheck',
    text: 'dns',
    user_id: DEV_USERS.alice,
    user_name: 'alice',
    channel_id: DEV_OPS_CHANNEL,
    channel_name: 'ops',
    team_id: FAKE_TEAM.id,
    response_url: dev.sampleResponseUrl,
  }).toString();
  const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
  return [
    `netcheck dev: listening on ${dev.url} (cluster "sandbox", scenario ${scenario})`,
    ...(dev.pageUrl
      ? [`Slack preview: open ${dev.pageUrl} — type /netcheck as Alice or Bob, click buttons, post alerts.`]
      : []),
    'Or send a signed /netcheck dns from any shell:',
    `  ts=$(date +%s); body=${quote(body)}"&trigger_id=dev.$ts"`,
    `  sig="v0=$(printf 'v0:%s:%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$(cat ${quote(dev.signingSecretFile)})" | sed 's/^.* //')"`,
    `  curl -s ${dev.url} -H "x-slack-request-timestamp: $ts" -H "x-slack-signature: $sig" \\`,
    `    -H 'content-type: application/x-www-form-urlencoded' --data "$body"`,
    '',
  ].join('\n');
}
