import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { providerRegistry } from '../delivery/provider-registry.js';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { codeIn, keptMessage, postRegistration } from './registration.test-support.js';

let sim: Simulator;
let sys: TestSystem;
beforeAll(async () => {
  sim = await startSimulator({ smsSegmentsPerSecond: 0, callbackDelayMs: 1 });
  sys = await startTestSystem({ work: true, env: sim.environment });
}, 60_000);
afterAll(async () => {
  await sys?.close();
  await sim?.stop();
});

async function simulated(channel: 'sms' | 'email', to: string) {
  for (let i = 0; i < 150; i += 1) {
    const [message] = sim.messages({ channel, to });
    if (message) return message;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the simulator received no ${channel} for ${to}`);
}

describe('verification messages through the configured providers (the simulator)', () => {
  it('texts the code through the Twilio-compatible provider; it verifies, and nothing is kept locally', async () => {
    const response = await postRegistration(sys.app!, { name: 'Kim', phone: '617-555-0150', consent: true });
    expect(response.statusCode).toBe(202);
    const { registrationId } = response.json();
    const sms = await simulated('sms', '+16175550150');
    expect(sms.body).toMatch(/^MIT Alert: your verification code is \d{6}\. .*Reply STOP to opt out\.$/);
    expect(sms.segments).toBe(1);
    const verified = await sys.app!.inject({
      method: 'POST',
      url: `/api/v1/registrations/${registrationId}/verify-sms`,
      payload: { code: codeIn(sms.body!) },
    });
    expect(verified.statusCode).toBe(200);
    const kept = await sys.ctx.db.selectFrom('registration_outbox').select('id').execute();
    expect(kept).toEqual([]);
  });

  it('sends the email link by SMTP when an email provider is configured, and keeps it otherwise', async () => {
    const response = await postRegistration(sys.app!, {
      name: 'Kim',
      email: 'kim@example.org',
      consent: true,
    });
    const { registrationId } = response.json();
    const email = providerRegistry(sys.ctx)
      .providersFor('email')
      .filter((p) => p.name !== 'outbox');
    if (email.length > 0) {
      const message = await simulated('email', 'kim@example.org');
      expect(message.subject).toBe('MIT Alert: confirm your email address');
    } else {
      const kept = await keptMessage(sys.ctx.db, registrationId, 'email');
      expect(kept.body).toContain('/register/verify-email/');
    }
  });
});
