import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { maskAddress } from '../../directory/manage-contact.js';
import { isUuid, verificationState, type VerificationState } from './registration.policy.js';
import type { RegistrationChannel } from './self-registration.tables.js';

export interface RegistrationStatus {
  registrationId: string;
  language: string;
  addresses: Array<{ channel: RegistrationChannel; maskedAddress: string; state: VerificationState }>;
}

/** Where each address of a registration stands, addresses shortened (for the registrant's page). */
export async function registrationStatus(
  ctx: AppContext,
  registrationId: string,
): Promise<RegistrationStatus> {
  if (!isUuid(registrationId)) throw notFound('Registration');
  const rows = await ctx.db
    .selectFrom('registration_contacts as rc')
    .innerJoin('registrations as r', 'r.id', 'rc.registration_id')
    .select(['rc.channel', 'rc.address', 'rc.status', 'rc.expires_at', 'r.preferred_language'])
    .where('rc.registration_id', '=', registrationId)
    .orderBy('rc.channel', 'desc')
    .execute();
  if (rows.length === 0) throw notFound('Registration');
  const now = ctx.clock.now();
  return {
    registrationId,
    language: rows[0]!.preferred_language,
    addresses: rows.map((r) => ({
      channel: r.channel,
      maskedAddress: maskAddress(r.address),
      state: verificationState(r, now),
    })),
  };
}
