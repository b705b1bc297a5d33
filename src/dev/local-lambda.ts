// Dev tooling: the Lambda Invoke REST API on loopback, so `netcheck dev` and tests run the real LambdaClient
// against in-process functions. `Event` invocations answer 202 first and run afterwards, like Lambda does.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The part of the Lambda context our handlers use. */
export interface LocalLambdaContext {
  functionName: string;
  awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

export type LocalFunction = (event: unknown, context: LocalLambdaContext) => Promise<unknown>;

export interface Invocation {
  functionName: string;
  invocationType: string;
  payload: unknown;
  /** Set once the function finished. */
  result?: unknown;
  error?: string;
}

export interface LocalLambda {
  endpoint: string;
  invocations: Invocation[];
  /** Resolves when every invocation accepted so far (and any they triggered) has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface LocalLambdaOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Simulated timeout for getRemainingTimeInMillis (default 120 s, the worker's). */
  timeoutMs?: number;
  /** Called when an `Event` invocation fails (nobody else would see it). Default: console.error. */
  onAsyncError?: (functionName: string, error: unknown) => void;
}

// Lambda's payload quotas: 1 MB for asynchronous invocations, 6 MB for synchronous ones.
const MAX_EVENT_BYTES = 1024 * 1024;
const MAX_SYNC_BYTES = 6 * 1024 * 1024;
const ROUTE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

function functionNameOf(raw: string): string {
  // Accepts a name, a partial ARN or a full ARN, with or without qualifier.
  const m = /^(?:arn:aws[a-z-]*:lambda:[^:]+:\d+:function:|\d+:function:)?([^:]+)(?::.+)?$/.exec(raw);
  return m ? m[1]! : raw;
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  res.end(JSON.stringify({ Type: 'User', message }));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startLocalLambda(
  functions: Record<string, LocalFunction>,
  options: LocalLambdaOptions = {},
): Promise<LocalLambda> {
  const invocations: Invocation[] = [];
  const running = new Set<Promise<void>>();
  const timeoutMs = options.timeoutMs ?? 120_000;
  const onAsyncError =
    options.onAsyncError ?? ((name: string, error: unknown) => console.error(`[local-lambda] ${name} failed:`, error));

  async function run(name: string, fn: LocalFunction, invocation: Invocation): Promise<unknown> {
    const started = Date.now();
    const context: LocalLambdaContext = {
      functionName: name,
      awsRequestId: randomUUID(),
      getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    };
    try {
      invocation.result = await fn(invocation.payload, context);
      return invocation.result;
    } catch (e) {
      invocation.error = e instanceof Error ? e.message : String(e);
      throw e;
    }
  }

  const server = createServer(async (req, res) => {
    const route = ROUTE.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (req.method !== 'POST' || !route) {
      return sendError(res, 404, 'ResourceNotFoundException', `no route for ${req.method} ${req.url}`);
    }
    const name = functionNameOf(decodeURIComponent(route[1]!));
    const invocationType = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    const body = await readBody(req);
    const fn = functions[name];
    if (!fn) return sendError(res, 404, 'ResourceNotFoundException', `Function not found: ${name}`);
    if (!['Event', 'RequestResponse', 'DryRun'].includes(invocationType)) {
      return sendError(res, 400, 'InvalidParameterValueException', `invalid invocation type ${invocationType}`);
    }
    const limit = invocationType === 'Event' ? MAX_EVENT_BYTES : MAX_SYNC_BYTES;
    if (body.length > limit) {
      return sendError(res, 413, 'RequestTooLargeException', `Request must be smaller than ${limit} bytes`);
    }
    let payload: unknown;
    try {
      payload = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      return sendError(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json');
    }
    if (invocationType === 'DryRun') {
      res.writeHead(204).end();
      return;
    }
    const invocation: Invocation = { functionName: name, invocationType, payload };
    invocations.push(invocation);

    if (invocationType === 'Event') {
      res.writeHead(202, { 'x-amzn-requestid': randomUUID() }).end();
      const done = run(name, fn, invocation).then(
        () => undefined,
        (e) => onAsyncError(name, e),
      );
      running.add(done);
      void done.finally(() => running.delete(done));
      return;
    }
    try {
      const result = await run(name, fn, invocation);
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
      res.end(result === undefined ? 'null' : JSON.stringify(result));
    } catch (e) {
      // Function errors are a 200 with X-Amz-Function-Error, as on Lambda.
      const err = e instanceof Error ? e : new Error(String(e));
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' });
      res.end(JSON.stringify({ errorType: err.name, errorMessage: err.message, trace: [] }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    invocations,
    async idle() {
      // Loop: a finishing function may itself have invoked another one.
      while (running.size) await Promise.all([...running]);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
