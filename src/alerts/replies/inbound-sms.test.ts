import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { twilioSignature } from '../delivery/providers/twilio-signature.js';
import { sendFollowUp } from '../follow-up.js';
import { noRequest } from '../../platform/actor.js';
import {
  fictionalNumber,
  makeBuilding,
  makePerson,
  reply,
  sendTo,
  testSender,
  textsTo,
  twilioEnvironment,
  waitForSent,
} from './replies.test-support.js';

let sim: Simulator;
let sys: TestSystem;
let webhookUrl: string;
let building: { id: string; code: string };
beforeAll(async () => {
  sim = await startSimulator({ smsSegmentsPerSecond: 0, callbackDelayMs: 0 });
  sys = await startTestSystem({ work: true, env: twilioEnvironment(sim) });
  webhookUrl = `${sys.url}/webhooks/twilio/sms`;
  building = await makeBuilding(sys.ctx);
}, 60_000);
afterAll(async () => {
  await sys?.close();
  await sim?.stop();
});

const contactsOf = (phone: string) =>
  sys.ctx.db
    .selectFrom('contacts')
    .select(['person_id', 'opted_out_at', 'opt_out_reason'])
    .where('channel', '=', 'sms')
    .where('address', '=', phone)
    .orderBy('person_id')
    .execute();
const auditRows = (action: string, phone: string) =>
  sys.ctx.db
    .selectFrom('audit_log')
    .select(['target_id', 'after', 'actor_type'])
    .where('action', '=', action)
    .where('actor_label', '=', `sms:${phone}`)
    .execute();

/** POST the webhook ourselves, signed (or not) as given; for replays and garbage. */
async function post(
  form: Record<string, string>,
  options: { sign?: string | null; type?: string; raw?: string } = {},
) {
  const headers: Record<string, string> = {
    'content-type': options.type ?? 'application/x-www-form-urlencoded',
  };
  const token = options.sign === undefined ? sim.settings.authToken : options.sign;
  if (token !== null) headers['x-twilio-signature'] = twilioSignature(token, webhookUrl, form);
  const r = await fetch(webhookUrl, {
    method: 'POST',
    headers,
    body: options.raw ?? new URLSearchParams(form).toString(),
  });
  return { status: r.status, type: r.headers.get('content-type') ?? '', text: await r.text() };
}
const sid = () =>
  `SM${Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('')}`;

describe('STOP, START and HELP by SMS', () => {
  it('answers HELP with the programme, a contact, the frequency, the rates notice and how to stop', async () => {
    const r = await reply(sim, webhookUrl, fictionalNumber(), 'help');
    expect(r.status).toBe(200);
    expect(r.replies).toHaveLength(1);
    expect(r.replies[0]).toMatch(/^MIT Alert: /);
    for (const part of ['617-253-1212', 'Msg frequency varies', 'Msg&data rates may apply', 'Reply STOP'])
      expect(r.replies[0]).toContain(part);
    expect(r.response).toMatch(/^<\?xml[^>]*\?><Response><Message>.*Msg&amp;data.*<\/Message><\/Response>$/);
  });

  it('opts every SMS contact with the number out on STOP, confirms once, and back in on START', async () => {
    const phone = fictionalNumber();
    await makePerson(sys.ctx, building.id, { sms: phone });
    await makePerson(sys.ctx, building.id, { sms: phone, voice: phone });
    const stop = await reply(sim, webhookUrl, phone, ' Stop ');
    expect(stop.replies).toEqual([expect.stringMatching(/^MIT Alert: You are unsubscribed.*START/)]);
    const out = await contactsOf(phone);
    expect(out).toHaveLength(2);
    for (const c of out)
      expect(c).toMatchObject({ opt_out_reason: 'sms_stop', opted_out_at: expect.any(Date) });
    const audited = await auditRows('contact.opt_out', phone);
    expect(audited.map((a) => a.target_id).sort()).toEqual(out.map((c) => c.person_id).sort());
    expect(audited[0]).toMatchObject({
      actor_type: 'anonymous',
      after: { channel: 'sms', reason: 'sms_stop' },
    });
    const voice = await sys.ctx.db
      .selectFrom('contacts')
      .select('opted_out_at')
      .where('channel', '=', 'voice')
      .where('address', '=', phone)
      .executeTakeFirstOrThrow();
    expect(voice.opted_out_at).toBeNull();

    expect((await reply(sim, webhookUrl, phone, 'QUIT')).replies).toEqual([]);
    expect((await reply(sim, webhookUrl, phone, 'what is this?')).replies).toEqual([]);
    expect(await auditRows('contact.opt_out', phone)).toHaveLength(2);

    const start = await reply(sim, webhookUrl, phone, 'START');
    expect(start.replies).toEqual([expect.stringMatching(/subscribed to text alerts again/)]);
    for (const c of await contactsOf(phone))
      expect(c).toMatchObject({ opted_out_at: null, opt_out_reason: null });
    expect(await auditRows('contact.opt_in', phone)).toHaveLength(2);
  });

  it('leaves an opt-out made for another reason when START comes', async () => {
    const phone = fictionalNumber();
    const person = await makePerson(sys.ctx, building.id, { sms: phone });
    await sys.ctx.db
      .updateTable('contacts')
      .set({ opted_out_at: new Date(), opt_out_reason: 'wrong number, reported by the owner' })
      .where('person_id', '=', person)
      .execute();
    const start = await reply(sim, webhookUrl, phone, 'start');
    expect(start.replies[0]).toContain('Msg&data rates may apply');
    expect((await contactsOf(phone))[0]!.opt_out_reason).toBe('wrong number, reported by the owner');
  });

  it('suppresses, with the reason, the all-clear to a number that replied STOP after the alert', async () => {
    const stopper = fictionalNumber();
    const other = fictionalNumber();
    const place = await makeBuilding(sys.ctx);
    await makePerson(sys.ctx, place.id, { sms: stopper });
    await makePerson(sys.ctx, place.id, { sms: other });
    const alertId = await sendTo(sys.ctx, place.code);
    await waitForSent(sys.ctx, alertId);
    expect((await textsTo(sys.ctx, sim, stopper)).length).toBe(1);
    await reply(sim, webhookUrl, stopper, 'STOP');
    const allClear = await sendFollowUp(sys.ctx, testSender, alertId, {
      type: 'all_clear',
      request: noRequest,
    });
    await waitForSent(sys.ctx, alertId);
    const deliveries = await sys.ctx.db
      .selectFrom('deliveries')
      .select(['address', 'status', 'suppression_reason'])
      .where('message_id', '=', allClear.messageId)
      .orderBy('address')
      .execute();
    expect(deliveries).toContainEqual({
      address: stopper,
      status: 'suppressed',
      suppression_reason: 'opted_out: sms_stop',
    });
    expect(deliveries.find((d) => d.address === other)?.status).not.toBe('suppressed');
    expect(await textsTo(sys.ctx, sim, stopper)).toHaveLength(1);
    expect((await textsTo(sys.ctx, sim, other)).at(-1)).toMatch(/The test is over\./);
  });
});

