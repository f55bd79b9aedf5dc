import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { drainCallbacks, startReceiver, twilioPost, waitUntil, type Receiver } from './sim.test-support.js';
import { startSimulator, type Simulator } from './simulator.js';
import { twilioRequestSignature } from './twilio-request-signature.js';

const sender = '+16175550100';
const serviceSender = '+18335550100';
let sim: Simulator;
let receiver: Receiver;

beforeAll(async () => {
  sim = await startSimulator({
    senders: [sender, serviceSender],
    smsSegmentsPerSecond: 0,
    callsPerSecond: 0,
    callbackDelayMs: 5,
  });
  receiver = await startReceiver();
});
afterAll(async () => {
  await sim.stop();
  await receiver.close();
});
beforeEach(async () => {
  await drainCallbacks(sim);
  sim.reset();
  sim.setFaults({ rateLimits: { smsSegmentsPerSecond: 0, senderRates: {}, callsPerSecond: 0 }, sms: {} });
  receiver.posts.length = 0;
});

const sms = (overrides: Record<string, string> = {}) =>
  twilioPost(sim, 'Messages', { To: '+15551230001', From: sender, Body: 'MIT Alert: test', ...overrides });

describe('Twilio Messages API', () => {
  it("accepts a message with Basic auth and a form body, answering 201 in Twilio's shape", async () => {
    const r = await sms({ Body: 'x'.repeat(200) });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      account_sid: sim.settings.accountSid,
      api_version: '2010-04-01',
      status: 'queued',
      to: '+15551230001',
      from: sender,
      body: 'x'.repeat(200),
      num_segments: '2',
      price: null,
      error_code: null,
      direction: 'outbound-api',
    });
    expect(r.json.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(r.json.date_created).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    expect(r.json.uri).toBe(
      `/2010-04-01/Accounts/${sim.settings.accountSid}/Messages/${String(r.json.sid)}.json`,
    );
  });

  it('refuses wrong credentials with 401 and code 20003', async () => {
    const r = await twilioPost(sim, 'Messages', { To: '+15551230001', From: sender, Body: 'x' }, 'AC1:nope');
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ code: 20003, status: 401 });
    expect(sim.stats().channels.sms.rejected).toEqual({ '20003': 1 });
  });

  it('posts sent then delivered to the StatusCallback, signed the way Twilio signs', async () => {
    const callback = `${receiver.url}/receipts/twilio?delivery=d-1`;
    const r = await sms({ StatusCallback: callback });
    await waitUntil(() => receiver.posts.length === 2);
    expect(receiver.posts.map((p) => p.form.MessageStatus)).toEqual(['sent', 'delivered']);
    for (const post of receiver.posts) {
      expect(post.url).toBe('/receipts/twilio?delivery=d-1');
      expect(post.form).toMatchObject({ MessageSid: r.json.sid, To: '+15551230001', From: sender });
      expect(post.form.AccountSid).toBe(sim.settings.accountSid);
      expect(post.headers['x-twilio-signature']).toBe(
        twilioRequestSignature(sim.settings.authToken, callback, post.form),
      );
    }
    // The simulator counts a callback once the receiver has answered, just after the receiver saw it.
    await waitUntil(() => sim.stats().callbacks.sent === 2);
    const stats = sim.stats();
    expect(stats.channels.sms.outcomes).toEqual({ delivered: 1 });
    expect(stats.callbacks.sent).toBe(2);
  });

  it('reports undelivered with an ErrorCode at the configured failure rate, and GET shows the status', async () => {
    sim.setFaults({ sms: { undeliveredRate: 1 } });
    const r = await sms({ StatusCallback: `${receiver.url}/r?delivery=d-2` });
    await waitUntil(() => receiver.posts.length === 2);
    expect(receiver.posts[1]!.form).toMatchObject({ MessageStatus: 'undelivered', ErrorCode: '30003' });
    const auth = Buffer.from(`${sim.settings.accountSid}:${sim.settings.authToken}`).toString('base64');
    const g = await fetch(`${sim.urls.twilio}${String(r.json.uri)}`, {
      headers: { authorization: `Basic ${auth}` },
    });
    expect(await g.json()).toMatchObject({ sid: r.json.sid, status: 'undelivered', error_code: 30003 });
  });

  it('sends each receipt twice at duplicate rate 1, as providers sometimes do', async () => {
    sim.setFaults({ sms: { duplicateCallbackRate: 1, failedRate: 1 } });
    await sms({ StatusCallback: `${receiver.url}/dup?delivery=d-3` });
    await waitUntil(() => receiver.posts.length === 2);
    expect(receiver.posts.map((p) => [p.form.MessageStatus, p.form.ErrorCode])).toEqual([
      ['failed', '30008'],
      ['failed', '30008'],
    ]);
    // The simulator counts a callback once the receiver has answered, just after the receiver saw it.
    await waitUntil(() => sim.stats().callbacks.sent === 2);
    expect(sim.stats().callbacks).toMatchObject({ sent: 2, duplicatesSent: 1 });
    sim.setFaults({ sms: { duplicateCallbackRate: 0, failedRate: 0 } });
  });

  it('answers 404 with 20404 for a message it does not hold', async () => {
    const auth = Buffer.from(`${sim.settings.accountSid}:${sim.settings.authToken}`).toString('base64');
    const sid = `SM${'0'.repeat(32)}`;
    const r = await fetch(
      `${sim.urls.twilio}/2010-04-01/Accounts/${sim.settings.accountSid}/Messages/${sid}.json`,
      {
        headers: { authorization: `Basic ${auth}` },
      },
    );
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ code: 20404, status: 404 });
  });

  it("refuses a 'To' that is not E.164 with 21211 and an unknown 'From' with 21606", async () => {
    const badTo = await sms({ To: '617-555-0100' });
    expect(badTo.status).toBe(400);
    expect(badTo.json).toEqual({
      code: 21211,
      message: "Invalid 'To' Phone Number: 617-555-0100",
      more_info: 'https://www.twilio.com/docs/errors/21211',
      status: 400,
    });
    const badFrom = await sms({ From: '+16175559999' });
    expect(badFrom.json).toMatchObject({ code: 21606, status: 400 });
    expect(sim.stats().channels.sms.rejected).toEqual({ '21211': 1, '21606': 1 });
  });

  it('answers 429 with 20429 once the sender has used its segments, and accepts again after refill', async () => {
    // 2 segments/s: a burst of two, then a token every 500 ms. (At 10/s a loaded machine took over
    // 100 ms for the ten requests and a token came back before the eleventh.)
    sim.setFaults({ rateLimits: { smsSegmentsPerSecond: 1, senderRates: { [sender]: 2 } } });
    for (let i = 0; i < 2; i += 1) expect((await sms()).status).toBe(201);
    const limited = await sms();
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ code: 20429, message: 'Too Many Requests', status: 429 });
    expect(limited.headers.get('retry-after')).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await sms()).status).toBe(201);
    const s = sim.stats().channels.sms;
    expect(s.rejected).toEqual({ '20429': 1 });
    expect(s.senders?.[sender]).toMatchObject({ accepted: 3, segments: 3 });
  });

  it('charges segments, not messages: a 3-segment text empties a 1 segment/s sender', async () => {
    sim.setFaults({ rateLimits: { smsSegmentsPerSecond: 1 } });
    expect((await sms({ Body: 'y'.repeat(400) })).status).toBe(201);
    const next = await sms();
    expect(next.status).toBe(429);
    expect(next.headers.get('retry-after')).toBe('3');
  });

  it('counts the same delivery id accepted twice as a duplicate', async () => {
    await sms({ StatusCallback: `${receiver.url}/r?delivery=a` });
    await sms({ StatusCallback: `${receiver.url}/r?delivery=b` });
    await sms({ StatusCallback: `${receiver.url}/r?delivery=a` });
    await sms();
    const s = sim.stats().channels.sms;
    expect(s).toMatchObject({ accepted: 4, uniqueDeliveryIds: 2, duplicates: 1, withoutDeliveryId: 1 });
    expect(s.duplicateIds).toEqual(['a']);
    expect(sim.messages({ deliveryId: 'a' })).toHaveLength(2);
  });

  it('picks a configured sender for a Messaging Service send', async () => {
    const r = await twilioPost(sim, 'Messages', {
      To: '+15551230001',
      MessagingServiceSid: 'MG00000000000000000000000000000001',
      Body: 'hi',
    });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      status: 'accepted',
      from: null,
      messaging_service_sid: 'MG00000000000000000000000000000001',
    });
    expect(sim.messages({ channel: 'sms' })[0]!.from).toBe(sender);
  });
});

