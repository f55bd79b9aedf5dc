import { sql } from 'kysely';
import { writeAudit } from '../../audit/write-audit.js';
import type { RequestMeta } from '../../platform/actor.js';
import type { Trx } from '../../platform/db/database.js';
import { maskAddress } from '../../directory/manage-contact.js';
import { registrantActor } from './registrant.js';
import type { RegistrationChannel } from './self-registration.tables.js';

export interface PendingAddress {
  id: string;
  registration_id: string;
  channel: RegistrationChannel;
  address: string;
}

export interface Enrolment {
  personId: string;
  contactId: string;
  personCreated: boolean;
}

/**
 * Turn a verified address into a contact that receives alerts: on the registration's person, or
 * on the self-registered person who already has this address (a returning registrant, reactivated),
 * or on a new person of affiliation "extended". The contact is source "self", verified now, and no
 * longer opted out (verifying again is a new opt-in). Runs in the verifying transaction.
 */
export async function enrolVerifiedContact(
  trx: Trx,
  pending: PendingAddress,
  now: Date,
  request: RequestMeta,
): Promise<Enrolment> {
  const registration = await trx
    .selectFrom('registrations')
    .selectAll()
    .where('id', '=', pending.registration_id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const existing =
    registration.person_id ?? (await returningRegistrant(trx, registration.campus_id, pending));
  const personId = existing ?? (await insertPerson(trx, registration, now));
  if (existing) await refreshPerson(trx, existing, registration, now);
  const contactId = await upsertContact(trx, personId, pending, now);
  await trx
    .updateTable('registrations')
    .set({ person_id: personId })
    .where('id', '=', registration.id)
    .execute();
  await trx
    .updateTable('registration_contacts')
    .set({ status: 'verified', verified_at: now, contact_id: contactId, code_hash: null })
    .where('id', '=', pending.id)
    .execute();
  await writeAudit(trx, {
    actor: registrantActor,
    action: 'registration.verify',
    target: { type: 'person', id: personId },
    campusId: registration.campus_id,
    after: {
      registrationId: registration.id,
      contactId,
      channel: pending.channel,
      address: maskAddress(pending.address),
      personCreated: !existing,
    },
    request,
  });
  return { personId, contactId, personCreated: !existing };
}

/** A self-registered extended-community person who already has this address, active or not. */
async function returningRegistrant(
  trx: Trx,
  campusId: string,
  pending: PendingAddress,
): Promise<string | null> {
  const row = await trx
    .selectFrom('people as p')
    .innerJoin('contacts as c', 'c.person_id', 'p.id')
    .select('p.id')
    .where('p.campus_id', '=', campusId)
    .where('p.source', '=', 'self')
    .where('p.affiliation', '=', 'extended')
    .where('c.channel', '=', pending.channel)
    .where('c.address', '=', pending.address)
    .orderBy('p.updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

type Registration = { campus_id: string; display_name: string; preferred_language: string };

async function insertPerson(trx: Trx, registration: Registration, now: Date): Promise<string> {
  const row = await trx
    .insertInto('people')
    .values({
      campus_id: registration.campus_id,
      affiliation: 'extended',
      source: 'self',
      display_name: registration.display_name,
      preferred_language: registration.preferred_language,
      deactivated_at: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The latest registration's name and language win; a person who had left is back. */
async function refreshPerson(trx: Trx, personId: string, registration: Registration, now: Date) {
  await trx
    .updateTable('people')
    .set({
      display_name: registration.display_name,
      preferred_language: registration.preferred_language,
      status: 'active',
      deactivated_at: null,
      updated_at: now,
    })
    .where('id', '=', personId)
    .execute();
}

async function upsertContact(trx: Trx, personId: string, pending: PendingAddress, now: Date) {
  const row = await sql<{ id: string }>`
    insert into contacts (person_id, channel, address, source, is_primary, verified_at, created_at, updated_at)
    values (${personId}, ${pending.channel}, ${pending.address}, 'self',
            not exists (select 1 from contacts where person_id = ${personId} and channel = ${pending.channel} and is_primary),
            ${now}, ${now}, ${now})
    on conflict (person_id, channel, address) do update
      set verified_at = excluded.verified_at, opted_out_at = null, opt_out_reason = null, updated_at = excluded.updated_at
    returning id`.execute(trx);
  return row.rows[0]!.id;
}
