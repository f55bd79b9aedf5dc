import { createHmac, timingSafeEqual } from 'node:crypto';

/** How old a signed webhook may be before a receiver refuses it as a replay. */
const webhookToleranceSeconds = 300;

/**
 * `X-Tocsin-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed by the
 * shared secret (TOCSIN_WEBHOOK_SECRET). The timestamp is signed with the body, so a receiver
 * that refuses old timestamps refuses replays.
 */
export function tocsinSignature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * What a receiver does (and what Tocsin's tests do): parse the header, recompute the HMAC over
 * "<t>.<raw body>" exactly as received, compare in constant time, and refuse a timestamp more than
 * five minutes from its own clock. Returns why it refused, or null when the webhook is genuine.
 */
export function tocsinSignatureProblem(
  secret: string,
  header: string | undefined,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = webhookToleranceSeconds,
): string | null {
  const parts = new Map((header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isInteger(t) || !given) return 'missing or malformed X-Tocsin-Signature';
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return 'timestamp outside the tolerance (replayed?)';
  const expected = Buffer.from(tocsinSignature(secret, body, t).split('v1=')[1]!, 'hex');
  const actual = Buffer.from(given, 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? null : 'signature mismatch';
}