describe('Twilio Calls API', () => {
  it('accepts a call and reports its progress to the StatusCallback, signed', async () => {
    const callback = `${receiver.url}/receipts/voice?delivery=v-1`;
    const r = await twilioPost(sim, 'Calls', {
      To: '+15551230001',
      From: sender,
      Twiml: '<Response><Say>Shelter in place.</Say></Response>',
      StatusCallback: callback,
    });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ status: 'queued', to: '+15551230001', from: sender });
    expect(r.json.sid).toMatch(/^CA[0-9a-f]{32}$/);
    await waitUntil(() => receiver.posts.length === 4);
    expect(receiver.posts.map((p) => p.form.CallStatus)).toEqual([
      'initiated',
      'ringing',
      'in-progress',
      'completed',
    ]);
    const last = receiver.posts[3]!;
    expect(last.headers['x-twilio-signature']).toBe(
      twilioRequestSignature(sim.settings.authToken, callback, last.form),
    );
    expect(sim.stats().channels.voice).toMatchObject({
      accepted: 1,
      uniqueDeliveryIds: 1,
      outcomes: { completed: 1 },
    });
  });

  it('reports busy at the configured rate and honours StatusCallbackEvent', async () => {
    sim.setFaults({ voice: { busyRate: 1 } });
    await twilioPost(sim, 'Calls', {
      To: '+15551230001',
      From: sender,
      Url: 'https://tocsin.test/voice.xml',
      StatusCallback: `${receiver.url}/v`,
      StatusCallbackEvent: ['initiated', 'answered'],
    });
    await waitUntil(() => receiver.posts.length === 2);
    expect(receiver.posts.map((p) => p.form.CallStatus)).toEqual(['initiated', 'busy']);
    sim.setFaults({ voice: { busyRate: 0 } });
  });

  it('limits calls per second per caller', async () => {
    sim.setFaults({ rateLimits: { callsPerSecond: 1 } });
    const call = () =>
      twilioPost(sim, 'Calls', { To: '+15551230001', From: sender, Url: 'https://t.test/v' });
    expect((await call()).status).toBe(201);
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ code: 20429 });
  });
});
