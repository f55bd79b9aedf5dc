import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { signLinkToken } from '../../platform/link-tokens.js';
import { defineJob } from '../../platform/queue/job.js';
import { codeLifetimeMinutes, emailLinkLifetimeHours } from './registration.policy.js';
import { hashCode, newCode } from './registration-secrets.js';
import { deliverVerification, type VerificationMessage } from './verification-sender.js';
import { verificationEmail, verificationSms } from './verification-text.js';

/** The address a registrant opens to confirm an email address. */
async function verifyEmailUrl(ctx: AppContext, registrationContactId: string): Promise<string> {
  return `${ctx.config.publicUrl}/register/verify-email/${await signLinkToken(ctx.db, 'verify_email', registrationContactId)}`;
}

/**
 * Make the code (SMS) or the link (email) of a pending address and start its lifetime now. The
 * code exists only here and in the message: the row keeps its HMAC. Returns null when the address
 * is no longer waiting (verified, locked by a newer request, cancelled, or deleted).
 */
export async function prepareVerification(
  ctx: AppContext,
  registrationContactId: string,
): Promise<VerificationMessage | null> {
  const row = await ctx.db
    .selectFrom('registration_contacts as rc')
    .innerJoin('registrations as r', 'r.id', 'rc.registration_id')
    .select(['rc.id', 'rc.registration_id', 'rc.channel', 'rc.address', 'rc.status', 'r.preferred_language'])
    .where('rc.id', '=', registrationContactId)
    .executeTakeFirst();
  if (!row || row.status !== 'pending') return null;
  const now = ctx.clock.now().getTime();
  const institution = ctx.profile.institution;
  const code = row.channel === 'sms' ? newCode() : null;
  const updated = await ctx.db
    .updateTable('registration_contacts')
    .set({
      code_hash: code ? await hashCode(ctx.db, row.id, code) : null,
      attempts: 0,
      expires_at: new Date(now + (code ? codeLifetimeMinutes * 60_000 : emailLinkLifetimeHours * 3_600_000)),
      messages_sent: sql<number>`messages_sent + 1`,
    })
    .where('id', '=', row.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) return null;
  const content = code
    ? verificationSms(institution, row.preferred_language, code)
    : verificationEmail(institution, row.preferred_language, await verifyEmailUrl(ctx, row.id));
  return {
    registrationId: row.registration_id,
    registrationContactId: row.id,
    address: row.address,
    language: row.preferred_language,
    content,
  };
}

/**
 * Send one address its code or link: enqueued in the transaction that creates the registration
 * (or asks for a new code). A retry makes a new code, so only the newest message works.
 */
export const sendVerificationJob = defineJob({
  name: 'registration.send_verification',
  payload: z.object({ registrationContactId: z.uuid() }).strict(),
  retry: { limit: 4, delaySeconds: 10, backoff: true },
  expireInSeconds: 120,
  async handle(ctx, { registrationContactId }) {
    const message = await prepareVerification(ctx, registrationContactId);
    if (!message) return;
    const outcome = await deliverVerification(ctx, message);
    const log = { registrationContactId, channel: message.content.channel, ...outcome };
    if (outcome.kind === 'refused') ctx.log.warn(log, 'verification message refused by the provider');
    else ctx.log.info(log, 'verification message sent');
  },
});
