import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../platform/config.js';
import type { TwilioSettings } from '../../../platform/delivery-settings.js';
import { startReceiver, type Receiver } from '../../../sim/sim.test-support.js';
import { startSimulator, type Simulator } from '../../../sim/simulator.js';
import type { DeliveryProvider } from '../provider.js';
import { never, outcomeLog, outgoing, smsBatch, testRenderings } from './providers.test-support.js';
import { twilioProvider } from './twilio-provider.js';

const senders = ['+16175550100', '+16175550101', '+16175550102', '+16175550103'];
let sim: Simulator;
let receiver: Receiver;
const open: DeliveryProvider[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
  sim = await startSimulator({ senders, smsSegmentsPerSecond: 0, callsPerSecond: 0, callbackDelayMs: 1 });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close?.()));
  sim.setFaults({ sms: { errorRate: 0, timeoutRate: 0, outages: [] }, voice: { errorRate: 0 } });
  sim.setFaults({ rateLimits: { smsSegmentsPerSecond: 0, senderRates: {}, callsPerSecond: 0 } });
  sim.reset();
});
afterAll(async () => {
  await sim.stop();
  await receiver.close();
});

/** A provider built from the simulator's printed environment, as `tocsin sim` tells people to. */
function provider(env: Record<string, string> = {}) {
  const config = loadConfig({ ...sim.environment, TOCSIN_PUBLIC_URL: receiver.url, ...env });
  const settings = config.delivery.providers.find((p) => p.type === 'twilio') as TwilioSettings;
  const built = twilioProvider({ config, log: pino({ level: 'silent' }) }, settings);
  open.push(built);
  return built;
}

