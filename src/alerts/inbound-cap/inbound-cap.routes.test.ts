import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToken } from '../../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { capSchemaPath, xmllint } from '../rendering/xmllint.testing.js';
import { capIdentifier, nwsCap } from './inbound-cap.test-support.js';

let sys: TestSystem;
let submitter: Record<string, string>;
let reader: Record<string, string>;
const feeds = {
  good: 'https://api.weather.gov/alerts/active.atom?zone=MAZ014',
  down: 'https://county.example.gov/cap.atom?api_key=s3cret&region=1',
  new: 'https://state.example.gov/cap.atom',
};
beforeAll(async () => {
  sys = await startTestSystem({
    env: { TOCSIN_CAP_FEEDS: Object.values(feeds).join(','), TOCSIN_CAP_FEED_POLL_SECONDS: '60' },
  });
  submitter = { authorization: `Bearer ${await makeToken(sys.ctx, ['inbound_cap.submit'])}` };
  reader = { authorization: `Bearer ${await makeToken(sys.ctx, ['inbound_cap.relay'])}` };
}, 60_000);
afterAll(async () => {
  await sys.close();
});

const post = (document: string, headers: Record<string, string> = submitter, type = 'application/cap+xml') =>
  sys.app!.inject({
    method: 'POST',
    url: '/api/v1/cap/inbound',
    headers: { ...headers, 'content-type': type },
    payload: document,
  });

const stored = async (identifier: string) =>
  Number(
    (
      await sys.ctx.db
        .selectFrom('inbound_cap')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('identifier', '=', identifier)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('submitting CAP', () => {
  it('accepts a valid NWS-style alert with 202, lists it pending and shows its fields and XML', async () => {
    const identifier = capIdentifier();
    const document = nwsCap({ identifier });
    expect(xmllint(document, capSchemaPath).status).toBe(0);
    const r = await post(document);
    expect(r.statusCode, r.body).toBe(202);
    const { id, status } = r.json();
    expect(status).toBe('pending');
    const list = await sys.app!.inject({ url: '/api/v1/cap/inbound?status=pending', headers: reader });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items[0]).toMatchObject({
      id,
      identifier,
      sender: 'w-nws.webmaster@noaa.gov',
      msgType: 'Alert',
      event: 'Tornado Warning',
      areas: ['Middlesex, MA', 'Suffolk, MA'],
      status: 'pending',
      source: 'api',
    });
    const one = (await sys.app!.inject({ url: `/api/v1/cap/inbound/${id}`, headers: reader })).json();
    expect(one.document).toBe(document);
    expect(one.cap.infos[0].eventCodes).toEqual([{ valueName: 'SAME', value: 'TOR' }]);
    expect(one.relayDefaults).toMatchObject({ kind: 'emergency', hazard: 'severe_weather' });
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'inbound_cap.receive')
      .where('target_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(audit.actor_type).toBe('api_token');
    expect(audit.after).toMatchObject({ identifier, status: 'pending' });
  });

  it('answers the same sender and identifier again with 200 and the stored id, storing nothing new', async () => {
    const identifier = capIdentifier();
    const first = await post(nwsCap({ identifier }));
    expect(first.statusCode).toBe(202);
    const again = await post(nwsCap({ identifier, headline: 'Changed words, same message' }));
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, duplicate: true });
    expect(await stored(identifier)).toBe(1);
  });

  it('stores a message whose every expiry has passed as expired, not pending', async () => {
    const r = await post(nwsCap({ expires: new Date(Date.now() - 60_000) }));
    expect(r.statusCode, r.body).toBe(202);
    expect(r.json().status).toBe('expired');
  });

  it('accepts application/xml and text/xml too', async () => {
    expect((await post(nwsCap(), submitter, 'application/xml; charset=utf-8')).statusCode).toBe(202);
    expect((await post(nwsCap(), submitter, 'text/xml')).statusCode).toBe(202);
  });
});

