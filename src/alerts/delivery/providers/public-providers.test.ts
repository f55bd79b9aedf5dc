import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../../test/support/system.js';
import { loadConfig } from '../../../platform/config.js';
import type {
  CapPushSettings,
  FacebookSettings,
  WebhookSettings,
  XSettings,
} from '../../../platform/delivery-settings.js';
import { startReceiver, type Receiver } from '../../../sim/sim.test-support.js';
import { startSimulator, type Simulator } from '../../../sim/simulator.js';
import type { DeliveryProvider } from '../provider.js';
import { renderingsFor } from '../renderings.js';
import { capProvider } from './cap-provider.js';
import { claimedDeliveries } from './delivery.test-support.js';
import { never, outcomeLog, outgoing, testRenderings } from './providers.test-support.js';
import { facebookProvider, xProvider } from './social-providers.js';
import { webhookProvider } from './webhook-provider.js';
import { tocsinSignature, tocsinSignatureProblem } from './webhook-signature.js';

const secret = 'a-webhook-secret-of-some-length';
let sim: Simulator;
let sys: TestSystem;
let signs: Receiver;
let failing = false;
const open: DeliveryProvider[] = [];

beforeAll(async () => {
  sim = await startSimulator();
  signs = await startReceiver(() => (failing ? { status: 503, body: 'busy' } : { status: 204, body: '' }));
  sys = await startTestSystem({ serve: false, work: false });
}, 60_000);
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close?.()));
  sim.setFaults({
    webhook: { errorRate: 0 },
    x: { errorRate: 0, ratePerSecond: 0 },
    facebook: { ratePerSecond: 0 },
  });
  sim.reset();
  failing = false;
});
afterAll(async () => {
  await sim?.stop();
  await signs?.close();
  await sys?.close();
});

function settingsOf<T>(type: string, env: Record<string, string> = {}): T {
  const config = loadConfig({ ...sim.environment, ...env });
  return config.delivery.providers.find((p) => p.type === type) as T;
}
function opened<T extends DeliveryProvider>(provider: T): T {
  open.push(provider);
  return provider;
}

describe('signed webhooks', () => {
  it('posts the signage JSON with the alert’s kind, signed so receivers can verify it', async () => {
    const settings = settingsOf<WebhookSettings>('webhook', {
      TOCSIN_WEBHOOK_URL: `${sim.urls.webhookSink}/signs,${signs.url}/hook`,
      TOCSIN_WEBHOOK_SECRET: secret,
    });
    const webhook = opened(webhookProvider(settings));
    const { messageId, batch } = await claimedDeliveries(sys, 'signage');
    expect(batch).toHaveLength(1);
    const log = outcomeLog();
    const renderings = await renderingsFor(sys.ctx, sys.ctx.db, messageId);
    await webhook.send(batch, renderings, log.report, never);
    expect(log.outcomes).toEqual([{ deliveryId: batch[0]!.deliveryId, kind: 'delivered' }]);
    const post = signs.posts.at(-1)!;
    expect(post.headers['x-tocsin-delivery-id']).toBe(batch[0]!.deliveryId);
    expect(tocsinSignatureProblem(secret, String(post.headers['x-tocsin-signature']), post.raw)).toBeNull();
    expect(JSON.parse(post.raw)).toMatchObject({
      deliveryId: batch[0]!.deliveryId,
      alertId: renderings.alertId,
      messageId,
      sequence: 0,
      channel: 'signage',
      kind: 'test',
      messageType: 'alert',
      language: 'en',
      level: 'test',
      headline: expect.stringContaining('TEST'),
    });
    expect(JSON.parse(post.raw)).not.toHaveProperty('warnings');
    expect(sim.stats().channels.webhook).toMatchObject({ accepted: 1, counts: { signed: 1 } });
  });

  it('retries only the endpoints that failed, and says which', async () => {
    const settings = settingsOf<WebhookSettings>('webhook', {
      TOCSIN_WEBHOOK_URL: `${sim.urls.webhookSink},${signs.url}/hook`,
      TOCSIN_WEBHOOK_SECRET: secret,
    });
    const webhook = opened(webhookProvider(settings));
    const delivery = outgoing('desktop', 'desktop');
    failing = true;
    const first = outcomeLog();
    await webhook.send([delivery], testRenderings(), first.report, never);
    expect(first.outcomes[0]).toMatchObject({
      kind: 'retryable',
      code: 'http-503',
      error: expect.stringMatching(/^127\.0\.0\.1:\d+\/hook: HTTP 503 busy$/),
    });
    failing = false;
    const second = outcomeLog();
    await webhook.send([delivery], testRenderings(), second.report, never);
    expect(second.outcomes[0]).toMatchObject({ kind: 'delivered' });
    expect(sim.stats().channels.webhook).toMatchObject({ accepted: 1, duplicates: 0 });
  });

  it('fails permanently on a 4xx the receiver will always give', async () => {
    const settings = settingsOf<WebhookSettings>('webhook');
    const webhook = opened(webhookProvider(settings));
    sim.setFaults({ webhook: { errorRate: 1, errorStatus: 410 } });
    const log = outcomeLog();
    await webhook.send([outgoing('webhook', 'webhook')], testRenderings(), log.report, never);
    expect(log.outcomes[0]).toMatchObject({ kind: 'permanent', code: 'http-410' });
  });

  it('documents verification: a replayed or altered webhook is refused', () => {
    const body = '{"alertId":"a"}';
    const now = 1_800_000_000;
    const header = tocsinSignature(secret, body, now);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(tocsinSignatureProblem(secret, header, body, now + 299)).toBeNull();
    expect(tocsinSignatureProblem(secret, header, body, now + 301)).toMatch(/replayed/);
    expect(tocsinSignatureProblem(secret, header, `${body} `, now)).toBe('signature mismatch');
    expect(tocsinSignatureProblem('another-secret-entirely', header, body, now)).toBe('signature mismatch');
    expect(tocsinSignatureProblem(secret, undefined, body, now)).toMatch(/missing/);
  });
});

