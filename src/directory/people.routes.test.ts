import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOperator, makeToken, signIn, type SignedIn } from '../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { noRequest, systemActor } from '../platform/actor.js';
import { createLocation } from './manage-location.js';

let sys: TestSystem;
let manager: SignedIn;
let reader: Record<string, string>;
beforeAll(async () => {
  sys = await startTestSystem();
  manager = await signIn(sys.app!, await makeOperator(sys.ctx, ['directory_manager']));
  reader = { authorization: `Bearer ${await makeToken(sys.ctx, ['directory.read'])}` };
  for (const [kind, code, name] of [
    ['building', '32', 'Stata Center'],
    ['building', 'W20', 'Student Center'],
    ['residence_hall', 'W7', 'Baker House'],
  ] as const)
    await createLocation(sys.ctx, systemActor, { kind, code, name, request: noRequest });
});
afterAll(async () => {
  await sys.close();
});

const api = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = manager.headers,
) => sys.app!.inject({ method, url, headers, payload });

let serial = 0;
async function person(fields: Record<string, unknown> = {}) {
  serial += 1;
  const r = await api('POST', '/api/v1/people', {
    givenName: 'Test',
    familyName: `Person ${serial}`,
    affiliation: 'student',
    contacts: [{ channel: 'email', address: `test.person.${serial}@example.edu` }],
    ...fields,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; displayName: string };
}

describe('people', () => {
  it('adds a person by hand with normalised contacts and audits reading them without addresses', async () => {
    const r = await api('POST', '/api/v1/people', {
      givenName: 'Ada',
      familyName: 'Okonkwo',
      affiliation: 'employee',
      institutionalId: 'adaok',
      department: 'Physics',
      homeBuilding: 'w20',
      contacts: [
        { channel: 'email', address: 'Ada.Okonkwo@EXAMPLE.edu' },
        { channel: 'sms', address: '(617) 555-0142' },
      ],
    });
    expect(r.statusCode, r.body).toBe(201);
    const created = r.json();
    expect(created).toMatchObject({
      displayName: 'Ada Okonkwo',
      source: 'manual',
      status: 'active',
      homeBuilding: 'W20',
    });
    const detail = await api('GET', `/api/v1/people/${created.id}`, undefined, reader);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json().contacts).toMatchObject([
      { channel: 'email', address: 'Ada.Okonkwo@example.edu', primary: true, removableByOwner: false },
      { channel: 'sms', address: '+16175550142', primary: true, removableByOwner: true },
    ]);
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', '=', created.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['person.create', 'person.read']);
    expect(JSON.stringify(audit)).not.toMatch(/Okonkwo|5550142/);
  });

  it('finds people by part of a name, institutional id or exact email, and filters', async () => {
    const target = await person({
      givenName: 'Zebulon',
      familyName: 'Quartermain',
      institutionalId: 'ZQuarter',
      residenceHall: 'W7',
      contacts: [{ channel: 'email', address: 'zq@example.edu' }],
    });
    const ids = async (query: string) =>
      (await api('GET', `/api/v1/people?${query}`, undefined, reader))
        .json()
        .people.map((p: { id: string }) => p.id);
    expect(await ids('q=termai')).toEqual([target.id]);
    expect(await ids('q=zquarter')).toEqual([target.id]);
    expect(await ids('q=zq%40EXAMPLE.EDU')).toEqual([target.id]);
    expect(await ids('q=zq%40example.org')).toEqual([]);
    expect(await ids('q=100%25')).toEqual([]);
    expect(await ids('residenceHall=w7')).toEqual([target.id]);
    expect(await ids('building=W20&affiliation=employee&department=Physics')).toHaveLength(1);
  });

  it('pages in name order with a cursor, each person once', async () => {
    for (let i = 0; i < 5; i += 1) await person({ givenName: 'Pager' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await api(
        'GET',
        `/api/v1/people?q=pager&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        undefined,
        reader,
      );
      expect(r.statusCode, r.body).toBe(200);
      seen.push(...r.json().people.map((p: { displayName: string }) => p.displayName));
      cursor = r.json().nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(seen).toEqual([...seen].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect((await api('GET', '/api/v1/people?cursor=nonsense', undefined, reader)).statusCode).toBe(400);
    expect((await api('GET', '/api/v1/people?limit=501', undefined, reader)).statusCode).toBe(400);
  });

  it('changes fields, refusing unknown places and taken institutional ids with clear messages', async () => {
    const p = await person({ institutionalId: 'first1' });
    await person({ institutionalId: 'taken1' });
    const ok = await api('PATCH', `/api/v1/people/${p.id}`, {
      department: 'Biology',
      homeBuilding: '32',
      preferredLanguage: 'es',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ department: 'Biology', homeBuilding: '32', preferredLanguage: 'es' });
    const hall = await api('PATCH', `/api/v1/people/${p.id}`, { homeBuilding: 'W7' });
    expect(hall.statusCode).toBe(400);
    expect(hall.json().error.message).toMatch(/W7 is a residence hall, not a building/);
    expect(
      (await api('PATCH', `/api/v1/people/${p.id}`, { homeBuilding: 'NOPE' })).json().error.message,
    ).toMatch(/No location with code "NOPE"/);
    const taken = await api('PATCH', `/api/v1/people/${p.id}`, { institutionalId: 'TAKEN1' });
    expect(taken.statusCode).toBe(409);
    expect((await api('PATCH', `/api/v1/people/${p.id}`, {})).statusCode).toBe(400);
    expect(
      (await api('PATCH', `/api/v1/people/${p.id}`, { homeBuilding: null })).json().homeBuilding,
    ).toBeNull();
  });

  it('deactivates and reactivates once each, refusing a repeat', async () => {
    const p = await person();
    const off = await api('POST', `/api/v1/people/${p.id}/deactivate`);
    expect(off.json()).toMatchObject({ status: 'inactive' });
    expect(off.json().deactivatedAt).not.toBeNull();
    expect((await api('POST', `/api/v1/people/${p.id}/deactivate`)).statusCode).toBe(409);
    expect((await api('POST', `/api/v1/people/${p.id}/reactivate`)).json()).toMatchObject({
      status: 'active',
      deactivatedAt: null,
    });
  });

  it('adds, opts out and removes contacts; removing a primary promotes the next one', async () => {
    const p = await person();
    const second = await api('POST', `/api/v1/people/${p.id}/contacts`, {
      channel: 'email',
      address: 'second@example.edu',
    });
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().primary).toBe(false);
    const dup = await api('POST', `/api/v1/people/${p.id}/contacts`, {
      channel: 'email',
      address: 'second@EXAMPLE.EDU',
    });
    expect(dup.statusCode).toBe(409);
    const bad = await api('POST', `/api/v1/people/${p.id}/contacts`, { channel: 'sms', address: 'call me' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/not a possible phone number/);
    const sms = (
      await api('POST', `/api/v1/people/${p.id}/contacts`, { channel: 'sms', address: '617-555-0199' })
    ).json();
    const out = await api('POST', `/api/v1/people/${p.id}/contacts/${sms.id}/opt-out`, {
      reason: 'Replied STOP',
    });
    expect(out.json()).toMatchObject({ optOutReason: 'Replied STOP' });
    expect(
      (await api('POST', `/api/v1/people/${p.id}/contacts/${sms.id}/opt-out`, { reason: 'again' }))
        .statusCode,
    ).toBe(409);
    const before = (await api('GET', `/api/v1/people/${p.id}`)).json().contacts;
    const primaryEmail = before.find(
      (c: { channel: string; primary: boolean }) => c.channel === 'email' && c.primary,
    );
    expect(primaryEmail.removableByOwner).toBe(false);
    expect((await api('DELETE', `/api/v1/people/${p.id}/contacts/${primaryEmail.id}`)).statusCode).toBe(200);
    const after = (await api('GET', `/api/v1/people/${p.id}`)).json().contacts;
    expect(after.filter((c: { channel: string }) => c.channel === 'email')).toMatchObject([
      { address: 'second@example.edu', primary: true },
    ]);
    expect((await api('DELETE', `/api/v1/people/${p.id}/contacts/${primaryEmail.id}`)).statusCode).toBe(404);
  });

  it('adds an office phone in E.164, and refuses to text it', async () => {
    const p = await person();
    const office = await api('POST', `/api/v1/people/${p.id}/contacts`, {
      channel: 'office_phone',
      address: '(617) 253-1212',
    });
    expect(office.statusCode, office.body).toBe(201);
    expect(office.json()).toMatchObject({ channel: 'office_phone', address: '+16172531212', primary: true });
    const texted = await api('POST', `/api/v1/people/${p.id}/contacts`, {
      channel: 'sms',
      address: '617-253-1212',
    });
    expect(texted.statusCode).toBe(409);
    expect(texted.json().error.message).toMatch(/office phone: office numbers are called, never texted/);
    const called = await api('POST', `/api/v1/people/${p.id}/contacts`, {
      channel: 'voice',
      address: '617-253-1212',
    });
    expect(called.statusCode).toBe(201);
  });

  it('opts a contact back in with a reason, but never one the person opted out by STOP', async () => {
    const p = await person();
    const sms = (
      await api('POST', `/api/v1/people/${p.id}/contacts`, { channel: 'sms', address: '617-555-0177' })
    ).json();
    expect(sms.operatorMayOptIn).toBe(false);
    const notOut = await api('POST', `/api/v1/people/${p.id}/contacts/${sms.id}/opt-in`, { reason: 'x' });
    expect(notOut.statusCode).toBe(409);
    expect(notOut.json().error.message).toMatch(/not opted out/);
    const out = await api('POST', `/api/v1/people/${p.id}/contacts/${sms.id}/opt-out`, {
      reason: 'Number reported as reassigned',
    });
    expect(out.json()).toMatchObject({ operatorMayOptIn: true });
    const back = await api('POST', `/api/v1/people/${p.id}/contacts/${sms.id}/opt-in`, {
      reason: 'Owner confirmed the number by phone',
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ optedOutAt: null, optOutReason: null, operatorMayOptIn: false });
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('target_id', '=', p.id)
      .where('action', '=', 'contact.opt_in')
      .executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ optOutReason: 'Number reported as reassigned' });
    expect(audit.after).toMatchObject({ reason: 'Owner confirmed the number by phone' });

    await sys.ctx.db
      .updateTable('contacts')
      .set({ opted_out_at: new Date(), opt_out_reason: 'sms_stop' })
      .where('id', '=', sms.id)
      .execute();
    const detail = (await api('GET', `/api/v1/people/${p.id}`)).json();
    expect(detail.contacts.find((c: { id: string }) => c.id === sms.id).operatorMayOptIn).toBe(false);
    const refused = await api('POST', `/api/v1/people/${p.id}/contacts/${sms.id}/opt-in`, {
      reason: 'asked',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/replying START/);
    const blank = await api('POST', `/api/v1/people/${p.id}/contacts/${sms.id}/opt-in`, { reason: '  ' });
    expect(blank.statusCode).toBe(400);
  });

  it('keeps one primary contact per channel when a person is created', async () => {
    const p = await person({
      contacts: [
        { channel: 'email', address: 'a@example.edu' },
        { channel: 'email', address: 'b@example.edu', primary: true },
        { channel: 'email', address: 'c@example.edu', primary: true },
        { channel: 'email', address: 'a@EXAMPLE.edu' },
      ],
    });
    const contacts = (await api('GET', `/api/v1/people/${p.id}`)).json().contacts;
    expect(contacts.map((c: { address: string; primary: boolean }) => [c.address, c.primary])).toEqual([
      ['b@example.edu', true],
      ['a@example.edu', false],
      ['c@example.edu', false],
    ]);
  });

  it('lets readers read and only managers change', async () => {
    const p = await person();
    expect((await api('POST', `/api/v1/people/${p.id}/deactivate`, undefined, reader)).statusCode).toBe(403);
    expect((await sys.app!.inject({ url: '/api/v1/people' })).statusCode).toBe(401);
    expect((await api('GET', '/api/v1/people/00000000-0000-4000-8000-000000000001')).statusCode).toBe(404);
    expect((await api('GET', '/api/v1/people/not-a-uuid')).statusCode).toBe(400);
    const noName = await api('POST', '/api/v1/people', { affiliation: 'student' });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().error.message).toMatch(/displayName/);
  });
});
