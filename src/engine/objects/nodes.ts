// Node conditions and pod CIDRs.
import type { KubeObject } from '../cluster-reader.ts';
import { conditionOf } from './conditions.ts';

export function nodeCondition(
  node: KubeObject,
  type: string,
): { type: string; status: string; reason?: string; message?: string } | undefined {
  return conditionOf(node, type);
}

export function nodeReady(node: KubeObject): boolean {
  return nodeCondition(node, 'Ready')?.status === 'True';
}

/** Node pod CIDRs (spec.podCIDRs, falling back to spec.podCIDR). */
export function nodePodCidrs(node: KubeObject): string[] {
  const list = Array.isArray(node.spec?.podCIDRs) ? (node.spec.podCIDRs as string[]) : [];
  if (list.length > 0) return list;
  return node.spec?.podCIDR ? [String(node.spec.podCIDR)] : [];
}
