// Incident state for `netcheck dev`, in memory (production uses DynamoDB, src/aws/incidents.ts), with the same
// conditions: open only if absent or expired, save only on top of the version read.
import type { IncidentRecord, IncidentStore } from '../incidents/index.ts';

export function createMemoryIncidentStore(): IncidentStore {
  const items = new Map<string, IncidentRecord>();
  return {
    async open(record) {
      const held = items.get(record.key);
      if (held && held.expiresAt >= record.openedAt) return false;
      items.set(record.key, structuredClone(record));
      return true;
    },
    async get(key, now) {
      const held = items.get(key);
      return held && held.expiresAt > now ? structuredClone(held) : undefined;
    },
    async save(next) {
      if (items.get(next.key)?.version !== next.version - 1) return false;
      items.set(next.key, structuredClone(next));
      return true;
    },
  };
}
