import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.js';
import type { Feed } from '../directory.tables.js';
import type { ExistingPerson } from './sync-diff.js';

/** Everyone a feed manages on a campus, with their directory contacts (the feed's own view of them). */
export async function loadFeedPeople(q: Queryable, campusId: string, feed: Feed): Promise<ExistingPerson[]> {
  const rows = await sql<{
    id: string;
    institutional_id: string;
    status: 'active' | 'inactive';
    affiliation: ExistingPerson['affiliation'];
    given_name: string | null;
    family_name: string | null;
    display_name: string;
    department: string | null;
    preferred_language: string;
    home_building_code: string | null;
    residence_hall_code: string | null;
    emails: string[];
    phones: string[];
    office_phones: string[];
  }>`
    select p.id, p.institutional_id, p.status, p.affiliation, p.given_name, p.family_name, p.display_name,
           p.department, p.preferred_language, upper(hb.code) as home_building_code, upper(rh.code) as residence_hall_code,
           coalesce(array(select c.address from contacts c where c.person_id = p.id and c.source = 'directory' and c.channel = 'email'
                          order by c.is_primary desc, c.created_at, c.address), '{}') as emails,
           coalesce(array(select c.address from contacts c where c.person_id = p.id and c.source = 'directory' and c.channel = 'sms'
                          order by c.address), '{}') as phones,
           coalesce(array(select c.address from contacts c where c.person_id = p.id and c.source = 'directory' and c.channel = 'office_phone'
                          order by c.address), '{}') as office_phones
    from people p
    left join locations hb on hb.id = p.home_building_id
    left join locations rh on rh.id = p.residence_hall_id
    where p.campus_id = ${campusId} and p.source = ${feed} and p.institutional_id is not null`.execute(q);
  return rows.rows.map((r) => ({
    id: r.id,
    institutionalId: r.institutional_id,
    status: r.status,
    affiliation: r.affiliation,
    givenName: r.given_name,
    familyName: r.family_name,
    displayName: r.display_name,
    department: r.department,
    homeBuildingCode: r.home_building_code,
    residenceHallCode: r.residence_hall_code,
    preferredLanguage: r.preferred_language,
    emails: r.emails,
    phones: r.phones,
    officePhones: r.office_phones,
  }));
}

/** Location ids by upper-cased code, per kind, for resolving building and residence-hall codes. */
export async function locationCodes(
  q: Queryable,
  campusId: string,
): Promise<{ buildings: Map<string, string>; halls: Map<string, string> }> {
  const rows = await q
    .selectFrom('locations')
    .select(['id', 'code', 'kind'])
    .where('campus_id', '=', campusId)
    .execute();
  const buildings = new Map<string, string>();
  const halls = new Map<string, string>();
  for (const r of rows) {
    if (r.kind === 'residence_hall') halls.set(r.code.toUpperCase(), r.id);
    // A residence hall is a building too: people may name it as their home building.
    if (r.kind !== 'zone') buildings.set(r.code.toUpperCase(), r.id);
  }
  return { buildings, halls };
}

/** The campus a feed writes to: the first campus of the profile. */
export async function defaultCampusId(q: Queryable, slug: string): Promise<string> {
  const row = await q.selectFrom('campuses').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
  return row.id;
}

/** Institutional ids (lower-cased) on a campus that another feed or an operator manages. */
export async function idsManagedElsewhere(q: Queryable, campusId: string, feed: Feed): Promise<Set<string>> {
  const rows = await q
    .selectFrom('people')
    .select(sql<string>`lower(institutional_id)`.as('id'))
    .where('campus_id', '=', campusId)
    .where('source', '!=', feed)
    .where('institutional_id', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.id));
}
