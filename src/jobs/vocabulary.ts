// The report contract's enums as zod/mini schemas, for the Slack function's import graph. src/engine/report.ts
// builds them with classic zod, whose ~450 KiB would be parsed at every cold start of the ack function;
// vocabulary.test.ts keeps the two in step.

import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// Classic zod installs the English messages when it loads; mini leaves them to the application. Config errors
// and secret errors quote these messages, so they read the same in both functions.
z.config(en());

export const Lang = z.enum(['en', 'ko']);
export const Scope = z.enum(['dns', 'cni', 'proxy', 'all']);
/** A Finding's catalog id, e.g. `coredns.loop-detected`. */
export const FindingId = z.string().check(z.regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/));
