import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToken } from '../../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { entraUser, oktaUser, patchOp, scimClient, unique } from './scim-test-support.js';
import { urn } from './scim-urns.js';

let sys: TestSystem;
let token: string;
let scim: ReturnType<typeof scimClient>;
beforeAll(async () => {
  sys = await startTestSystem();
  token = await makeToken(sys.ctx, ['scim.provision']);
  scim = scimClient(sys, token);
});
afterAll(async () => {
  await sys.close();
});

type User = Record<string, unknown> & { id: string; userName: string; externalId: string };
async function createdUser(body: object = entraUser()): Promise<User> {
  const r = await scim('POST', '/Users', body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}
async function createdGroup(members: string[] = []): Promise<{ id: string; displayName: string }> {
  const r = await scim('POST', '/Groups', {
    schemas: [urn.group],
    externalId: crypto.randomUUID(),
    displayName: `Chemistry ${unique()}`,
    members: members.map((value) => ({ value })),
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}

/** A request the way an IdP sends a DELETE: a Content-Type header, and no body at all. */
const bodilessRequest = (method: 'DELETE' | 'POST', path: string, contentType: string) =>
  sys.app!.inject({
    method,
    url: `/scim/v2${path}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType, 'content-length': '0' },
  });

const scimNotFound = {
  schemas: [urn.error],
  status: '404',
  detail: expect.stringMatching(/was not found/),
};
const personRow = (id: string) =>
  sys.ctx.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const auditActions = (id: string) =>
  sys.ctx.db
    .selectFrom('audit_log')
    .select('action')
    .where('target_id', '=', id)
    .orderBy('seq')
    .execute()
    .then((rows) => rows.map((r) => r.action));
const findUsers = async (filter: string) => {
  const r = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { totalResults: number; Resources: Array<{ id: string }> };
};

describe('a DELETE sent with a Content-Type and no body', () => {
  const contentTypes = [
    'application/scim+json',
    'application/scim+json; charset=utf-8',
    'application/json',
    'application/json; charset=utf-8',
    'text/plain; charset=utf-8',
  ];

  it.each(contentTypes)('deletes the user (Content-Type %s)', async (type) => {
    const user = await createdUser();
    const r = await bodilessRequest('DELETE', `/Users/${user.id}`, type);
    expect(r.statusCode, r.body).toBe(204);
    expect(r.body).toBe('');
  });

  it.each(contentTypes)('deletes the group (Content-Type %s)', async (type) => {
    const group = await createdGroup();
    const r = await bodilessRequest('DELETE', `/Groups/${group.id}`, type);
    expect(r.statusCode, r.body).toBe(204);
  });

  it('still answers an empty POST body with a 400 invalidSyntax SCIM error', async () => {
    for (const type of ['application/scim+json', 'application/json']) {
      const r = await bodilessRequest('POST', '/Users', type);
      expect(r.statusCode, type).toBe(400);
      expect(r.headers['content-type']).toBe('application/scim+json; charset=utf-8');
      expect(r.json()).toEqual({
        schemas: [urn.error],
        status: '400',
        scimType: 'invalidSyntax',
        detail: expect.stringMatching(/body is empty/),
      });
    }
  });

  it('still answers a DELETE with a malformed JSON body with a 400', async () => {
    const user = await createdUser();
    const r = await sys.app!.inject({
      method: 'DELETE',
      url: `/scim/v2/Users/${user.id}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      payload: '{"oops": ',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    expect((await scim('GET', `/Users/${user.id}`)).statusCode).toBe(200);
  });
});

describe('a deleted user', () => {
  it('answers 404 in SCIM format to GET, PUT, PATCH and DELETE', async () => {
    const user = await createdUser();
    expect((await scim('DELETE', `/Users/${user.id}`)).statusCode).toBe(204);
    const responses = {
      GET: await scim('GET', `/Users/${user.id}`),
      PUT: await scim('PUT', `/Users/${user.id}`, { ...entraUser(user.userName), id: user.id }),
      PATCH: await scim(
        'PATCH',
        `/Users/${user.id}`,
        patchOp({ op: 'replace', path: 'displayName', value: 'Back again' }),
      ),
      DELETE: await scim('DELETE', `/Users/${user.id}`),
    };
    for (const [method, r] of Object.entries(responses)) {
      expect(r.statusCode, method).toBe(404);
      expect(r.headers['content-type'], method).toBe('application/scim+json; charset=utf-8');
      expect(r.json(), method).toEqual(scimNotFound);
    }
  });

  it('stays in the directory, inactive, with their contacts, and the DELETE is audited once', async () => {
    const user = await createdUser();
    await scim('DELETE', `/Users/${user.id}`);
    await scim('DELETE', `/Users/${user.id}`);
    const person = await personRow(user.id);
    expect(person).toMatchObject({
      status: 'inactive',
      deactivated_at: expect.any(Date),
      scim_deleted_at: expect.any(Date),
    });
    const contacts = await sys.ctx.db
      .selectFrom('contacts')
      .select('address')
      .where('person_id', '=', user.id)
      .execute();
    expect(contacts).not.toEqual([]);
    expect(await auditActions(user.id)).toEqual(['person.create', 'person.deprovision']);
  });

  it('can be deleted after Entra ID first deactivated them (soft delete, then hard delete)', async () => {
    const user = await createdUser();
    await scim('PATCH', `/Users/${user.id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
    const deactivatedAt = (await personRow(user.id)).deactivated_at;
    expect((await scim('DELETE', `/Users/${user.id}`)).statusCode).toBe(204);
    expect((await scim('GET', `/Users/${user.id}`)).statusCode).toBe(404);
    expect(await personRow(user.id)).toMatchObject({ status: 'inactive', deactivated_at: deactivatedAt });
  });

  it('is left out of lists and filters, by userName, externalId, id or active', async () => {
    const user = await createdUser();
    await scim('DELETE', `/Users/${user.id}`);
    for (const filter of [
      `userName eq "${user.userName}"`,
      `externalId eq "${user.externalId}"`,
      `id eq "${user.id}"`,
      `userName eq "${user.userName}" and active eq false`,
    ])
      expect(await findUsers(filter), filter).toMatchObject({ totalResults: 0, Resources: [] });
    const all = (await scim('GET', '/Users?count=1000')).json() as { Resources: Array<{ id: string }> };
    expect(all.Resources.map((u) => u.id)).not.toContain(user.id);
  });

  it('leaves the SCIM groups they were in, and cannot be added to one', async () => {
    const user = await createdUser();
    const stays = await createdUser();
    const group = await createdGroup([user.id, stays.id]);
    await scim('DELETE', `/Users/${user.id}`);
    const read = (await scim('GET', `/Groups/${group.id}`)).json() as { members: Array<{ value: string }> };
    expect(read.members.map((m) => m.value)).toEqual([stays.id]);
    expect(await auditActions(group.id)).toEqual(['group.create', 'group.update']);
    const add = await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchOp({ op: 'Add', path: 'members', value: [{ value: user.id }] }),
    );
    expect(add.statusCode).toBe(400);
    expect(add.json()).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining(user.id) });
  });
});

describe('provisioning a deleted user again', () => {
  it('reactivates the same directory person when the userName comes back', async () => {
    const user = await createdUser();
    await scim('DELETE', `/Users/${user.id}`);
    const again = await createdUser({ ...entraUser(user.userName), displayName: 'Jane Returned' });
    expect(again).toMatchObject({ id: user.id, userName: user.userName, active: true });
    expect(await personRow(user.id)).toMatchObject({
      status: 'active',
      deactivated_at: null,
      scim_deleted_at: null,
      display_name: 'Jane Returned',
    });
    expect((await scim('GET', `/Users/${user.id}`)).json()).toMatchObject({ displayName: 'Jane Returned' });
    expect((await findUsers(`userName eq "${user.userName}"`)).Resources).toEqual([
      expect.objectContaining({ id: user.id }),
    ]);
    expect(await auditActions(user.id)).toEqual(['person.create', 'person.deprovision', 'person.reactivate']);
  });

  it('reactivates the same person when the externalId comes back under a new userName', async () => {
    const user = await createdUser(oktaUser());
    await scim('DELETE', `/Users/${user.id}`);
    const renamed = `renamed.${unique()}@mit.edu`;
    const again = await createdUser({ ...oktaUser(renamed), externalId: user.externalId });
    expect(again).toMatchObject({ id: user.id, userName: renamed, externalId: user.externalId });
    expect(await personRow(user.id)).toMatchObject({ status: 'active', institutional_id: renamed });
  });

  it('keeps the contacts the person added themselves, and what they verified', async () => {
    const user = await createdUser();
    const verifiedAt = new Date('2024-01-02T03:04:05Z');
    await sys.ctx.db
      .updateTable('contacts')
      .set({ verified_at: verifiedAt })
      .where('person_id', '=', user.id)
      .where('channel', '=', 'email')
      .execute();
    await sys.ctx.db
      .insertInto('contacts')
      .values({ person_id: user.id, channel: 'sms', address: '+16175550188', source: 'self' })
      .execute();
    await scim('DELETE', `/Users/${user.id}`);
    await createdUser(entraUser(user.userName));
    const contacts = await sys.ctx.db
      .selectFrom('contacts')
      .select(['channel', 'address', 'source', 'verified_at'])
      .where('person_id', '=', user.id)
      .where('channel', 'in', ['email', 'sms'])
      .orderBy('channel')
      .orderBy('address')
      .execute();
    expect(contacts).toEqual([
      { channel: 'email', address: user.userName, source: 'directory', verified_at: verifiedAt },
      { channel: 'sms', address: '+16175550123', source: 'directory', verified_at: null },
      { channel: 'sms', address: '+16175550188', source: 'self', verified_at: null },
    ]);
  });

  it('provisions them inactive when the POST says active false', async () => {
    const user = await createdUser();
    await scim('DELETE', `/Users/${user.id}`);
    const again = await createdUser({ ...entraUser(user.userName), active: false });
    expect(again).toMatchObject({ id: user.id, active: false });
    expect(await personRow(user.id)).toMatchObject({ status: 'inactive', scim_deleted_at: null });
    expect((await scim('GET', `/Users/${user.id}`)).statusCode).toBe(200);
  });

  it('answers 409 when the userName and the externalId name two different deleted people', async () => {
    const first = await createdUser();
    const second = await createdUser();
    await scim('DELETE', `/Users/${first.id}`);
    await scim('DELETE', `/Users/${second.id}`);
    const r = await scim('POST', '/Users', { ...entraUser(first.userName), externalId: second.externalId });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ status: '409', scimType: 'uniqueness' });
  });
});

describe('a deleted group', () => {
  it('answers 404 in SCIM format to GET, PUT, PATCH and DELETE, and its people stay', async () => {
    const user = await createdUser();
    const group = await createdGroup([user.id]);
    expect((await bodilessRequest('DELETE', `/Groups/${group.id}`, 'application/scim+json')).statusCode).toBe(
      204,
    );
    const responses = {
      GET: await scim('GET', `/Groups/${group.id}`),
      PUT: await scim('PUT', `/Groups/${group.id}`, { schemas: [urn.group], displayName: group.displayName }),
      PATCH: await scim(
        'PATCH',
        `/Groups/${group.id}`,
        patchOp({ op: 'Add', path: 'members', value: [{ value: user.id }] }),
      ),
      DELETE: await scim('DELETE', `/Groups/${group.id}`),
    };
    for (const [method, r] of Object.entries(responses)) {
      expect(r.statusCode, method).toBe(404);
      expect(r.json(), method).toEqual(scimNotFound);
    }
    const list = (
      await scim('GET', `/Groups?filter=${encodeURIComponent(`displayName eq "${group.displayName}"`)}`)
    ).json();
    expect(list).toMatchObject({ totalResults: 0, Resources: [] });
    expect((await scim('GET', `/Users/${user.id}`)).statusCode).toBe(200);
  });
});
