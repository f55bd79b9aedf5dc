import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './simulator.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ xBearerToken: 'x-token', facebookAccessToken: 'page-token' });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => sim.reset());

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body, headers });

const cap = (identifier: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>${identifier}</identifier><sender>alerts@mit.test</sender><sent>2026-11-21T10:00:00-05:00</sent><status>Exercise</status><msgType>Alert</msgType><scope>Public</scope></alert>`;

describe('webhook sink', () => {
  it('records body and headers, and whether the request was signed, counting duplicates', async () => {
    const signed = {
      'content-type': 'application/json',
      'x-tocsin-delivery-id': 'w-1',
      'x-tocsin-signature': 'sig',
    };
    expect((await post(`${sim.urls.webhookSink}/campus-radio`, '{"alert":1}', signed)).status).toBe(200);
    await post(sim.urls.webhookSink, 'not json', {
      'content-type': 'text/plain',
      'x-tocsin-delivery-id': 'w-1',
    });
    const webhook = sim.stats().channels.webhook;
    expect(webhook).toMatchObject({ accepted: 2, uniqueDeliveryIds: 1, duplicates: 1 });
    expect(webhook.counts).toEqual({ signed: 1, unsigned: 1 });
    const [, first] = sim.messages({ channel: 'webhook' });
    expect(first).toMatchObject({ to: 'campus-radio', body: '{"alert":1}', details: { signed: true } });
    expect(first!.headers).toMatchObject({ 'x-tocsin-signature': 'sig' });
  });
});

describe('CAP sink', () => {
  it('records CAP 1.2 documents by identifier and refuses anything else', async () => {
    const xml = { 'content-type': 'application/cap+xml' };
    expect((await post(sim.urls.capSink, cap('MIT-2026-1'), xml)).status).toBe(200);
    expect((await post(sim.urls.capSink, cap('MIT-2026-1'), xml)).status).toBe(200);
    expect((await post(sim.urls.capSink, '<alert/>', xml)).status).toBe(400);
    expect(sim.stats().channels.cap).toMatchObject({ accepted: 2, duplicates: 1, rejected: { '400': 1 } });
    expect(sim.messages({ channel: 'cap' })[0]).toMatchObject({ id: 'MIT-2026-1', from: 'alerts@mit.test' });
  });
});

describe('X API', () => {
  it('creates a post with the bearer token and refuses without it', async () => {
    const tweet = (token: string) =>
      post(`${sim.urls.x}/2/tweets`, JSON.stringify({ text: 'MIT Alert: test' }), {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-tocsin-delivery-id': 'x-1',
      });
    const ok = await tweet('x-token');
    expect(ok.status).toBe(201);
    const { data } = (await ok.json()) as { data: { id: string; text: string } };
    expect(data).toMatchObject({ id: expect.stringMatching(/^\d{15,20}$/), text: 'MIT Alert: test' });
    const refused = await tweet('wrong');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ title: 'Unauthorized', status: 401 });
    expect(sim.stats().channels.x).toMatchObject({
      accepted: 1,
      uniqueDeliveryIds: 1,
      rejected: { '401': 1 },
    });
  });
});

describe('Facebook Graph API', () => {
  it('posts to a page feed with the page token, form-encoded or JSON', async () => {
    const form = await post(
      `${sim.urls.facebook}/v19.0/1234/feed`,
      new URLSearchParams({
        message: 'MIT Alert',
        link: 'https://alert.mit.test',
        access_token: 'page-token',
      }).toString(),
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(form.status).toBe(200);
    expect(((await form.json()) as { id: string }).id).toMatch(/^1234_\d+$/);
    const json = await post(
      `${sim.urls.facebook}/v20.0/1234/feed`,
      JSON.stringify({ message: 'again', access_token: 'bad' }),
      { 'content-type': 'application/json' },
    );
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: { code: 190, type: 'OAuthException' } });
    expect(sim.messages({ channel: 'facebook' })[0]).toMatchObject({ to: '1234', body: 'MIT Alert' });
  });
});