describe('refusing CAP', () => {
  it('answers an anonymous caller 401 and a token without inbound_cap.submit 403', async () => {
    expect((await post(nwsCap(), {})).statusCode).toBe(401);
    const other = { authorization: `Bearer ${await makeToken(sys.ctx, ['inbound_cap.relay'])}` };
    const r = await post(nwsCap(), other);
    expect(r.statusCode).toBe(403);
    expect(r.json().error.details.permission).toBe('inbound_cap.submit');
  });

  it.each([
    ['JSON', 'application/json', '{"identifier":"x"}'],
    ['plain text', 'text/plain', 'Tornado warning'],
    ['XML in another charset', 'application/cap+xml; charset=iso-8859-1', '<alert/>'],
  ])('answers %s with 415 naming application/cap+xml', async (_name, type, body) => {
    const r = await post(body, submitter, type);
    expect(r.statusCode, r.body).toBe(415);
    expect(r.json().error).toMatchObject({ code: 'unsupported_media_type' });
    expect(r.json().error.message).toContain('application/cap+xml');
  });

  it('answers XML that is not well-formed with 400 giving the line and column', async () => {
    const broken = nwsCap().replace('</event>', '</evnt>');
    expect(xmllint(broken).status).toBe(1);
    const r = await post(broken);
    expect(r.statusCode).toBe(400);
    const error = r.json().error;
    expect(error.code).toBe('validation');
    expect(error.message).toMatch(/not well-formed XML: line 13, column \d+: .*event/);
    expect(error.details[0]).toMatchObject({ line: 13 });
  });

  it('answers a document invalid against the CAP 1.2 schema with 400 naming the element', async () => {
    const invalid = nwsCap({ urgency: 'Soon' });
    expect(xmllint(invalid, capSchemaPath).status).toBe(3);
    const r = await post(invalid);
    expect(r.statusCode).toBe(400);
    const error = r.json().error;
    expect(error.message).toContain(
      "element urgency: 'Soon' is not one of Immediate, Expected, Future, Past, Unknown",
    );
    expect(error.details[0]).toMatchObject({ element: 'urgency', line: 15 });
  });

  it('answers a time written with Z (no explicit offset) with 400', async () => {
    const r = await post(nwsCap({ sent: '2026-11-21T19:30:00Z' }));
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toMatch(/element sent: '2026-11-21T19:30:00Z' is not a CAP date and time/);
  });

  it.each([
    ['an internal entity', '<!DOCTYPE alert [<!ENTITY boom "boom">]>'],
    ['an external entity (XXE)', '<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'],
    ['a DOCTYPE alone', '<!DOCTYPE alert>'],
  ])('answers a document with %s with 400 and stores nothing', async (_name, declaration) => {
    const identifier = capIdentifier();
    const document = nwsCap({ identifier }).replace('?>\n', `?>\n${declaration}\n`);
    const r = await post(document);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toMatch(/may not declare a DOCTYPE or entities/);
    expect(await stored(identifier)).toBe(0);
  });

  it('answers an Update without references with 400, though the schema allows it', async () => {
    const update = nwsCap({ msgType: 'Update' });
    expect(xmllint(update, capSchemaPath).status).toBe(0);
    const r = await post(update);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toMatch(/references: is required for a Update message/);
  });

  it('answers an identifier with spaces or commas with 400', async () => {
    const r = await post(nwsCap({ identifier: 'NWS 1,2' }));
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details[0]).toMatchObject({ element: 'identifier' });
  });

  it('answers an empty body with 400 and one over 1 MiB with 413', async () => {
    expect((await post('')).statusCode).toBe(400);
    const huge = nwsCap({ instruction: 'x'.repeat(1_100_000) });
    expect((await post(huge)).statusCode).toBe(413);
  });

  it('audits a refused submission', async () => {
    await post(nwsCap({ severity: 'Awful' }));
    const row = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'inbound_cap.refuse')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.outcome).toBe('failure');
    expect(JSON.stringify(row.metadata)).toContain('Awful');
  });
});

describe('GET /api/v1/cap/feeds', () => {
  it('shows each configured feed’s health in words, in configuration order, with secrets masked', async () => {
    const now = Date.now();
    const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000);
    await sys.ctx.db
      .insertInto('cap_feeds')
      .values([
        { url: feeds.good, next_poll_at: at(-30), last_polled_at: at(30), last_success_at: at(30) },
        {
          url: feeds.down,
          next_poll_at: at(-30),
          last_polled_at: at(30),
          last_success_at: at(3600),
          last_error: `${feeds.down} answered HTTP 503`,
          last_error_at: at(30),
          consecutive_failures: 4,
        },
      ])
      .execute();
    const r = await sys.app!.inject({ url: '/api/v1/cap/feeds', headers: reader });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.pollSeconds).toBe(60);
    expect(body.feeds.map((f: { url: string; health: string }) => [f.url, f.health])).toEqual([
      [feeds.good, 'ok'],
      ['https://county.example.gov/cap.atom?api_key=***&region=1', 'failing'],
      [feeds.new, 'waiting'],
    ]);
    expect(body.feeds[1]).toMatchObject({
      consecutiveFailures: 4,
      lastError: 'https://county.example.gov/cap.atom?api_key=***&region=1 answered HTTP 503',
      summary:
        'Failing: the last 4 polls gave no usable answer; last good answer 60 minutes ago. CAP from this feed is not arriving.',
    });
    expect(r.body).not.toContain('s3cret');
    // Workers that stopped polling show as stale, whatever the last poll said.
    await sys.ctx.db
      .updateTable('cap_feeds')
      .set({ last_polled_at: at(600) })
      .where('url', '=', feeds.good)
      .execute();
    const later = (await sys.app!.inject({ url: '/api/v1/cap/feeds', headers: reader })).json();
    expect(later.feeds[0]).toMatchObject({
      health: 'stale',
      summary: expect.stringMatching(
        /^Not polled since 10 minutes ago: check that the Tocsin workers are running/,
      ),
    });
    expect((await sys.app!.inject({ url: '/api/v1/cap/feeds', headers: submitter })).statusCode).toBe(403);
  });
});