describe('the webhook’s defences', () => {
  it('refuses a forged or missing signature with 403 and changes nothing', async () => {
    const phone = fictionalNumber();
    await makePerson(sys.ctx, building.id, { sms: phone });
    const forged = await reply(sim, webhookUrl, phone, 'STOP', 'not-the-auth-token');
    expect(forged.status).toBe(403);
    expect(forged.response).toMatch(/X-Twilio-Signature does not match/);
    const unsigned = await post({ MessageSid: sid(), From: phone, Body: 'STOP' }, { sign: null });
    expect(unsigned.status).toBe(403);
    expect(unsigned.text).toMatch(/X-Twilio-Signature header is missing/);
    expect((await contactsOf(phone))[0]!.opted_out_at).toBeNull();
  });

  it('answers a replayed MessageSid once and changes nothing the second time', async () => {
    const phone = fictionalNumber();
    await makePerson(sys.ctx, building.id, { sms: phone });
    const form = { MessageSid: sid(), From: phone, To: '+16175550100', Body: 'STOP' };
    const first = await post(form);
    expect(first).toMatchObject({ status: 200, type: expect.stringMatching(/^text\/xml/) });
    expect(first.text).toContain('<Message>MIT Alert: You are unsubscribed');
    await reply(sim, webhookUrl, phone, 'START');
    const again = await post(form);
    expect(again.status).toBe(200);
    expect(again.text).toMatch(/<Response><\/Response>$/);
    expect((await contactsOf(phone))[0]!.opted_out_at).toBeNull();
    expect(await auditRows('contact.opt_out', phone)).toHaveLength(1);
  });

  it('never answers garbage with a 5xx', async () => {
    const signed: Array<[Record<string, string>, number]> = [
      [{}, 400],
      [{ MessageSid: sid() }, 400],
      [{ MessageSid: 'not a sid!', From: '+16175550100', Body: 'STOP' }, 400],
      [{ MessageSid: sid(), From: 'not a number', Body: 'STOP' }, 200],
      [{ MessageSid: sid(), From: '+16175550100', Body: 'x'.repeat(5000) }, 400],
      [{ MessageSid: sid(), From: '+16175550100', Body: '🚨\u0000<Response>&' }, 200],
      [{ MessageSid: sid(), From: '+16175550100' }, 200],
    ];
    for (const [form, status] of signed) {
      const r = await post(form);
      expect(r.status, `${JSON.stringify(form).slice(0, 80)} → ${r.text}`).toBe(status);
    }
    const raws: Array<[string, string]> = [
      ['application/json', '{"MessageSid": 5, "From": ["a"]}'],
      ['application/json', 'not json'],
      ['text/plain', 'STOP'],
      ['application/x-www-form-urlencoded', 'MessageSid=a&MessageSid=b&From=%ZZ'],
    ];
    for (const [type, raw] of raws) {
      const r = await post({}, { type, raw });
      expect(r.status, `${type} ${raw} → ${r.text}`).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
    }
  });
});
