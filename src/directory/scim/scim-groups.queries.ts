import { sql, type RawBuilder, type Selectable, type SqlBool, type Updateable } from 'kysely';
import type { Queryable, Trx } from '../../platform/db/database.js';
import type { GroupsTable } from '../directory.tables.js';
import type { FilterColumns } from './scim-filter-sql.js';
import { uuidPattern } from './scim-users.queries.js';

/** A row of the groups table. */
export type GroupRow = Selectable<GroupsTable>;
/** A member of a group, with the name SCIM shows as members[].display. */
export interface MemberRow {
  group_id: string;
  person_id: string;
  display_name: string;
}

const memberExists = (inner: RawBuilder<SqlBool>) =>
  sql<SqlBool>`exists (select 1 from group_members gm where gm.group_id = groups.id and ${inner})`;

/** What a Groups filter may name. */
export const groupFilterColumns: FilterColumns = {
  id: { type: 'id', column: sql.ref('groups.id') },
  displayname: { type: 'string', column: sql.ref('groups.name'), caseExact: false },
  externalid: { type: 'string', column: sql.ref('groups.external_id'), caseExact: true },
  'meta.created': { type: 'dateTime', column: sql.ref('groups.created_at') },
  'meta.lastmodified': { type: 'dateTime', column: sql.ref('groups.updated_at') },
  members: {
    type: 'multi',
    exists: memberExists,
    columns: { value: { type: 'id', column: sql.ref('gm.person_id') } },
  },
};

function scimGroups(q: Queryable, campusId: string, condition: RawBuilder<SqlBool> | null) {
  const query = q
    .selectFrom('groups')
    .where('groups.campus_id', '=', campusId)
    .where('groups.source', '=', 'scim')
    .where('groups.kind', '=', 'static');
  return condition ? query.where(condition) : query;
}

/** A page of SCIM groups matching a condition, in a stable order. */
export async function listScimGroups(
  q: Queryable,
  campusId: string,
  condition: RawBuilder<SqlBool> | null,
  page: { offset: number; limit: number },
): Promise<GroupRow[]> {
  return scimGroups(q, campusId, condition)
    .selectAll('groups')
    .orderBy('groups.id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

/** How many SCIM groups match a condition. */
export async function countScimGroups(q: Queryable, campusId: string, condition: RawBuilder<SqlBool> | null) {
  const row = await scimGroups(q, campusId, condition)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One SCIM group (locked for the rest of the transaction when asked). */
export async function findScimGroup(
  q: Queryable,
  campusId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<GroupRow | undefined> {
  if (!uuidPattern.test(id)) return undefined;
  const query = scimGroups(q, campusId, null).selectAll('groups').where('groups.id', '=', id);
  return (options.lock ? query.forUpdate() : query).executeTakeFirst();
}

/** The members of some groups with their display names (never a User SCIM deleted). */
export async function groupMembers(q: Queryable, groupIds: string[]): Promise<MemberRow[]> {
  if (groupIds.length === 0) return [];
  return q
    .selectFrom('group_members')
    .innerJoin('people', 'people.id', 'group_members.person_id')
    .select(['group_members.group_id', 'group_members.person_id', 'people.display_name'])
    .where('group_members.group_id', 'in', groupIds)
    .where('people.scim_deleted_at', 'is', null)
    .orderBy('group_members.group_id')
    .orderBy('group_members.added_at')
    .orderBy('group_members.person_id')
    .execute();
}

/** Who holds a group name on the campus (names are unique across every source). */
export async function groupNameHolder(q: Queryable, campusId: string, name: string) {
  return q
    .selectFrom('groups')
    .select(['id', 'source'])
    .where('campus_id', '=', campusId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
}

/** The SCIM group carrying an externalId, if any. */
export async function groupExternalIdHolder(q: Queryable, campusId: string, externalId: string) {
  return scimGroups(q, campusId, null)
    .select('groups.id')
    .where('groups.external_id', '=', externalId)
    .executeTakeFirst();
}

// Member lists travel as one uuid[] parameter: a PATCH may name tens of thousands of people, more
// than PostgreSQL's 65,535 bind parameters.
const anyOf = (column: string, ids: string[]) => sql<SqlBool>`${sql.ref(column)} = any(${ids}::uuid[])`;

/** Ids among these that name no SCIM-provisioned person of the campus (deleted ones included). */
export async function unknownPeople(q: Queryable, campusId: string, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const wellFormed = unique.filter((id) => uuidPattern.test(id));
  const found =
    wellFormed.length === 0
      ? []
      : await q
          .selectFrom('people')
          .select('id')
          .where('campus_id', '=', campusId)
          .where('source', '=', 'scim')
          .where('scim_deleted_at', 'is', null)
          .where(anyOf('id', wellFormed))
          .execute();
  const known = new Set(found.map((r) => r.id.toLowerCase()));
  return unique.filter((id) => !known.has(id.toLowerCase()));
}

/** Insert a static SCIM group. */
export async function insertScimGroup(
  trx: Trx,
  campusId: string,
  group: { name: string; externalId: string | null },
  now: Date,
): Promise<GroupRow> {
  return trx
    .insertInto('groups')
    .values({
      campus_id: campusId,
      name: group.name,
      kind: 'static',
      source: 'scim',
      external_id: group.externalId,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Set some of a group's columns and touch updated_at. */
export async function updateScimGroup(trx: Trx, id: string, set: Updateable<GroupsTable>, now: Date) {
  return trx
    .updateTable('groups')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Add members (already members stay as they are); returns how many were added. */
export async function addMembers(trx: Trx, groupId: string, ids: string[], now: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const added = await sql<{ person_id: string }>`
    insert into group_members (group_id, person_id, added_at)
    select ${groupId}, person_id, ${now} from unnest(${[...new Set(ids)]}::uuid[]) as person_id
    on conflict (group_id, person_id) do nothing
    returning person_id`.execute(trx);
  return added.rows.length;
}

/** Remove these members, or all but these; returns how many were removed. */
export async function removeMembers(
  trx: Trx,
  groupId: string,
  which: { ids: string[] } | { allBut: string[] },
): Promise<number> {
  let query = trx.deleteFrom('group_members').where('group_id', '=', groupId);
  if ('ids' in which) {
    const ids = which.ids.filter((id) => uuidPattern.test(id));
    if (ids.length === 0) return 0;
    query = query.where(anyOf('person_id', ids));
  } else if (which.allBut.length > 0) {
    query = query.where((eb) => eb.not(anyOf('person_id', which.allBut)));
  }
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Take a person out of every SCIM group (they are the IdP's lists) and touch those groups'
 * lastModified; returns the groups left. Groups operators made keep them.
 */
export async function leaveScimGroups(
  trx: Trx,
  personId: string,
  now: Date,
): Promise<Array<{ id: string; name: string }>> {
  const left = await sql<{ group_id: string }>`
    delete from group_members gm using groups g
    where gm.person_id = ${personId} and g.id = gm.group_id and g.source = 'scim' and g.kind = 'static'
    returning gm.group_id`.execute(trx);
  const ids = left.rows.map((r) => r.group_id);
  if (ids.length === 0) return [];
  return trx
    .updateTable('groups')
    .set({ updated_at: now })
    .where(anyOf('id', ids))
    .returning(['id', 'name'])
    .execute();
}

/** Delete a group and its memberships. */
export async function deleteGroup(trx: Trx, id: string): Promise<void> {
  await trx.deleteFrom('groups').where('id', '=', id).execute();
}
