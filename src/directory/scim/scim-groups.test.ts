import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToken } from '../../../test/support/operators.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { entraUser, patchOp, scimClient, unique } from './scim-test-support.js';
import { urn } from './scim-urns.js';

let sys: TestSystem;
let scim: ReturnType<typeof scimClient>;
const people: string[] = [];
beforeAll(async () => {
  sys = await startTestSystem();
  scim = scimClient(sys, await makeToken(sys.ctx, ['scim.provision']));
  for (let i = 0; i < 3; i++) people.push((await scim('POST', '/Users', entraUser())).json().id);
});
afterAll(async () => {
  await sys.close();
});

async function createdGroup(body: object): Promise<{ id: string; displayName: string }> {
  const r = await scim('POST', '/Groups', body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}
const memberIds = (id: string) =>
  sys.ctx.db
    .selectFrom('group_members')
    .select('person_id')
    .where('group_id', '=', id)
    .execute()
    .then((rows) => rows.map((r) => r.person_id).sort());
const entraGroup = (name = `Physics ${unique()}`) => ({
  externalId: crypto.randomUUID(),
  displayName: name,
  meta: { resourceType: 'Group' },
  schemas: [urn.group],
});

describe('SCIM groups', () => {
  it('creates a static SCIM group with members and reads it back', async () => {
    const group = await createdGroup({ ...entraGroup(), members: [{ value: people[0] }] });
    const read = (await scim('GET', `/Groups/${group.id}`)).json();
    expect(read).toMatchObject({
      schemas: [urn.group],
      displayName: group.displayName,
      members: [{ value: people[0], display: 'Jane Doe', type: 'User' }],
      meta: { resourceType: 'Group', location: `${sys.config.publicUrl}/scim/v2/Groups/${group.id}` },
    });
    const row = await sys.ctx.db
      .selectFrom('groups')
      .selectAll()
      .where('id', '=', group.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'static', source: 'scim', rule: null });
  });

  it('adds and removes members the way Entra ID and Okta send them', async () => {
    const group = await createdGroup(entraGroup());
    const patch = (...ops: unknown[]) => scim('PATCH', `/Groups/${group.id}`, patchOp(...ops));
    expect(
      (
        await patch({
          op: 'Add',
          path: 'members',
          value: [{ $ref: null, value: people[0] }, { value: people[1] }],
        })
      ).statusCode,
    ).toBe(204);
    expect(await memberIds(group.id)).toEqual([people[0], people[1]].sort());
    await patch({ op: 'Remove', path: 'members', value: [{ $ref: null, value: people[0] }] });
    expect(await memberIds(group.id)).toEqual([people[1]]);
    await patch({ op: 'add', path: 'members', value: [{ value: people[2], display: 'someone' }] });
    await patch({ op: 'remove', path: `members[value eq "${people[1]}"]` });
    expect(await memberIds(group.id)).toEqual([people[2]]);
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', '=', group.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'group.create',
      'group.update',
      'group.update',
      'group.update',
      'group.update',
    ]);
    expect(audit[1]!.after).toMatchObject({ changed: ['members'], membersAdded: 2, membersRemoved: 0 });
  });

  it('renames with Okta’s path-less replace and Entra’s path replace', async () => {
    const group = await createdGroup(entraGroup());
    const renamed = `Renamed ${unique()}`;
    await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchOp({ op: 'replace', value: { id: group.id, displayName: renamed } }),
    );
    expect((await scim('GET', `/Groups/${group.id}`)).json().displayName).toBe(renamed);
    await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchOp({ op: 'Replace', path: 'displayName', value: `${renamed}!` }),
    );
    expect((await scim('GET', `/Groups/${group.id}`)).json().displayName).toBe(`${renamed}!`);
  });

  it('finds a group by displayName eq, without members when asked', async () => {
    const group = await createdGroup({ ...entraGroup(), members: [{ value: people[0] }] });
    const filter = encodeURIComponent(`displayName eq "${group.displayName.toUpperCase()}"`);
    const r = (await scim('GET', `/Groups?excludedAttributes=members&filter=${filter}`)).json();
    expect(r).toMatchObject({ totalResults: 1, Resources: [{ id: group.id }] });
    expect(r.Resources[0].members).toBeUndefined();
    const withMembers = (await scim('GET', `/Groups?filter=${filter}`)).json();
    expect(withMembers.Resources[0].members).toHaveLength(1);
  });

  it('replaces name and members with PUT and deletes the group, keeping its people', async () => {
    const group = await createdGroup({
      ...entraGroup(),
      members: [{ value: people[0] }, { value: people[1] }],
    });
    const r = await scim('PUT', `/Groups/${group.id}`, {
      ...entraGroup(group.displayName),
      members: [{ value: people[2] }],
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(await memberIds(group.id)).toEqual([people[2]]);
    expect((await scim('DELETE', `/Groups/${group.id}`)).statusCode).toBe(204);
    expect((await scim('GET', `/Groups/${group.id}`)).statusCode).toBe(404);
    expect((await scim('GET', `/Users/${people[2]}`)).statusCode).toBe(200);
  });

  it('refuses unknown members, duplicate names and unsupported paths', async () => {
    const unknown = await scim('POST', '/Groups', { ...entraGroup(), members: [{ value: 'not-a-user' }] });
    expect(unknown.json()).toMatchObject({
      status: '400',
      scimType: 'invalidValue',
      detail: expect.stringContaining('not-a-user'),
    });
    const group = await createdGroup(entraGroup());
    const duplicate = await scim('POST', '/Groups', entraGroup(group.displayName.toLowerCase()));
    expect(duplicate.json()).toMatchObject({ status: '409', scimType: 'uniqueness' });
    const bad = await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchOp({ op: 'replace', path: 'owners', value: 'x' }),
    );
    expect(bad.json()).toMatchObject({ status: '400', scimType: 'invalidPath' });
  });
});
