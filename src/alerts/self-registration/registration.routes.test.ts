import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToken } from '../../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { ManualClock } from '../../platform/clock.js';
import { signLinkToken } from '../../platform/link-tokens.js';
import { consumeThrottle } from './throttle.js';
import { extendedCommunityUnsubscribeUrls, unsubscribeUrl } from './unsubscribe-links.js';
import {
  codeIn,
  freshIp,
  freshPhone,
  keptMessage,
  linkPathIn,
  otherCode,
  postRegistration,
} from './registration.test-support.js';

let sys: TestSystem;
const clock = new ManualClock(new Date());
beforeAll(async () => {
  sys = await startTestSystem({ work: true, clock });
}, 60_000);
afterAll(async () => {
  await sys.close();
});

const app = () => sys.app!;
const db = () => sys.ctx.db;
const verifySms = (id: string, code: string, ip = freshIp()) =>
  app().inject({
    method: 'POST',
    url: `/api/v1/registrations/${id}/verify-sms`,
    payload: { code },
    remoteAddress: ip,
  });
const contactsAt = (address: string) =>
  db()
    .selectFrom('contacts as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .select([
      'c.id',
      'c.source',
      'c.verified_at',
      'c.opted_out_at',
      'p.id as person_id',
      'p.affiliation',
      'p.status',
      'p.source as person_source',
      'p.display_name',
      'p.preferred_language',
    ])
    .where('c.address', '=', address)
    .execute();

async function registered(body: Record<string, unknown>) {
  const response = await postRegistration(app(), { name: 'Ana Ruiz', consent: true, ...body });
  expect(response.statusCode, response.body).toBe(202);
  return response.json() as { registrationId: string; channels: string[] };
}

describe('self-registration by SMS code', () => {
  it('texts a code that names the institution and ends with the opt-out; nobody is enrolled until it is entered', async () => {
    const { registrationId, channels } = await registered({ phone: '617-555-0101', language: 'es' });
    expect(channels).toEqual(['sms']);
    const sms = await keptMessage(db(), registrationId, 'sms');
    expect(sms.address).toBe('+16175550101');
    expect(sms.body).toMatch(
      /^MIT Alert: su clave de registro es \d{6}\. .* Responda STOP para darse de baja\.$/,
    );
    expect(await contactsAt('+16175550101')).toEqual([]);

    const ok = await verifySms(registrationId, codeIn(sms.body));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ verified: true, channel: 'sms', alreadyVerified: false });
    const [contact] = await contactsAt('+16175550101');
    expect(contact).toMatchObject({
      source: 'self',
      affiliation: 'extended',
      status: 'active',
      person_source: 'self',
      display_name: 'Ana Ruiz',
      preferred_language: 'es',
      opted_out_at: null,
    });
    expect(contact!.verified_at).toBeInstanceOf(Date);
    const again = await verifySms(registrationId, codeIn(sms.body));
    expect(again.json()).toMatchObject({ verified: true, alreadyVerified: true });
  });

  it('locks the code after five wrong ones; a new code then verifies', async () => {
    const phone = freshPhone();
    const { registrationId } = await registered({ phone, language: 'en' });
    const code = codeIn((await keptMessage(db(), registrationId, 'sms')).body);
    for (const left of [4, 3, 2, 1]) {
      const wrong = await verifySms(registrationId, otherCode(code));
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.message).toBe(
        `That code is not right. ${left} attempt${left === 1 ? '' : 's'} left.`,
      );
    }
    const fifth = await verifySms(registrationId, otherCode(code));
    expect(fifth.statusCode).toBe(409);
    expect(fifth.json().error.details.reason).toBe('locked');
    const tooLate = await verifySms(registrationId, code);
    expect(tooLate.statusCode).toBe(409);
    expect(tooLate.json().error.message).toMatch(/Too many wrong codes/);

    const resend = await app().inject({
      method: 'POST',
      url: `/api/v1/registrations/${registrationId}/resend`,
      payload: { channel: 'sms' },
      remoteAddress: freshIp(),
    });
    expect(resend.statusCode, resend.body).toBe(202);
    const newCode = codeIn((await keptMessage(db(), registrationId, 'sms', 1)).body);
    expect((await verifySms(registrationId, newCode)).statusCode).toBe(200);
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'ip', 'actor_type'])
      .where('action', 'like', 'registration.%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['registration.create', 'registration.lock', 'registration.verify']),
    );
    expect(audit.every((a) => a.ip === null && a.actor_type === 'anonymous')).toBe(true);
  });

  it('refuses a code after its ten minutes', async () => {
    const { registrationId } = await registered({ phone: freshPhone() });
    const code = codeIn((await keptMessage(db(), registrationId, 'sms')).body);
    clock.advance(10 * 60_000 + 1);
    const late = await verifySms(registrationId, code);
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatchObject({ code: 'invalid_transition', details: { reason: 'expired' } });
  });
});

