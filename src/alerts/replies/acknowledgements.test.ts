import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOperator, makeToken, signIn } from '../../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { signLinkToken } from '../../platform/link-tokens.js';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { listTemplates } from '../templates.js';
import { acknowledgementUrl, acknowledgementUrls } from './acknowledgement-links.js';
import { acknowledgementSummary } from './acknowledgement-summary.js';
import {
  fictionalNumber,
  makeBuilding,
  makePerson,
  reply,
  sendTo,
  textsTo,
  twilioEnvironment,
  waitForSent,
} from './replies.test-support.js';

let sim: Simulator;
let sys: TestSystem;
let webhookUrl: string;
let reader: Record<string, string>;
let sender: Record<string, string>;
const phones = { ana: fictionalNumber(), ben: fictionalNumber(), lucia: fictionalNumber() };
const email = 'carla@example.edu';
let building: { id: string; code: string };
let alertId: string;
const people: Record<string, string> = {};

beforeAll(async () => {
  sim = await startSimulator({ smsSegmentsPerSecond: 0, callbackDelayMs: 0 });
  sys = await startTestSystem({ work: true, env: twilioEnvironment(sim) });
  webhookUrl = `${sys.url}/webhooks/twilio/sms`;
  reader = { authorization: `Bearer ${await makeToken(sys.ctx, ['alerts.read'])}` };
  sender = { authorization: `Bearer ${await makeToken(sys.ctx, ['alerts.read', 'alerts.send.test'])}` };
  building = await makeBuilding(sys.ctx);
  people.ana = await makePerson(sys.ctx, building.id, { sms: phones.ana, name: 'Ana Safe' });
  people.ben = await makePerson(sys.ctx, building.id, { sms: phones.ben, name: 'Ben Helpneeded' });
  people.lucia = await makePerson(sys.ctx, building.id, { sms: phones.lucia, language: 'es', name: 'Lucía' });
  people.carla = await makePerson(sys.ctx, building.id, { email, name: 'Carla Email' });
  const templates = await listTemplates(sys.ctx.db);
  const sent = await sys.app!.inject({
    method: 'POST',
    url: '/api/v1/alerts',
    headers: sender,
    payload: {
      templateId: templates.find((t) => t.hazard === 'shelter_in_place')!.id,
      kind: 'test',
      where: `Building ${building.code}`,
      audience: { locationCodes: [building.code] },
      audienceReason: 'Acknowledgement test',
      channels: ['sms', 'email'],
      acknowledgementRequested: true,
    },
  });
  expect(sent.statusCode, sent.body).toBe(202);
  alertId = sent.json().alertId;
  await waitForSent(sys.ctx, alertId);
}, 60_000);
afterAll(async () => {
  await sys?.close();
  await sim?.stop();
});

const answers = () =>
  sys.ctx.db.selectFrom('acknowledgements').selectAll().where('alert_id', '=', alertId).execute();
const emailDelivery = () =>
  sys.ctx.db
    .selectFrom('deliveries')
    .select('id')
    .where('alert_id', '=', alertId)
    .where('channel', '=', 'email')
    .where('address', '=', email)
    .executeTakeFirstOrThrow();

