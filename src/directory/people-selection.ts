import { sql, type RawBuilder } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import type { Affiliation } from './directory.tables.js';
import { isGroupMember, type GroupDefinition } from './group-members.js';

/**
 * Some of a campus's people, by any of: everyone, affiliations, groups, or home building or
 * residence hall among locations (zones already expanded to the locations inside them).
 */
export interface PeopleSelection {
  campusId: string;
  everyone?: boolean;
  affiliations?: Affiliation[];
  groups: GroupDefinition[];
  locationIds: string[];
}

/**
 * The active people of a selection, as a subquery of `id` and `preferred_language` for set-based
 * statements to join on (`from ${selectedPeople(…)} p join … on … = p.id`).
 */
export function selectedPeople(q: Queryable, selection: PeopleSelection) {
  return q
    .selectFrom('people as p')
    .select(['p.id', 'p.preferred_language'])
    .where(selectionCondition(q, selection));
}

/** A page of a selection's active people in id order: the `limit` after the id `after`. */
export function selectedPeoplePage(
  q: Queryable,
  selection: PeopleSelection,
  page: { after: string; limit: number },
) {
  return selectedPeople(q, selection)
    .where(sql<boolean>`p.id > ${page.after}::uuid`)
    .orderBy('p.id')
    .limit(page.limit);
}

// Filtering the people row itself (not `id in (…)`) lets a page walk people_pkey in id order.
function selectionCondition(q: Queryable, selection: PeopleSelection): RawBuilder<boolean> {
  const base = sql`p.campus_id = ${selection.campusId} and p.status = 'active'`;
  if (selection.everyone) return sql<boolean>`(${base})`;
  const any: RawBuilder<unknown>[] = [];
  if (selection.affiliations?.length) any.push(sql`p.affiliation = any(${selection.affiliations}::text[])`);
  for (const group of selection.groups) any.push(isGroupMember(q, group, 'p'));
  if (selection.locationIds.length) {
    const ids = selection.locationIds;
    any.push(sql`(p.home_building_id = any(${ids}::uuid[]) or p.residence_hall_id = any(${ids}::uuid[]))`);
  }
  return sql<boolean>`(${base} and (${sql.join(any, sql` or `)}))`;
}

/**
 * The contacts on these channels, as a subquery to join on `person_id`: the address, the opt-out
 * (`opted_out_at`, `opt_out_reason`), `unverified`: an address the person gave and never
 * confirmed, and `office_number`: a mobile number that is also someone's office phone (a desk,
 * never to be texted). Whoever sends to them decides what each of these means for a message.
 */
export function contactsOnChannels(q: Queryable, channels: readonly string[]) {
  return q
    .selectFrom('contacts as c')
    .select([
      'c.person_id',
      'c.channel',
      'c.address',
      'c.opted_out_at',
      'c.opt_out_reason',
      sql<boolean>`c.source = 'self' and c.verified_at is null`.as('unverified'),
      sql<boolean>`c.channel = 'sms' and exists (select 1 from contacts o
        where o.channel = 'office_phone' and o.address = c.address)`.as('office_number'),
    ])
    .where(sql<boolean>`c.channel = any(${channels}::text[])`);
}
