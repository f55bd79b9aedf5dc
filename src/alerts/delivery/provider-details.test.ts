import { describe, expect, it } from 'vitest';
import type { ProviderSettings } from '../../platform/delivery-settings.js';
import { describeProvider, originOf, redactSecrets, secretsOf } from './provider-details.js';

const timeoutMs = 10_000;
const cases: Array<{ settings: ProviderSettings; hidden: string[] }> = [
  {
    settings: {
      type: 'twilio',
      name: 'twilio',
      channels: ['sms', 'voice'],
      baseUrl: 'https://user:pw@api.twilio.com',
      accountSid: 'AC0123456789abcdef0123456789abcd',
      authToken: 'token-secret-value',
      senders: [{ number: '+16175550100', segmentsPerSecond: 1 }],
      callsPerSecond: 1,
      maxInFlight: 64,
      timeoutMs,
    },
    hidden: ['token-secret-value', 'AC0123456789abcdef0123456789abcd', 'user:pw'],
  },
  {
    settings: {
      type: 'smtp',
      name: 'smtp',
      channels: ['email'],
      host: 'smtp.example.edu',
      port: 587,
      secure: false,
      user: 'relay-user',
      password: 'relay-password',
      from: 'alerts@example.edu',
      maxConnections: 5,
      recipientsPerMessage: 50,
      timeoutMs,
    },
    hidden: ['relay-user', 'relay-password'],
  },
  {
    settings: {
      type: 'webhook',
      name: 'webhook',
      channels: ['signage'],
      urls: ['https://hooks.example/services/SECRETPATH?key=abc'],
      secret: 'hmac-secret-0123456789',
      timeoutMs,
    },
    hidden: ['SECRETPATH', 'key=abc', 'hmac-secret-0123456789'],
  },
  {
    settings: {
      type: 'cap',
      name: 'cap',
      channels: ['cap'],
      urls: ['https://agg.example/push/TOKEN'],
      timeoutMs,
    },
    hidden: ['TOKEN'],
  },
  {
    settings: {
      type: 'x',
      name: 'x',
      channels: ['x'],
      baseUrl: 'https://api.x.com',
      bearerToken: 'x-bearer',
      timeoutMs,
    },
    hidden: ['x-bearer'],
  },
  {
    settings: {
      type: 'facebook',
      name: 'facebook',
      channels: ['facebook'],
      baseUrl: 'https://graph.facebook.com',
      graphVersion: 'v19.0',
      pageId: '12345',
      accessToken: 'fb-page-token',
      timeoutMs,
    },
    hidden: ['fb-page-token'],
  },
];

describe('describing a provider for administrators', () => {
  it.each(cases)('shows a $settings.type provider without its secrets', ({ settings, hidden }) => {
    const shown = JSON.stringify(describeProvider(settings));
    for (const secret of hidden) expect(shown).not.toContain(secret);
    expect(describeProvider(settings).details.length).toBeGreaterThan(0);
  });

  it.each(cases)(
    'removes the secrets of a $settings.type provider from error text',
    ({ settings, hidden }) => {
      const urls = 'urls' in settings ? settings.urls : 'baseUrl' in settings ? [settings.baseUrl] : [];
      const quoted = [...secretsOf(settings), ...urls.map((u) => new URL(u).pathname + new URL(u).search)];
      const redacted = redactSecrets(`failed: ${quoted.join(' | ')}`, secretsOf(settings))!;
      for (const secret of hidden) expect(redacted).not.toContain(secret);
    },
  );

  it('keeps only the scheme, host and port of a URL', () => {
    expect(originOf('https://u:p@hooks.example:8443/a/b?c=d')).toBe('https://hooks.example:8443');
    expect(originOf('not a url')).toBe('(not a URL)');
  });

  it('redacts the longest secret first and leaves null alone', () => {
    expect(
      redactSecrets('GET https://h.example/path/tok failed', ['tok', 'https://h.example/path/tok']),
    ).toBe('GET [redacted] failed');
    expect(redactSecrets(null, ['abcd'])).toBeNull();
  });
});
