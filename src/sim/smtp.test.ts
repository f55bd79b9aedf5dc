import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './simulator.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  sim.setFaults({ email: { errorRate: 0, timeoutRate: 0, outages: [] } });
  sim.reset();
});

const transport = (auth?: { user: string; pass: string }) =>
  nodemailer.createTransport({
    host: sim.urls.smtp.host,
    port: sim.urls.smtp.port,
    secure: false,
    ignoreTLS: true,
    auth,
  });

const mail = (to: string[], headers: Record<string, string>) => ({
  from: 'MIT Alert <alert@mit.test>',
  to,
  subject: 'Shelter in place',
  text: 'A test alert.',
  headers,
});

const refusal = async (send: Promise<unknown>) => {
  const error = (await send.then(
    () => undefined,
    (e: unknown) => e,
  )) as { responseCode?: number } | undefined;
  return error?.responseCode;
};

describe('SMTP server', () => {
  it('counts each recipient as one delivery, with the delivery ids in recipient order', async () => {
    const to = ['a@mit.test', 'b@mit.test', 'c@mit.test'];
    const info = await transport().sendMail(mail(to, { 'X-Tocsin-Delivery-Ids': 'e-1, e-2, e-3' }));
    expect(info.accepted).toEqual(to);
    const email = sim.stats().channels.email;
    expect(email).toMatchObject({ requests: 3, accepted: 3, uniqueDeliveryIds: 3, duplicates: 0 });
    expect(email.counts).toEqual({ messages: 1 });
    const stored = sim.messages({ channel: 'email' }).reverse();
    expect(stored.map((m) => [m.to, m.deliveryId])).toEqual([
      ['a@mit.test', 'e-1'],
      ['b@mit.test', 'e-2'],
      ['c@mit.test', 'e-3'],
    ]);
    expect(stored[0]).toMatchObject({ from: 'alert@mit.test', subject: 'Shelter in place', body: null });
  });

  it('reads one X-Tocsin-Delivery-Id per message and counts a resent one as a duplicate', async () => {
    const t = transport();
    await t.sendMail(mail(['a@mit.test'], { 'X-Tocsin-Delivery-Id': 'e-9' }));
    await t.sendMail(mail(['a@mit.test'], { 'X-Tocsin-Delivery-Id': 'e-9' }));
    expect(sim.stats().channels.email).toMatchObject({ accepted: 2, uniqueDeliveryIds: 1, duplicates: 1 });
  });

  it('counts a message whose ids do not match its recipients', async () => {
    await transport().sendMail(mail(['a@mit.test', 'b@mit.test'], { 'X-Tocsin-Delivery-Ids': 'e-1' }));
    const email = sim.stats().channels.email;
    expect(email).toMatchObject({ accepted: 2, uniqueDeliveryIds: 1, withoutDeliveryId: 1 });
    expect(email.counts).toMatchObject({ idMismatches: 1 });
  });

  it('answers injected errors with 451 by default, or the configured SMTP code', async () => {
    sim.setFaults({ email: { errorRate: 1 } });
    expect(await refusal(transport().sendMail(mail(['a@mit.test', 'b@mit.test'], {})))).toBe(451);
    sim.setFaults({ email: { errorStatus: 550 } });
    expect(await refusal(transport().sendMail(mail(['a@mit.test'], {})))).toBe(550);
    expect(sim.stats().channels.email).toMatchObject({
      requests: 3,
      accepted: 0,
      rejected: { '451': 2, '550': 1 },
    });
  });

  it('answers 421 during an outage and accepts again after it', async () => {
    sim.setFaults({ email: { outages: [{ durationMs: 200 }] } });
    expect(await refusal(transport().sendMail(mail(['a@mit.test'], {})))).toBe(421);
    await new Promise((resolve) => setTimeout(resolve, 220));
    await transport().sendMail(mail(['a@mit.test'], {}));
    expect(sim.stats().channels.email).toMatchObject({ accepted: 1, rejected: { '421': 1 } });
  });

  it('hangs up with 421 after the timeout', async () => {
    sim.setFaults({ email: { timeoutRate: 1, timeoutMs: 100 } });
    const started = Date.now();
    expect(await refusal(transport().sendMail(mail(['a@mit.test'], {})))).toBe(421);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(sim.stats().channels.email.rejected).toEqual({ timeout: 1 });
  });
});

describe('SMTP authentication', () => {
  it('requires the configured credentials when asked to', async () => {
    const strict = await startSimulator({ smtpAuth: { required: true, user: 'tocsin', password: 's3cret' } });
    try {
      const t = (auth?: { user: string; pass: string }) =>
        nodemailer.createTransport({
          host: strict.urls.smtp.host,
          port: strict.urls.smtp.port,
          ignoreTLS: true,
          auth,
        });
      expect(await refusal(t().sendMail(mail(['a@mit.test'], {})))).toBe(530);
      expect(await refusal(t({ user: 'tocsin', pass: 'wrong' }).sendMail(mail(['a@mit.test'], {})))).toBe(
        535,
      );
      await t({ user: 'tocsin', pass: 's3cret' }).sendMail(mail(['a@mit.test'], {}));
      expect(strict.stats().channels.email.accepted).toBe(1);
      expect(strict.environment).toMatchObject({
        TOCSIN_SMTP_USER: 'tocsin',
        TOCSIN_SMTP_PASSWORD: 's3cret',
      });
    } finally {
      await strict.stop();
    }
  });
});
