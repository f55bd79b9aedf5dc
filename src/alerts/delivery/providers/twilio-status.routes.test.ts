import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../../test/support/system.js';
import type { TwilioSettings } from '../../../platform/delivery-settings.js';
import { drainCallbacks } from '../../../sim/sim.test-support.js';
import { startSimulator, type Simulator } from '../../../sim/simulator.js';
import { receiptWriter, type Receipt } from '../receipts.js';
import { renderingsFor } from '../renderings.js';
import { claimedDeliveries, deliveryStates } from './delivery.test-support.js';
import { never, outcomeLog } from './providers.test-support.js';
import { twilioProvider } from './twilio-provider.js';
import { twilioSignature } from './twilio-signature.js';

let sim: Simulator;
let sys: TestSystem;

beforeAll(async () => {
  sim = await startSimulator({ smsSegmentsPerSecond: 0, callsPerSecond: 0, callbackDelayMs: 1 });
  sys = await startTestSystem({ serve: true, work: false, env: sim.environment });
}, 60_000);
afterAll(async () => {
  await sim?.stop();
  await sys?.close();
});

/** POST a status callback as Twilio would, signed with `token` (the simulator's account by default). */
async function postReceipt(
  deliveryId: string,
  params: Record<string, string>,
  token = sim.settings.authToken,
) {
  const url = `${sys.url}/webhooks/twilio/status?delivery=${deliveryId}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(token, url, params),
    },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Send a claimed batch through the Twilio provider, its callbacks pointed at the test system. */
async function sendThroughSimulator(channel: 'sms' | 'voice') {
  const claimed = await claimedDeliveries(sys, channel);
  const config = { ...sys.ctx.config, publicUrl: sys.url! };
  const settings = config.delivery.providers.find((p) => p.type === 'twilio') as TwilioSettings;
  const provider = twilioProvider({ config, log: sys.ctx.log }, { ...settings, callsPerSecond: 100 });
  const log = outcomeLog();
  await provider.send(
    claimed.batch,
    await renderingsFor(sys.ctx, sys.ctx.db, claimed.messageId),
    log.report,
    never,
  );
  await provider.close?.();
  return { ...claimed, log };
}

describe('POST /webhooks/twilio/status', () => {
  it('marks SMS delivered from the simulator’s signed receipts', async () => {
    const { messageId, batch, log } = await sendThroughSimulator('sms');
    expect(batch.length).toBeGreaterThan(5);
    expect(log.kinds()).toEqual({ accepted: batch.length });
    await drainCallbacks(sim);
    const states = await deliveryStates(sys, messageId);
    for (const d of batch) {
      expect(states.get(d.deliveryId)).toMatchObject({
        status: 'delivered',
      });
      expect(states.get(d.deliveryId)!.delivered_at).toBeInstanceOf(Date);
    }
    expect(sim.stats().callbacks.failed).toEqual({});
  });

  it('marks a completed call delivered and a busy one for another try', async () => {
    sim.setFaults({ voice: { busyRate: 0.5 } });
    const { messageId, batch } = await sendThroughSimulator('voice');
    await drainCallbacks(sim);
    sim.setFaults({ voice: { busyRate: 0 } });
    const states = [...(await deliveryStates(sys, messageId)).values()].filter((s) =>
      batch.some((d) => d.deliveryId === s.id),
    );
    const busy = states.filter((s) => s.status === 'temporary_failure');
    expect(states.filter((s) => s.status === 'delivered').length + busy.length).toBe(batch.length);
    for (const s of busy) {
      expect(s).toMatchObject({ error_code: 'busy', last_error: 'call busy' });
      expect(s.next_attempt_at).toBeInstanceOf(Date);
    }
  });

  it('refuses a forged or unsigned receipt with 403, audited without the signature', async () => {
    const { messageId, batch } = await claimedDeliveries(sys, 'sms');
    const id = batch[0]!.deliveryId;
    const forged = await postReceipt(
      id,
      { MessageSid: 'SMforged', MessageStatus: 'delivered' },
      'not-the-token',
    );
    expect(forged.status).toBe(403);
    expect(forged.body).toMatchObject({
      error: { code: 'forbidden', message: expect.stringMatching(/does not match/) },
    });
    const unsigned = await fetch(`${sys.url}/webhooks/twilio/status?delivery=${id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'MessageStatus=delivered',
    });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toMatch(/header is missing/);
    expect((await deliveryStates(sys, messageId)).get(id)!.status).toBe('sending');
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'webhook.refused')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(audit[0]).toMatchObject({ outcome: 'denied', actor_type: 'anonymous' });
    expect(JSON.stringify(audit)).not.toMatch(/x-twilio-signature|not-the-token/i);
  });

  it('ignores late and duplicate receipts, and failures of an earlier attempt', async () => {
    const { messageId, batch } = await claimedDeliveries(sys, 'sms');
    const [first, second] = batch.map((d) => d.deliveryId);
    const delivered = { MessageSid: 'SM1', MessageStatus: 'delivered' };
    expect((await postReceipt(first!, delivered)).body).toEqual({ result: 'applied' });
    expect((await postReceipt(first!, delivered)).body).toEqual({ result: 'ignored' });
    expect((await postReceipt(first!, { MessageSid: 'SM1', MessageStatus: 'sent' })).body).toEqual({
      result: 'ignored',
    });
    // The dispatcher recorded the acceptance of the second attempt (provider id SM2).
    await sys.ctx.db
      .updateTable('deliveries')
      .set({ status: 'sent', provider_message_id: 'SM2' })
      .where('id', '=', second!)
      .execute();
    const stale = { MessageSid: 'SMold', MessageStatus: 'undelivered', ErrorCode: '30003' };
    expect((await postReceipt(second!, stale)).body).toEqual({ result: 'ignored' });
    const states = await deliveryStates(sys, messageId);
    expect(states.get(first!)!.status).toBe('delivered');
    expect(states.get(second!)!.status).toBe('sent');
  });

  it('keeps the ErrorCode of a failed message: permanent when the number cannot take SMS', async () => {
    const { messageId, batch } = await claimedDeliveries(sys, 'sms');
    const [landline, off] = batch.map((d) => d.deliveryId);
    await postReceipt(landline!, { MessageSid: 'SM3', MessageStatus: 'undelivered', ErrorCode: '30006' });
    await postReceipt(off!, { MessageSid: 'SM4', MessageStatus: 'undelivered', ErrorCode: '30003' });
    const states = await deliveryStates(sys, messageId);
    expect(states.get(landline!)).toMatchObject({ status: 'permanent_failure', error_code: '30006' });
    expect(states.get(off!)).toMatchObject({ status: 'temporary_failure', error_code: '30003' });
    expect(states.get(off!)!.last_error).toMatch(/unreachable handset/);
  });

  it('answers 400 when the signed URL names no delivery', async () => {
    const url = `${sys.url}/webhooks/twilio/status`;
    const params = { MessageSid: 'SM5', MessageStatus: 'delivered' };
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(sim.settings.authToken, url, params),
      },
      body: new URLSearchParams(params),
    });
    expect(response.status).toBe(400);
  });
});