describe('self-registration by email link', () => {
  it('shows a confirm button on GET without verifying; the POST verifies', async () => {
    const { registrationId } = await registered({ email: 'neighbour@example.org' });
    const email = await keptMessage(db(), registrationId, 'email');
    expect(email.subject).toBe('MIT Alert: confirm your email address');
    const path = linkPathIn(email.body);
    const page = await app().inject({ url: path });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<button type="submit" name="action" value="confirm">Confirm</button>');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(await contactsAt('neighbour@example.org')).toEqual([]);

    const confirmed = await app().inject({ method: 'POST', url: path, payload: { action: 'confirm' } });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('is confirmed');
    const [contact] = await contactsAt('neighbour@example.org');
    expect(contact).toMatchObject({ source: 'self', affiliation: 'extended' });
    expect(contact!.verified_at).toBeInstanceOf(Date);
  });

  it('refuses a link after 24 hours, and a forged one', async () => {
    const { registrationId } = await registered({ email: 'late@example.org' });
    const path = linkPathIn((await keptMessage(db(), registrationId, 'email')).body);
    clock.advance(24 * 3_600_000 + 1);
    const shown = await app().inject({ url: path });
    expect(shown.body).toContain('This link has expired');
    expect(shown.body).toContain(`href="/register/${registrationId}?lang=en">Send the link again</a>`);
    const late = await app().inject({ method: 'POST', url: path, payload: { action: 'confirm' } });
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('expired');
    const forged = await app().inject({ method: 'POST', url: `${path.slice(0, -3)}AAA`, payload: {} });
    expect(forged.statusCode).toBe(404);
    expect(await contactsAt('late@example.org')).toEqual([]);
  });

  it('cancels when the owner says it was not them', async () => {
    const { registrationId } = await registered({ email: 'notme@example.org' });
    const path = linkPathIn((await keptMessage(db(), registrationId, 'email')).body);
    const cancelled = await app().inject({ method: 'POST', url: path, payload: { action: 'cancel' } });
    expect(cancelled.statusCode).toBe(200);
    const confirm = await app().inject({ method: 'POST', url: path, payload: { action: 'confirm' } });
    expect(confirm.statusCode).toBe(409);
    expect(await contactsAt('notme@example.org')).toEqual([]);
  });
});