describe('CAP push', () => {
  it('posts the CAP document as application/cap+xml and counts the delivery once', async () => {
    const cap = opened(capProvider(settingsOf<CapPushSettings>('cap')));
    const delivery = outgoing('cap', 'cap');
    const log = outcomeLog();
    await cap.send([delivery], testRenderings(), log.report, never);
    expect(log.outcomes).toEqual([{ deliveryId: delivery.deliveryId, kind: 'delivered' }]);
    const [stored] = sim.messages({ channel: 'cap', deliveryId: delivery.deliveryId });
    expect(stored!.headers?.['content-type']).toBe('application/cap+xml; charset=utf-8');
    expect(stored!.body).toContain('urn:oasis:names:tc:emergency:cap:1.2');
  });

  it('retries through an outage', async () => {
    const cap = opened(capProvider(settingsOf<CapPushSettings>('cap')));
    sim.setFaults({ cap: { outages: [{ durationMs: 60_000 }] } });
    const log = outcomeLog();
    await cap.send([outgoing('cap', 'cap')], testRenderings(), log.report, never);
    sim.setFaults({ cap: { outages: [] } });
    expect(log.outcomes[0]).toMatchObject({ kind: 'retryable', code: 'http-503' });
  });
});

describe('X and Facebook', () => {
  it('posts on X and keeps the post id', async () => {
    const x = opened(xProvider(settingsOf<XSettings>('x')));
    const delivery = outgoing('x', 'x');
    const log = outcomeLog();
    const renderings = testRenderings();
    await x.send([delivery], renderings, log.report, never);
    expect(log.outcomes[0]).toMatchObject({
      kind: 'delivered',
      providerMessageId: expect.stringMatching(/^\d{15,}$/),
    });
    expect(sim.messages({ channel: 'x' })[0]).toMatchObject({
      body: renderings.x('en').text,
      deliveryId: delivery.deliveryId,
    });
  });

  it('retries X after a 429 with its Retry-After, and refuses a bad token for now, not for good', async () => {
    sim.setFaults({ x: { ratePerSecond: 1 } });
    const x = opened(xProvider(settingsOf<XSettings>('x')));
    const log = outcomeLog();
    await x.send([outgoing('x', 'x'), outgoing('x', 'x')], testRenderings(), log.report, never);
    expect(log.outcomes[1]).toMatchObject({ kind: 'retryable', code: 'x-429', retryAfterMs: 1000 });
    const stranger = await startSimulator({ xBearerToken: 'the-real-token' });
    try {
      const refused = opened(xProvider({ ...settingsOf<XSettings>('x'), baseUrl: stranger.urls.x }));
      const denied = outcomeLog();
      await refused.send([outgoing('x', 'x')], testRenderings(), denied.report, never);
      expect(denied.outcomes[0]).toMatchObject({ kind: 'retryable', code: 'x-401' });
    } finally {
      await stranger.stop();
    }
  });

  it('posts on the Facebook page with the link, and retries when the page is throttled', async () => {
    const facebook = opened(facebookProvider(settingsOf<FacebookSettings>('facebook')));
    const renderings = testRenderings();
    const log = outcomeLog();
    await facebook.send([outgoing('facebook', 'facebook')], renderings, log.report, never);
    expect(log.outcomes[0]).toMatchObject({
      kind: 'delivered',
      providerMessageId: expect.stringMatching(/^100000000000001_/),
    });
    const [post] = sim.messages({ channel: 'facebook' });
    expect(post).toMatchObject({
      body: renderings.facebook('en').message,
      details: { link: renderings.facebook('en').link },
    });
    sim.setFaults({ facebook: { ratePerSecond: 0.001 } });
    const throttled = outcomeLog();
    await facebook.send(
      [outgoing('facebook', 'facebook'), outgoing('facebook', 'facebook')],
      renderings,
      throttled.report,
      never,
    );
    expect(throttled.outcomes[1]).toMatchObject({ kind: 'retryable', code: 'graph-32' });
  });
});
