import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOperator, makeToken, signIn, type SignedIn } from '../../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { noRequest, systemActor } from '../../platform/actor.js';
import { nwsCap, referenceTo } from './inbound-cap.test-support.js';
import { receiveInboundCap } from './receive-inbound-cap.js';

let sys: TestSystem;
let submitter: Record<string, string>;
let manager: SignedIn;
let managerName: string;
let viewer: SignedIn;
beforeAll(async () => {
  sys = await startTestSystem();
  submitter = { authorization: `Bearer ${await makeToken(sys.ctx, ['inbound_cap.submit'])}` };
  const op = await makeOperator(sys.ctx, ['emergency_management']);
  managerName = op.username;
  manager = await signIn(sys.app!, op);
  viewer = await signIn(sys.app!, await makeOperator(sys.ctx, ['viewer'], { mfa: false }));
}, 60_000);
afterAll(async () => {
  await sys.close();
});

async function submit(document: string): Promise<string> {
  const r = await sys.app!.inject({
    method: 'POST',
    url: '/api/v1/cap/inbound',
    headers: { ...submitter, 'content-type': 'application/cap+xml' },
    payload: document,
  });
  expect(r.statusCode, r.body).toBe(202);
  return r.json().id;
}

const relay = (id: string, body?: Record<string, unknown>, headers = manager.headers) =>
  sys.app!.inject({ method: 'POST', url: `/api/v1/cap/inbound/${id}/relay`, headers, payload: body });

