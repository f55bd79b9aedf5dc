import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { noRequest } from '../../platform/actor.js';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { closeAlert } from '../follow-up.js';
import { escalateAlert } from './escalate-alert.js';
import {
  fictionalNumber,
  makeBuilding,
  makePerson,
  reply,
  sendTo,
  testSender,
  twilioEnvironment,
  waitForSent,
} from './replies.test-support.js';

let sim: Simulator;
let sys: TestSystem;
let webhookUrl: string;
beforeAll(async () => {
  sim = await startSimulator({ smsSegmentsPerSecond: 0, callsPerSecond: 0, callbackDelayMs: 0 });
  sys = await startTestSystem({ work: true, env: twilioEnvironment(sim) });
  webhookUrl = `${sys.url}/webhooks/twilio/sms`;
}, 60_000);
afterAll(async () => {
  await sys?.close();
  await sim?.stop();
});

type QueuedJob = { id: string; delay_seconds: number; state: string };
const escalationJob = async (alertId: string) =>
  (
    await sql<QueuedJob>`select id, extract(epoch from start_after - created_on)::int as delay_seconds, state
      from pgboss.job where name = 'alert.escalate' and data->>'alertId' = ${alertId}`.execute(sys.ctx.db)
  ).rows;
/** Let the N minutes pass: the queued job becomes due now, and a worker runs it. */
const makeDue = (jobId: string) =>
  sql`update pgboss.job set start_after = now() where id = ${jobId}::uuid`.execute(sys.ctx.db);
async function escalationOf(alertId: string) {
  for (let i = 0; i < 100; i += 1) {
    const message = await sys.ctx.db
      .selectFrom('alert_messages')
      .select(['id', 'content'])
      .where('alert_id', '=', alertId)
      .where('message_type', '=', 'escalation')
      .executeTakeFirst();
    if (message) return message;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no escalation happened');
}

describe('escalation: no acknowledgement within N minutes → a voice call', () => {
  it('calls only the people who did not answer, once per number, and not numbers that said STOP', async () => {
    const place = await makeBuilding(sys.ctx);
    const n = {
      answered: fictionalNumber(),
      silent: fictionalNumber(),
      voiceOnly: fictionalNumber(),
      stopped: fictionalNumber(),
    };
    await makePerson(sys.ctx, place.id, { sms: n.answered, voice: n.answered });
    const silent = await makePerson(sys.ctx, place.id, { sms: n.silent, voice: n.silent });
    const voiceOnly = await makePerson(sys.ctx, place.id, { voice: n.voiceOnly });
    await makePerson(sys.ctx, place.id, { email: 'no-phone@example.edu' });
    const stopped = await makePerson(sys.ctx, place.id, { sms: n.stopped });
    const alertId = await sendTo(sys.ctx, place.code, {
      channels: ['sms', 'email'],
      acknowledgementRequested: true,
      escalationMinutes: 5,
    });
    const [job] = await escalationJob(alertId);
    expect(job).toMatchObject({ state: 'created', delay_seconds: 300 });
    await waitForSent(sys.ctx, alertId);
    await reply(sim, webhookUrl, n.answered, '1');
    await reply(sim, webhookUrl, n.stopped, 'STOP');

    await makeDue(job!.id);
    const escalation = await escalationOf(alertId);
    await waitForSent(sys.ctx, alertId);
    const calls = await sys.ctx.db
      .selectFrom('deliveries')
      .select(['person_id', 'address', 'channel', 'status', 'suppression_reason'])
      .where('message_id', '=', escalation.id)
      .orderBy('address')
      .execute();
    expect(calls.map((c) => [c.person_id, c.address, c.channel])).toEqual(
      [
        [silent, n.silent, 'voice'],
        [voiceOnly, n.voiceOnly, 'voice'],
        [stopped, n.stopped, 'voice'],
      ].sort((a, b) => a[1]!.localeCompare(b[1]!)),
    );
    expect(calls.find((c) => c.address === n.stopped)).toMatchObject({
      status: 'suppressed',
      suppression_reason: 'opted_out: sms_stop',
    });
    for (const c of calls.filter((c) => c.address !== n.stopped)) expect(c.status).toMatch(/sent|delivered/);
    // Whichever provider carried the calls (the simulator's Twilio or the outbox).
    const outbox = await sys.ctx.db
      .selectFrom('outbox_messages')
      .select('address')
      .where('channel', '=', 'voice')
      .execute();
    const rang = [...sim.messages({ channel: 'voice' }).map((m) => m.to), ...outbox.map((m) => m.address)];
    expect(rang.sort()).toEqual([n.silent, n.voiceOnly].sort());
    const first = await sys.ctx.db
      .selectFrom('alert_messages')
      .select('content')
      .where('alert_id', '=', alertId)
      .where('sequence', '=', 0)
      .executeTakeFirstOrThrow();
    expect(escalation.content).toEqual(first.content);
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'alert.escalate')
      .where('target_id', '=', alertId)
      .execute();
    expect(audit).toEqual([{ after: { messageId: escalation.id, calls: 2, suppressed: 1 } }]);

    expect(await escalateAlert(sys.ctx, alertId)).toBeNull();
  });

  it('skips an alert that was closed before the minutes passed', async () => {
    const place = await makeBuilding(sys.ctx);
    await makePerson(sys.ctx, place.id, { sms: fictionalNumber() });
    const alertId = await sendTo(sys.ctx, place.code, {
      acknowledgementRequested: true,
      escalationMinutes: 30,
    });
    await waitForSent(sys.ctx, alertId);
    await closeAlert(sys.ctx, testSender, alertId, { reason: 'Drill over', request: noRequest });
    const [job] = await escalationJob(alertId);
    await makeDue(job!.id);
    for (let i = 0; i < 100; i += 1) {
      if ((await escalationJob(alertId))[0]?.state === 'completed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await escalationJob(alertId))[0]?.state).toBe('completed');
    const messages = await sys.ctx.db
      .selectFrom('alert_messages')
      .select('message_type')
      .where('alert_id', '=', alertId)
      .execute();
    expect(messages.map((m) => m.message_type)).toEqual(['alert']);
  });

  it('queues no escalation when none was asked for', async () => {
    const place = await makeBuilding(sys.ctx);
    const alertId = await sendTo(sys.ctx, place.code, { acknowledgementRequested: true });
    expect(await escalationJob(alertId)).toEqual([]);
    expect(await escalateAlert(sys.ctx, alertId)).toBeNull();
  });
});
