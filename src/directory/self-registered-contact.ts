import { sql } from 'kysely';
import type { Trx } from '../platform/db/database.js';
import type { Channel } from './directory.tables.js';

/** An address a person gave themselves and has just confirmed, with the name and language they gave. */
export interface SelfRegisteredContact {
  campusId: string;
  /** The person these details already belong to; null: a returning registrant with the address, or someone new. */
  personId: string | null;
  displayName: string;
  preferredLanguage: string;
  channel: Channel;
  address: string;
  at: Date;
}

export interface SelfRegisteredEnrolment {
  personId: string;
  contactId: string;
  personCreated: boolean;
}

/**
 * Make a confirmed address a contact that receives alerts, in the caller's transaction: on the
 * given person, or on the self-registered person who already has this address (a returning
 * registrant, reactivated), or on a new person of affiliation "extended". The latest name and
 * language win. The contact is source "self", verified now, and no longer opted out (confirming
 * again is a new opt-in); primary if the person has no primary on that channel.
 */
export async function enrolSelfRegisteredContact(
  trx: Trx,
  contact: SelfRegisteredContact,
): Promise<SelfRegisteredEnrolment> {
  const existing = contact.personId ?? (await returningRegistrant(trx, contact));
  const personId = existing ?? (await insertPerson(trx, contact));
  if (existing) await refreshPerson(trx, existing, contact);
  const contactId = await upsertContact(trx, personId, contact);
  return { personId, contactId, personCreated: !existing };
}

/** A self-registered extended-community person who already has this address, active or not. */
async function returningRegistrant(trx: Trx, contact: SelfRegisteredContact): Promise<string | null> {
  const row = await trx
    .selectFrom('people as p')
    .innerJoin('contacts as c', 'c.person_id', 'p.id')
    .select('p.id')
    .where('p.campus_id', '=', contact.campusId)
    .where('p.source', '=', 'self')
    .where('p.affiliation', '=', 'extended')
    .where('c.channel', '=', contact.channel)
    .where('c.address', '=', contact.address)
    .orderBy('p.updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

async function insertPerson(trx: Trx, contact: SelfRegisteredContact): Promise<string> {
  const row = await trx
    .insertInto('people')
    .values({
      campus_id: contact.campusId,
      affiliation: 'extended',
      source: 'self',
      display_name: contact.displayName,
      preferred_language: contact.preferredLanguage,
      deactivated_at: null,
      created_at: contact.at,
      updated_at: contact.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The latest registration's name and language win; a person who had left is back. */
async function refreshPerson(trx: Trx, personId: string, contact: SelfRegisteredContact) {
  await trx
    .updateTable('people')
    .set({
      display_name: contact.displayName,
      preferred_language: contact.preferredLanguage,
      status: 'active',
      deactivated_at: null,
      updated_at: contact.at,
    })
    .where('id', '=', personId)
    .execute();
}

async function upsertContact(trx: Trx, personId: string, contact: SelfRegisteredContact) {
  const { channel, address, at } = contact;
  const row = await sql<{ id: string }>`
    insert into contacts (person_id, channel, address, source, is_primary, verified_at, created_at, updated_at)
    values (${personId}, ${channel}, ${address}, 'self',
            not exists (select 1 from contacts where person_id = ${personId} and channel = ${channel} and is_primary),
            ${at}, ${at}, ${at})
    on conflict (person_id, channel, address) do update
      set verified_at = excluded.verified_at, opted_out_at = null, opt_out_reason = null, updated_at = excluded.updated_at
    returning id`.execute(trx);
  return row.rows[0]!.id;
}