describe('no enumeration, throttles and retention', () => {
  it('refuses a campus office number: no verification code is ever texted to one', async () => {
    const person = await db()
      .insertInto('people')
      .values({
        campus_id: (await db().selectFrom('campuses').select('id').executeTakeFirstOrThrow()).id,
        affiliation: 'employee',
        display_name: 'Desk Holder',
        source: 'manual',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('contacts')
      .values({ person_id: person.id, channel: 'office_phone', address: '+12025550188', source: 'directory' })
      .execute();
    const refused = await postRegistration(app(), { name: 'A', phone: '(202) 555-0188', consent: true });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toMatch(/office phone, which is called, never texted/);
    expect(
      await db().selectFrom('registration_contacts').where('address', '=', '+12025550188').execute(),
    ).toEqual([]);
  });

  it('answers a known address exactly like a new one', async () => {
    const known = await postRegistration(app(), { name: 'A', phone: '617-555-0101', consent: true });
    const fresh = await postRegistration(app(), { name: 'A', phone: freshPhone(), consent: true });
    expect(known.statusCode).toBe(fresh.statusCode);
    expect(Object.keys(known.json()).sort()).toEqual(Object.keys(fresh.json()).sort());
    expect({ ...known.json(), registrationId: 'x' }).toEqual({ ...fresh.json(), registrationId: 'x' });
  });

  it('allows five registrations an hour from one IP address, then answers 429 with Retry-After', async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i += 1)
      expect(
        (await postRegistration(app(), { name: 'B', phone: freshPhone(), consent: true }, ip)).statusCode,
      ).toBe(202);
    const sixth = await postRegistration(app(), { name: 'B', phone: freshPhone(), consent: true }, ip);
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().error.message).toMatch(
      /^Too many registrations from your network in the last hour\. Try again in \d+ minutes?\.$/,
    );
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('sends at most three codes an hour to one number, whatever the IP address', async () => {
    const phone = freshPhone();
    for (let i = 0; i < 3; i += 1)
      expect((await postRegistration(app(), { name: 'C', phone, consent: true })).statusCode).toBe(202);
    const fourth = await postRegistration(app(), { name: 'C', phone, consent: true });
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json().error.details.reason).toBe('message_address');
  });

  it('caps registrations across every address and IP address (the global bucket)', async () => {
    const hit = { bucket: 'registration_global' as const, value: 'cap-test', limit: 2 };
    await consumeThrottle(sys.ctx, [hit]);
    await consumeThrottle(sys.ctx, [hit]);
    await expect(consumeThrottle(sys.ctx, [hit])).rejects.toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/^Registration is very busy right now\. Try again in \d+ minutes?\.$/),
    });
  });

  it('keeps no IP address: counters hold keyed hashes and go when their hour ends', async () => {
    const ip = '203.0.113.77';
    await postRegistration(app(), { name: 'D', phone: freshPhone(), consent: true }, ip);
    const dump = await db().selectFrom('registration_throttle').selectAll().execute();
    expect(dump.length).toBeGreaterThan(0);
    expect(JSON.stringify(dump)).not.toContain(ip);
    expect(dump.some((r) => r.key_hash.includes(Buffer.from(ip)))).toBe(false);
    clock.advance(3_600_000);
    await postRegistration(app(), { name: 'D', phone: freshPhone(), consent: true }, freshIp());
    const left = await db().selectFrom('registration_throttle').select('window_start').execute();
    const windowOfNow = Math.floor(clock.now().getTime() / 3_600_000) * 3_600_000;
    expect(left.every((r) => r.window_start.getTime() === windowOfNow)).toBe(true);
  });
});

