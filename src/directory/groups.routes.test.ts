import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOperator, makeToken, signIn, type SignedIn } from '../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { noRequest, systemActor } from '../platform/actor.js';
import { anyGroupMemberIds, groupMemberIds } from './group-members.js';
import { findGroupDefinition } from './groups.queries.js';
import { createLocation } from './manage-location.js';
import { createPerson, setPersonActive } from './manage-person.js';

let sys: TestSystem;
let manager: SignedIn;
let reader: Record<string, string>;
const people: Record<string, string> = {};

beforeAll(async () => {
  sys = await startTestSystem();
  manager = await signIn(sys.app!, await makeOperator(sys.ctx, ['directory_manager']));
  reader = { authorization: `Bearer ${await makeToken(sys.ctx, ['directory.read'])}` };
  const place = (kind: 'zone' | 'building' | 'residence_hall', code: string, parentCode?: string) =>
    createLocation(sys.ctx, systemActor, { kind, code, name: code, parentCode, request: noRequest });
  await place('zone', 'WEST');
  await place('residence_hall', 'W7', 'WEST');
  await place('residence_hall', 'W61', 'WEST');
  await place('residence_hall', 'NW61');
  await place('building', '32');
  const add = async (name: string, fields: Parameters<typeof createPerson>[2]) =>
    (people[name] = (await createPerson(sys.ctx, systemActor, { ...fields, displayName: name })).id);
  await add('Ana Student W7', { affiliation: 'student', residenceHall: 'W7', request: noRequest });
  await add('Ben Student W61', { affiliation: 'student', residenceHall: 'W61', request: noRequest });
  await add('Cy Student NW61', { affiliation: 'student', residenceHall: 'NW61', request: noRequest });
  await add('Dee Eecs 32', {
    affiliation: 'employee',
    department: 'EECS',
    homeBuilding: '32',
    request: noRequest,
  });
  await add('Eve Gone', { affiliation: 'student', residenceHall: 'W7', request: noRequest });
  await setPersonActive(sys.ctx, systemActor, people['Eve Gone']!, false, noRequest);
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

async function group(body: object) {
  const r = await api('POST', '/api/v1/groups', body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; memberCount: number };
}

const memberNames = async (id: string) =>
  (await api('GET', `/api/v1/groups/${id}/members`, undefined, reader))
    .json()
    .members.map((m: { displayName: string }) => m.displayName);

describe('groups', () => {
  it('resolves a dynamic group by zone, leaving out inactive people', async () => {
    const west = await group({
      name: 'West Campus residents',
      kind: 'dynamic',
      rule: { affiliations: ['student'], residenceHallCodes: ['west'] },
    });
    expect(west.memberCount).toBe(2);
    expect(await memberNames(west.id)).toEqual(['Ana Student W7', 'Ben Student W61']);
    const eecs = await group({
      name: 'EECS in Stata',
      kind: 'dynamic',
      rule: { departments: ['EECS'], buildingCodes: ['32'] },
    });
    expect(await memberNames(eecs.id)).toEqual(['Dee Eecs 32']);
    const filtered = await api('GET', `/api/v1/people?group=${west.id}&q=ben`, undefined, reader);
    expect(filtered.json().people.map((p: { displayName: string }) => p.displayName)).toEqual([
      'Ben Student W61',
    ]);
  });

  it('refuses rules that are malformed or name unknown or wrong-kind locations', async () => {
    const bad = async (rule: unknown) =>
      (await api('POST', '/api/v1/groups', { name: 'Bad', kind: 'dynamic', rule })).json();
    expect((await bad({})).error.message).toMatch(/at least one of affiliations/);
    expect((await bad({ buildingCodes: ['W99'] })).error.message).toMatch(/no location with code "W99"/);
    expect((await bad({ buildingCodes: ['W7'] })).error.message).toMatch(
      /W7 is a residence hall, not a building or zone/,
    );
    expect((await api('POST', '/api/v1/groups', { name: 'No rule', kind: 'dynamic' })).statusCode).toBe(400);
    const staticWithRule = await api('POST', '/api/v1/groups', {
      name: 'S',
      kind: 'static',
      rule: { affiliations: ['student'] },
    });
    expect(staticWithRule.statusCode).toBe(400);
  });

  it('adds and removes static members, counting those already in, and keeps names unique', async () => {
    const crew = await group({ name: 'EHS responders', kind: 'static' });
    const add = (personIds: string[]) => api('POST', `/api/v1/groups/${crew.id}/members`, { personIds });
    expect((await add([people['Dee Eecs 32']!, people['Ana Student W7']!])).json()).toEqual({
      added: 2,
      alreadyMembers: 0,
    });
    expect((await add([people['Dee Eecs 32']!, people['Eve Gone']!])).json()).toEqual({
      added: 1,
      alreadyMembers: 1,
    });
    const unknown = await add(['00000000-0000-4000-8000-000000000009']);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details.unknown).toEqual(['00000000-0000-4000-8000-000000000009']);
    expect(await memberNames(crew.id)).toEqual(['Ana Student W7', 'Dee Eecs 32']);
    expect(
      (await api('DELETE', `/api/v1/groups/${crew.id}/members/${people['Ana Student W7']}`)).statusCode,
    ).toBe(200);
    expect(
      (await api('DELETE', `/api/v1/groups/${crew.id}/members/${people['Ana Student W7']}`)).statusCode,
    ).toBe(404);
    expect((await api('GET', `/api/v1/groups/${crew.id}`, undefined, reader)).json().memberCount).toBe(1);
    expect((await api('POST', '/api/v1/groups', { name: 'ehs RESPONDERS', kind: 'static' })).statusCode).toBe(
      409,
    );
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', crew.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'group.create',
      'group.members_add',
      'group.members_add',
      'group.member_remove',
    ]);
  });

  it('pages members and changes a dynamic rule', async () => {
    const all = await group({ name: 'All students', kind: 'dynamic', rule: { affiliations: ['student'] } });
    const first = (await api('GET', `/api/v1/groups/${all.id}/members?limit=2`, undefined, reader)).json();
    expect(first.total).toBe(3);
    expect(first.members).toHaveLength(2);
    const rest = (
      await api(
        'GET',
        `/api/v1/groups/${all.id}/members?limit=2&cursor=${first.nextCursor}`,
        undefined,
        reader,
      )
    ).json();
    expect(rest.members.map((m: { displayName: string }) => m.displayName)).toEqual(['Cy Student NW61']);
    expect(rest.nextCursor).toBeNull();
    const changed = await api('PATCH', `/api/v1/groups/${all.id}`, { rule: { affiliations: ['employee'] } });
    expect(changed.json()).toMatchObject({ rule: { affiliations: ['employee'] }, memberCount: 1 });
    const adding = await api('POST', `/api/v1/groups/${all.id}/members`, {
      personIds: [people['Cy Student NW61']],
    });
    expect(adding.statusCode).toBe(409);
  });

  it('refuses changes to groups a directory feed manages', async () => {
    const row = await sys.ctx.db
      .insertInto('groups')
      .values({
        campus_id: (await sys.ctx.db.selectFrom('campuses').select('id').executeTakeFirstOrThrow()).id,
        name: 'SCIM group',
        kind: 'static',
        source: 'scim',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const r = await api('DELETE', `/api/v1/groups/${row.id}`);
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toMatch(/comes from the scim feed/);
  });

  it('offers member ids as a subquery alert audiences can combine', async () => {
    const students = await group({
      name: 'Students (sub)',
      kind: 'dynamic',
      rule: { affiliations: ['student'] },
    });
    const stata = await group({ name: 'Stata (sub)', kind: 'dynamic', rule: { buildingCodes: ['32'] } });
    const defs = await Promise.all([students.id, stata.id].map((id) => findGroupDefinition(sys.ctx.db, id)));
    const union = await anyGroupMemberIds(sys.ctx.db, [...defs, defs[0]!]).execute();
    expect(union).toHaveLength(4);
    const joined = await sys.ctx.db
      .selectFrom('people')
      .select('display_name')
      .where('id', 'in', groupMemberIds(sys.ctx.db, defs[1]!))
      .execute();
    expect(joined).toEqual([{ display_name: 'Dee Eecs 32' }]);
  });
});
