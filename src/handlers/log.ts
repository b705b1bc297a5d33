// Structured JSON-line logging for the Lambda handlers. Every line passes through redaction so that
// secrets (signing secret, bot token, cluster tokens), request signatures and response_url paths never
// reach CloudWatch, whatever a caller hands us.

import type { Logger } from '@slack/bolt';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Log {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. the job id). Shares the redaction list. */
  child(fields: LogFields): Log;
  /** Registers secret values (tokens loaded at run time) that must never be printed verbatim. */
  redact(...secrets: (string | undefined)[]): void;
}

export interface LogOptions {
  /** Where finished lines go; defaults to stdout, one JSON object per line. */
  write?: (line: string) => void;
  level?: LogLevel;
  now?: () => Date;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /token|secret|signature|password|authorization|credential|cookie/i;
const URL_KEY = /response_?url/i;
// Slack tokens and request signatures have recognizable shapes; scrub them even when nobody registered them.
const SLACK_TOKEN = /xox[abpre]-[A-Za-z0-9-]+/g;
const SLACK_APP_TOKEN = /xapp-[A-Za-z0-9-]+/g;
const SIGNATURE = /v0=[0-9a-f]{16,}/g;
const RESPONSE_URL = /(https?:\/\/[^/\s"]+)\/(commands|actions)\/[^\s"]+/g;

export function createLog(options: LogOptions = {}): Log {
  const secrets = new Set<string>();
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const threshold = ORDER[options.level ?? 'info'];
  const now = options.now ?? (() => new Date());

  const scrub = (text: string): string => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join('[redacted]');
    return out
      .replace(SLACK_TOKEN, '[redacted]')
      .replace(SLACK_APP_TOKEN, '[redacted]')
      .replace(SIGNATURE, '[redacted]')
      .replace(RESPONSE_URL, '$1/$2/[redacted]');
  };

  const make = (base: LogFields): Log => {
    const emit = (level: LogLevel, message: string, fields?: LogFields) => {
      if (ORDER[level] < threshold) return;
      const line = { level, time: now().toISOString(), message, ...base, ...fields };
      write(scrub(JSON.stringify(line, replacer)));
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (fields) => make({ ...base, ...fields }),
      redact: (...values) => {
        // Very short values would shred unrelated text; real secrets are long.
        for (const v of values) if (v && v.length >= 6) secrets.add(v);
      },
    };
  };
  return make({});
}

function replacer(key: string, value: unknown): unknown {
  if (key && SECRET_KEY.test(key) && typeof value === 'string') return '[redacted]';
  if (key && URL_KEY.test(key) && typeof value === 'string') return redactUrl(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: value.message, ...(code !== undefined ? { code } : {}) };
  }
  return value;
}

/** Keeps only the origin: a response_url's path is itself a bearer credential for 30 minutes. */
export function redactUrl(url: string): string {
  try {
    return `${new URL(url).origin}/[redacted]`;
  } catch {
    return '[redacted]';
  }
}

/** Adapts a Log to the Logger interface Bolt and the Slack WebClient expect. Debug output is dropped:
 * Bolt's debug lines dump whole requests, headers and signatures included. */
export function slackLogger(log: Log, name = 'slack'): Logger {
  let level = 'info' as ReturnType<Logger['getLevel']>;
  const text = (parts: unknown[]) => parts.map((p) => (p instanceof Error ? p.message : String(p))).join(' ');
  return {
    debug: (..._msg: unknown[]) => {},
    info: (...msg: unknown[]) => log.info(text(msg), { component: name }),
    warn: (...msg: unknown[]) => log.warn(text(msg), { component: name }),
    error: (...msg: unknown[]) => log.error(text(msg), { component: name }),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n) => {
      name = n;
    },
  };
}
