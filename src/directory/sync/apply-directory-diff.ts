import { sql } from 'kysely';
import type { Trx } from '../../platform/db/database.js';
import type { Feed } from '../directory.tables.js';
import type { DirectoryRecord } from './directory-record.js';
import type { DirectoryDiff } from './sync-diff.js';

export interface LocationLookup {
  buildings: Map<string, string>;
  halls: Map<string, string>;
}

interface IncomingRow {
  person_id: string | null;
  institutional_id: string;
  affiliation: string;
  given_name: string | null;
  family_name: string | null;
  display_name: string;
  department: string | null;
  home_building_id: string | null;
  residence_hall_id: string | null;
  preferred_language: string;
  emails: string[];
  phones: string[];
  office_phones: string[];
}

function incoming(record: DirectoryRecord, personId: string | null, locations: LocationLookup): IncomingRow {
  return {
    person_id: personId,
    institutional_id: record.institutionalId,
    affiliation: record.affiliation,
    given_name: record.givenName,
    family_name: record.familyName,
    display_name: record.displayName,
    department: record.department,
    home_building_id: record.homeBuildingCode
      ? (locations.buildings.get(record.homeBuildingCode) ?? null)
      : null,
    residence_hall_id: record.residenceHallCode
      ? (locations.halls.get(record.residenceHallCode) ?? null)
      : null,
    preferred_language: record.preferredLanguage,
    emails: record.emails,
    phones: record.phones,
    office_phones: record.officePhones,
  };
}

/**
 * Apply a diff with a handful of set-based statements on the caller's transaction: stage the
 * changed records in a temporary table, insert the new people, update the changed ones, deactivate
 * the missing ones, then replace each staged person's directory contacts. Contacts people added
 * themselves (source 'self') and contacts operators added (source 'operator') are never touched.
 */
export async function applyDirectoryDiff(
  trx: Trx,
  campusId: string,
  feed: Feed,
  diff: DirectoryDiff,
  locations: LocationLookup,
): Promise<void> {
  const rows = [
    ...diff.adds.map((r) => incoming(r, null, locations)),
    ...diff.changes.map((c) => incoming(c.record, c.id, locations)),
  ];
  await sql`create temporary table incoming_people (
      person_id uuid, institutional_id text not null, affiliation text not null, given_name text, family_name text,
      display_name text not null, department text, home_building_id uuid, residence_hall_id uuid,
      preferred_language text not null, emails text[] not null, phones text[] not null,
      office_phones text[] not null) on commit drop`.execute(trx);
  for (let i = 0; i < rows.length; i += 20_000) {
    await sql`insert into incoming_people
      select * from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 20_000))}::jsonb) as x(
        person_id uuid, institutional_id text, affiliation text, given_name text, family_name text, display_name text,
        department text, home_building_id uuid, residence_hall_id uuid, preferred_language text, emails text[], phones text[],
        office_phones text[])`.execute(trx);
  }
  // Temporary tables have no statistics until analysed; without them the joins below can go quadratic.
  await sql`analyze incoming_people`.execute(trx);
  await sql`with created as (
      insert into people (campus_id, institutional_id, affiliation, given_name, family_name, display_name, department,
                          home_building_id, residence_hall_id, preferred_language, source)
      select ${campusId}, institutional_id, affiliation, given_name, family_name, display_name, department,
             home_building_id, residence_hall_id, preferred_language, ${feed}
      from incoming_people where person_id is null
      returning id, institutional_id)
    update incoming_people i set person_id = c.id from created c where i.person_id is null and i.institutional_id = c.institutional_id`.execute(
    trx,
  );
  await sql`update people p set affiliation = i.affiliation, given_name = i.given_name, family_name = i.family_name,
      display_name = i.display_name, department = i.department, home_building_id = i.home_building_id,
      residence_hall_id = i.residence_hall_id, preferred_language = i.preferred_language,
      status = 'active', deactivated_at = null, institutional_id = i.institutional_id, updated_at = now()
    from incoming_people i
    -- people created above in this transaction (created_at = now()) already hold these values
    where p.id = i.person_id and p.created_at < now()`.execute(trx);
  const gone = diff.deactivations.map((p) => p.id);
  if (gone.length > 0) {
    await sql`update people set status = 'inactive', deactivated_at = now(), updated_at = now()
      where id = any(${gone}::uuid[]) and status = 'active'`.execute(trx);
  }
  await replaceDirectoryContacts(trx);
}

/**
 * Make each staged person's directory contacts exactly the staged ones (email; each mobile as sms
 * and voice; each office number as office_phone, never sms).
 */
async function replaceDirectoryContacts(trx: Trx): Promise<void> {
  await sql`create temporary table incoming_contacts on commit drop as
    select i.person_id, 'email'::text as channel, e.address, e.n = 1 as is_primary
      from incoming_people i, unnest(i.emails) with ordinality as e(address, n)
    union all
    select i.person_id, ch.channel, p.address, false
      from incoming_people i, unnest(i.phones) as p(address), (values ('sms'), ('voice')) as ch(channel)
    union all
    select i.person_id, 'office_phone', o.address, o.n = 1
      from incoming_people i, unnest(i.office_phones) with ordinality as o(address, n)`.execute(trx);
  await sql`analyze incoming_contacts`.execute(trx);
  await sql`delete from contacts c using incoming_people i
    where c.person_id = i.person_id and c.source = 'directory'
      and not exists (select 1 from incoming_contacts n where n.person_id = c.person_id and n.channel = c.channel and n.address = c.address)`.execute(
    trx,
  );
  // One primary per channel: where the person or an operator made one of theirs primary, it stays so.
  await sql`insert into contacts (person_id, channel, address, source, is_primary)
    select n.person_id, n.channel, n.address, 'directory', n.is_primary and not exists (
        select 1 from contacts o where o.person_id = n.person_id and o.channel = n.channel
          and o.source <> 'directory' and o.is_primary)
    from incoming_contacts n
    on conflict (person_id, channel, address) do update set is_primary = excluded.is_primary, updated_at = now()
      where contacts.source = 'directory' and contacts.is_primary is distinct from excluded.is_primary`.execute(
    trx,
  );
}
