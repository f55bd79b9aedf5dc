import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { makeOperator, makeToken, signIn } from '../../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { generateDemoCampus } from '../../directory/demo/generate-demo-campus.js';
import { systemActor } from '../../platform/actor.js';
import type { AlertReach, ResendResult } from './alert-reach.schema.js';
import { reachScenario } from './alert-reach.test-support.js';

let sys: TestSystem;
let manager: Record<string, string>;
let viewer: Record<string, string>;
beforeAll(async () => {
  sys = await startTestSystem({ serve: true, work: false });
  await generateDemoCampus(sys.ctx, systemActor, { people: 12 });
  manager = (await signIn(sys.app!, await makeOperator(sys.ctx, ['emergency_management']))).headers;
  viewer = { authorization: `Bearer ${await makeToken(sys.ctx, ['alerts.read'])}` };
}, 60_000);
afterAll(async () => {
  await sys.close();
});

const reach = async (alertId: string, headers: Record<string, string>, query = '') => {
  const response = await fetch(`${sys.url}/api/v1/alerts/${alertId}/reach${query}`, { headers });
  expect(response.status).toBe(200);
  return (await response.json()) as AlertReach;
};
const resend = (alertId: string, headers: Record<string, string>, body: unknown) =>
  fetch(`${sys.url}/api/v1/alerts/${alertId}/reach/resend`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const auditRows = (alertId: string, action: string) =>
  sys.ctx.db
    .selectFrom('audit_log')
    .select(['metadata', 'after'])
    .where('target_id', '=', alertId)
    .where('action', '=', action)
    .execute();

describe('GET /api/v1/alerts/:id/reach', () => {
  it('counts the reached and the unreached, and lists why each unreached person was not reached', async () => {
    const s = await reachScenario(sys.ctx);
    const body = await reach(s.alertId, manager);
    expect(body.message).toMatchObject({ id: s.messageId, sequence: 0, type: 'alert' });
    expect(body.totals).toEqual({ people: 5, reached: 1, pending: 1, inOutbox: 0, failed: 3, resendable: 2 });
    // In the profile's channel order (SMS, voice, email), not alphabetical.
    expect(body.channels.map((c) => c.channel)).toEqual(['sms', 'voice', 'email']);
    expect(body.channels.find((c) => c.channel === 'sms')).toEqual({
      channel: 'sms',
      people: 3,
      reached: 1,
      pending: 0,
      inOutbox: 0,
      failed: 2,
      suppressed: 0,
    });
    const listed = new Map(body.unreached!.people.map((p) => [p.personId, p]));
    expect([...listed.keys()].sort()).toEqual([s.a.id, s.b.id, s.d.id, s.e.id].sort());
    expect(listed.get(s.a.id)!.name).toBe(s.a.name);
    expect(listed.get(s.a.id)!.addresses).toEqual([
      expect.objectContaining({ channel: 'email', state: 'pending', status: 'queued', willResend: false }),
      expect.objectContaining({
        channel: 'sms',
        state: 'failed',
        reason: '30003: Provider down',
        willResend: true,
        address: `${s.a.sms.slice(0, 5)}•••${s.a.sms.slice(-4)}`,
      }),
    ]);
    expect(listed.get(s.b.id)!.addresses.map((a) => [a.channel, a.state, a.reason])).toEqual([
      ['email', 'suppressed', 'opted_out: sms_stop'],
      ['sms', 'failed', '30003: Unreachable destination handset'],
    ]);
    expect(JSON.stringify(body)).not.toContain(s.a.email);
    expect(await auditRows(s.alertId, 'alert.reach.read')).toEqual([
      { metadata: { messageId: s.messageId, listed: 4, after: null }, after: null },
    ]);
  });

  it('counts a person whose only delivery is in the outbox as not reached, and says so', async () => {
    const s = await reachScenario(sys.ctx);
    // C's SMS was "delivered" by the outbox provider: stored, never handed to a network.
    await sql`update deliveries set provider = 'outbox' where message_id = ${s.messageId}
      and person_id = ${s.c.id} and channel = 'sms'`.execute(sys.ctx.db);
    const body = await reach(s.alertId, manager);
    expect(body.totals).toMatchObject({ people: 5, reached: 0, inOutbox: 1, failed: 3 });
    expect(body.channels.find((c) => c.channel === 'sms')).toMatchObject({ reached: 0, inOutbox: 1 });
    const c = body.unreached!.people.find((p) => p.personId === s.c.id)!;
    expect(c.addresses.find((a) => a.channel === 'sms')).toMatchObject({
      state: 'outbox',
      willResend: false,
    });
  });

  it('pages the unreached people', async () => {
    const s = await reachScenario(sys.ctx);
    const first = await reach(s.alertId, manager, '?limit=3');
    expect(first.unreached!.people).toHaveLength(3);
    const rest = await reach(s.alertId, manager, `?limit=3&after=${first.unreached!.nextAfter}`);
    expect(rest.unreached).toEqual({ people: [expect.objectContaining({})], nextAfter: null });
    const all = [...first.unreached!.people, ...rest.unreached!.people].map((p) => p.personId);
    expect(new Set(all).size).toBe(4);
  });

  it('gives a reader of alerts without directory.read the counts only, unaudited', async () => {
    const s = await reachScenario(sys.ctx);
    const body = await reach(s.alertId, viewer);
    expect(body.totals.reached).toBe(1);
    expect(body.unreached).toBeNull();
    expect(await auditRows(s.alertId, 'alert.reach.read')).toEqual([]);
  });

  it('answers 404 for an unknown alert and 400 for a malformed page', async () => {
    const missing = await fetch(`${sys.url}/api/v1/alerts/${randomUUID()}/reach`, { headers: manager });
    expect(missing.status).toBe(404);
    const bad = await fetch(`${sys.url}/api/v1/alerts/${randomUUID()}/reach?limit=0`, { headers: manager });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/limit/);
  });
});

