import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentFor } from '../sim/sim-environment.js';
import { ConfigError, loadConfig } from './config.js';

const twilioEnv = {
  TOCSIN_TWILIO_BASE_URL: 'http://127.0.0.1:4010/',
  TOCSIN_TWILIO_ACCOUNT_SID: 'ACdeadbeefdeadbeefdeadbeefdeadbeef',
  TOCSIN_TWILIO_AUTH_TOKEN: '0123456789abcdef0123456789abcdef',
  TOCSIN_TWILIO_SENDERS: '+16175550100, +18335550100=3,72345=100',
};

function providersFile(yaml: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'tocsin-providers-')), 'providers.yaml');
  writeFileSync(file, yaml);
  return file;
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('delivery configuration', () => {
  it('has no providers by default: every channel uses the outbox', () => {
    expect(loadConfig({}).delivery).toEqual({ providers: [], providersFile: null });
  });

  it('builds the Twilio provider from the environment, senders paced at 1 segment/s unless told', () => {
    const [twilio] = loadConfig(twilioEnv).delivery.providers;
    expect(twilio).toMatchObject({
      type: 'twilio',
      name: 'twilio',
      channels: ['sms', 'voice'],
      baseUrl: 'http://127.0.0.1:4010',
      senders: [
        { number: '+16175550100', segmentsPerSecond: 1 },
        { number: '+18335550100', segmentsPerSecond: 3 },
        { number: '72345', segmentsPerSecond: 100 },
      ],
      callsPerSecond: 1,
      maxInFlight: 64,
      timeoutMs: 10_000,
    });
  });

  it('builds every other provider from the environment, in a fixed order', () => {
    const config = loadConfig({
      TOCSIN_PUBLIC_URL: 'https://alerts.example.edu',
      TOCSIN_SMTP_HOST: 'smtp.example.edu',
      TOCSIN_WEBHOOK_URL: 'https://signs.example.edu/hook, https://chat.example.edu/hook',
      TOCSIN_WEBHOOK_SECRET: 'a-long-enough-secret',
      TOCSIN_CAP_PUSH_URL: 'https://cap.example.org/push',
      TOCSIN_X_BEARER_TOKEN: 'x-token',
      TOCSIN_FACEBOOK_PAGE_ID: '1234',
      TOCSIN_FACEBOOK_ACCESS_TOKEN: 'fb-token',
    });
    const providers = config.delivery.providers;
    expect(providers.map((p) => p.name)).toEqual(['smtp', 'webhook', 'cap', 'x', 'facebook']);
    expect(providers[0]).toMatchObject({
      port: 587,
      secure: false,
      from: 'alerts@alerts.example.edu',
      recipientsPerMessage: 50,
    });
    expect(providers[1]).toMatchObject({
      channels: ['signage', 'desktop', 'webhook'],
      urls: ['https://signs.example.edu/hook', 'https://chat.example.edu/hook'],
    });
    expect(providers[3]).toMatchObject({ baseUrl: 'https://api.x.com' });
    expect(providers[4]).toMatchObject({ baseUrl: 'https://graph.facebook.com', graphVersion: 'v19.0' });
  });

  it('names each incomplete or bad provider variable', () => {
    const problems = problemsOf({
      TOCSIN_TWILIO_ACCOUNT_SID: 'AC1',
      TOCSIN_SMTP_USER: 'mailer',
      TOCSIN_WEBHOOK_URL: 'https://signs.example.edu/hook',
      TOCSIN_FACEBOOK_PAGE_ID: '1234',
    }).join('\n');
    expect(problems).toMatch(/TOCSIN_TWILIO_ACCOUNT_SID, TOCSIN_TWILIO_AUTH_TOKEN and TOCSIN_TWILIO_SENDERS/);
    expect(problems).toMatch(/TOCSIN_SMTP_USER and TOCSIN_SMTP_PASSWORD/);
    expect(problems).toMatch(/TOCSIN_WEBHOOK_SECRET: required with TOCSIN_WEBHOOK_URL/);
    expect(problems).toMatch(/TOCSIN_FACEBOOK_PAGE_ID and TOCSIN_FACEBOOK_ACCESS_TOKEN/);
  });

  it('refuses a malformed sender list with the offending entry', () => {
    const problems = problemsOf({ ...twilioEnv, TOCSIN_TWILIO_SENDERS: '+16175550100=fast,6175550100' });
    expect(problems.join('\n')).toMatch(/TOCSIN_TWILIO_SENDERS: "\+16175550100=fast": the rate/);
    expect(problems.join('\n')).toMatch(/"6175550100": not an E.164 number/);
  });

  it('adds the providers file after the environment’s providers, in file order', () => {
    const file = providersFile(`
providers:
  - type: twilio
    name: sms-backup
    channels: [sms]
    baseUrl: https://backup.example.net
    accountSid: AC2
    authToken: token-2
    senders: ["+16175550199=10", { number: "+16175550198", segmentsPerSecond: 5 }]
  - type: smtp
    name: mail-relay
    host: relay.example.edu
    secure: true
    from: "MIT Alert <alerts@mit.edu>"
`);
    const config = loadConfig({ ...twilioEnv, TOCSIN_PROVIDERS_FILE: file });
    expect(config.delivery.providersFile).toBe(file);
    expect(config.delivery.providers.map((p) => p.name)).toEqual(['twilio', 'sms-backup', 'mail-relay']);
    expect(config.delivery.providers[1]).toMatchObject({
      channels: ['sms'],
      baseUrl: 'https://backup.example.net',
      senders: [
        { number: '+16175550199', segmentsPerSecond: 10 },
        { number: '+16175550198', segmentsPerSecond: 5 },
      ],
      timeoutMs: 10_000,
    });
    expect(config.delivery.providers[2]).toMatchObject({ port: 465, user: null, channels: ['email'] });
  });

  it('names the file and the field of every problem in it', () => {
    const file = providersFile(`
providers:
  - type: twilio
    name: Backup SMS
    accountSid: AC2
    senders: []
  - type: webhook
    name: signs
    urls: [ftp://signs.example.edu]
    secret: short
  - type: pager
    name: pager
`);
    const problems = problemsOf({ TOCSIN_PROVIDERS_FILE: file });
    const text = problems.join('\n');
    expect(text).toContain(`TOCSIN_PROVIDERS_FILE (${file}): providers.0.name:`);
    expect(text).toContain('providers.0.authToken:');
    expect(text).toContain('providers.0.senders: list at least one sender');
    expect(text).toContain('providers.1.urls.0: must be an http:// or https:// URL');
    expect(text).toContain('providers.1.secret: must be at least 16 characters');
    expect(text).toContain('providers.2.type:');
  });

  it('refuses a provider name used twice across the environment and the file', () => {
    const file = providersFile(`
providers:
  - { type: cap, name: twilio, urls: ["https://cap.example.org"] }
`);
    expect(problemsOf({ ...twilioEnv, TOCSIN_PROVIDERS_FILE: file }).join('\n')).toMatch(
      /provider name "twilio" is used twice/,
    );
  });

  it('says when the file cannot be read or parsed', () => {
    expect(problemsOf({ TOCSIN_PROVIDERS_FILE: '/nonexistent/providers.yaml' }).join('\n')).toMatch(
      /cannot read the file/,
    );
    expect(problemsOf({ TOCSIN_PROVIDERS_FILE: providersFile('providers: [\n') }).join('\n')).toMatch(
      /YAML:/,
    );
  });
});

