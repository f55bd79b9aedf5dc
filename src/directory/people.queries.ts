import { sql } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import { invalid } from '../platform/errors.js';
import { normalizeEmail } from './contacts.policy.js';
import type { Affiliation, Channel } from './directory.tables.js';
import { groupMemberIds, isGroupMember, type GroupDefinition } from './group-members.js';
import { escapeLike } from './locations.queries.js';

/** Where a page of people ends: the sort key of its last row. */
export interface PeopleCursor {
  name: string;
  id: string;
}

export interface PeopleFilter {
  campusId: string;
  /** Substring of the display name, an institutional id, or an email address (exact). */
  q?: string;
  affiliation?: Affiliation;
  status?: 'active' | 'inactive';
  department?: string;
  buildingCode?: string;
  residenceHallCode?: string;
  group?: GroupDefinition;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An opaque cursor for the API. */
export function encodeCursor(cursor: PeopleCursor): string {
  return Buffer.from(JSON.stringify([cursor.name, cursor.id])).toString('base64url');
}

/** Read a cursor this API issued; anything else is a 400. */
export function decodeCursor(text: string): PeopleCursor {
  try {
    const [name, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof name === 'string' && typeof id === 'string' && uuid.test(id)) return { name, id };
  } catch {
    // fall through to the error below
  }
  throw invalid('cursor is not one this API returned; start again without it.', { field: 'cursor' });
}

/** The columns a list of people shows, with home building and residence hall codes. */
function peopleWithPlaces(q: Queryable) {
  return q
    .selectFrom('people as p')
    .leftJoin('locations as hb', 'hb.id', 'p.home_building_id')
    .leftJoin('locations as rh', 'rh.id', 'p.residence_hall_id')
    .select([
      'p.id',
      'p.campus_id',
      'p.institutional_id',
      'p.affiliation',
      'p.status',
      'p.given_name',
      'p.family_name',
      'p.display_name',
      'p.department',
      'p.preferred_language',
      'p.source',
      'p.deactivated_at',
      'p.created_at',
      'p.updated_at',
      'hb.code as home_building',
      'rh.code as residence_hall',
      sql<string>`lower(p.display_name)`.as('sort_name'),
    ]);
}

/**
 * Every person's name with their home building and residence hall (code and name, null when
 * none), as a subquery for other domains' reports to join on `id`.
 */
export function peopleWithPlaceNames(q: Queryable) {
  return q
    .selectFrom('people as p')
    .leftJoin('locations as b', 'b.id', 'p.home_building_id')
    .leftJoin('locations as h', 'h.id', 'p.residence_hall_id')
    .select([
      'p.id',
      'p.display_name',
      'b.code as building_code',
      'b.name as building_name',
      'h.code as hall_code',
      'h.name as hall_name',
    ]);
}

export type PersonRow = Awaited<ReturnType<typeof findPerson>> & object;

/** One person (without contacts), or undefined. */
export function findPerson(q: Queryable, id: string) {
  return peopleWithPlaces(q).where('p.id', '=', id).executeTakeFirst();
}

/**
 * People of a campus in name order, a page at a time (keyset on lower(display_name), id, which
 * people_sort_idx serves). Search uses the trigram index for names, the institutional-id index and
 * the contact-address index for email addresses.
 */
export async function listPeople(
  q: Queryable,
  filter: PeopleFilter,
  page: { limit: number; after?: PeopleCursor },
) {
  let query = peopleWithPlaces(q)
    .where('p.campus_id', '=', filter.campusId)
    .orderBy(sql`lower(p.display_name)`)
    .orderBy('p.id')
    .limit(page.limit + 1);
  if (page.after)
    query = query.where(
      sql<boolean>`(lower(p.display_name), p.id) > (${page.after.name}, ${page.after.id}::uuid)`,
    );
  if (filter.affiliation) query = query.where('p.affiliation', '=', filter.affiliation);
  if (filter.status) query = query.where('p.status', '=', filter.status);
  if (filter.department) query = query.where('p.department', '=', filter.department);
  if (filter.buildingCode)
    query = query.where(
      'p.home_building_id',
      'in',
      locationIdByCode(q, filter.campusId, filter.buildingCode),
    );
  if (filter.residenceHallCode)
    query = query.where(
      'p.residence_hall_id',
      'in',
      locationIdByCode(q, filter.campusId, filter.residenceHallCode),
    );
  if (filter.group) query = query.where(isGroupMember(q, filter.group, 'p'));
  if (filter.q) query = query.where(searchCondition(q, filter.q));
  const rows = await query.execute();
  const more = rows.length > page.limit;
  const pageRows = more ? rows.slice(0, page.limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { rows: pageRows, next: more && last ? { name: last.sort_name, id: last.id } : null };
}

function locationIdByCode(q: Queryable, campusId: string, code: string) {
  return q
    .selectFrom('locations')
    .select('id')
    .where('campus_id', '=', campusId)
    .where(sql`upper(code)`, '=', code.toUpperCase());
}

function searchCondition(q: Queryable, text: string) {
  const term = text.trim();
  const email = term.includes('@') ? normalizeEmail(term) : null;
  if (email?.ok) {
    const holders = q
      .selectFrom('contacts')
      .select('person_id')
      .where('channel', '=', 'email')
      .where('address', '=', email.address);
    return sql<boolean>`p.id in ${holders}`;
  }
  const pattern = `%${escapeLike(term.toLowerCase())}%`;
  return sql<boolean>`(lower(p.display_name) like ${pattern}
    or (p.institutional_id is not null and lower(p.institutional_id) = ${term.toLowerCase()}))`;
}

/** How many people a group resolves to now (active only). */
export async function countGroupMembers(q: Queryable, group: GroupDefinition): Promise<number> {
  const row = await q
    .selectFrom(groupMemberIds(q, group).as('m'))
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A person's contacts, email first, primary first. */
export function listContacts(q: Queryable, personId: string) {
  return q
    .selectFrom('contacts')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('channel')
    .orderBy('is_primary', 'desc')
    .orderBy('created_at')
    .execute();
}

export type ContactRow = Awaited<ReturnType<typeof listContacts>>[number];

/** One contact with what its holder's record says about them (affiliation, status, language), or undefined. */
export function findContactWithHolder(q: Queryable, contactId: string) {
  return q
    .selectFrom('contacts as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .select([
      'c.id',
      'c.person_id',
      'c.channel',
      'c.address',
      'c.opted_out_at',
      'p.affiliation',
      'p.status',
      'p.preferred_language',
    ])
    .where('c.id', '=', contactId)
    .executeTakeFirst();
}

/**
 * Which of these (person, address) pairs are contacts on a channel of a person with this
 * affiliation: their ids, in one query for a whole batch.
 */
export async function findContactsHeldBy(
  q: Queryable,
  wanted: { channel: Channel; affiliation: Affiliation; holders: readonly ContactHolder[] },
): Promise<Array<{ person_id: string; address: string; id: string }>> {
  const persons = wanted.holders.map((h) => h.personId);
  const addresses = wanted.holders.map((h) => h.address);
  const rows = await sql<{ person_id: string; address: string; id: string }>`
    select c.person_id, c.address, c.id
    from unnest(${persons}::uuid[], ${addresses}::text[]) as r(person_id, address)
    join contacts c on c.person_id = r.person_id and c.channel = ${wanted.channel} and c.address = r.address
    join people p on p.id = c.person_id and p.affiliation = ${wanted.affiliation}`.execute(q);
  return rows.rows;
}

/** A person and one of their addresses. */
export interface ContactHolder {
  personId: string;
  address: string;
}

/** The people of a campus among these ids (the rest do not exist there). */
export async function existingPeople(q: Queryable, campusId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await q
    .selectFrom('people')
    .select('id')
    .where('campus_id', '=', campusId)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** The person holding an institutional id on a campus (case-insensitive), if any. */
export function findByInstitutionalId(q: Queryable, campusId: string, institutionalId: string) {
  return q
    .selectFrom('people')
    .select(['id', 'display_name'])
    .where('campus_id', '=', campusId)
    .where(sql`lower(institutional_id)`, '=', institutionalId.toLowerCase())
    .executeTakeFirst();
}

/** Which of these numbers are someone's office phone (called on the office_phones channel, never texted). */
export async function officeNumbersAmong(q: Queryable, addresses: readonly string[]): Promise<Set<string>> {
  if (addresses.length === 0) return new Set();
  const rows = await q
    .selectFrom('contacts')
    .select('address')
    .distinct()
    .where('channel', '=', 'office_phone')
    .where('address', 'in', [...addresses])
    .execute();
  return new Set(rows.map((r) => r.address));
}
