import { describe, expect, it } from 'vitest';
import { isIncidentChannel } from './channel.ts';

describe('incident channels', () => {
  it('match channel names against the configured pattern', () => {
    expect(isIncidentChannel('inc-2231-dns', /^inc-/)).toBe(true);
    expect(isIncidentChannel('general', /^inc-/)).toBe(false);
    expect(isIncidentChannel(undefined, /^inc-/)).toBe(false);
  });
});
