// The streams a command writes to, injectable so commands run in-process in tests.
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** How the user called us, for messages: `netcheck`, or `kubectl netcheck` as a kubectl plugin. */
  program?: string;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