/** Counts the statements run through it; fails the first `failFirst` of them. */
function statementCounter(failFirst = 0): KyselyPlugin & { statements: number } {
  const plugin = {
    statements: 0,
    transformQuery<T>(args: { node: T }): T {
      plugin.statements += 1;
      if (plugin.statements <= failFirst) throw new Error('deadlock detected (test)');
      return args.node;
    },
    async transformResult<T>(args: { result: T }): Promise<T> {
      return args.result;
    },
  };
  return plugin;
}

const receipt = (deliveryId: string, status: Receipt['status'], sid: string): Receipt => ({
  deliveryId,
  status,
  providerMessageId: sid,
  code: status === 'permanent_failure' ? '30006' : null,
  error: status === 'permanent_failure' ? 'landline' : null,
  retryAfterSeconds: 60,
});

describe('receipts written together', () => {
  it('writes a burst of receipts in a few statements, each answered as if written alone', async () => {
    const { messageId, batch } = await claimedDeliveries(sys, 'sms');
    const counter = statementCounter();
    const writer = receiptWriter(sys.ctx.db.withPlugin(counter));
    const ids = batch.map((d) => d.deliveryId);
    // Every delivery gets sent then delivered, in one burst; the last a failure of an earlier attempt too.
    const results = await Promise.all(
      ids.flatMap((id, i) => [
        writer.apply(receipt(id, 'sent', `SMb${i}`)),
        writer.apply(receipt(id, 'delivered', `SMb${i}`)),
        writer.apply(receipt(id, 'sent', `SMb${i}`)),
      ]),
    );
    expect(results).toEqual(ids.flatMap(() => ['applied', 'applied', 'ignored']));
    // One statement for the first receipt alone, then a few for the rest: never one per receipt.
    expect(counter.statements).toBeLessThanOrEqual(4);
    const states = await deliveryStates(sys, messageId);
    for (const id of ids) expect(states.get(id)!.status).toBe('delivered');
  });

  it('keeps the guards per receipt: a failure of another attempt is ignored, a landline fails for good', async () => {
    const { messageId, batch } = await claimedDeliveries(sys, 'sms');
    const [other, landline] = batch.map((d) => d.deliveryId);
    await sys.ctx.db
      .updateTable('deliveries')
      .set({ status: 'sent', provider_message_id: 'SMnew' })
      .where('id', '=', other!)
      .execute();
    const writer = receiptWriter(sys.ctx.db);
    const results = await Promise.all([
      writer.apply(receipt(other!, 'permanent_failure', 'SMold')),
      writer.apply(receipt(landline!.toUpperCase(), 'permanent_failure', 'SMl')),
    ]);
    expect(results).toEqual(['ignored', 'applied']);
    const states = await deliveryStates(sys, messageId);
    expect(states.get(other!)!.status).toBe('sent');
    expect(states.get(landline!)).toMatchObject({ status: 'permanent_failure', error_code: '30006' });
  });

  it('writes receipt by receipt when a statement fails, so each caller gets its own answer', async () => {
    const { messageId, batch } = await claimedDeliveries(sys, 'sms');
    const ids = batch.map((d) => d.deliveryId);
    const counter = statementCounter(2);
    const writer = receiptWriter(sys.ctx.db.withPlugin(counter));
    const results = await Promise.allSettled(ids.map((id) => writer.apply(receipt(id, 'delivered', 'SMf'))));
    // The first (alone) failed with its own error; the batch of the rest failed and was retried one by one.
    expect(results[0]).toMatchObject({ status: 'rejected' });
    expect(results.slice(1).every((r) => r.status === 'fulfilled' && r.value === 'applied')).toBe(true);
    const states = await deliveryStates(sys, messageId);
    expect(states.get(ids[0]!)!.status).toBe('sending');
    for (const id of ids.slice(1)) expect(states.get(id)!.status).toBe('delivered');
  });
});
