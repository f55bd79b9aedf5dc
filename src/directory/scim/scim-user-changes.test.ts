import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToken } from '../../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { entraUser, oktaUser, patchOp, scimClient } from './scim-test-support.js';
import { urn } from './scim-urns.js';

let sys: TestSystem;
let scim: ReturnType<typeof scimClient>;
beforeAll(async () => {
  sys = await startTestSystem();
  scim = scimClient(sys, await makeToken(sys.ctx, ['scim.provision']));
});
afterAll(async () => {
  await sys.close();
});

type User = Record<string, unknown> & { id: string; userName: string };
async function created(body: object): Promise<User> {
  const r = await scim('POST', '/Users', body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}
async function patched(id: string, ...operations: unknown[]): Promise<User> {
  const r = await scim('PATCH', `/Users/${id}`, patchOp(...operations));
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}
const contactsOf = (personId: string) =>
  sys.ctx.db
    .selectFrom('contacts')
    .select(['channel', 'address', 'source'])
    .where('person_id', '=', personId)
    .orderBy('channel')
    .orderBy('address')
    .execute();
const personRow = (id: string) =>
  sys.ctx.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const audits = (id: string) =>
  sys.ctx.db.selectFrom('audit_log').selectAll().where('target_id', '=', id).orderBy('seq').execute();

describe('replacing a user (PUT)', () => {
  it('applies an Okta full replace and leaves self-added contacts alone', async () => {
    const user = await created(oktaUser());
    await sys.ctx.db
      .insertInto('contacts')
      .values([
        { person_id: user.id, channel: 'sms', address: '+16175550199', source: 'self' },
        { person_id: user.id, channel: 'email', address: 'jane@example.org', source: 'self' },
      ])
      .execute();
    const r = await scim('PUT', `/Users/${user.id}`, {
      ...oktaUser(user.userName),
      id: user.id,
      externalId: user.externalId,
      name: { givenName: 'Olivia', familyName: 'Okta' },
      displayName: 'Olivia Okta',
      emails: [{ primary: true, value: 'olivia.okta@mit.edu', type: 'work' }],
      phoneNumbers: [{ type: 'mobile', value: '(617) 555-0142' }],
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      displayName: 'Olivia Okta',
      emails: [{ value: 'olivia.okta@mit.edu' }],
    });
    expect(await contactsOf(user.id)).toEqual([
      { channel: 'email', address: 'jane@example.org', source: 'self' },
      { channel: 'email', address: 'olivia.okta@mit.edu', source: 'directory' },
      { channel: 'sms', address: '+16175550142', source: 'directory' },
      { channel: 'sms', address: '+16175550199', source: 'self' },
      { channel: 'voice', address: '+16175550142', source: 'directory' },
    ]);
    const last = (await audits(user.id)).at(-1)!;
    expect(last.action).toBe('person.update');
    expect(last.after).toEqual({
      status: 'active',
      changed: ['name.givenName', 'displayName', 'emails', 'phoneNumbers'],
    });
  });

  it('keeps status and affiliation that a PUT does not mention', async () => {
    const user = await created({ ...oktaUser(), userType: 'student', active: false });
    const { active: _a, userType: _t, ...rest } = user;
    const r = await scim('PUT', `/Users/${user.id}`, { ...rest, displayName: 'Renamed' });
    expect(r.json()).toMatchObject({ active: false, userType: 'student', displayName: 'Renamed' });
  });
});

describe('Entra ID PATCH', () => {
  it('replaces the work email, family name and mobile by path', async () => {
    const user = await created(entraUser());
    const after = await patched(
      user.id,
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'jane.doe@mit.edu' },
      { op: 'Replace', path: 'name.familyName', value: 'Doe-Smith' },
      { op: 'Replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 617 555 0177' },
    );
    expect(after).toMatchObject({
      name: { givenName: 'Jane', familyName: 'Doe-Smith' },
      emails: [{ value: 'jane.doe@mit.edu', type: 'work', primary: true }],
      phoneNumbers: [
        { value: '+16175550177', type: 'mobile' },
        { value: '+16172531212', type: 'work' },
      ],
    });
    expect((await contactsOf(user.id)).filter((c) => c.channel === 'sms')).toEqual([
      { channel: 'sms', address: '+16175550177', source: 'directory' },
    ]);
  });

  it('applies a path-less Replace with dotted and enterprise URN keys, and "False" deprovisions', async () => {
    const user = await created(entraUser());
    const after = await patched(user.id, {
      op: 'Replace',
      value: {
        displayName: 'J. Doe',
        'name.givenName': 'Janet',
        [`${urn.enterpriseUser}:department`]: 'Chemistry',
        title: 'Professor',
        active: 'False',
      },
    });
    expect(after).toMatchObject({
      displayName: 'J. Doe',
      name: { givenName: 'Janet' },
      active: false,
      [urn.enterpriseUser]: { department: 'Chemistry' },
    });
    const person = await personRow(user.id);
    expect(person.status).toBe('inactive');
    expect(person.deactivated_at).toBeInstanceOf(Date);
    expect((await audits(user.id)).at(-1)).toMatchObject({ action: 'person.deactivate' });
  });

  it('adds a mobile number where there was none, and Add/Remove members of multi-valued attributes', async () => {
    const user = await created({ ...oktaUser(), phoneNumbers: [] });
    const added = await patched(user.id, {
      op: 'Add',
      path: 'phoneNumbers[type eq "mobile"].value',
      value: '6175550111',
    });
    expect(added.phoneNumbers).toEqual([{ value: '+16175550111', type: 'mobile', primary: true }]);
    const removed = await patched(user.id, { op: 'Remove', path: 'phoneNumbers[type eq "mobile"]' });
    expect(removed.phoneNumbers).toEqual([]);
  });

  it('refuses a path that is not a User attribute', async () => {
    const user = await created(entraUser());
    const r = await scim(
      'PATCH',
      `/Users/${user.id}`,
      patchOp({ op: 'Replace', path: 'favouriteColour', value: 'red' }),
    );
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({
      scimType: 'invalidPath',
      detail: expect.stringContaining('favouriteColour'),
    });
  });

  it('writes nothing when a PATCH changes nothing', async () => {
    const user = await created(entraUser());
    const before = await audits(user.id);
    await patched(user.id, { op: 'Replace', path: 'displayName', value: 'Jane Doe' });
    expect(await audits(user.id)).toHaveLength(before.length);
  });
});

