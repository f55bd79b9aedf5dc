import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOperator, makeToken, signIn } from '../../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { breakerFor, flushProviderActivity } from './breakers.js';
import type { ProvidersOverview } from './providers.schema.js';

// Every secret the configuration holds; none may appear anywhere in the answer.
const secrets = {
  twilioToken: 'tw-auth-token-0123456789abcdef',
  twilioSid: 'AC0123456789abcdef0123456789abcd',
  backupToken: 'backup-auth-token-9876543210',
  smtpPassword: 'smtp-password-s3cret',
  webhookSecret: 'webhook-hmac-secret-0123456789',
  webhookPath: '/services/T000/B000/XXXXSECRETPATH',
  xToken: 'x-bearer-token-abcdef123456',
};

let sys: TestSystem;
beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tocsin-providers-'));
  const file = path.join(dir, 'providers.yaml');
  writeFileSync(
    file,
    `providers:
  - type: twilio
    name: sms-backup
    channels: [sms]
    baseUrl: https://api.backup-carrier.example
    accountSid: ACbackup0000000000000000000000ff
    authToken: ${secrets.backupToken}
    senders: ['+16175550199=3', { number: '72345', segmentsPerSecond: 100 }]
`,
  );
  sys = await startTestSystem({
    env: {
      TOCSIN_TWILIO_ACCOUNT_SID: secrets.twilioSid,
      TOCSIN_TWILIO_AUTH_TOKEN: secrets.twilioToken,
      TOCSIN_TWILIO_SENDERS: '+16175550100=1,+16175550101=3',
      TOCSIN_SMTP_HOST: 'smtp.example.edu',
      TOCSIN_SMTP_USER: 'alerts-relay',
      TOCSIN_SMTP_PASSWORD: secrets.smtpPassword,
      TOCSIN_WEBHOOK_URL: `https://hooks.chat.example${secrets.webhookPath}`,
      TOCSIN_WEBHOOK_SECRET: secrets.webhookSecret,
      TOCSIN_X_BEARER_TOKEN: secrets.xToken,
      TOCSIN_PROVIDERS_FILE: file,
    },
  });
});
afterAll(async () => {
  await sys.close();
});

const get = async (headers: Record<string, string>) =>
  sys.app!.inject({ method: 'GET', url: '/api/v1/providers', headers });

