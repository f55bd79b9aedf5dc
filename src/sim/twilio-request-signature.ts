import { createHmac } from 'node:crypto';

/**
 * The X-Twilio-Signature Twilio sends with a form-encoded webhook: HMAC-SHA1, keyed by the
 * account's auth token, over the full URL Twilio requested (query string included) followed by
 * every POST parameter in name order, each name immediately followed by its value, nothing
 * URL-encoded; base64. A GET webhook has no parameters, so only the URL is signed.
 *
 * Written here rather than imported from Tocsin's verifier on purpose: the simulator stands in
 * for Twilio, and if both sides shared one implementation a mistake in it would pass every test.
 * Its test pins it to the example in Twilio's security documentation instead.
 */
export function twilioRequestSignature(
  authToken: string,
  url: string,
  params: Readonly<Record<string, string>>,
): string {
  const hmac = createHmac('sha1', authToken).update(url, 'utf8');
  for (const name of Object.keys(params).sort()) hmac.update(`${name}${params[name]}`, 'utf8');
  return hmac.digest('base64');
}
