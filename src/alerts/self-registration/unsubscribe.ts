import type { AppContext } from '../../platform/context.js';
import type { Trx } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { verifyLinkToken } from '../../platform/link-tokens.js';
import { maskAddress, optOutPersonContacts } from '../../directory/manage-contact.js';
import { setPersonStatus } from '../../directory/manage-person.js';
import { unsubscribeReasons } from '../../directory/opt-out-reasons.js';
import { findContactWithHolder } from '../../directory/people.queries.js';
import { changePerson } from '../../directory/person-change.js';
import { isUuid } from './registration.policy.js';
import { auditedRequest, registrantActor, type AnonymousRequest } from './registrant.js';

/** One address (`contact`), or everything: all contacts opted out and the person deactivated (`all`). */
export type UnsubscribeScope = 'contact' | 'all';

export interface UnsubscribeTarget {
  contactId: string;
  personId: string;
  channel: string;
  /** Shortened for display: j…@example.edu. */
  maskedAddress: string;
  optedOut: boolean;
  personActive: boolean;
  language: string;
}

/**
 * Who an unsubscribe link is for (changes nothing). Only extended-community members unsubscribe
 * themselves: people enrolled from the institution's directory keep their institutional contacts.
 */
export async function describeUnsubscribe(ctx: AppContext, token: string): Promise<UnsubscribeTarget> {
  const contactId = await verifyLinkToken(ctx.db, 'unsubscribe', token);
  const row = contactId && isUuid(contactId) ? await findContactWithHolder(ctx.db, contactId) : undefined;
  if (!row)
    throw new AppError('not_found', 'This unsubscribe link is not valid, or its address was removed.');
  if (row.affiliation !== 'extended')
    throw new AppError(
      'forbidden',
      `This address comes from ${ctx.profile.institution.name}'s directory and cannot be unsubscribed here. Ask the office that runs ${ctx.profile.institution.alertProgramName} to change it.`,
    );
  return {
    contactId: row.id,
    personId: row.person_id,
    channel: row.channel,
    maskedAddress: maskAddress(row.address),
    optedOut: row.opted_out_at !== null,
    personActive: row.status === 'active',
    language: row.preferred_language,
  };
}

/**
 * Opt out the link's address, or (scope `all`) every address of the person and deactivate them:
 * a registrant's way to remove themselves. The record stays, inactive, so deliveries keep their
 * history and a later registration of the same address brings the person back. Idempotent: a
 * second click (or a mail client's one-click POST after the person's own) changes nothing.
 */
export async function unsubscribe(
  ctx: AppContext,
  token: string,
  scope: UnsubscribeScope,
  request: AnonymousRequest,
): Promise<{ contactsOptedOut: number; personDeactivated: boolean }> {
  const target = await describeUnsubscribe(ctx, token);
  let result = { contactsOptedOut: 0, personDeactivated: false };
  const action = scope === 'all' ? 'registration.remove' : 'registration.unsubscribe';
  await changePerson(ctx, registrantActor, target.personId, action, auditedRequest(request), async (trx) => {
    const now = ctx.clock.now();
    const optedOut = await optOut(trx, target, scope, now);
    const deactivated = scope === 'all' ? await setPersonStatus(trx, target.personId, false, now) : false;
    result = { contactsOptedOut: optedOut, personDeactivated: deactivated };
    return {
      after: { contactId: target.contactId, channel: target.channel, scope, ...result },
    };
  });
  return result;
}

async function optOut(trx: Trx, target: UnsubscribeTarget, scope: UnsubscribeScope, now: Date) {
  const optedOut = await optOutPersonContacts(trx, target.personId, {
    reason: unsubscribeReasons[scope],
    at: now,
    contactId: scope === 'contact' ? target.contactId : undefined,
  });
  if (scope === 'all') {
    // Addresses still waiting for their code or link will not be confirmed either.
    await trx
      .updateTable('registration_contacts')
      .set({ status: 'cancelled', expires_at: null })
      .where('status', 'in', ['pending', 'locked'])
      .where('registration_id', 'in', (eb) =>
        eb.selectFrom('registrations').select('id').where('person_id', '=', target.personId),
      )
      .execute();
  }
  return optedOut;
}
