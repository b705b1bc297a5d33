// Preloaded into one `netcheck all` process by the bench (`node --import bench/phase-trace.ts …`): where the time of
// a whole run goes, from Node's own diagnostics channels — process start to the first request (Node start, module
// loading, kubeconfig), the TLS handshakes, each wave of requests, and the last answer to exit (checks, rendering).
// Prints one `netcheck-phases {json}` line on stderr at exit.
import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

const now = () => performance.now();
const requests: { start: number; end?: number }[] = [];
const byRequest = new WeakMap<object, { start: number; end?: number }>();
const handshakes: number[] = [];

subscribe('http.client.request.start', (message) => {
  const r = { start: now() };
  requests.push(r);
  byRequest.set((message as { request: object }).request, r);
});
subscribe('http.client.response.finish', (message) => {
  const r = byRequest.get((message as { request: object }).request);
  if (r) r.end = now();
});
subscribe('net.client.socket', (message) => {
  const started = now();
  (message as { socket: Socket }).socket.once('secureConnect', () => handshakes.push(now() - started));
});

process.on('exit', () => {
  // A wave starts with a request issued when every earlier one has been answered.
  const waves: { start: number; end: number; requests: number }[] = [];
  let busyUntil = Number.NEGATIVE_INFINITY;
  for (const r of [...requests].sort((a, b) => a.start - b.start)) {
    const end = r.end ?? r.start;
    if (r.start >= busyUntil) waves.push({ start: r.start, end, requests: 0 });
    const wave = waves.at(-1)!;
    wave.requests++;
    wave.end = Math.max(wave.end, end);
    busyUntil = Math.max(busyUntil, end);
  }
  const round = (n: number) => Math.round(n);
  const exit = now();
  const phases = {
    toFirstRequestMs: round(waves[0]?.start ?? exit),
    tlsHandshakes: handshakes.length,
    tlsMedianMs: round([...handshakes].sort((a, b) => a - b)[Math.floor(handshakes.length / 2)] ?? 0),
    waves: waves.map((w) => ({ ms: round(w.end - w.start), requests: w.requests, gapBeforeMs: 0 })),
    afterLastAnswerMs: round(exit - (waves.at(-1)?.end ?? exit)),
    exitMs: round(exit),
  };
  // Between waves the engine works (fingerprint, log planning): shown as the gap before each later wave.
  for (let i = 1; i < waves.length; i++) phases.waves[i]!.gapBeforeMs = round(waves[i]!.start - waves[i - 1]!.end);
  process.stderr.write(`netcheck-phases ${JSON.stringify(phases)}\n`);
});