describe('deprovisioning', () => {
  it('deactivates at once on Okta’s PATCH {"active": false}, and reactivates', async () => {
    const user = await created(oktaUser());
    const after = await patched(user.id, { op: 'replace', value: { active: false } });
    expect(after.active).toBe(false);
    expect(await personRow(user.id)).toMatchObject({ status: 'inactive', deactivated_at: expect.any(Date) });
    await patched(user.id, { op: 'replace', value: { active: true } });
    expect(await personRow(user.id)).toMatchObject({ status: 'active', deactivated_at: null });
    expect((await audits(user.id)).map((a) => a.action)).toEqual([
      'person.create',
      'person.deactivate',
      'person.reactivate',
    ]);
  });

  it('DELETE answers 204 and keeps the person inactive in the directory, gone for SCIM', async () => {
    const user = await created(entraUser());
    expect((await scim('DELETE', `/Users/${user.id}`)).statusCode).toBe(204);
    expect(await personRow(user.id)).toMatchObject({ status: 'inactive', deactivated_at: expect.any(Date) });
    expect(await contactsOf(user.id)).not.toEqual([]);
    expect((await scim('GET', `/Users/${user.id}`)).statusCode).toBe(404);
    expect((await scim('DELETE', `/Users/${user.id}`)).statusCode).toBe(404);
    expect((await audits(user.id)).map((a) => a.action)).toEqual(['person.create', 'person.deprovision']);
  });
});
