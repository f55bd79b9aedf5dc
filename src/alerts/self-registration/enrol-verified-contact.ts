import { writeAudit } from '../../audit/write-audit.js';
import type { RequestMeta } from '../../platform/actor.js';
import type { Trx } from '../../platform/db/database.js';
import { maskAddress } from '../../directory/manage-contact.js';
import {
  enrolSelfRegisteredContact,
  type SelfRegisteredEnrolment,
} from '../../directory/self-registered-contact.js';
import { registrantActor } from './registrant.js';
import type { RegistrationChannel } from './self-registration.tables.js';

export interface PendingAddress {
  id: string;
  registration_id: string;
  channel: RegistrationChannel;
  address: string;
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
): Promise<SelfRegisteredEnrolment> {
  const registration = await trx
    .selectFrom('registrations')
    .selectAll()
    .where('id', '=', pending.registration_id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const { personId, contactId, personCreated } = await enrolSelfRegisteredContact(trx, {
    campusId: registration.campus_id,
    personId: registration.person_id,
    displayName: registration.display_name,
    preferredLanguage: registration.preferred_language,
    channel: pending.channel,
    address: pending.address,
    at: now,
  });
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
      personCreated,
    },
    request,
  });
  return { personId, contactId, personCreated };
}
