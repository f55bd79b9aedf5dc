import { describe, expect, it } from 'vitest';
import {
  twilioSignature,
  twilioSignatureMatches,
  twilioSignedUrl,
  verifyTwilioSignature,
} from './twilio-signature.js';

// The example in Twilio's security documentation and its code samples.
const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};

describe('twilioSignature', () => {
  it("reproduces Twilio's published example signatures", () => {
    expect(twilioSignature('12345', url, params)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(twilioSignature('12345', url, { ...params, Caller: '+14158675310', From: '+14158675310' })).toBe(
      'GvWf1cFY/Q7PnoempGyD5oXAezc=',
    );
  });

  it('does not depend on the order parameters are given in', () => {
    const reversed = Object.fromEntries(Object.entries(params).reverse());
    expect(twilioSignature('12345', url, reversed)).toBe(twilioSignature('12345', url, params));
  });

  it('covers the query string, every parameter and the token', () => {
    const base = twilioSignature('12345', url, params);
    expect(twilioSignature('12345', `${url}&delivery=1`, params)).not.toBe(base);
    expect(twilioSignature('12345', url, { ...params, Digits: '1235' })).not.toBe(base);
    expect(twilioSignature('54321', url, params)).not.toBe(base);
  });

  it('signs a repeated parameter once per distinct value, values sorted', () => {
    expect(twilioSignature('t', 'https://x.test/', { A: ['2', '1', '2'] })).toBe(
      twilioSignature('t', 'https://x.test/', { A: '1A2' }),
    );
  });

  it('verifies a signature in constant time and refuses a wrong one', () => {
    const signature = twilioSignature('12345', url, params);
    expect(twilioSignatureMatches('12345', url, params, signature)).toBe(true);
    expect(twilioSignatureMatches('12345', url, params, signature.replace(/.$/, 'A'))).toBe(false);
    expect(twilioSignatureMatches('12345', url, params, '')).toBe(false);
  });
});

describe('verifyTwilioSignature', () => {
  const signature = twilioSignature('12345', url, params);

  it('accepts a webhook signed by any of the configured accounts', () => {
    expect(verifyTwilioSignature(['other', '12345'], { url, params, signature })).toBe(true);
  });

  it('refuses a missing, forged or foreign signature', () => {
    expect(verifyTwilioSignature(['12345'], { url, params, signature: undefined })).toBe(false);
    expect(verifyTwilioSignature(['12345'], { url, params, signature: 'forged' })).toBe(false);
    expect(verifyTwilioSignature(['54321'], { url, params, signature })).toBe(false);
    expect(verifyTwilioSignature([], { url, params, signature })).toBe(false);
  });

  it("accepts a URL signed with or without the scheme's default port", () => {
    const withPort = 'https://mycompany.com:443/myapp.php?foo=1&bar=2';
    expect(verifyTwilioSignature(['12345'], { url: withPort, params, signature })).toBe(true);
    const signedWithPort = twilioSignature('12345', withPort, params);
    expect(verifyTwilioSignature(['12345'], { url, params, signature: signedWithPort })).toBe(true);
  });

  it('rebuilds the signed URL from the public URL and the request path', () => {
    expect(twilioSignedUrl('https://alerts.example.edu/', '/webhooks/twilio/status?delivery=1')).toBe(
      'https://alerts.example.edu/webhooks/twilio/status?delivery=1',
    );
  });
});
