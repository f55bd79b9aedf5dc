import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, twilioPost, type Receiver } from './sim.test-support.js';
import { startSimulator, type Simulator } from './simulator.js';
import { twilioRequestSignature } from './twilio-request-signature.js';

let sim: Simulator;
let tocsin: Receiver;
beforeAll(async () => {
  sim = await startSimulator({ smsSegmentsPerSecond: 0 });
  tocsin = await startReceiver((post) => ({
    status: 200,
    type: 'text/xml',
    body:
      post.form.Body === 'STOP'
        ? '<?xml version="1.0"?><Response><Message>MIT Alert: you are unsubscribed &amp; will get no more messages.</Message></Response>'
        : '<Response/>',
  }));
});
afterAll(async () => {
  await sim.stop();
  await tocsin.close();
});

const control = async (path: string, body?: unknown) => {
  const r = await fetch(`${sim.urls.control}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
};

describe('inbound SMS', () => {
  it('posts a signed Twilio inbound webhook to Tocsin and records the TwiML reply', async () => {
    const webhookUrl = `${tocsin.url}/webhooks/twilio/sms?campus=cambridge`;
    const r = await control('/inbound-sms', {
      from: '+15551230001',
      to: '+16175550100',
      body: 'STOP',
      webhookUrl,
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      status: 200,
      replies: ['MIT Alert: you are unsubscribed & will get no more messages.'],
    });
    const received = tocsin.posts[0]!;
    expect(received.url).toBe('/webhooks/twilio/sms?campus=cambridge');
    expect(received.form).toMatchObject({
      From: '+15551230001',
      To: '+16175550100',
      Body: 'STOP',
      MessageSid: r.json.messageSid,
      AccountSid: sim.settings.accountSid,
      SmsStatus: 'received',
    });
    expect(received.headers['x-twilio-signature']).toBe(
      twilioRequestSignature(sim.settings.authToken, webhookUrl, received.form),
    );
    const [reply, inbound] = sim.messages({ channel: 'sms' });
    expect(reply).toMatchObject({
      from: '+16175550100',
      to: '+15551230001',
      details: { direction: 'reply' },
    });
    expect(inbound).toMatchObject({ body: 'STOP', details: { direction: 'inbound' } });
  });

  it('signs with the token given in the request', async () => {
    const webhookUrl = `${tocsin.url}/other`;
    await control('/inbound-sms', {
      from: '+15551230001',
      to: '+16175550100',
      body: 'HELP',
      webhookUrl,
      authToken: 'tok',
    });
    const received = tocsin.posts.at(-1)!;
    expect(received.headers['x-twilio-signature']).toBe(
      twilioRequestSignature('tok', webhookUrl, received.form),
    );
  });

  it('refuses a request without a webhook URL', async () => {
    expect((await control('/inbound-sms', { from: '+1', to: '+2', body: 'x' })).status).toBe(400);
  });
});

describe('control API', () => {
  it('lists stored messages by recipient, shows stats and resets', async () => {
    await twilioPost(sim, 'Messages', { To: '+15551230002', From: '+16175550100', Body: 'one' });
    await twilioPost(sim, 'Messages', { To: '+15551230003', From: '+16175550100', Body: 'two' });
    const listed = await control('/messages?to=%2B15551230003&limit=5');
    expect(listed.json).toMatchObject({
      count: 1,
      messages: [{ body: 'two', channel: 'sms', status: 'queued' }],
    });
    const stats = await control('/stats');
    expect(stats.json).toMatchObject({ channels: { sms: { accepted: 2 } }, callbacks: { dropped: 0 } });
    expect((await control('/reset', {})).status).toBe(200);
    expect((await control('/stats')).json).toMatchObject({ channels: { sms: { accepted: 0 } } });
    expect((await control('/messages')).json).toMatchObject({ count: 0 });
  });

  it('describes its URLs and the environment for Tocsin', async () => {
    const described = await control('');
    expect(described.json).toMatchObject({
      urls: { twilio: sim.urls.twilio, control: sim.urls.control },
      environment: { TOCSIN_TWILIO_BASE_URL: sim.urls.twilio, TOCSIN_SMTP_PORT: String(sim.urls.smtp.port) },
    });
  });
});
