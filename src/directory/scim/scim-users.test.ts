import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToken } from '../../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { entraUser, oktaUser, scimClient, unique } from './scim-test-support.js';
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

async function created(body: object): Promise<Record<string, unknown> & { id: string }> {
  const r = await scim('POST', '/Users', body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}

const contactsOf = (personId: string) =>
  sys.ctx.db
    .selectFrom('contacts')
    .select(['channel', 'address', 'source', 'is_primary'])
    .where('person_id', '=', personId)
    .orderBy('channel')
    .orderBy('address')
    .execute();
const personRow = (id: string) =>
  sys.ctx.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const auditRows = (id: string) =>
  sys.ctx.db.selectFrom('audit_log').selectAll().where('target_id', '=', id).orderBy('seq').execute();

describe('provisioning a user', () => {
  it('creates a person from an Entra ID body and reads it back as SCIM', async () => {
    const body = entraUser();
    const r = await scim('POST', '/Users', body);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    const user = r.json();
    expect(r.headers.location).toBe(`${sys.config.publicUrl}/scim/v2/Users/${user.id}`);
    expect(user).toMatchObject({
      schemas: [urn.user, urn.enterpriseUser],
      userName: body.userName,
      externalId: body.externalId,
      name: { givenName: 'Jane', familyName: 'Doe' },
      displayName: 'Jane Doe',
      userType: 'employee',
      preferredLanguage: 'en-US',
      active: true,
      emails: [{ value: body.userName, type: 'work', primary: true }],
      phoneNumbers: [
        { value: '+16175550123', type: 'mobile', primary: true },
        { value: '+16172531212', type: 'work', primary: false },
      ],
      [urn.enterpriseUser]: { department: 'Physics' },
      meta: { resourceType: 'User', location: r.headers.location },
    });
    expect((await scim('GET', `/Users/${user.id}`)).json()).toEqual(user);
  });

  it('stores the person as SCIM-sourced on the profile’s first campus with directory contacts', async () => {
    const user = await created(entraUser());
    const person = await personRow(user.id);
    const campus = await sys.ctx.db
      .selectFrom('campuses')
      .select('id')
      .where('slug', '=', sys.ctx.profile.campuses[0]!.slug)
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({
      source: 'scim',
      campus_id: campus.id,
      status: 'active',
      affiliation: 'employee',
    });
    expect(await contactsOf(user.id)).toEqual([
      { channel: 'email', address: user.userName, source: 'directory', is_primary: true },
      // The "work" number is an office phone: called on the office_phones channel, never texted.
      { channel: 'office_phone', address: '+16172531212', source: 'directory', is_primary: true },
      { channel: 'sms', address: '+16175550123', source: 'directory', is_primary: true },
      { channel: 'voice', address: '+16175550123', source: 'directory', is_primary: true },
    ]);
  });

  it('audits the creation with attribute names, never contact values', async () => {
    const user = await created(entraUser());
    const [row] = await auditRows(user.id);
    expect(row).toMatchObject({ action: 'person.create', actor_type: 'api_token', target_type: 'person' });
    expect(row!.after).toMatchObject({
      status: 'active',
      changed: expect.arrayContaining(['userName', 'emails']),
    });
    expect(JSON.stringify(row)).not.toContain('+1617555');
    expect(JSON.stringify(row)).not.toContain(String(user.userName));
  });

  it('maps userType through the profile’s affiliation values', async () => {
    const user = await created({ ...oktaUser(), userType: 'Undergraduate' });
    expect(user.userType).toBe('student');
    const r = await scim('POST', '/Users', { ...oktaUser(), userType: 'Alumnus' });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ scimType: 'invalidValue', detail: expect.stringMatching(/Alumnus/) });
  });
});