describe('acknowledgements by SMS', () => {
  it('asks "Reply 1 if safe, 2 if you need help." in each person’s language', async () => {
    expect((await textsTo(sys.ctx, sim, phones.ana)).at(-1)).toContain(
      'Reply 1 if safe, 2 if you need help.',
    );
    expect((await textsTo(sys.ctx, sim, phones.lucia)).at(-1)).toContain(
      'Responda 1 si se encuentra bien, 2 si necesita ayuda.',
    );
  });

  it('counts a 1 then a 2 from one person once, as need help, and confirms each', async () => {
    expect((await reply(sim, webhookUrl, phones.ben, '1')).replies).toEqual([
      expect.stringMatching(/recorded as safe/),
    ]);
    expect((await reply(sim, webhookUrl, phones.ben, ' 2 ')).replies).toEqual([
      expect.stringMatching(/request for help is recorded.*617-253-1212/),
    ]);
    await reply(sim, webhookUrl, phones.ana, 'safe');
    const rows = await answers();
    expect(rows.map((r) => [r.person_id, r.response, r.channel]).sort()).toEqual(
      [
        [people.ana, 'safe', 'sms'],
        [people.ben, 'need_help', 'sms'],
      ].sort(),
    );
    const summary = await acknowledgementSummary(sys.ctx.db, alertId);
    expect(summary).toMatchObject({ safe: 1, needHelp: 1, noResponse: 2 });
    expect(summary.needHelpList).toEqual([
      expect.objectContaining({
        personId: people.ben,
        name: 'Ben Helpneeded',
        contact: phones.ben,
        channel: 'sms',
        building: { code: building.code, name: `Test building ${building.code}` },
        residenceHall: null,
      }),
    ]);
  });

  it('does not take HELP as a call for help, and tells a number no alert asked whom to call', async () => {
    expect((await reply(sim, webhookUrl, phones.lucia, 'HELP')).replies[0]).toContain(
      'Msg&data rates may apply',
    );
    expect((await reply(sim, webhookUrl, fictionalNumber(415), '2')).replies).toEqual([
      expect.stringMatching(/No alert is waiting.*617-253-1212/),
    ]);
    expect((await answers()).some((a) => a.person_id === people.lucia)).toBe(false);
  });
});

describe('acknowledgements by the email link', () => {
  it('gives every email delivery its own link under the public URL', async () => {
    const { id } = await emailDelivery();
    const url = await acknowledgementUrl(sys.ctx, id);
    expect(url.startsWith(`${sys.config.publicUrl}/ack/`)).toBe(true);
    expect(await acknowledgementUrls(sys.ctx, [id, id])).toEqual([url, url]);
  });

  it('shows two buttons on GET without recording, records on POST, and shows the answer after', async () => {
    const { id } = await emailDelivery();
    const path = new URL(await acknowledgementUrl(sys.ctx, id)).pathname;
    const page = await sys.app!.inject({ url: path });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('Are you safe?');
    expect(page.body).toMatch(/<form method="post" action="\/ack\/[^"]+">/);
    expect(page.body).toContain('name="response" value="safe"');
    expect(page.body).toContain('name="response" value="need_help"');
    expect(page.body).not.toContain('<script');
    expect((await answers()).some((a) => a.person_id === people.carla)).toBe(false);

    const posted = await sys.app!.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'response=need_help',
    });
    expect(posted.statusCode, posted.body).toBe(200);
    expect(posted.body).toContain('Your request for help is recorded');
    expect((await answers()).find((a) => a.person_id === people.carla)).toMatchObject({
      response: 'need_help',
      channel: 'email',
      delivery_id: id,
    });
    expect((await sys.app!.inject({ url: path })).body).toContain('Your answer so far: I need help.');
  });

  it('works for a signed-in operator too (the form carries their CSRF token)', async () => {
    const { id } = await emailDelivery();
    const path = new URL(await acknowledgementUrl(sys.ctx, id)).pathname;
    const session = await signIn(sys.app!, await makeOperator(sys.ctx, ['viewer'], { mfa: false }));
    const page = await sys.app!.inject({ url: path, headers: { cookie: session.cookie } });
    expect(page.body).toContain(`name="_csrf" value="${session.csrfToken}"`);
    const form = { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie };
    const withToken = await sys.app!.inject({
      method: 'POST',
      url: path,
      headers: form,
      payload: `_csrf=${encodeURIComponent(session.csrfToken)}&response=need_help`,
    });
    expect(withToken.statusCode, withToken.body).toBe(200);
    const forged = await sys.app!.inject({
      method: 'POST',
      url: path,
      headers: form,
      payload: 'response=safe',
    });
    expect(forged.statusCode).toBe(403);
  });

  it.each([
    ['garbage', '/ack/not-a-token', 404],
    ['a token with a forged signature', '/ack/YWJj.AAAAAAAAAAAAAAAAAAAAAAAA', 404],
    ['a very long token', `/ack/${'a'.repeat(600)}`, 414],
  ])('answers %s with a 4xx page', async (_, url, status) => {
    const r = await sys.app!.inject({ url });
    expect(r.statusCode).toBe(status);
    expect(r.statusCode).toBeLessThan(500);
    const post = await sys.app!.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'response=safe',
    });
    expect(post.statusCode).toBe(status);
  });

  it('refuses a token signed for another purpose, a bad answer, and an alert that does not ask', async () => {
    const { id } = await emailDelivery();
    const unsubscribe = await signLinkToken(sys.ctx.db, 'unsubscribe', id);
    expect((await sys.app!.inject({ url: `/ack/${unsubscribe}` })).statusCode).toBe(404);
    const path = new URL(await acknowledgementUrl(sys.ctx, id)).pathname;
    for (const payload of ['response=maybe', '', 'response=safe&extra=1'])
      expect(
        (
          await sys.app!.inject({
            method: 'POST',
            url: path,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload,
          })
        ).statusCode,
      ).toBe(400);
    const plain = await sendTo(sys.ctx, building.code, { channels: ['email'] });
    await waitForSent(sys.ctx, plain);
    const other = await sys.ctx.db
      .selectFrom('deliveries')
      .select('id')
      .where('alert_id', '=', plain)
      .executeTakeFirstOrThrow();
    const r = await sys.app!.inject({ url: new URL(await acknowledgementUrl(sys.ctx, other.id)).pathname });
    expect(r.statusCode).toBe(409);
    expect(r.body).toContain('does not ask for an answer');
  });
});

