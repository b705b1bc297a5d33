// CNI checks (catalog §A): missing or broken pod network, per-plugin failure signatures.
import type { Check } from '../../check.ts';

export const cniChecks: Check[] = [];
