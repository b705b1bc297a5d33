// The local AWS endpoints listen the same way: a free port on 127.0.0.1 only, and a close that does not wait for
// kept-alive SDK connections.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function listenOnLoopback(server: Server): Promise<{ endpoint: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

export type AwsJsonAnswer = [status: number, body: unknown];

/**
 * A server speaking AWS's JSON 1.1 protocol (Secrets Manager, SSM): the handler gets the operation (`X-Amz-Target`,
 * empty unless POST) and the parsed body, and answers a status and a body; an unparsable body is the
 * SerializationException AWS gives.
 */
export function awsJsonServer(handle: (target: string, input: Record<string, unknown>) => AwsJsonAnswer): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let answer: AwsJsonAnswer;
      try {
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        answer = handle(req.method === 'POST' ? String(req.headers['x-amz-target'] ?? '') : '', input);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        answer = [400, { __type: 'SerializationException', message: 'invalid JSON body' }];
      }
      res.writeHead(answer[0], { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
      res.end(JSON.stringify(answer[1]));
    });
  });
}
