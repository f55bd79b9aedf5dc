import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { makeToken } from '../../test/support/operators.js';
import { templateIdsFor } from '../../test/support/templates.js';
import { systemActor } from '../platform/actor.js';
import { generateDemoCampus } from '../directory/demo/generate-demo-campus.js';

let sys: TestSystem;
let sender: Record<string, string>;
let reader: Record<string, string>;
let shelter: string;
beforeAll(async () => {
  sys = await startTestSystem({ work: true });
  await generateDemoCampus(sys.ctx, systemActor, { people: 200 });
  sender = {
    authorization: `Bearer ${await makeToken(sys.ctx, ['alerts.read', 'alerts.send.test', 'outbox.read'])}`,
  };
  reader = { authorization: `Bearer ${await makeToken(sys.ctx, ['alerts.read'])}` };
  [shelter] = await templateIdsFor(sys, reader, 'shelter_in_place');
}, 60_000);
afterAll(async () => {
  await sys.close();
});

const body = (over: Record<string, unknown> = {}) => ({
  templateId: shelter,
  kind: 'test',
  where: 'Building W20',
  audience: { locationCodes: ['W20'] },
  audienceReason: 'Drill',
  channels: ['sms', 'email'],
  ...over,
});

describe('the alerts API', () => {
  it('estimates reach, sends a test alert, reports its counts and fills the outbox', async () => {
    const reach = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/alerts/reach',
      headers: reader,
      payload: { audience: { locationCodes: ['W20'] }, channels: ['sms', 'email'] },
    });
    expect(reach.statusCode).toBe(200);
    const estimate = reach.json();
    expect(estimate.people).toBeGreaterThan(0);
    const sent = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: sender,
      payload: body(),
    });
    expect(sent.statusCode, sent.body).toBe(202);
    const id = sent.json().alertId;
    let status = { status: '', deliveries: {} as Record<string, Record<string, number>> };
    for (let i = 0; i < 200 && status.status !== 'sent'; i += 1) {
      status = (await sys.app!.inject({ url: `/api/v1/alerts/${id}`, headers: reader })).json();
      if (status.status !== 'sent') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status.status).toBe('sent');
    expect(status.deliveries.email?.delivered).toBe(estimate.addresses.email);
    const outbox = await sys.app!.inject({ url: '/api/v1/outbox?channel=email&limit=1', headers: sender });
    expect(outbox.json().messages[0].subject).toMatch(/^MIT Alert: \[TEST\] Shelter in place\./);
  });

  it('estimates office phones as distinct office numbers and paging servers, and calls each number once', async () => {
    const estimate = async () => {
      const r = await sys.app!.inject({
        method: 'POST',
        url: '/api/v1/alerts/reach',
        headers: reader,
        payload: { audience: { everyone: true }, channels: ['sms', 'office_phones'] },
      });
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    const numbers = await sys.ctx.db
      .selectFrom('contacts as c')
      .innerJoin('people as p', 'p.id', 'c.person_id')
      .select((eb) => eb.fn.count<number>('c.address').distinct().as('n'))
      .where('c.channel', '=', 'office_phone')
      .where('p.status', '=', 'active')
      .executeTakeFirstOrThrow();
    const holders = await sys.ctx.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('channel', '=', 'office_phone')
      .executeTakeFirstOrThrow();
    // The demo campus shares some desk numbers: the estimate counts numbers, not holders.
    expect(Number(holders.n)).toBeGreaterThan(Number(numbers.n));
    expect(await estimate()).toMatchObject({
      addresses: { office_phones: Number(numbers.n) },
      pagingServers: 0, // MIT's profile: the channel, no paging server
    });
    // Every channel of MIT's profile at once (eleven with office phones) is a valid choice.
    const everyChannel = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/alerts/reach',
      headers: reader,
      payload: { audience: { everyone: true }, channels: [...sys.ctx.profile.alerts.channels] },
    });
    expect(everyChannel.statusCode, everyChannel.body).toBe(200);
    const servers = sys.ctx.profile.alerts.pagingServers;
    sys.ctx.profile.alerts.pagingServers = [
      { name: 'informacast', url: 'http://127.0.0.1:9/cap', format: 'cap', timeoutMs: 1000 },
    ];
    try {
      expect((await estimate()).pagingServers).toBe(1);
    } finally {
      sys.ctx.profile.alerts.pagingServers = servers;
    }
    const sent = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: sender,
      payload: body({ audience: { everyone: true }, channels: ['office_phones'] }),
    });
    expect(sent.statusCode, sent.body).toBe(202);
    const id = sent.json().alertId;
    let status = { status: '', deliveries: {} as Record<string, Record<string, number>> };
    for (let i = 0; i < 200 && status.status !== 'sent'; i += 1) {
      status = (await sys.app!.inject({ url: `/api/v1/alerts/${id}`, headers: reader })).json();
      if (status.status !== 'sent') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status.deliveries.office_phones?.delivered).toBe(Number(numbers.n));
    // No provider configured: the outbox keeps the voice call's script for each number.
    const outbox = await sys.app!.inject({
      url: '/api/v1/outbox?channel=office_phones&limit=1',
      headers: sender,
    });
    expect(outbox.json().messages[0].body).toMatch(/W20/);
  });

  it('refuses a sender without the permission of the kind', async () => {
    const r = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: reader,
      payload: body(),
    });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.message).toMatch(/may not send test alerts/);
  });

  it.each([
    ['an unknown template', { templateId: '00000000-0000-4000-8000-000000000009' }, 404],
    ['an unknown building code', { audience: { locationCodes: ['ZZZ9'] } }, 400],
    ['no audience', { audience: {} }, 400],
    ['an empty where', { where: '' }, 400],
    ['an unknown field', { colour: 'red' }, 400],
    ['a channel the profile lacks', { channels: ['pigeon'] }, 400],
    ['translations into an undeclared language', { translations: { fr: { what: 'Abri.' } } }, 400],
    ['an empty translated field', { translations: { es: { what: '' } } }, 400],
  ])('answers %s with a clear 4xx', async (_name, over, status) => {
    const r = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: sender,
      payload: body(over),
    });
    expect(r.statusCode, r.body).toBe(status);
    expect(r.json().error.message.length).toBeGreaterThan(10);
  });

  it('takes the operator’s words per language, and names the field of a language the profile lacks', async () => {
    const sent = await sys.app!.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: sender,
      payload: body({
        actions: 'Stay in your room.',
        translations: { es: { actions: 'Quédese en su habitación.', where: 'Edificio W20' } },
      }),
    });
    expect(sent.statusCode, sent.body).toBe(202);
    const message = await sys.ctx.db
      .selectFrom('alert_messages')
      .select('content')
      .where('id', '=', sent.json().messageId)
      .executeTakeFirstOrThrow();
    expect(message.content.es).toMatchObject({ actions: 'Quédese en su habitación.', where: 'Edificio W20' });
    expect(message.content.en).toMatchObject({ actions: 'Stay in your room.', where: 'Building W20' });
    const refused = await sys.app!.inject({
      method: 'POST',
      url: `/api/v1/alerts/${sent.json().alertId}/updates`,
      headers: sender,
      payload: { type: 'update', actions: 'Leave now.', translations: { fr: { actions: 'Partez.' } } },
    });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.body).toContain('translations.fr');
  });
});
