import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOperator, makeToken, signIn } from '../../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { generateDemoCampus } from '../../directory/demo/generate-demo-campus.js';
import { noRequest, systemActor } from '../../platform/actor.js';
import { closeAlert } from '../follow-up.js';
import { EventStreamClient } from './event-stream-client.js';
import { insertDeliveries } from './synthetic-deliveries.js';
import { trackingHubFor } from './tracking-hubs.js';
import { sendTrackedTestAlert, testSender } from './tracking.test-support.js';

let sys: TestSystem;
let manager: Record<string, string>;
let viewer: Record<string, string>;
let outsider: Record<string, string>;
beforeAll(async () => {
  sys = await startTestSystem({ serve: true, work: false });
  await generateDemoCampus(sys.ctx, systemActor, { people: 20 });
  manager = (await signIn(sys.app!, await makeOperator(sys.ctx, ['emergency_management']))).headers;
  viewer = { authorization: `Bearer ${await makeToken(sys.ctx, ['alerts.read'])}` };
  outsider = { authorization: `Bearer ${await makeToken(sys.ctx, ['directory.read'])}` };
}, 60_000);
afterAll(async () => {
  await sys.close();
});

const hub = () => trackingHubFor(sys.ctx);
const url = (alertId: string, stream = false) =>
  `${sys.url}/api/v1/alerts/${alertId}/tracking${stream ? '/stream' : ''}`;
const cookieOnly = () => ({ cookie: manager.cookie! });

async function needHelpFrom(alertId: string, messageId: string) {
  await sys.ctx.db
    .updateTable('alerts')
    .set({ acknowledgement_requested: true })
    .where('id', '=', alertId)
    .execute();
  const person = await sys.ctx.db
    .selectFrom('people')
    .select(['id', 'display_name'])
    .limit(1)
    .executeTakeFirstOrThrow();
  await insertDeliveries(sys.ctx.db, messageId, [
    { channel: 'sms', status: 'delivered', sentAfterMs: 5, deliveredAfterMs: 9, personId: person.id },
  ]);
  await sys.ctx.db
    .insertInto('acknowledgements')
    .values({ alert_id: alertId, person_id: person.id, response: 'need_help', channel: 'sms' })
    .execute();
  return person;
}

async function waitFor(condition: () => boolean, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('GET /api/v1/alerts/:id/tracking', () => {
  it('shows the need-help list to a reader of people and audits it; others get counts only', async () => {
    const { alertId, messageId } = await sendTrackedTestAlert(sys.ctx);
    const person = await needHelpFrom(alertId, messageId);
    const full = await fetch(url(alertId), { headers: manager });
    expect(full.status).toBe(200);
    const body = (await full.json()) as {
      acknowledgements: { needHelp: number; needHelpList: Array<{ name: string }> };
    };
    expect(body.acknowledgements.needHelp).toBe(1);
    expect(body.acknowledgements.needHelpList.map((e) => e.name)).toEqual([person.display_name]);
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'metadata'])
      .where('action', '=', 'alert.acknowledgements.read')
      .execute();
    expect(audit).toEqual([
      {
        action: 'alert.acknowledgements.read',
        target_id: alertId,
        metadata: { via: 'tracking', needHelp: 1, listed: 1 },
      },
    ]);
    const counts = (await (await fetch(url(alertId), { headers: viewer })).json()) as {
      acknowledgements: { needHelp: number; needHelpList: unknown };
      messages: Array<{ channels: Array<{ channel: string; total: number }> }>;
    };
    expect(counts.acknowledgements).toMatchObject({ needHelp: 1, needHelpList: null });
    expect(counts.messages[0]!.channels).toEqual([expect.objectContaining({ channel: 'sms', total: 1 })]);
  });

  it.each([
    ['anonymous', {}, 401],
    ['a caller without alerts.read', 'outsider', 403],
  ] as const)('refuses %s on both routes', async (_who, headers, status) => {
    const { alertId } = await sendTrackedTestAlert(sys.ctx);
    const h = headers === 'outsider' ? outsider : headers;
    expect((await fetch(url(alertId), { headers: h })).status).toBe(status);
    expect((await fetch(url(alertId, true), { headers: h })).status).toBe(status);
  });

  it('answers 404 for an unknown alert and 400 for a malformed id, on both routes', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const stream of [false, true]) {
      const missing = await fetch(url(unknown, stream), { headers: viewer });
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
      const bad = await fetch(url('not-a-uuid', stream), { headers: viewer });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/id/);
    }
    expect(hub().pollerCount).toBe(0);
  });
});

