import { sql, type QueryCreator, type RawBuilder, type SqlBool, type Updateable } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { Queryable, Trx } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import type { Channel, PeopleTable } from '../directory.tables.js';
import type { FilterColumns } from './scim-filter-sql.js';
import type { ContactRow, DirectoryContacts, PersonRow, ScimPersonFields } from './scim-mapping.js';

/** A UUID; other ids name no resource and never reach PostgreSQL's uuid parser. */
export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const campusIds = new WeakMap<AppContext, string>();

/** The campus SCIM provisions into: the profile's first campus (looked up once per process). */
export async function scimCampusId(ctx: AppContext): Promise<string> {
  const known = campusIds.get(ctx);
  if (known) return known;
  const slug = ctx.profile.campuses[0]!.slug;
  const row = await ctx.db
    .selectFrom('campuses')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  campusIds.set(ctx, row.id);
  return row.id;
}

const emailExists = (inner: RawBuilder<SqlBool>) =>
  sql<SqlBool>`exists (select 1 from contacts c where c.person_id = people.id and c.channel = 'email' and c.source = 'directory' and ${inner})`;
const text = (column: string, caseExact = false) =>
  ({ type: 'string', column: sql.ref(column), caseExact }) as const;

/** What a Users filter may name, and the column (or subquery) behind each. */
export const userFilterColumns: FilterColumns = {
  id: { type: 'id', column: sql.ref('people.id') },
  username: text('people.institutional_id'),
  externalid: text('people.external_id', true),
  displayname: text('people.display_name'),
  'name.givenname': text('people.given_name'),
  'name.familyname': text('people.family_name'),
  usertype: text('people.affiliation'),
  preferredlanguage: text('people.preferred_language'),
  active: { type: 'active', column: sql.ref('people.status') },
  'meta.created': { type: 'dateTime', column: sql.ref('people.created_at') },
  'meta.lastmodified': { type: 'dateTime', column: sql.ref('people.updated_at') },
  emails: { type: 'multi', exists: emailExists, columns: { value: text('c.address') } },
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:department': text('people.department'),
};

// The people SCIM serves: provisioned by SCIM and not deleted by it since (RFC 7644 §3.6).
function scimPeople(q: QueryCreator<Database>, campusId: string, condition: RawBuilder<SqlBool> | null) {
  let query = q
    .selectFrom('people')
    .where('people.campus_id', '=', campusId)
    .where('people.source', '=', 'scim')
    .where('people.institutional_id', 'is not', null)
    .where('people.scim_deleted_at', 'is', null);
  if (condition) query = query.where(condition);
  return query;
}

// Up to this many matches, a page is read from the matches alone (see listScimPeople).
const fewMatches = 10_000;

/**
 * A page of SCIM-provisioned people matching a condition, in id order. With few matches the page
 * comes from a materialized CTE, so the filter's own index finds them: left to itself, the planner
 * walks the primary key in id order hoping to meet `limit` matches early, and with a misestimated
 * filter (`userName sw`, an email) reads the whole directory.
 */
