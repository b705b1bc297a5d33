// pods/log: container choice, previous instance, tailLines and limitBytes, with the kubelet's error wording.
import type { ContainerLogs, KubeObject } from './types.ts';

export type LogResult = { ok: true; text: string } | { ok: false; message: string };

export function tail(text: string, lines: number): string {
  if (lines <= 0) return '';
  const parts = text.split('\n');
  const trailing = parts[parts.length - 1] === '';
  if (trailing) parts.pop();
  const kept = parts.slice(-lines).join('\n');
  return trailing && kept ? `${kept}\n` : kept;
}

export function podLog(pod: KubeObject, logs: ContainerLogs, query: URLSearchParams): LogResult {
  const podName = pod.metadata.name;
  const containers: string[] = (pod.spec?.containers ?? []).map((c: { name: string }) => c.name);
  const inits: string[] = (pod.spec?.initContainers ?? []).map((c: { name: string }) => c.name);
  let container = query.get('container') ?? '';
  if (!container) {
    if (containers.length !== 1) {
      const initPart = inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : '';
      return {
        ok: false,
        message: `a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]${initPart}`,
      };
    }
    container = containers[0]!;
  }
  if (!containers.includes(container) && !inits.includes(container)) {
    return { ok: false, message: `container ${container} is not valid for pod ${podName}` };
  }
  const entry = logs[`${pod.metadata.namespace}/${podName}/${container}`];
  let text: string;
  if (query.get('previous') === 'true') {
    if (entry?.previous === undefined) {
      return { ok: false, message: `previous terminated container "${container}" in pod "${podName}" not found` };
    }
    text = entry.previous;
  } else {
    const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
    const waiting = statuses.find((s: { name: string }) => s.name === container)?.state?.waiting;
    if (entry?.current === undefined && waiting && waiting.reason !== 'CrashLoopBackOff') {
      return {
        ok: false,
        message: `container "${container}" in pod "${podName}" is waiting to start: ${waiting.reason ?? 'ContainerCreating'}`,
      };
    }
    text = entry?.current ?? '';
  }
  const tailLines = query.get('tailLines');
  if (tailLines !== null) text = tail(text, Number(tailLines));
  const limitBytes = query.get('limitBytes');
  if (limitBytes !== null) text = Buffer.from(text).subarray(0, Number(limitBytes)).toString();
  return { ok: true, text };
}
