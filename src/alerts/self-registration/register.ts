import { writeAudit } from '../../audit/write-audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { resolveCampus } from '../../directory/locations.queries.js';
import { officeNumbersAmong } from '../../directory/people.queries.js';
import { registrationLimits, validateRegistration, type RegistrationInput } from './registration.policy.js';
import { auditedRequest, registrantActor, type AnonymousRequest } from './registrant.js';
import type { RegistrationChannel } from './self-registration.tables.js';
import { consumeThrottle, type ThrottleHit } from './throttle.js';
import { sendVerificationJob } from './verification-messages.js';

export interface RegistrationReceipt {
  registrationId: string;
  /** The channels a code or link is on its way to (the same answer whether or not an address is known). */
  channels: RegistrationChannel[];
}

/** 404 unless the profile offers self-registration to the extended community. */
export function ensureSelfRegistrationOpen(ctx: AppContext): void {
  if (ctx.profile.directory.extendedCommunitySelfRegistration) return;
  const elsewhere = ctx.profile.institution.extendedCommunityUrl;
  throw new AppError(
    'not_found',
    `${ctx.profile.institution.name} does not offer self-registration here.${elsewhere ? ` See ${elsewhere}.` : ''}`,
    { reason: 'disabled' },
  );
}

/**
 * Register a member of the extended community: a pending registration whose addresses get a code
 * (SMS) or a link (email). Nobody is enrolled until an address is verified. The answer never says
 * whether an address is already registered.
 */
export async function registerMember(
  ctx: AppContext,
  input: RegistrationInput,
  request: AnonymousRequest,
): Promise<RegistrationReceipt> {
  ensureSelfRegistrationOpen(ctx);
  const checked = validateRegistration(input, {
    defaultRegion: ctx.profile.directory.defaultPhoneRegion,
    languages: ctx.profile.alerts.languages,
  });
  if (!checked.ok) {
    const summary = checked.problems.map((p) => `${p.field}: ${p.message}`).join(' ');
    throw new AppError('validation', `The registration is incomplete. ${summary}`, checked.problems);
  }
  const { name, language, contacts } = checked.value;
  const texted = contacts.filter((c) => c.channel === 'sms').map((c) => c.address);
  if ((await officeNumbersAmong(ctx.db, texted)).size > 0) {
    // An office number is called, never texted: not even a verification code goes to one.
    const message =
      'This is a campus office phone, which is called, never texted: enter a mobile number that can receive texts.';
    throw new AppError('validation', `The registration is incomplete. phone: ${message}`, [
      { field: 'phone', problem: 'landline', message },
    ]);
  }
  await consumeThrottle(ctx, [
    ...ipHit(request, 'registration_ip', registrationLimits.registrationsPerIp),
    { bucket: 'registration_global', value: 'all', limit: registrationLimits.registrationsGlobal },
    ...contacts.map((c) => addressHit(c.address)),
  ]);
  const campus = await resolveCampus(ctx.db, ctx.profile);
  const now = ctx.clock.now();
  const registrationId = await ctx.db.transaction().execute(async (trx) => {
    const registration = await trx
      .insertInto('registrations')
      .values({
        campus_id: campus.id,
        display_name: name,
        preferred_language: language,
        consented_at: now,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rows = await trx
      .insertInto('registration_contacts')
      .values(contacts.map((c) => ({ ...c, registration_id: registration.id, created_at: now })))
      .returning('id')
      .execute();
    for (const row of rows)
      await ctx.queue.enqueue(trx, sendVerificationJob, { registrationContactId: row.id }, { priority: 5 });
    await writeAudit(trx, {
      actor: registrantActor,
      action: 'registration.create',
      target: { type: 'registration', id: registration.id },
      campusId: campus.id,
      after: { channels: contacts.map((c) => c.channel), language },
      request: auditedRequest(request),
    });
    return registration.id;
  });
  return { registrationId, channels: contacts.map((c) => c.channel) };
}

/**
 * Send a new code (or link) to a registration's address: the old code stops working at once, a
 * locked address is unlocked with fresh attempts. Throttled per address like the first message.
 */
export async function resendVerification(
  ctx: AppContext,
  registrationId: string,
  channel: RegistrationChannel,
  request: AnonymousRequest,
): Promise<void> {
  ensureSelfRegistrationOpen(ctx);
  const contact = await ctx.db
    .selectFrom('registration_contacts')
    .select(['id', 'address', 'status'])
    .where('registration_id', '=', registrationId)
    .where('channel', '=', channel)
    .executeTakeFirst();
  if (!contact) throw notFound(`A pending ${channel === 'sms' ? 'mobile number' : 'email address'}`);
  if (contact.status === 'verified')
    throw conflict('This address is already confirmed.', { reason: 'verified' });
  if (contact.status === 'cancelled')
    throw conflict('This registration was cancelled. Register again.', { reason: 'cancelled' });
  await consumeThrottle(ctx, [
    ...ipHit(request, 'verification_ip', registrationLimits.verificationAttemptsPerIp),
    addressHit(contact.address),
  ]);
  await ctx.db.transaction().execute(async (trx) => {
    const reset = await trx
      .updateTable('registration_contacts')
      .set({ status: 'pending', code_hash: null, attempts: 0, expires_at: null })
      .where('id', '=', contact.id)
      .where('status', 'in', ['pending', 'locked'])
      .executeTakeFirst();
    if (reset.numUpdatedRows === 0n) throw conflict('This address is no longer waiting for a code.');
    await ctx.queue.enqueue(trx, sendVerificationJob, { registrationContactId: contact.id }, { priority: 5 });
  });
}

function ipHit(request: AnonymousRequest, bucket: ThrottleHit['bucket'], limit: number): ThrottleHit[] {
  return request.clientIp ? [{ bucket, value: request.clientIp, limit }] : [];
}

function addressHit(address: string): ThrottleHit {
  return { bucket: 'message_address', value: address, limit: registrationLimits.messagesPerAddress };
}