describe('the simulator’s printed environment', () => {
  it('configures one provider of each kind, with the simulator’s sender rates', () => {
    const urls = {
      base: 'http://127.0.0.1:4010',
      twilio: 'http://127.0.0.1:4010',
      smtp: { host: '127.0.0.1', port: 2525 },
      webhookSink: 'http://127.0.0.1:4010/sink/webhook',
      capSink: 'http://127.0.0.1:4010/sink/cap',
      x: 'http://127.0.0.1:4010',
      facebook: 'http://127.0.0.1:4010',
      control: 'http://127.0.0.1:4010/control',
    };
    const settings = {
      accountSid: 'ACdeadbeefdeadbeefdeadbeefdeadbeef',
      authToken: '0123456789abcdef0123456789abcdef',
      senders: new Set(['+16175550100', '72345']),
      xBearerToken: undefined,
      facebookAccessToken: undefined,
    };
    const limits = { smsSegmentsPerSecond: 1, senderRates: { '72345': 100 }, callsPerSecond: 1 };
    const config = loadConfig(environmentFor(urls, settings, undefined, limits));
    expect(config.delivery.providers.map((p) => p.name)).toEqual([
      'twilio',
      'smtp',
      'webhook',
      'cap',
      'x',
      'facebook',
    ]);
    expect(config.delivery.providers[0]).toMatchObject({
      senders: [
        { number: '+16175550100', segmentsPerSecond: 1 },
        { number: '72345', segmentsPerSecond: 100 },
      ],
      callsPerSecond: 1,
    });
  });
});
