// Slack request signing (https://api.slack.com/authentication/verifying-requests-from-slack).
// Bolt's receiver verifies too, but it accepts timestamps from the future and decodes base64 bodies as
// ASCII, so the handler checks first with a symmetric ±5 minute window on the UTF-8 body.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a request's timestamp may drift from our clock, either way. */
export const MAX_SKEW_SECONDS = 5 * 60;

export type SignatureVerdict =
  | { ok: true }
  | { ok: false; reason: 'missing-headers' | 'stale' | 'future' | 'bad-signature' };

/** `v0=` + hex HMAC-SHA256(secret, `v0:{timestamp}:{body}`). */
export function slackSignature(signingSecret: string, timestamp: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export function verifySlackSignature(input: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
  nowMs?: number;
}): SignatureVerdict {
  const { signingSecret, timestamp, signature, rawBody } = input;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return { ok: false, reason: 'missing-headers' };
  const nowSec = Math.floor((input.nowMs ?? Date.now()) / 1000);
  const ts = Number(timestamp);
  if (ts < nowSec - MAX_SKEW_SECONDS) return { ok: false, reason: 'stale' };
  if (ts > nowSec + MAX_SKEW_SECONDS) return { ok: false, reason: 'future' };
  const expected = Buffer.from(slackSignature(signingSecret, timestamp, rawBody));
  const given = Buffer.from(signature);
  // timingSafeEqual needs equal lengths; a length mismatch is already a mismatch and leaks nothing secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }
  return { ok: true };
}
