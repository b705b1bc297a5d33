// `netcheck dev --scenario NAME [--port N] [--latency-ms N] [--socket]`: the Slack bot against a sandbox cluster on
// this machine. HTTP mode serves POST /slack/events for a local Slack API fake (or a tunnel); --socket connects
// to a real workspace through Socket Mode.
import { parseArgs } from 'node:util';
import type { Io } from './io.ts';

const USAGE = 'usage: netcheck dev --scenario NAME [--port N] [--latency-ms N] [--socket]';

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
      io.stdout.write(readyText(dev.url, scenario));
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

/** The ready line, with a curl that signs a slash command the way Slack does (openssl computes the HMAC). */
export function readyText(url: string, scenario: string): string {
  // Shell text, not a template: $ts and ${SLACK_API_URL…} are expanded by the user's shell.
  const body =
    'command=%2Fnetcheck&text=dns&user_id=U0DEV&user_name=dev&channel_id=C0DEV&team_id=T0DEV' +
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, on purpose.
    '&trigger_id=dev.$ts&response_url=${SLACK_API_URL%/api/}/response/dev';
  return [
    `netcheck dev: listening on ${url} (cluster "sandbox", scenario ${scenario})`,
    'Try a signed /netcheck dns:',
    `  ts=$(date +%s); body="${body}"`,
    `  sig="v0=$(printf 'v0:%s:%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$SLACK_SIGNING_SECRET" | sed 's/^.* //')"`,
    `  curl -s ${url} -H "x-slack-request-timestamp: $ts" -H "x-slack-signature: $sig" \\`,
    `    -H 'content-type: application/x-www-form-urlencoded' --data "$body"`,
    '',
  ].join('\n');
}
