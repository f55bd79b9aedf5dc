import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import type { Database } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { GroupRule } from './directory.tables.js';
import { checkGroupRule } from './group-rule.policy.js';

/** What resolving a group needs: the row of `groups` in domain terms. */
export interface GroupDefinition {
  id: string;
  campusId: string;
  name: string;
  kind: 'static' | 'dynamic';
  rule: GroupRule | null;
}

/** A subquery selecting `id` of people; use as `where('people.id', 'in', …)` or join on it. */
export type PersonIdQuery = SelectQueryBuilder<Database, 'people', { id: string }>;

/**
 * The active people in a group, as one set-based subquery: a static group's members, or whoever
 * a dynamic group's rule matches now. Inactive people are never members. Alert audiences reuse it.
 */
export function groupMemberIds(q: Queryable, group: GroupDefinition): PersonIdQuery {
  return q
    .selectFrom('people')
    .select('people.id')
    .where(isGroupMember(q, group, 'people'));
}

/** The active people in any of several groups, without duplicates (an alert audience of groups). */
export function anyGroupMemberIds(q: Queryable, groups: GroupDefinition[]): PersonIdQuery {
  const [first, ...rest] = groups;
  if (!first) throw new AppError('validation', 'Name at least one group.');
  return rest.reduce((all, group) => all.union(groupMemberIds(q, group)), groupMemberIds(q, first));
}

/**
 * "This row of people is an active member of the group", for a people row under `alias`. Filtering
 * the row itself (rather than `id in (members)`) lets a name-ordered page walk people_sort_idx.
 */
export function isGroupMember(q: Queryable, group: GroupDefinition, alias: string): RawBuilder<boolean> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const base = [sql`${col('campus_id')} = ${group.campusId}`, sql`${col('status')} = 'active'`];
  if (group.kind === 'static') {
    const listed = q.selectFrom('group_members').select('person_id').where('group_id', '=', group.id);
    return sql<boolean>`(${sql.join([...base, sql`${col('id')} in ${listed}`], sql` and `)})`;
  }
  const rule = usableRule(group);
  const conditions = [...base];
  if (rule.affiliations) conditions.push(sql`${col('affiliation')} = any(${rule.affiliations}::text[])`);
  if (rule.departments) conditions.push(sql`${col('department')} = any(${rule.departments}::text[])`);
  // = any(array(…)) rather than in (…): the planner then expects many matches and walks the name
  // index for a page, instead of fetching a whole West Campus worth of rows to sort (2 ms, not 110).
  if (rule.buildingCodes)
    conditions.push(
      sql`${col('home_building_id')} = any(array${locationIds(q, group.campusId, rule.buildingCodes)})`,
    );
  if (rule.residenceHallCodes) {
    const halls = locationIds(q, group.campusId, rule.residenceHallCodes);
    conditions.push(sql`${col('residence_hall_id')} = any(array${halls})`);
  }
  return sql<boolean>`(${sql.join(conditions, sql` and `)})`;
}

// A stored rule that no longer passes the policy must never widen to "everyone".
function usableRule(group: GroupDefinition): GroupRule {
  const checked = checkGroupRule(group.rule);
  if (checked.ok) return checked.rule;
  throw new AppError('conflict', `Group "${group.name}" has an invalid rule; fix it before using it.`, {
    problems: checked.problems,
  });
}

/** Locations whose code, or whose zone's code, is one of these (codes are upper-case). */
function locationIds(q: Queryable, campusId: string, codes: string[]) {
  return q
    .selectFrom('locations as l')
    .leftJoin('locations as zone', 'zone.id', 'l.parent_id')
    .select('l.id')
    .where('l.campus_id', '=', campusId)
    .where((eb) =>
      eb.or([
        eb(sql`upper(l.code)`, 'in', codes),
        eb.and([eb('zone.kind', '=', 'zone'), eb(sql`upper(zone.code)`, 'in', codes)]),
      ]),
    );
}
