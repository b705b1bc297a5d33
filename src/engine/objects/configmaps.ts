// ConfigMaps in the Snapshot.
import type { Snapshot } from '../check.ts';
import type { KubeObject } from '../cluster-reader.ts';
import { findObject } from './workloads.ts';

export function configMap(snapshot: Snapshot, namespace: string, name: string): KubeObject | undefined {
  return findObject(snapshot.configMaps, namespace, name);
}

export function configMapData(snapshot: Snapshot, namespace: string, name: string): Record<string, string> | undefined {
  return configMap(snapshot, namespace, name)?.data as Record<string, string> | undefined;
}