export async function listScimPeople(
  q: Queryable,
  campusId: string,
  condition: RawBuilder<SqlBool> | null,
  page: { offset: number; limit: number; total: number },
): Promise<PersonRow[]> {
  if (condition === null || page.total > fewMatches) {
    return scimPeople(q, campusId, condition)
      .selectAll('people')
      .orderBy('people.id')
      .offset(page.offset)
      .limit(page.limit)
      .execute();
  }
  return q
    .with(
      (cte) => cte('matches').materialized(),
      (db) => scimPeople(db, campusId, condition).selectAll('people'),
    )
    .selectFrom('matches')
    .selectAll()
    .orderBy('id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

/** How many SCIM-provisioned people match a condition. */
export async function countScimPeople(
  q: Queryable,
  campusId: string,
  condition: RawBuilder<SqlBool> | null,
): Promise<number> {
  const row = await scimPeople(q, campusId, condition)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One SCIM-provisioned person (locked for the rest of the transaction when asked). */
export async function findScimPerson(
  q: Queryable,
  campusId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<PersonRow | undefined> {
  if (!uuidPattern.test(id)) return undefined;
  const query = scimPeople(q, campusId, null).selectAll('people').where('people.id', '=', id);
  return (options.lock ? query.forUpdate() : query).executeTakeFirst();
}

/** The directory contacts of some people (self-added ones are the person's, not the IdP's). */
export async function directoryContacts(q: Queryable, personIds: string[]): Promise<ContactRow[]> {
  if (personIds.length === 0) return [];
  return q
    .selectFrom('contacts')
    .select(['person_id', 'channel', 'address', 'is_primary'])
    .where('person_id', 'in', personIds)
    .where('source', '=', 'directory')
    .orderBy('person_id')
    .orderBy('is_primary', 'desc')
    .orderBy('created_at')
    .orderBy('address')
    .execute();
}

/** Who holds a userName on the campus, from any feed (the unique index spans them all). */
export async function userNameHolder(
  q: Queryable,
  campusId: string,
  userName: string,
): Promise<{ id: string; source: string; scim_deleted_at: Date | null } | undefined> {
  return q
    .selectFrom('people')
    .select(['id', 'source', 'scim_deleted_at'])
    .where('campus_id', '=', campusId)
    .where('institutional_id', 'is not', null)
    .where(sql<string>`lower(institutional_id)`, '=', userName.toLowerCase())
    .executeTakeFirst();
}

/** The SCIM person, deleted or not, who carries this externalId. */
export async function externalIdHolder(q: Queryable, campusId: string, externalId: string) {
  return q
    .selectFrom('people')
    .select(['id', 'scim_deleted_at'])
    .where('campus_id', '=', campusId)
    .where('source', '=', 'scim')
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

/**
 * The person a SCIM client deleted whom a new User resource names again, locked: the one with its
 * externalId (the IdP's own, immutable id for them), else the one with its userName.
 */
export async function findDeletedScimPerson(
  trx: Trx,
  campusId: string,
  fields: Pick<ScimPersonFields, 'institutionalId' | 'externalId'>,
): Promise<PersonRow | undefined> {
  const sameExternalId = sql<SqlBool>`people.external_id is not distinct from ${fields.externalId}`;
  return trx
    .selectFrom('people')
    .selectAll()
    .where('campus_id', '=', campusId)
    .where('source', '=', 'scim')
    .where('scim_deleted_at', 'is not', null)
    .where((eb) =>
      eb.or([
        ...(fields.externalId ? [eb('external_id', '=', fields.externalId)] : []),
        eb(sql<string>`lower(institutional_id)`, '=', fields.institutionalId.toLowerCase()),
      ]),
    )
    .orderBy(sameExternalId, 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Mark a person deleted for SCIM and inactive (an earlier deactivation keeps its time); returns
 * nothing when another request deleted them first.
 */
export async function markScimDeleted(trx: Trx, id: string, now: Date) {
  return trx
    .updateTable('people')
    .set((eb) => ({
      status: 'inactive',
      deactivated_at: eb.fn.coalesce('deactivated_at', eb.val(now)),
      scim_deleted_at: now,
      updated_at: now,
    }))
    .where('id', '=', id)
    .where('scim_deleted_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
}

/** Insert a person provisioned by SCIM. */
export async function insertScimPerson(
  trx: Trx,
  campusId: string,
  fields: ScimPersonFields,
  now: Date,
): Promise<PersonRow> {
  const active = fields.active ?? true;
  return trx
    .insertInto('people')
    .values({
      campus_id: campusId,
      institutional_id: fields.institutionalId,
      external_id: fields.externalId,
      affiliation: fields.affiliation ?? 'employee',
      status: active ? 'active' : 'inactive',
      given_name: fields.givenName,
      family_name: fields.familyName,
      display_name: fields.displayName,
      department: fields.department,
      preferred_language: fields.preferredLanguage,
      source: 'scim',
      deactivated_at: active ? null : now,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Set some of a person's columns. */
export async function updateScimPerson(
  trx: Trx,
  id: string,
  set: Updateable<PeopleTable>,
  now: Date,
): Promise<PersonRow> {
  return trx
    .updateTable('people')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Make a person's directory contacts on some channels exactly the wanted ones: drop the others,
 * add the new, keep the kept (with their verification and opt-out). Self-added contacts are never
 * touched; a wanted address the person already added themselves stays theirs.
 */
export async function replaceDirectoryContacts(
  trx: Trx,
  personId: string,
  wanted: DirectoryContacts,
  onChannels: Channel[],
  now: Date,
): Promise<void> {
  if (onChannels.length === 0) return;
  const rows = onChannels.flatMap((channel) => wanted[channel].map((c) => ({ channel, ...c })));
  await trx
    .deleteFrom('contacts')
    .where('person_id', '=', personId)
    .where('source', '=', 'directory')
    .where('channel', 'in', onChannels)
    .where((eb) =>
      eb.not(
        eb.or([
          sql<SqlBool>`false`,
          ...rows.map((r) => eb.and([eb('channel', '=', r.channel), eb('address', '=', r.address)])),
        ]),
      ),
    )
    .execute();
  if (rows.length === 0) return;
  await trx
    .insertInto('contacts')
    .values(
      rows.map((r) => ({
        person_id: personId,
        channel: r.channel,
        address: r.address,
        source: 'directory' as const,
        is_primary: r.primary,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['person_id', 'channel', 'address'])
        .doUpdateSet((eb) => ({ is_primary: eb.ref('excluded.is_primary'), updated_at: now }))
        .where('contacts.source', '=', 'directory')
        .where(sql<SqlBool>`contacts.is_primary is distinct from excluded.is_primary`),
    )
    .execute();
}
