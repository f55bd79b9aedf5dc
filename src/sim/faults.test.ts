import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decideFault, FaultBook } from './faults.js';
import { drainCallbacks, twilioPost } from './sim.test-support.js';
import { startSimulator, type Simulator } from './simulator.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ smsSegmentsPerSecond: 0, callbackDelayMs: 1 });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(async () => {
  await fetch(`${sim.urls.control}/faults`, { method: 'DELETE' });
  await drainCallbacks(sim);
  sim.reset();
});

const sms = (delivery?: string) =>
  twilioPost(sim, 'Messages', {
    To: '+15551230001',
    From: '+16175550100',
    Body: 'test',
    ...(delivery ? { StatusCallback: `http://127.0.0.1:9/cb?delivery=${delivery}` } : {}),
  });

const control = (path: string, body: unknown) =>
  fetch(`${sim.urls.control}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('fault injection', () => {
  it("answers every request 500 in the provider's error shape at error rate 1.0", async () => {
    await control('/faults', { sms: { errorRate: 1 } });
    const r = await sms();
    expect(r.status).toBe(500);
    expect(r.json).toMatchObject({ code: 20500, status: 500, more_info: expect.any(String) });
    expect(sim.stats().channels.sms).toMatchObject({ requests: 1, accepted: 0, rejected: { '500': 1 } });
  });

  it('answers 503 inside an outage window and accepts again once it is over', async () => {
    sim.setFaults({ all: { outages: [{ startsInMs: 0, durationMs: 250 }] } });
    expect((await sms()).json).toMatchObject({ code: 20503, status: 503 });
    const x = await fetch(`${sim.urls.x}/2/tweets`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hi' }),
    });
    expect(x.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 260));
    expect((await sms()).status).toBe(201);
  });

  it('hangs up after the timeout without answering', async () => {
    sim.setFaults({ sms: { timeoutRate: 1, timeoutMs: 100 } });
    const started = Date.now();
    await expect(sms()).rejects.toThrow(/fetch failed/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(sim.stats().channels.sms).toMatchObject({ accepted: 0, rejected: { timeout: 1 } });
  });

  it('never answers at timeout 0, until the client gives up', async () => {
    sim.setFaults({ sms: { timeoutRate: 1, timeoutMs: 0 } });
    const response = fetch(`${sim.urls.twilio}/2010-04-01/Accounts/x/Messages.json`, {
      method: 'POST',
      signal: AbortSignal.timeout(200),
    });
    await expect(response).rejects.toThrow(/timeout|aborted/i);
  });

  it('can lose the response after accepting, so a retry becomes a counted duplicate', async () => {
    sim.setFaults({ sms: { timeoutRate: 1, timeoutMs: 50, timeoutAfterAccept: true } });
    await expect(sms('d-lost')).rejects.toThrow();
    sim.setFaults({ sms: { timeoutRate: 0 } });
    expect((await sms('d-lost')).status).toBe(201);
    expect(sim.stats().channels.sms).toMatchObject({ accepted: 2, responsesLost: 1, duplicates: 1 });
  });

  it('adds latency', async () => {
    sim.setFaults({ sms: { latencyMs: 120 } });
    const started = Date.now();
    expect((await sms()).status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('limits a whole channel to its rate with 429 and Retry-After', async () => {
    sim.setFaults({ webhook: { ratePerSecond: 2 } });
    const post = () => fetch(sim.urls.webhookSink, { method: 'POST', body: '{}' });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
  });

  it('refuses invalid faults with every problem listed, and DELETE restores the start settings', async () => {
    const bad = await control('/faults', { sms: { errorRate: 2, bogus: 1 }, pager: {} });
    expect(bad.status).toBe(400);
    const { problems } = (await bad.json()) as { problems: string[] };
    expect(problems.join('\n')).toMatch(/errorRate/);
    expect(problems.join('\n')).toMatch(/additional properties/);
    await control('/faults', { voice: { errorRate: 0.5 }, rateLimits: { callsPerSecond: 7 } });
    const shown = (await (await fetch(`${sim.urls.control}/faults`)).json()) as Record<
      string,
      Record<string, unknown>
    >;
    expect(shown.faults!.voice).toMatchObject({ errorRate: 0.5 });
    expect(shown.rateLimits).toMatchObject({ callsPerSecond: 7 });
    const restored = (await (
      await fetch(`${sim.urls.control}/faults`, { method: 'DELETE' })
    ).json()) as Record<string, Record<string, unknown>>;
    expect(restored.faults!.voice).toBeUndefined();
    expect(restored.rateLimits).toMatchObject({ callsPerSecond: 1 });
  });
});

describe('decideFault', () => {
  it('lets outages win over timeouts and errors, and channel settings override all', () => {
    const now = 1_000_000;
    const book = new FaultBook(
      { all: { errorRate: 1, timeoutRate: 0 }, sms: { outages: [{ durationMs: 10, status: 500 }] } },
      now,
    );
    expect(decideFault(book.for('sms'), now)).toEqual({ kind: 'outage', status: 500 });
    expect(decideFault(book.for('sms'), now + 10)).toEqual({ kind: 'error', status: 500 });
    expect(decideFault(book.for('email'), now, () => 0.5)).toEqual({ kind: 'error', status: 500 });
    book.apply({ email: { errorRate: 0.4 } }, now);
    expect(decideFault(book.for('email'), now, () => 0.5)).toEqual({ kind: 'pass' });
  });
});
