// status.conditions lookup shared by pods and nodes.
import type { KubeObject } from '../cluster-reader.ts';

// biome-ignore lint/suspicious/noExplicitAny: conditions are open-ended wire objects.
export function conditionOf(obj: KubeObject, type: string): any {
  const conditions = Array.isArray(obj.status?.conditions) ? obj.status.conditions : [];
  return conditions.find((c: { type?: string }) => c?.type === type);
}