describe('unsubscribing', () => {
  it('opts one address out from its link, then removes the person on request', async () => {
    const { registrationId } = await registered({ email: 'leaving@example.org', phone: freshPhone() });
    const path = linkPathIn((await keptMessage(db(), registrationId, 'email')).body);
    await app().inject({ method: 'POST', url: path, payload: { action: 'confirm' } });
    const code = codeIn((await keptMessage(db(), registrationId, 'sms')).body);
    expect((await verifySms(registrationId, code)).statusCode).toBe(200);
    const [email] = await contactsAt('leaving@example.org');
    const links = await extendedCommunityUnsubscribeUrls(sys.ctx, db(), [
      { key: 'delivery-1', personId: email!.person_id, address: 'leaving@example.org' },
      { key: 'delivery-2', personId: email!.person_id, address: 'someone-else@example.org' },
      { key: 'delivery-3', personId: null, address: 'leaving@example.org' },
    ]);
    expect([...links.keys()]).toEqual(['delivery-1']);
    expect(links.get('delivery-1')).toBe(await unsubscribeUrl(sys.ctx, email!.id));
    const link = new URL(links.get('delivery-1')!).pathname;

    const page = await app().inject({ url: link });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Stop emergency alerts to l…@example.org?');
    expect((await contactsAt('leaving@example.org'))[0]!.opted_out_at).toBeNull();
    const oneClick = await app().inject({
      method: 'POST',
      url: link,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode).toBe(200);
    expect((await contactsAt('leaving@example.org'))[0]!.opted_out_at).toBeInstanceOf(Date);
    expect((await app().inject({ method: 'POST', url: link, payload: {} })).statusCode).toBe(200);

    const all = await app().inject({ method: 'POST', url: link, payload: { scope: 'all' } });
    expect(all.body).toContain('you are removed from MIT Alert');
    const person = await db()
      .selectFrom('people')
      .select('status')
      .where('id', '=', email!.person_id)
      .executeTakeFirstOrThrow();
    expect(person.status).toBe('inactive');
    const contacts = await db()
      .selectFrom('contacts')
      .select('opted_out_at')
      .where('person_id', '=', email!.person_id)
      .execute();
    expect(contacts.every((c) => c.opted_out_at !== null)).toBe(true);
  });

  it('refuses to unsubscribe an address enrolled from the directory', async () => {
    const campus = await db().selectFrom('campuses').select('id').executeTakeFirstOrThrow();
    const person = await db()
      .insertInto('people')
      .values({
        campus_id: campus.id,
        affiliation: 'student',
        source: 'csv',
        display_name: 'Stu Dent',
        deactivated_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const contact = await db()
      .insertInto('contacts')
      .values({
        person_id: person.id,
        channel: 'email',
        address: 'stu@mit.edu',
        source: 'directory',
        verified_at: null,
        opted_out_at: null,
        opt_out_reason: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const link = `/unsubscribe/${await signLinkToken(db(), 'unsubscribe', contact.id)}`;
    expect((await app().inject({ url: link })).statusCode).toBe(403);
    const post = await app().inject({ method: 'POST', url: link, payload: { scope: 'all' } });
    expect(post.statusCode).toBe(403);
    expect(post.body).toContain('comes from Massachusetts Institute of Technology&#39;s directory');
    expect((await contactsAt('stu@mit.edu'))[0]).toMatchObject({ opted_out_at: null, status: 'active' });
  });
});

describe('the registration outbox and the profile switch', () => {
  it('lists kept messages to holders of outbox.read only, and audits the read', async () => {
    const token = await makeToken(sys.ctx, ['outbox.read']);
    const listed = await app().inject({
      url: '/api/v1/registrations/outbox?channel=sms&limit=2',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().messages).toHaveLength(2);
    expect(listed.json().messages[0].body).toMatch(/Reply STOP to opt out\.$|Responda STOP/);
    expect((await app().inject({ url: '/api/v1/registrations/outbox' })).statusCode).toBe(401);
  });

  it('answers 404 with a clear message when the profile turns self-registration off', async () => {
    const directory = sys.ctx.profile.directory as { extendedCommunitySelfRegistration: boolean };
    directory.extendedCommunitySelfRegistration = false;
    try {
      const api = await postRegistration(app(), { name: 'E', phone: freshPhone(), consent: true });
      expect(api.statusCode).toBe(404);
      expect(api.json().error.message).toMatch(
        /does not offer self-registration here\. See https:\/\/emergency\.mit\.edu/,
      );
      const page = await app().inject({ url: '/register' });
      expect(page.statusCode).toBe(404);
      expect(page.body).toContain('does not offer registration for alerts on this site');
    } finally {
      directory.extendedCommunitySelfRegistration = true;
    }
  });
});
