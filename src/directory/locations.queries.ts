import { sql } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import { AppError } from '../platform/errors.js';
import type { Profile } from '../platform/profile.js';
import type { LocationKind } from './directory.tables.js';

export interface Campus {
  id: string;
  slug: string;
}

/** The campus a request names by slug, or the profile's first campus; unknown slugs are a 400. */
export async function resolveCampus(q: Queryable, profile: Profile, slug?: string): Promise<Campus> {
  const wanted = slug ?? profile.campuses[0]!.slug;
  if (!profile.campuses.some((c) => c.slug === wanted)) {
    const known = profile.campuses.map((c) => c.slug).join(', ');
    throw new AppError('validation', `Unknown campus "${wanted}". Campuses: ${known}.`, { field: 'campus' });
  }
  const row = await q
    .selectFrom('campuses')
    .select(['id', 'slug'])
    .where('slug', '=', wanted)
    .executeTakeFirst();
  if (!row) throw new AppError('unavailable', `Campus "${wanted}" is not set up yet; run tocsin migrate.`);
  return row;
}

const columns = [
  'l.id',
  'l.campus_id',
  'l.kind',
  'l.code',
  'l.name',
  'l.parent_id',
  'l.address',
  'l.created_at',
  'l.updated_at',
] as const;

function locationsWithParent(q: Queryable) {
  return q
    .selectFrom('locations as l')
    .innerJoin('campuses as c', 'c.id', 'l.campus_id')
    .leftJoin('locations as p', 'p.id', 'l.parent_id')
    .select([...columns, 'c.slug as campus', 'p.code as parent_code']);
}

/** The Clery class of a location on a date (YYYY-MM-DD), as a correlated subquery. */
function cleryClassOn(date: string) {
  return sql<string | null>`(select k.clery_class from location_clery_classes k
    where k.location_id = l.id and k.effective_from <= ${date}::date
      and (k.effective_to is null or k.effective_to > ${date}::date)
    order by k.effective_from desc limit 1)`;
}

/** One location with its outline, parent code and Clery class on a date. */
export function findLocation(q: Queryable, id: string, date: string) {
  return locationsWithParent(q)
    .select(['l.outline', cleryClassOn(date).as('clery_class')])
    .where('l.id', '=', id)
    .executeTakeFirst();
}

export type LocationRow = NonNullable<Awaited<ReturnType<typeof findLocation>>>;

export interface LocationFilter {
  campusId: string;
  kind?: LocationKind;
  parentId?: string;
  q?: string;
  after?: string;
  limit: number;
  date: string;
}

/** Locations of a campus in code order (case-insensitive), without outlines, a page at a time. */
export function listLocations(q: Queryable, f: LocationFilter) {
  let query = locationsWithParent(q)
    .select(cleryClassOn(f.date).as('clery_class'))
    .where('l.campus_id', '=', f.campusId)
    .orderBy(sql`upper(l.code)`)
    .limit(f.limit);
  if (f.kind) query = query.where('l.kind', '=', f.kind);
  if (f.parentId) query = query.where('l.parent_id', '=', f.parentId);
  if (f.after) query = query.where(sql`upper(l.code)`, '>', f.after.toUpperCase());
  if (f.q) {
    const pattern = `%${escapeLike(f.q.toLowerCase())}%`;
    query = query.where((eb) =>
      eb.or([eb(sql`upper(l.code)`, '=', f.q!.toUpperCase()), eb(sql`lower(l.name)`, 'like', pattern)]),
    );
  }
  return query.execute();
}

/** The locations of a campus with these codes (case-insensitive). */
export function findLocationsByCodes(q: Queryable, campusId: string, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('locations')
    .select(['id', 'kind', 'code', 'name', 'parent_id'])
    .where('campus_id', '=', campusId)
    .where(
      sql`upper(code)`,
      'in',
      codes.map((c) => c.toUpperCase()),
    )
    .execute();
}

/** The ids of the locations whose parent is one of these (the buildings inside zones). */
export async function locationIdsInside(q: Queryable, parentIds: readonly string[]): Promise<string[]> {
  if (parentIds.length === 0) return [];
  const rows = await q.selectFrom('locations').select('id').where('parent_id', 'in', parentIds).execute();
  return rows.map((r) => r.id);
}

// pg would parse a date into a Date at local midnight; the API speaks YYYY-MM-DD.
const periodColumns = [
  'id',
  'location_id',
  'clery_class',
  sql<string>`effective_from::text`.as('effective_from'),
  sql<string | null>`effective_to::text`.as('effective_to'),
] as const;

/** Every Clery class period of a location, oldest first. */
export function listCleryPeriods(q: Queryable, locationId: string) {
  return q
    .selectFrom('location_clery_classes')
    .select(periodColumns)
    .where('location_id', '=', locationId)
    .orderBy('effective_from')
    .execute();
}

export type CleryPeriodRow = Awaited<ReturnType<typeof listCleryPeriods>>[number];

/** The Clery class period of a location that covers a date (YYYY-MM-DD), if any. */
export function cleryPeriodOn(q: Queryable, locationId: string, date: string) {
  return q
    .selectFrom('location_clery_classes')
    .select(periodColumns)
    .where('location_id', '=', locationId)
    .where(
      sql<boolean>`effective_from <= ${date}::date and (effective_to is null or effective_to > ${date}::date)`,
    )
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Periods of a location that overlap [from, to) (to null: open-ended), other than `exceptId`. */
export function overlappingPeriods(
  q: Queryable,
  locationId: string,
  from: string,
  to: string | null,
  exceptId?: string,
) {
  let query = q
    .selectFrom('location_clery_classes')
    .select(periodColumns)
    .where('location_id', '=', locationId)
    .where(sql<boolean>`daterange(effective_from, effective_to) && daterange(${from}::date, ${to}::date)`);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return query.orderBy('effective_from').execute();
}

/** How many people and child locations point at a location (deleting it would orphan them). */
export async function locationReferences(q: Queryable, locationId: string) {
  const row = await q
    .selectNoFrom([
      sql<number>`(select count(*)::int from people
        where home_building_id = ${locationId} or residence_hall_id = ${locationId})`.as('people'),
      sql<number>`(select count(*)::int from locations where parent_id = ${locationId})`.as('children'),
    ])
    .executeTakeFirstOrThrow();
  return row;
}

/** LIKE pattern text with %, _ and \ taken literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Every location of a campus with its zone's code and its outline, for the campus map. */
export function listMapLocations(q: Queryable, campusId: string) {
  return q
    .selectFrom('locations as l')
    .leftJoin('locations as p', 'p.id', 'l.parent_id')
    .select(['l.kind', 'l.code', 'l.name', 'l.outline', 'p.code as parent_code'])
    .where('l.campus_id', '=', campusId)
    .orderBy(sql`upper(l.code)`)
    .execute();
}

/** A value that changes whenever a location of the campus is created, changed or deleted. */
export async function locationsVersion(q: Queryable, campusId: string): Promise<string> {
  const row = await q
    .selectFrom('locations')
    .select([
      sql<number>`count(*)::int`.as('n'),
      sql<string | null>`max(updated_at)::text`.as('changed'),
      sql<string | null>`max(created_at)::text`.as('created'),
    ])
    .where('campus_id', '=', campusId)
    .executeTakeFirstOrThrow();
  return `${row.n}:${row.changed ?? ''}:${row.created ?? ''}`;
}