describe('POST /api/v1/alerts/:id/reach/resend', () => {
  it('queues new deliveries of the same message to the addresses that did not fail them, with their jobs', async () => {
    const s = await reachScenario(sys.ctx);
    const requestId = randomUUID();
    const response = await resend(s.alertId, manager, { requestId });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      requestId,
      messageId: s.messageId,
      round: 1,
      people: 2,
      deliveries: 2,
      repeated: false,
    });
    const added = await sys.ctx.db
      .selectFrom('deliveries')
      .select(['person_id', 'channel', 'status', 'message_id'])
      .where('alert_id', '=', s.alertId)
      .where('resend_round', '=', 1)
      .orderBy('channel')
      .execute();
    expect(added).toEqual([
      { person_id: s.a.id, channel: 'sms', status: 'queued', message_id: s.messageId },
      { person_id: s.e.id, channel: 'voice', status: 'queued', message_id: s.messageId },
    ]);
    const jobs = await sql<{ name: string }>`select name from pgboss.job
      where data->>'messageId' = ${s.messageId} and name like 'alert.deliver.%' order by name`.execute(
      sys.ctx.db,
    );
    expect(new Set(jobs.rows.map((j) => j.name))).toEqual(
      new Set(['alert.deliver.sms', 'alert.deliver.voice']),
    );
    expect(await auditRows(s.alertId, 'alert.resend_unreached')).toEqual([
      { metadata: null, after: { messageId: s.messageId, round: 1, people: 2, deliveries: 2 } },
    ]);
    const after = await reach(s.alertId, manager);
    expect(after.totals).toMatchObject({ reached: 1, pending: 2, resendable: 0 });
  });

  it('re-sends once per click: the same requestId again sends nothing', async () => {
    const s = await reachScenario(sys.ctx);
    const requestId = randomUUID();
    const [one, two] = await Promise.all([
      resend(s.alertId, manager, { requestId }),
      resend(s.alertId, manager, { requestId }),
    ]);
    const answers = [(await one.json()) as ResendResult, (await two.json()) as ResendResult];
    expect(answers.map((a) => a.repeated).sort()).toEqual([false, true]);
    expect(answers.map((a) => a.deliveries)).toEqual([2, 2]);
    const count = await sys.ctx.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('alert_id', '=', s.alertId)
      .where('resend_round', '>', 0)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
    const next = (await (
      await resend(s.alertId, manager, { requestId: randomUUID() })
    ).json()) as ResendResult;
    expect(next).toMatchObject({ round: 2, deliveries: 0, repeated: false });
  });

  it('needs the send permission of the alert’s kind and an alert that is not closed', async () => {
    const s = await reachScenario(sys.ctx);
    const refused = await resend(s.alertId, viewer, { requestId: randomUUID() });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /alerts\.send\.test/,
    );
    const bad = await resend(s.alertId, manager, { requestId: 'twice' });
    expect(bad.status).toBe(400);
    await sys.ctx.db.updateTable('alerts').set({ status: 'closed' }).where('id', '=', s.alertId).execute();
    const closed = await resend(s.alertId, manager, { requestId: randomUUID() });
    expect(closed.status).toBe(409);
    expect(((await closed.json()) as { error: { message: string } }).error.message).toMatch(/closed/);
  });
});