describe('Twilio-compatible SMS and voice provider', () => {
  it('sends each SMS with its rendering and a status callback naming the delivery, reporting the sid', async () => {
    const sms = provider();
    const batch = smsBatch(20);
    const log = outcomeLog();
    const renderings = testRenderings();
    await sms.send(batch, renderings, log.report, never);
    expect(log.kinds()).toEqual({ accepted: 20 });
    const first = log.of(batch[0]!.deliveryId);
    expect(first).toMatchObject({
      kind: 'accepted',
      providerMessageId: expect.stringMatching(/^SM[0-9a-f]{32}$/),
    });
    expect(senders).toContain((first as { sender: string }).sender);
    const stored = sim.messages({ deliveryId: batch[0]!.deliveryId })[0]!;
    expect(stored.body).toBe(renderings.sms('en').text);
    expect(stored.details?.statusCallback).toBe(
      `${receiver.url}/webhooks/twilio/status?delivery=${batch[0]!.deliveryId}`,
    );
    const stats = sim.stats().channels.sms;
    expect(stats.uniqueDeliveryIds).toBe(20);
    expect(Object.keys(stats.senders ?? {})).toHaveLength(4);
  });

  it('places calls with the TwiML script, asking only for the final status', async () => {
    const voice = provider({ TOCSIN_TWILIO_CALLS_PER_SECOND: '10' });
    const batch = [outgoing('voice', '+16175551000'), outgoing('voice', '+16175551001')];
    const log = outcomeLog();
    const renderings = testRenderings();
    await voice.send(batch, renderings, log.report, never);
    expect(log.kinds()).toEqual({ accepted: 2 });
    expect(log.outcomes[0]).toMatchObject({ providerMessageId: expect.stringMatching(/^CA/) });
    const call = sim.messages({ channel: 'voice', deliveryId: batch[0]!.deliveryId })[0]!;
    expect(call.body).toBe(renderings.voice('en').twiml);
  });

  it('fails an invalid number permanently with Twilio’s code, and sends the rest', async () => {
    const sms = provider();
    const bad = outgoing('sms', '617-555-0100');
    const good = outgoing('sms', '+16175550150');
    const log = outcomeLog();
    await sms.send([bad, good], testRenderings(), log.report, never);
    expect(log.of(bad.deliveryId)).toMatchObject({ kind: 'permanent', code: '21211' });
    expect(log.of(bad.deliveryId)).toMatchObject({
      error: expect.stringContaining("Invalid 'To' Phone Number"),
    });
    expect(log.of(good.deliveryId)).toMatchObject({ kind: 'accepted' });
  });

  it('reports server errors, outages and timeouts as retryable', async () => {
    const sms = provider({ TOCSIN_PROVIDER_TIMEOUT_SECONDS: '0.3' });
    sim.setFaults({ sms: { errorRate: 1 } });
    const log = outcomeLog();
    await sms.send(smsBatch(3), testRenderings(), log.report, never);
    expect(log.outcomes.map((o) => [o.kind, 'code' in o && o.code])).toEqual(
      Array(3).fill(['retryable', '20500']),
    );
    sim.setFaults({ sms: { errorRate: 0, outages: [{ durationMs: 60_000, status: 503 }] } });
    const outage = outcomeLog();
    await sms.send(smsBatch(2), testRenderings(), outage.report, never);
    expect(outage.kinds()).toEqual({ retryable: 2 });
    expect(outage.outcomes[0]).toMatchObject({ code: '20503' });
    sim.setFaults({ sms: { outages: [], timeoutRate: 1, timeoutMs: 0 } });
    const timeout = outcomeLog();
    await sms.send(smsBatch(2), testRenderings(), timeout.report, never);
    expect(timeout.outcomes).toEqual([
      expect.objectContaining({ kind: 'retryable', code: 'timeout' }),
      expect.objectContaining({ kind: 'retryable', code: 'timeout' }),
    ]);
  });

  it('honours a 429’s Retry-After: retryable, and the sender rests before its next message', async () => {
    sim.setFaults({ rateLimits: { smsSegmentsPerSecond: 1 } });
    const sms = provider({ TOCSIN_TWILIO_SENDERS: '+16175550100=0' });
    const log = outcomeLog();
    await sms.send(smsBatch(3), testRenderings(), log.report, never);
    expect(log.kinds()).toEqual({ accepted: 1, retryable: 2 });
    expect(log.outcomes.find((o) => o.kind === 'retryable')).toMatchObject({
      code: '20429',
      retryAfterMs: 2000,
    });
    const started = Date.now();
    const later = outcomeLog();
    await sms.send(smsBatch(1), testRenderings(), later.report, never);
    expect(Date.now() - started).toBeGreaterThan(1_500);
    expect(later.kinds()).toEqual({ accepted: 1 });
  });

  it('paces four senders by SMS segments: no 429, each within 10% of its rate', async () => {
    const rate = 20;
    sim.setFaults({ rateLimits: { smsSegmentsPerSecond: rate } });
    const sms = provider({ TOCSIN_TWILIO_SENDERS: senders.map((s) => `${s}=${rate}`).join(',') });
    const renderings = testRenderings();
    expect(renderings.sms('en').encoding.segments).toBe(2);
    const log = outcomeLog();
    await sms.send(smsBatch(140), renderings, log.report, never);
    expect(log.kinds()).toEqual({ accepted: 140 });
    const stats = sim.stats().channels.sms;
    expect(stats.rejected).toEqual({});
    for (const sender of senders) {
      const times = sim
        .messages({ channel: 'sms', limit: 1000 })
        .filter((m) => m.from === sender)
        .map((m) => m.at)
        .sort((a, b) => a - b);
      // After the first second (the half-second burst is spent), the steady rate.
      const steady = times.filter((t) => t >= times[0]! + 1000);
      const seconds = (steady.at(-1)! - steady[0]!) / 1000;
      const segmentsPerSecond = ((steady.length - 1) * 2) / seconds;
      expect(segmentsPerSecond).toBeGreaterThan(rate * 0.9);
      expect(segmentsPerSecond).toBeLessThan(rate * 1.1);
    }
  });

  it('stops starting requests when aborted and reports the unsent as retryable', async () => {
    const sms = provider({ TOCSIN_TWILIO_SENDERS: '+16175550100=2' });
    const controller = new AbortController();
    const log = outcomeLog();
    setTimeout(() => controller.abort(), 300);
    await sms.send(smsBatch(10), testRenderings(), log.report, controller.signal);
    expect(log.outcomes).toHaveLength(10);
    expect(log.kinds().accepted).toBe(1);
    expect(log.outcomes.filter((o) => o.kind === 'retryable')).toHaveLength(9);
    expect(log.outcomes.find((o) => o.kind === 'retryable')).toMatchObject({ code: 'aborted' });
  });
});