describe('GET /api/v1/alerts/:id/tracking/stream', () => {
  it('sends a snapshot at once, changed counts within a second, and stops polling when the client leaves', async () => {
    const { alertId, messageId } = await sendTrackedTestAlert(sys.ctx);
    const stream = await EventStreamClient.open(url(alertId, true), cookieOnly());
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers.get('cache-control')).toBe('no-cache, no-store');
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    const first = await stream.nextTracking({ timeoutMs: 2000 });
    expect(first.alert).toMatchObject({ id: alertId, status: 'sending' });
    expect(first.totals.total).toBe(0);
    expect(stream.events[0]).toMatchObject({ event: 'tracking', retry: 3000 });
    expect(first.eventId).toMatch(/^[\w-]{16}$/);
    expect(hub().pollerCount).toBe(1);

    const changedAt = Date.now();
    await insertDeliveries(sys.ctx.db, messageId, [
      { channel: 'sms', status: 'delivered', sentAfterMs: 10, deliveredAfterMs: 20 },
      { channel: 'email', status: 'queued' },
    ]);
    const from = stream.events.length;
    const changed = await stream.next(
      (e) => e.event === 'tracking' && JSON.parse(e.data).totals.total === 2,
      {
        from,
        timeoutMs: 2500,
      },
    );
    expect(Date.now() - changedAt).toBeLessThan(2000);
    expect(changed.id).not.toBe(first.eventId);

    stream.close();
    await waitFor(() => hub().pollerCount === 0);
    expect(hub().subscriberCount).toBe(0);
  });

  it('shares one poller among every stream on an alert', async () => {
    const { alertId } = await sendTrackedTestAlert(sys.ctx);
    const streams = await Promise.all(
      [1, 2, 3, 4].map(() => EventStreamClient.open(url(alertId, true), viewer)),
    );
    await Promise.all(streams.map((s) => s.nextTracking()));
    expect(hub().pollerCount).toBe(1);
    expect(hub().subscriberCount).toBe(4);
    for (const s of streams) s.close();
    await waitFor(() => hub().pollerCount === 0);
  });

  it('resumes from Last-Event-ID without re-sending what the client has', async () => {
    const { alertId } = await sendTrackedTestAlert(sys.ctx);
    const one = await EventStreamClient.open(url(alertId, true), viewer);
    const seen = await one.nextTracking();
    const again = await EventStreamClient.open(url(alertId, true), {
      ...viewer,
      'last-event-id': seen.eventId!,
    });
    const firstOfAgain = await again.next(() => true);
    expect(firstOfAgain).toMatchObject({ event: 'comment', data: 'resumed; nothing changed' });
    one.close();
    again.close();
    await waitFor(() => hub().pollerCount === 0);
  });

  it('ends the stream of a closed alert and answers 204 to a client that resumes it', async () => {
    const { alertId } = await sendTrackedTestAlert(sys.ctx);
    await sys.ctx.db.updateTable('alerts').set({ status: 'sent' }).where('id', '=', alertId).execute();
    await closeAlert(sys.ctx, testSender, alertId, { reason: 'Tracking test over', request: noRequest });
    const stream = await EventStreamClient.open(url(alertId, true), viewer);
    const last = await stream.nextTracking();
    expect(last.alert.status).toBe('closed');
    await stream.next((e) => e.event === 'end');
    await stream.closed();
    const resumed = await fetch(url(alertId, true), {
      headers: { ...viewer, 'last-event-id': last.eventId! },
    });
    expect(resumed.status).toBe(204);
    expect(hub().pollerCount).toBe(0);
  });

  it('audits opening a stream that may show the need-help list', async () => {
    const { alertId, messageId } = await sendTrackedTestAlert(sys.ctx);
    await needHelpFrom(alertId, messageId);
    const stream = await EventStreamClient.open(url(alertId, true), cookieOnly());
    const first = await stream.nextTracking();
    expect(first.acknowledgements.needHelpList).toHaveLength(1);
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .select(['metadata'])
      .where('action', '=', 'alert.acknowledgements.read')
      .where('target_id', '=', alertId)
      .execute();
    expect(audit).toEqual([{ metadata: { via: 'tracking_stream' } }]);
    stream.close();
    await waitFor(() => hub().pollerCount === 0);
  });

  it('limits open streams per caller', async () => {
    const { alertId } = await sendTrackedTestAlert(sys.ctx);
    const token = { authorization: `Bearer ${await makeToken(sys.ctx, ['alerts.read'])}` };
    const streams = await Promise.all(
      Array.from({ length: 10 }, () => EventStreamClient.open(url(alertId, true), token)),
    );
    expect(streams.map((s) => s.status)).toEqual(Array(10).fill(200));
    const refused = await fetch(url(alertId, true), { headers: token });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/at most 10/);
    for (const s of streams) s.close();
    await waitFor(() => hub().pollerCount === 0);
    const afterwards = await EventStreamClient.open(url(alertId, true), token);
    expect(afterwards.status).toBe(200);
    afterwards.close();
    await waitFor(() => hub().pollerCount === 0);
  });
});
