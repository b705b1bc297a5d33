// Container logs in the Snapshot, and finding the line that tells the story.
import type { Snapshot } from '../check.ts';
import type { KubeObject } from '../cluster-reader.ts';
import { truncate } from '../findings.ts';
import { allStatuses, containerNames } from './pods.ts';

export function logKey(namespace: string, pod: string, container: string): string {
  return `${namespace}/${pod}/${container}`;
}

/** Logs of one container (default: the pod's first container). */
export function logsFor(
  snapshot: Snapshot,
  pod: KubeObject,
  container?: string,
): { current?: string; previous?: string } {
  const name = container ?? containerNames(pod.spec)[0] ?? allStatuses(pod).main[0]?.name;
  if (!name) return {};
  return snapshot.logs[logKey(pod.metadata.namespace ?? '', pod.metadata.name, name)] ?? {};
}

/** Current and previous log text joined (previous first: a crash-looper prints its fatal line there). */
export function allLogText(logs: { current?: string; previous?: string }): string {
  return [logs.previous, logs.current].filter(Boolean).join('\n');
}

/** The whole first line containing the pattern, trimmed to ~300 chars. */
export function findLogLine(text: string | undefined, pattern: string | RegExp): string | undefined {
  if (!text) return undefined;
  for (const line of text.split('\n')) {
    if (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line)) return truncate(line);
  }
  return undefined;
}

/** The last non-empty line, for quoting a crash we do not recognise. */
export function lastLogLine(text: string | undefined): string | undefined {
  const lines = (text ?? '').split('\n').filter((l) => l.trim() !== '');
  const last = lines[lines.length - 1];
  return last === undefined ? undefined : truncate(last);
}

/** Current then previous log text of a pod (all containers, or one), for pattern matching. */
export function podLogs(snapshot: Snapshot, pod: KubeObject, container?: string): string[] {
  const prefix = `${pod.metadata.namespace}/${pod.metadata.name}/`;
  const out: string[] = [];
  for (const [key, value] of Object.entries(snapshot.logs)) {
    if (!key.startsWith(prefix)) continue;
    if (container && key !== prefix + container) continue;
    if (value.previous) out.push(value.previous);
    if (value.current) out.push(value.current);
  }
  return out;
}

export function logLines(texts: string[]): string[] {
  return texts.flatMap((t) => t.split('\n')).filter((l) => l.trim() !== '');
}

export function findLine(texts: string[], pattern: RegExp): string | undefined {
  const line = logLines(texts).find((l) => pattern.test(l));
  return line === undefined ? undefined : truncate(line);
}

export function countLines(texts: string[], pattern: RegExp): number {
  return logLines(texts).filter((l) => pattern.test(l)).length;
}

export function lastLines(texts: string[], n: number): string[] {
  return logLines(texts)
    .slice(-n)
    .map((l) => truncate(l));
}
