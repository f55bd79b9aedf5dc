import { sql } from 'kysely';
import type { Queryable } from '../platform/db/database.js';

/** People's display names by id (ids that name nobody are left out). For other domains' reports. */
export async function peopleNames(q: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await q
    .selectFrom('people')
    .select(['id', 'display_name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/**
 * The addresses a person has opted out of since, or that belong to someone no longer active, as a
 * subquery (person_id, channel, address) to exclude with `not exists`: whoever sends again to an
 * address must not reach a person who has since said stop or left.
 */
export function addressesNotToUse(q: Queryable) {
  return q
    .selectFrom('contacts as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .select(['c.person_id', 'c.channel', 'c.address'])
    .where(sql<boolean>`c.opted_out_at is not null or p.deactivated_at is not null`);
}
