// What every trigger's listener is built from; app.ts creates it once per App (once per cold start).
import type { OfferStore } from '../../aws/offers.ts';
import type { AppConfig } from '../config/schema.ts';
import type { Log } from '../log.ts';
import type { AccessResolver } from './access.ts';
import type { Enqueue } from './enqueue.ts';
import type { RemediationDeps } from './plan-click.ts';

export interface ListenerDeps {
  config: AppConfig;
  log: Log;
  access: AccessResolver;
  enqueue: Enqueue;
  /** POSTs to a response_url (ephemeral answers to button clicks); bounded by a short timeout. */
  respond: (responseUrl: string, message: Record<string, unknown>) => Promise<void>;
  /** The plans table and the remediator: present when the remediation flow is configured. */
  remediation?: RemediationDeps;
  /** The button offers (Re-run): present whenever the offers table is named (config.offersTable). */
  offers?: OfferStore;
}