describe('finding users', () => {
  const tag = unique();
  beforeAll(async () => {
    for (const [i, given] of ['Ada', 'Alan', 'Grace', 'Edsger', 'Barbara'].entries()) {
      const userName = `${given.toLowerCase()}.${tag}@mit.edu`;
      await created({
        ...oktaUser(userName),
        name: { givenName: given, familyName: `F${i}` },
        displayName: `${given} ${tag}`,
      });
    }
  });
  const find = async (filter: string, extra = '') => {
    const r = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}${extra}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as {
      totalResults: number;
      itemsPerPage: number;
      startIndex: number;
      Resources: { userName: string }[];
    };
  };
  const names = (list: { Resources: { userName: string }[] }) =>
    list.Resources.map((u) => u.userName.split('.')[0]).sort();

  it('finds a user by userName eq, whatever the case', async () => {
    const list = await find(`userName eq "ADA.${tag}@MIT.EDU"`);
    expect(list).toMatchObject({
      schemas: [urn.listResponse],
      totalResults: 1,
      itemsPerPage: 1,
      startIndex: 1,
    });
    expect(names(list)).toEqual(['ada']);
  });

  it('answers an empty list for a user that does not exist (Entra ID’s connection test)', async () => {
    expect(await find(`userName eq "${crypto.randomUUID()}"`)).toMatchObject({
      totalResults: 0,
      Resources: [],
    });
  });

  it('filters with co, sw, and, or, not and parentheses', async () => {
    expect(names(await find(`userName co ".${tag}@" and displayName sw "A"`))).toEqual(['ada', 'alan']);
    expect(
      names(await find(`(name.givenName eq "grace" or name.familyName eq "F3") and userName co "${tag}"`)),
    ).toEqual(['edsger', 'grace']);
    expect(names(await find(`userName ew "${tag}@mit.edu" and not (userName sw "a")`))).toEqual([
      'barbara',
      'edsger',
      'grace',
    ]);
    expect(
      names(await find(`emails[value eq "BARBARA.${tag}@mit.edu"] or emails.value co "grace.${tag}"`)),
    ).toEqual(['barbara', 'grace']);
  });

  it('pages with startIndex and count, keeping the total', async () => {
    const filter = `userName co "${tag}"`;
    const first = await find(filter, '&startIndex=1&count=2');
    const third = await find(filter, '&startIndex=5&count=2');
    expect(first).toMatchObject({ totalResults: 5, itemsPerPage: 2, startIndex: 1 });
    expect(third).toMatchObject({ totalResults: 5, itemsPerPage: 1, startIndex: 5 });
    const all = [
      ...first.Resources,
      ...(await find(filter, '&startIndex=3&count=2')).Resources,
      ...third.Resources,
    ].map((u) => u.userName);
    expect(new Set(all).size).toBe(5);
    expect(await find(filter, '&count=0')).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
  });

  it('can answer userName eq and emails.value eq from indexes (no scan of the directory)', async () => {
    const plan = async (filter: string) => {
      const { filterCondition } = await import('./scim-filter-sql.js');
      const { parseFilter } = await import('./scim-filter.js');
      const { userFilterColumns } = await import('./scim-users.queries.js');
      const query = sys.ctx.db
        .selectFrom('people')
        .select('id')
        .where('campus_id', '=', crypto.randomUUID())
        .where('source', '=', 'scim')
        .where('institutional_id', 'is not', null)
        .where(filterCondition(parseFilter(filter), userFilterColumns))
        .compile();
      return sys.ctx.db.connection().execute(async (db) => {
        await db.executeQuery({ ...query, sql: 'set enable_seqscan = off', parameters: [] });
        const rows = await db.executeQuery<{ 'QUERY PLAN': string }>({
          ...query,
          sql: `explain ${query.sql}`,
        });
        await db.executeQuery({ ...query, sql: 'reset enable_seqscan', parameters: [] });
        return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    };
    expect(await plan('userName eq "ada@mit.edu"')).toContain('people_institutional_id_key');
    expect(await plan('emails.value eq "ada@mit.edu"')).toContain('contacts_email_lower_idx');
  });
});
