import type { Queryable } from '../platform/db/database.js';

/**
 * Display names of the operators with these usernames (what alerts record as who sent them), in
 * one query. Usernames with no operator (an API token's name, "tocsin") are left out of the map.
 */
export async function displayNamesOf(
  q: Queryable,
  usernames: Iterable<string | null>,
): Promise<Map<string, string>> {
  const wanted = [...new Set([...usernames].filter((u): u is string => Boolean(u)))];
  if (wanted.length === 0) return new Map();
  const rows = await q
    .selectFrom('operators')
    .select(['username', 'display_name'])
    .where('username', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.username, r.display_name]));
}
