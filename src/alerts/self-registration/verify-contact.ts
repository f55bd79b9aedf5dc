import { writeAudit } from '../../audit/write-audit.js';
import type { AppContext } from '../../platform/context.js';
import type { Trx } from '../../platform/db/database.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { verifyLinkToken } from '../../platform/link-tokens.js';
import { enrolVerifiedContact } from './enrol-verified-contact.js';
import { ensureSelfRegistrationOpen } from './register.js';
import { auditedRequest, registrantActor, type AnonymousRequest } from './registrant.js';
import {
  isUuid,
  maxCodeAttempts,
  normalizeCode,
  registrationLimits,
  verificationState,
  type VerificationState,
} from './registration.policy.js';
import { codeMatches } from './registration-secrets.js';
import type { RegistrationChannel } from './self-registration.tables.js';
import { consumeThrottle } from './throttle.js';

export interface Verified {
  channel: RegistrationChannel;
  /** True when the address had been confirmed before (a second click or submit). */
  alreadyVerified: boolean;
}

type Attempt =
  | { kind: 'verified'; alreadyVerified: boolean }
  | { kind: 'wrong'; attemptsLeft: number }
  | { kind: 'refused'; state: Exclude<VerificationState, 'pending' | 'verified'> };

const refusals: Record<Exclude<VerificationState, 'pending' | 'verified'>, string> = {
  locked: 'Too many wrong codes: this code no longer works. Ask for a new code.',
  expired: 'This code or link has expired. Ask for a new one.',
  not_sent: 'The code is still on its way. Wait a moment, then try again.',
  cancelled: 'This registration was cancelled. Register again to receive alerts.',
};

/** Check the six-digit code of a registration's mobile number; the fifth wrong code locks it. */
export async function verifySmsCode(
  ctx: AppContext,
  registrationId: string,
  rawCode: string,
  request: AnonymousRequest,
): Promise<Verified> {
  ensureSelfRegistrationOpen(ctx);
  const code = normalizeCode(rawCode);
  if (!code)
    throw invalid('Enter the 6-digit code from the text message.', { field: 'code', reason: 'format' });
  if (request.clientIp)
    await consumeThrottle(ctx, [
      {
        bucket: 'verification_ip',
        value: request.clientIp,
        limit: registrationLimits.verificationAttemptsPerIp,
      },
    ]);
  const attempt = await ctx.db.transaction().execute(async (trx): Promise<Attempt> => {
    const pending = await trx
      .selectFrom('registration_contacts')
      .selectAll()
      .where('registration_id', '=', registrationId)
      .where('channel', '=', 'sms')
      .forUpdate()
      .executeTakeFirst();
    if (!pending) throw notFound('A registration with a mobile number');
    const now = ctx.clock.now();
    const state = verificationState(pending, now);
    if (state === 'verified') return { kind: 'verified', alreadyVerified: true };
    if (state !== 'pending') return { kind: 'refused', state };
    if (pending.code_hash && (await codeMatches(ctx.db, pending.id, code, pending.code_hash))) {
      await enrolVerifiedContact(trx, pending, now, auditedRequest(request));
      return { kind: 'verified', alreadyVerified: false };
    }
    return wrongCode(trx, pending, request);
  });
  return outcome(attempt, 'sms');
}

async function wrongCode(
  trx: Trx,
  pending: { id: string; registration_id: string; attempts: number },
  request: AnonymousRequest,
): Promise<Attempt> {
  const attempts = pending.attempts + 1;
  const locked = attempts >= maxCodeAttempts;
  await trx
    .updateTable('registration_contacts')
    .set({ attempts, status: locked ? 'locked' : 'pending' })
    .where('id', '=', pending.id)
    .execute();
  if (!locked) return { kind: 'wrong', attemptsLeft: maxCodeAttempts - attempts };
  await writeAudit(trx, {
    actor: registrantActor,
    action: 'registration.lock',
    target: { type: 'registration', id: pending.registration_id },
    outcome: 'denied',
    metadata: { channel: 'sms', attempts },
    request: auditedRequest(request),
  });
  return { kind: 'refused', state: 'locked' };
}

/** Confirm an email address from the link's token (POST only: link scanners prefetch GETs). */
export async function verifyEmailToken(
  ctx: AppContext,
  token: string,
  request: AnonymousRequest,
): Promise<Verified> {
  ensureSelfRegistrationOpen(ctx);
  const id = await pendingEmailId(ctx, token);
  const attempt = await ctx.db.transaction().execute(async (trx): Promise<Attempt> => {
    const pending = await trx
      .selectFrom('registration_contacts')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!pending) throw linkNotFound();
    const now = ctx.clock.now();
    const state = verificationState(pending, now);
    if (state === 'verified') return { kind: 'verified', alreadyVerified: true };
    if (state !== 'pending') return { kind: 'refused', state };
    await enrolVerifiedContact(trx, pending, now, auditedRequest(request));
    return { kind: 'verified', alreadyVerified: false };
  });
  return outcome(attempt, 'email');
}

/** "This was not me": the address gets nothing more from this registration. */
export async function cancelEmailRegistration(
  ctx: AppContext,
  token: string,
  request: AnonymousRequest,
): Promise<void> {
  ensureSelfRegistrationOpen(ctx);
  const id = await pendingEmailId(ctx, token);
  await ctx.db.transaction().execute(async (trx) => {
    const cancelled = await trx
      .updateTable('registration_contacts')
      .set({ status: 'cancelled', expires_at: null })
      .where('id', '=', id)
      .where('status', 'in', ['pending', 'locked'])
      .returning('registration_id')
      .executeTakeFirst();
    if (!cancelled) return;
    await writeAudit(trx, {
      actor: registrantActor,
      action: 'registration.cancel',
      target: { type: 'registration', id: cancelled.registration_id },
      metadata: { channel: 'email' },
      request: auditedRequest(request),
    });
  });
}

/** What an email link is about, for the confirmation page (changes nothing). */
export async function describeEmailLink(ctx: AppContext, token: string) {
  ensureSelfRegistrationOpen(ctx);
  const id = await pendingEmailId(ctx, token);
  const row = await ctx.db
    .selectFrom('registration_contacts as rc')
    .innerJoin('registrations as r', 'r.id', 'rc.registration_id')
    .select(['rc.address', 'rc.status', 'rc.expires_at', 'rc.registration_id', 'r.preferred_language'])
    .where('rc.id', '=', id)
    .executeTakeFirst();
  if (!row) throw linkNotFound();
  return {
    registrationId: row.registration_id,
    address: row.address,
    language: row.preferred_language,
    state: verificationState(row, ctx.clock.now()),
  };
}

async function pendingEmailId(ctx: AppContext, token: string): Promise<string> {
  const id = await verifyLinkToken(ctx.db, 'verify_email', token);
  if (!id || !isUuid(id)) throw linkNotFound();
  return id;
}

function linkNotFound(): AppError {
  return new AppError(
    'not_found',
    'This link is not valid or its registration was deleted. Register again to receive alerts.',
    { reason: 'link' },
  );
}

function outcome(attempt: Attempt, channel: RegistrationChannel): Verified {
  if (attempt.kind === 'verified') return { channel, alreadyVerified: attempt.alreadyVerified };
  if (attempt.kind === 'wrong')
    throw invalid(
      `That code is not right. ${attempt.attemptsLeft} attempt${attempt.attemptsLeft === 1 ? '' : 's'} left.`,
      { field: 'code', reason: 'wrong_code', attemptsLeft: attempt.attemptsLeft },
    );
  throw new AppError('invalid_transition', refusals[attempt.state], { field: 'code', reason: attempt.state });
}
