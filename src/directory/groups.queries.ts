import { sql } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';
import type { GroupDefinition } from './group-members.js';
import { escapeLike } from './locations.queries.js';

function groups(q: Queryable) {
  return q
    .selectFrom('groups as g')
    .innerJoin('campuses as c', 'c.id', 'g.campus_id')
    .select([
      'g.id',
      'g.campus_id',
      'c.slug as campus',
      'g.name',
      'g.description',
      'g.kind',
      'g.rule',
      'g.source',
      'g.external_id',
      'g.created_at',
      'g.updated_at',
    ]);
}

/** One group, or undefined. */
export function findGroup(q: Queryable, id: string) {
  return groups(q).where('g.id', '=', id).executeTakeFirst();
}

export type GroupRow = NonNullable<Awaited<ReturnType<typeof findGroup>>>;

/** A group as member resolution needs it. */
export function definitionOf(row: GroupRow): GroupDefinition {
  return { id: row.id, campusId: row.campus_id, name: row.name, kind: row.kind, rule: row.rule };
}

/** The definition of a group by id; an unknown id is a 404. */
export async function findGroupDefinition(q: Queryable, id: string): Promise<GroupDefinition> {
  const row = await findGroup(q, id);
  if (!row) throw notFound('Group');
  return definitionOf(row);
}

/** The definitions of the groups of a campus among these ids (ids of other campuses, or none, are left out). */
export async function findGroupDefinitions(
  q: Queryable,
  campusId: string,
  ids: readonly string[],
): Promise<GroupDefinition[]> {
  if (ids.length === 0) return [];
  const rows = await q
    .selectFrom('groups')
    .select(['id', 'campus_id', 'name', 'kind', 'rule'])
    .where('campus_id', '=', campusId)
    .where('id', 'in', ids)
    .execute();
  return rows.map((g) => ({ id: g.id, campusId: g.campus_id, name: g.name, kind: g.kind, rule: g.rule }));
}

export interface GroupFilter {
  campusId: string;
  kind?: 'static' | 'dynamic';
  q?: string;
  /** The name of the last group of the previous page. */
  after?: string;
  limit: number;
}

/** Groups of a campus in name order (case-insensitive), a page at a time. */
export function listGroups(q: Queryable, f: GroupFilter) {
  let query = groups(q)
    .where('g.campus_id', '=', f.campusId)
    .orderBy(sql`lower(g.name)`)
    .limit(f.limit);
  if (f.kind) query = query.where('g.kind', '=', f.kind);
  if (f.after) query = query.where(sql`lower(g.name)`, '>', f.after.toLowerCase());
  if (f.q) query = query.where(sql`lower(g.name)`, 'like', `%${escapeLike(f.q.toLowerCase())}%`);
  return query.execute();
}

/** The group of a campus with this name (case-insensitive), if any. */
export function findGroupByName(q: Queryable, campusId: string, name: string) {
  return q
    .selectFrom('groups')
    .select(['id', 'name'])
    .where('campus_id', '=', campusId)
    .where(sql`lower(name)`, '=', name.trim().toLowerCase())
    .executeTakeFirst();
}

/** Which of these people are already listed members of a static group. */
export async function listedMembers(
  q: Queryable,
  groupId: string,
  personIds: string[],
): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await q
    .selectFrom('group_members')
    .select('person_id')
    .where('group_id', '=', groupId)
    .where('person_id', 'in', personIds)
    .execute();
  return new Set(rows.map((r) => r.person_id));
}
