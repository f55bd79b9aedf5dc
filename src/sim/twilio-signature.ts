import { createHmac, timingSafeEqual } from 'node:crypto';

/** The POST parameters of a Twilio webhook; a repeated parameter carries its values as an array. */
export type TwilioParams = Readonly<Record<string, string | readonly string[]>>;

/**
 * The X-Twilio-Signature Twilio puts on every webhook it sends, computed the way Twilio documents
 * it (https://www.twilio.com/docs/usage/webhooks/webhooks-security) and twilio-node implements it:
 *
 * 1. start from the full URL Twilio requested, exactly as configured: scheme, host, port, path
 *    and query string (the `?delivery=<id>` Tocsin adds to a StatusCallback is part of it);
 * 2. sort the POST parameters by name (plain code-unit order, case-sensitive);
 * 3. append each name immediately followed by its value, no separators, no URL-encoding;
 *    a repeated name contributes name+value once per distinct value, values sorted;
 * 4. HMAC-SHA1 the resulting UTF-8 string keyed by the account's auth token; base64 the digest.
 *
 * A GET webhook signs the URL alone (pass `{}`). The simulator signs its status callbacks and
 * inbound-SMS webhooks with this function, so Tocsin's verifier can be tested against it.
 */
export function twilioSignature(authToken: string, url: string, params: TwilioParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    if (typeof value === 'string') {
      data += name + value;
      continue;
    }
    for (const one of [...new Set(value)].sort()) data += name + one;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** True when `signature` is the X-Twilio-Signature of this request (constant-time comparison). */
export function twilioSignatureMatches(
  authToken: string,
  url: string,
  params: TwilioParams,
  signature: string,
): boolean {
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
