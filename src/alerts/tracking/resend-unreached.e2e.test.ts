import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { generateDemoCampus } from '../../directory/demo/generate-demo-campus.js';
import { noRequest, systemActor } from '../../platform/actor.js';
import { reachMessage, reachTotals } from './alert-reach.queries.js';
import { resendToUnreached } from './resend-unreached.js';
import { sendTrackedTestAlert, testSender } from './tracking.test-support.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ serve: false, work: true });
  await generateDemoCampus(sys.ctx, systemActor, { people: 30 });
}, 60_000);
afterAll(async () => {
  await sys.close();
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const alertStatus = (alertId: string) =>
  sys.ctx.db.selectFrom('alerts').select('status').where('id', '=', alertId).executeTakeFirstOrThrow();

it('delivers a re-send through the delivery engine: the people a provider outage left unreached are reached', async () => {
  const { alertId, messageId } = await sendTrackedTestAlert(sys.ctx, { channels: ['sms'] });
  await until(
    () => alertStatus(alertId),
    (a) => a.status === 'sent',
    'the alert never finished',
  );
  // A provider outage, after the fact: three SMS ran out of retries.
  const failed = await sys.ctx.db
    .updateTable('deliveries')
    .set({
      status: 'technical_failure',
      sent_at: null,
      delivered_at: null,
      last_error: 'Provider unavailable',
    })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('deliveries')
        .select('id')
        .where('message_id', '=', messageId)
        .where('status', 'in', ['sent', 'delivered'])
        .limit(3),
    )
    .returning('person_id')
    .execute();
  expect(failed).toHaveLength(3);
  const message = await reachMessage(sys.ctx.db, alertId);
  expect((await reachTotals(sys.ctx.db, message)).resendable).toBe(3);

  const result = await resendToUnreached(sys.ctx, testSender, alertId, {
    requestId: randomUUID(),
    request: noRequest,
  });
  expect(result).toMatchObject({ round: 1, people: 3, deliveries: 3 });

  const totals = await until(
    () => reachTotals(sys.ctx.db, message),
    (t) => t.pending === 0 && t.failed + t.reached + t.inOutbox === t.people && t.resendable === 0,
    'the re-sent deliveries never went out',
  );
  // This system has no provider but the outbox: what it took is stored, and reached no network.
  expect(totals).toMatchObject({ reached: 0, inOutbox: totals.people - totals.failed });
  const resent = await sys.ctx.db
    .selectFrom('deliveries')
    .select(['person_id', 'status', 'provider'])
    .where('message_id', '=', messageId)
    .where('resend_round', '=', 1)
    .execute();
  expect(resent.map((d) => d.person_id).sort()).toEqual(failed.map((f) => f.person_id).sort());
  expect(resent.every((d) => ['sent', 'delivered'].includes(d.status) && d.provider === 'outbox')).toBe(true);
  await until(
    () => alertStatus(alertId),
    (a) => a.status === 'sent',
    'the alert never finished again',
  );
}, 60_000);
