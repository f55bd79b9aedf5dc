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

/**
 * The URL Twilio signed for a webhook Tocsin received: the configured public URL (what Tocsin
 * gave Twilio in StatusCallback or the console) followed by the request's path and query.
 */
export function twilioSignedUrl(publicUrl: string, requestUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${requestUrl}`;
}

/** What a Twilio webhook carries that the signature covers. */
export interface TwilioWebhook {
  /** The full URL as Twilio requested it (see `twilioSignedUrl`). */
  url: string;
  params: TwilioParams;
  /** The X-Twilio-Signature header; missing or empty never verifies. */
  signature: string | undefined;
}

/**
 * True when the webhook was signed by one of the accounts whose auth tokens are given (several
 * Twilio-compatible providers may post to the same route). Like twilio-node, a URL that names
 * the scheme's default port is also tried without it and the other way round, because proxies
 * and Twilio disagree about showing it.
 */
export function verifyTwilioSignature(authTokens: readonly string[], webhook: TwilioWebhook): boolean {
  const { signature, params } = webhook;
  if (!signature) return false;
  const urls = urlVariants(webhook.url);
  return authTokens.some((token) =>
    urls.some((url) => twilioSignatureMatches(token, url, params, signature)),
  );
}

function urlVariants(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [url];
  }
  const defaultPort = parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : '';
  if (!defaultPort) return [url];
  const authority = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(url);
  if (!authority) return [url];
  const [, scheme, host, rest] = authority;
  const portless = host!.replace(new RegExp(`:${defaultPort}$`), '');
  const variant =
    portless === host ? `${scheme}${host}:${defaultPort}${rest}` : `${scheme}${portless}${rest}`;
  return [url, variant];
}
