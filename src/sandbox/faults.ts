// Injected misbehaviour: per-request fault matching and latency.
import type { Fault, Latency } from './types.ts';

interface ArmedFault {
  fault: Fault;
  pattern: RegExp | undefined;
  remaining: number;
}

export class FaultInjector {
  private armed: ArmedFault[] = [];
  latency: Latency | undefined;

  set(faults: Fault[]): void {
    this.armed = faults.map((fault) => ({
      fault,
      pattern: fault.path ? new RegExp(fault.path) : undefined,
      remaining: fault.times ?? Number.POSITIVE_INFINITY,
    }));
  }

  /** The first fault matching this request, consuming one of its `times`. */
  take(verb: string, path: string): Fault | undefined {
    for (const a of this.armed) {
      if (a.remaining <= 0) continue;
      const verbOk = !a.fault.verb || a.fault.verb === '*' || a.fault.verb.toUpperCase() === verb;
      if (!verbOk || (a.pattern && !a.pattern.test(path))) continue;
      a.remaining--;
      return a.fault;
    }
    return undefined;
  }

  delayMs(): number {
    if (!this.latency) return 0;
    return this.latency.fixedMs + Math.random() * (this.latency.jitterMs ?? 0);
  }
}