const inbound = (id: string) =>
  sys.ctx.db.selectFrom('inbound_cap').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('relaying inbound CAP', () => {
  it('turns a pending tornado warning into an emergency alert with one POST (no body), with its Clery record', async () => {
    const document = nwsCap();
    const id = await submit(document);
    const before = Date.now();
    const r = await relay(id);
    expect(r.statusCode, r.body).toBe(202);
    const { alertId, type } = r.json();
    expect(type).toBe('alert');
    const alert = await sys.ctx.db
      .selectFrom('alerts')
      .selectAll()
      .where('id', '=', alertId)
      .executeTakeFirstOrThrow();
    expect(alert).toMatchObject({
      kind: 'emergency',
      hazard: 'severe_weather',
      confirmed_by: managerName,
      audience: { everyone: true },
      channels: sys.ctx.profile.alerts.channels,
    });
    const identifier = /<identifier>([^<]+)</.exec(document)![1];
    expect(alert.confirmation_source).toBe(`CAP: w-nws.webmaster@noaa.gov ${identifier}`);
    expect(alert.confirmed_at!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const message = await sys.ctx.db
      .selectFrom('alert_messages')
      .select('content')
      .where('alert_id', '=', alertId)
      .executeTakeFirstOrThrow();
    expect(message.content.en).toMatchObject({
      what: expect.stringMatching(/^Tornado Warning issued for Middlesex/),
      where: 'Middlesex, MA; Suffolk, MA',
      actions: expect.stringMatching(/^TAKE COVER NOW!/),
    });
    expect(await inbound(id)).toMatchObject({
      status: 'relayed',
      alert_id: alertId,
      handled_by: managerName,
    });
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'inbound_cap.relay')
      .where('target_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ status: 'relayed', alertId });
    expect(audit.actor_label).toBe(managerName);
  });

  it('answers relaying a relayed message with 409', async () => {
    const id = await submit(nwsCap());
    expect((await relay(id)).statusCode).toBe(202);
    const again = await relay(id);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/already relayed/);
  });

  it('relays a Cancel of a relayed warning as the all-clear of its alert, and an Update as an update', async () => {
    const original = nwsCap();
    const { alertId } = (await relay(await submit(original))).json();
    const update = await relay(
      await submit(
        nwsCap({ msgType: 'Update', references: referenceTo(original), headline: 'Warning extended' }),
      ),
    );
    expect(update.statusCode, update.body).toBe(202);
    expect(update.json()).toMatchObject({ alertId, type: 'update', sequence: 1 });
    const cancel = await relay(
      await submit(nwsCap({ msgType: 'Cancel', references: referenceTo(original), noInfo: true })),
    );
    expect(cancel.statusCode, cancel.body).toBe(202);
    expect(cancel.json()).toMatchObject({ alertId, type: 'all_clear', sequence: 2 });
    const types = await sys.ctx.db
      .selectFrom('alert_messages')
      .select('message_type')
      .where('alert_id', '=', alertId)
      .orderBy('sequence')
      .execute();
    expect(types.map((m) => m.message_type)).toEqual(['alert', 'update', 'all_clear']);
  });

  it('lets a sender set aside only its own messages from the same source, and sees a warning and its Cancel arriving together', async () => {
    // Another sender's Cancel, or the same sender's name from another source, changes nothing.
    const warning = nwsCap();
    const warningId = await submit(warning);
    await submit(
      nwsCap({
        sender: 'someone@else.example',
        msgType: 'Cancel',
        references: referenceTo(warning),
        noInfo: true,
      }),
    );
    await receiveInboundCap(sys.ctx, systemActor, {
      document: nwsCap({ msgType: 'Cancel', references: referenceTo(warning), noInfo: true }),
      source: 'https://other-feed.example.gov/cap.atom',
      request: noRequest,
    });
    expect((await inbound(warningId)).status).toBe('pending');

    // Both at once: whichever commits second sees the first, so the warning never stays pending.
    const together = nwsCap();
    const [togetherId] = await Promise.all([
      submit(together),
      submit(nwsCap({ msgType: 'Cancel', references: referenceTo(together), noInfo: true })),
    ]);
    expect((await inbound(togetherId)).status).toBe('dismissed');
  });

  it('sets aside a Cancel of a message Tocsin never relayed on arrival: relaying it is 409', async () => {
    const cancel = nwsCap({ msgType: 'Cancel', references: referenceTo(nwsCap()), noInfo: true });
    const id = await submit(cancel);
    expect(await inbound(id)).toMatchObject({ status: 'dismissed', handled_by: 'tocsin (superseded)' });
    const r = await relay(id);
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toMatch(/never relayed/);
  });

  it('never offers a warning its sender has since cancelled or replaced, whatever order they arrive in', async () => {
    // Cancelled while still pending: both set aside, audited as done by Tocsin.
    const warning = nwsCap();
    const warningId = await submit(warning);
    const cancelId = await submit(
      nwsCap({ msgType: 'Cancel', references: referenceTo(warning), noInfo: true }),
    );
    expect(await inbound(warningId)).toMatchObject({
      status: 'dismissed',
      handled_by: 'tocsin (superseded)',
      dismiss_reason: expect.stringMatching(/^Cancelled by its sender: Cancel urn:oid:/),
    });
    expect((await inbound(cancelId)).status).toBe('dismissed');
    expect((await relay(warningId)).statusCode).toBe(409);
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'inbound_cap.supersede')
      .where('target_id', '=', warningId)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_type: 'system', metadata: { cause: cancelId } });

    // Replaced while pending: the original is set aside, the Update waits and relays as a new alert.
    const first = nwsCap();
    const firstId = await submit(first);
    const updateId = await submit(
      nwsCap({
        msgType: 'Update',
        references: referenceTo(first),
        headline: 'Tornado Warning extended to 4 PM',
      }),
    );
    expect(await inbound(firstId)).toMatchObject({
      status: 'dismissed',
      dismiss_reason: expect.stringMatching(/^Replaced by its sender: Update /),
    });
    expect((await inbound(updateId)).status).toBe('pending');
    const relayed = await relay(updateId);
    expect(relayed.statusCode, relayed.body).toBe(202);
    expect(relayed.json()).toMatchObject({ type: 'alert' });

    // Out of order: the Cancel first, then the warning it cancels, which arrives set aside.
    const late = nwsCap();
    await submit(nwsCap({ msgType: 'Cancel', references: referenceTo(late), noInfo: true }));
    const lateId = await submit(late);
    expect(await inbound(lateId)).toMatchObject({
      status: 'dismissed',
      dismiss_reason: expect.stringMatching(/^Arrived after its sender had already sent Cancel /),
    });
    const queue = await sys.app!.inject({
      url: '/api/v1/cap/inbound?status=pending',
      headers: manager.headers,
    });
    const pending = (queue.json().items as Array<{ id: string }>).map((m) => m.id);
    for (const id of [warningId, cancelId, firstId, lateId]) expect(pending).not.toContain(id);
  });

  it('uses the overrides it is given: kind, where and audience', async () => {
    const id = await submit(nwsCap({ status: 'Actual', severity: 'Moderate', urgency: 'Future' }));
    const detail = await sys.app!.inject({ url: `/api/v1/cap/inbound/${id}`, headers: manager.headers });
    expect(detail.json().relayDefaults).toMatchObject({ kind: 'operations', hazard: 'severe_weather' });
    const r = await relay(id, { kind: 'test', where: 'Building W20', audience: { locationCodes: [] } });
    expect(r.statusCode, r.body).toBe(400);
    const ok = await relay(id, { kind: 'test', where: 'Building W20', channels: ['email'] });
    expect(ok.statusCode, ok.body).toBe(202);
    const alert = await sys.ctx.db
      .selectFrom('alerts')
      .selectAll()
      .where('id', '=', ok.json().alertId)
      .executeTakeFirstOrThrow();
    expect(alert).toMatchObject({ kind: 'test', hazard: 'severe_weather', channels: ['email'] });
  });

  it('leaves the message pending when sending is refused (no send permission for the kind)', async () => {
    const id = await submit(nwsCap());
    const relayOnly = { authorization: `Bearer ${await makeToken(sys.ctx, ['inbound_cap.relay'])}` };
    const r = await relay(id, {}, relayOnly);
    expect(r.statusCode).toBe(403);
    expect(r.json().error.message).toMatch(/may not send emergency alerts/);
    expect((await inbound(id)).status).toBe('pending');
  });

  it('dismisses a pending message with the reason, once', async () => {
    const id = await submit(nwsCap());
    const dismiss = (headers = manager.headers) =>
      sys.app!.inject({
        method: 'POST',
        url: `/api/v1/cap/inbound/${id}/dismiss`,
        headers,
        payload: { reason: 'Outside our area' },
      });
    expect((await dismiss()).statusCode).toBe(200);
    expect(await inbound(id)).toMatchObject({ status: 'dismissed', dismiss_reason: 'Outside our area' });
    expect((await dismiss()).statusCode).toBe(409);
    expect((await relay(id)).statusCode).toBe(409);
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'inbound_cap.dismiss')
      .where('target_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ reason: 'Outside our area' });
  });

  it('answers an operator without inbound_cap.relay 403 on the queue, relaying and dismissing', async () => {
    const id = await submit(nwsCap());
    expect((await sys.app!.inject({ url: '/api/v1/cap/inbound', headers: viewer.headers })).statusCode).toBe(
      403,
    );
    expect((await relay(id, {}, viewer.headers)).statusCode).toBe(403);
    expect((await inbound(id)).status).toBe('pending');
  });

  it('answers an unknown message 404', async () => {
    const r = await relay('00000000-0000-4000-8000-000000000001');
    expect(r.statusCode).toBe(404);
  });
});
