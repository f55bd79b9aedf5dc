import { isRetryableStatus } from './http-client.js';

/** A refused Twilio request: HTTP status, Twilio's error code and message, and Retry-After. */
export interface TwilioRefusal {
  status: number;
  code: number | undefined;
  message: string;
  retryAfterMs: number | undefined;
}

/** What to do about a refusal: the outcome of the message, and whether to rest the sender. */
export type TwilioVerdict =
  | { kind: 'retryable'; error: string; code: string; retryAfterMs?: number; pauseSenderMs?: number }
  | { kind: 'permanent'; error: string; code: string };

/** Waiting this long after a 429 that says nothing about when to come back. */
const defaultRateLimitPauseMs = 1_000;
/** A sender the account may not use rests this long, so the others carry the load meanwhile. */
const refusedSenderPauseMs = 60_000;

// The provider's configuration, not the message: another provider (or the same one once fixed)
// can still deliver, so these never fail a message for good. 20003 authentication, 20404 unknown
// account or resource, 20005 account suspended, 21606/21212/21210 a From the account may not use.
const configurationCodes = new Set([20003, 20005, 20404]);
const senderCodes = new Set([21606, 21212, 21210]);

/**
 * Classify a refused Twilio request. Retryable: timeouts, 5xx, 429 (with Retry-After), and the
 * account's configuration (credentials, a sender it may not use). Permanent: the message or its
 * recipient (21211 invalid To, 21610 unsubscribed, 21614 not a mobile, 21408 region not enabled,
 * other 4xx).
 */
export function classifyTwilioRefusal(refusal: TwilioRefusal): TwilioVerdict {
  const code = refusal.code !== undefined ? String(refusal.code) : `http-${refusal.status}`;
  const error = `Twilio ${refusal.code ?? `HTTP ${refusal.status}`}: ${refusal.message}`;
  if (refusal.status === 429) {
    const wait = refusal.retryAfterMs ?? defaultRateLimitPauseMs;
    return { kind: 'retryable', error, code, retryAfterMs: wait, pauseSenderMs: wait };
  }
  if (isRetryableStatus(refusal.status))
    return { kind: 'retryable', error, code, retryAfterMs: refusal.retryAfterMs };
  if (refusal.code !== undefined && senderCodes.has(refusal.code))
    return { kind: 'retryable', error, code, pauseSenderMs: refusedSenderPauseMs };
  if (
    refusal.status === 401 ||
    refusal.status === 403 ||
    refusal.status === 404 ||
    (refusal.code !== undefined && configurationCodes.has(refusal.code))
  )
    return { kind: 'retryable', error, code };
  return { kind: 'permanent', error, code };
}
