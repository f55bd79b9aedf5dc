import { describe, expect, it } from 'vitest';
import { twilioRequestSignature } from './twilio-request-signature.js';

// The worked example in Twilio's security documentation ("Validating signatures from Twilio",
// https://www.twilio.com/docs/usage/webhooks/webhooks-security), and the one in the validation
// guide of Twilio's twilio-php library, which differs only in the caller's number.
const token = '12345';
const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+12349013030',
  Digits: '1234',
  From: '+12349013030',
  To: '+18005551212',
};

describe('twilioRequestSignature', () => {
  it("reproduces the signature in Twilio's security documentation", () => {
    expect(twilioRequestSignature(token, url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it("reproduces the example in twilio-php's validation guide", () => {
    const phpGuide = { ...params, Caller: '+14158675309', From: '+14158675309' };
    expect(twilioRequestSignature(token, url, phpGuide)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  it('sorts the parameters by name, whatever order they come in', () => {
    const reversed = Object.fromEntries(Object.entries(params).reverse());
    expect(twilioRequestSignature(token, url, reversed)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it('changes with the query string, any value and the token', () => {
    const signature = twilioRequestSignature(token, url, params);
    expect(twilioRequestSignature(token, `${url}&delivery=1`, params)).not.toBe(signature);
    expect(twilioRequestSignature(token, url, { ...params, Digits: '1235' })).not.toBe(signature);
    expect(twilioRequestSignature('54321', url, params)).not.toBe(signature);
  });
});