describe('GET /api/v1/alerts/:id/acknowledgements', () => {
  it('gives counts only to alerts.read, without auditing a read of names', async () => {
    const r = await sys.app!.inject({ url: `/api/v1/alerts/${alertId}/acknowledgements`, headers: reader });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ alertId, safe: 1, needHelp: 2, noResponse: 1, needHelpList: null });
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'alert.acknowledgements.read')
      .execute();
    expect(audit).toEqual([]);
  });

  it('gives the need-help list to directory.read as well, and audits the read', async () => {
    const responder = {
      authorization: `Bearer ${await makeToken(sys.ctx, ['alerts.read', 'directory.read'])}`,
    };
    const r = await sys.app!.inject({
      url: `/api/v1/alerts/${alertId}/acknowledgements`,
      headers: responder,
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ alertId, safe: 1, needHelp: 2, noResponse: 1 });
    expect(r.json().needHelpList.map((e: { name: string }) => e.name)).toEqual([
      'Ben Helpneeded',
      'Carla Email',
    ]);
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .select(['metadata', 'target_id'])
      .where('action', '=', 'alert.acknowledgements.read')
      .execute();
    expect(audit).toEqual([{ target_id: alertId, metadata: { needHelp: 2, listed: 2 } }]);
  });

  it('needs a caller with alerts.read, and an alert that exists', async () => {
    expect((await sys.app!.inject({ url: `/api/v1/alerts/${alertId}/acknowledgements` })).statusCode).toBe(
      401,
    );
    const missing = await sys.app!.inject({
      url: '/api/v1/alerts/00000000-0000-4000-8000-000000000000/acknowledgements',
      headers: reader,
    });
    expect(missing.statusCode).toBe(404);
    expect(
      (await sys.app!.inject({ url: '/api/v1/alerts/nope/acknowledgements', headers: reader })).statusCode,
    ).toBe(400);
  });

  it('refuses escalation without acknowledgements when sending', async () => {
    const templates = await listTemplates(sys.ctx.db);
    const r = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: sender,
      payload: {
        templateId: templates[0]!.id,
        kind: 'test',
        where: 'x',
        audience: { locationCodes: [building.code] },
        audienceReason: 'x',
        channels: ['sms'],
        escalationMinutes: 5,
      },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toMatch(/escalationMinutes .*ask for acknowledgements/);
  });
});