describe('GET /api/v1/providers', () => {
  it('lists each channel’s providers in failover order with their senders and configured rates', async () => {
    const admin = await signIn(sys.app!, await makeOperator(sys.ctx, ['administrator']));
    const r = await get(admin.headers);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as ProvidersOverview;
    const channel = (c: string) => body.channels.find((x) => x.channel === c)?.providers;
    expect(channel('sms')).toEqual(['twilio', 'sms-backup']);
    expect(channel('voice')).toEqual(['twilio']);
    expect(channel('email')).toEqual(['smtp']);
    expect(channel('signage')).toEqual(['webhook']);
    expect(channel('x')).toEqual(['x']);
    expect(channel('public_page')).toEqual(['public-site']);
    expect(channel('facebook')).toEqual(['outbox']);
    const provider = (name: string) => body.providers.find((p) => p.name === name)!;
    expect(provider('twilio')).toMatchObject({
      type: 'twilio',
      channels: ['sms', 'voice'],
      senders: [
        { address: '+16175550100', segmentsPerSecond: 1 },
        { address: '+16175550101', segmentsPerSecond: 3 },
      ],
      health: null,
    });
    expect(provider('sms-backup').senders).toEqual([
      { address: '+16175550199', segmentsPerSecond: 3 },
      { address: '72345', segmentsPerSecond: 100 },
    ]);
    expect(provider('smtp').details).toContainEqual({ label: 'Relay', value: 'smtp.example.edu:587' });
    expect(provider('webhook').details).toContainEqual({
      label: 'Receivers',
      value: '1 URL at https://hooks.chat.example',
    });
    expect(provider('outbox').type).toBe('outbox');
    expect(body.circuit).toEqual({ failureThreshold: 20, openSeconds: 5 });
    expect(body.explanation).toMatch(/per provider/);
  });

  it('shows the circuit the breakers recorded, with when it may be probed again', async () => {
    const openedAt = new Date(Date.now() - 2_000);
    await sys.ctx.db
      .insertInto('provider_health')
      .values({
        provider: 'twilio',
        circuit: 'open',
        consecutive_failures: 20,
        // An error quoting a credential and a request URL must not repeat them.
        last_error: `Twilio 401 for ${secrets.twilioSid} with token ${secrets.twilioToken}`,
        opened_at: openedAt,
      })
      .execute();
    await sys.ctx.db
      .insertInto('provider_health')
      .values({ provider: 'webhook', circuit: 'half_open', consecutive_failures: 20, last_error: 'timeout' })
      .execute();
    const admin = await signIn(sys.app!, await makeOperator(sys.ctx, ['administrator']));
    const body = (await get(admin.headers)).json() as ProvidersOverview;
    const twilio = body.providers.find((p) => p.name === 'twilio')!;
    expect(twilio.health).toMatchObject({
      circuit: 'open',
      consecutiveFailures: 20,
      lastError: 'Twilio 401 for [redacted] with token [redacted]',
      openedAt: openedAt.toISOString(),
      retryAt: new Date(openedAt.getTime() + 5_000).toISOString(),
    });
    expect(body.providers.find((p) => p.name === 'webhook')!.health).toMatchObject({
      circuit: 'half_open',
      retryAt: null,
    });
  });

  it('shows what each provider did, summed over the workers: counts and the last success and failure', async () => {
    const admin = await signIn(sys.app!, await makeOperator(sys.ctx, ['administrator']));
    const before = (await get(admin.headers)).json() as ProvidersOverview;
    expect(before.providers.find((p) => p.name === 'smtp')!.activity).toBeNull();
    // Two worker processes' breakers for one provider, as each would count its answers.
    const breaker = breakerFor(sys.ctx, 'smtp');
    for (let i = 0; i < 3; i += 1) breaker.success();
    breaker.failure(
      `SMTP 451 from mail.example.edu (password ${secrets.smtpPassword}) for <jane.doe@mit.edu>, +16175550123 at 127.0.0.1:25`,
    );
    await flushProviderActivity(sys.ctx);
    const elsewhere = { ...sys.ctx };
    breakerFor(elsewhere, 'smtp').success();
    await flushProviderActivity(elsewhere);
    const after = (await get(admin.headers)).json() as ProvidersOverview;
    const smtp = after.providers.find((p) => p.name === 'smtp')!;
    expect(smtp.activity).toMatchObject({
      successes: 4,
      failures: 1,
      lastSuccessAt: expect.any(String),
      lastFailureAt: expect.any(String),
      lastFailure:
        'SMTP 451 from mail.example.edu (password [redacted]) for <[address]>, [number] at 127.0.0.1:25',
    });
    expect(Date.parse(smtp.activity!.lastSuccessAt!)).toBeGreaterThanOrEqual(
      Date.parse(smtp.activity!.lastFailureAt!),
    );
    expect(Date.parse(smtp.activity!.since)).toBeLessThanOrEqual(Date.parse(smtp.activity!.lastFailureAt!));
    // Nothing new to add writes nothing.
    await flushProviderActivity(sys.ctx);
    const again = (await get(admin.headers)).json() as ProvidersOverview;
    expect(again.providers.find((p) => p.name === 'smtp')!.activity).toEqual(smtp.activity);
  });

  it('never answers with a secret: tokens, passwords, keys, webhook paths', async () => {
    const admin = await signIn(sys.app!, await makeOperator(sys.ctx, ['administrator']));
    const r = await get(admin.headers);
    expect(r.statusCode).toBe(200);
    for (const [name, secret] of Object.entries(secrets)) expect(r.body, name).not.toContain(secret);
    expect(r.body).not.toContain('alerts-relay');
  });

  it('answers 403 to operators and tokens without providers.manage', async () => {
    const manager = await signIn(sys.app!, await makeOperator(sys.ctx, ['emergency_management']));
    const r = await get(manager.headers);
    expect(r.statusCode).toBe(403);
    expect(r.json().error.details.permission).toBe('providers.manage');
    const token = await makeToken(sys.ctx, ['outbox.read']);
    expect((await get({ authorization: `Bearer ${token}` })).statusCode).toBe(403);
    expect((await get({})).statusCode).toBe(401);
  });
});
