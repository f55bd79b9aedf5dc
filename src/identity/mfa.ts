import QRCode from 'qrcode';
import { writeAudit } from '../audit/write-audit.js';
import type { AppContext } from '../platform/context.js';
import type { RequestMeta } from '../platform/actor.js';
import { AppError } from '../platform/errors.js';
import { findCredentialsById } from './operators.queries.js';
import type { SessionPrincipal } from './principal.js';
import { setSessionStage } from './sessions.js';
import { nextStage } from './sign-in.policy.js';
import { matchTotp, newTotpSecret, totpFor } from './totp.js';

export interface MfaEnrolment {
  secret: string;
  otpauthUrl: string;
  qrSvg: string;
}

const wrongCode = () =>
  new AppError(
    'validation',
    'That code is wrong or already used. Enter the current 6-digit code from your authenticator app.',
    {
      field: 'code',
    },
  );

/** Begin TOTP enrolment: a new secret, kept on the session until a code confirms it. */
export async function startMfaEnrolment(ctx: AppContext, principal: SessionPrincipal): Promise<MfaEnrolment> {
  if (principal.mfaEnrolled)
    throw new AppError('conflict', 'MFA is already enrolled. An administrator can reset it.');
  const secret = newTotpSecret();
  await ctx.db
    .updateTable('sessions')
    .set({ pending_totp_secret: secret })
    .where('id_hash', '=', principal.sessionIdHash)
    .execute();
  const issuer = `Tocsin ${ctx.profile.institution.shortName}`;
  const otpauthUrl = totpFor(secret, issuer, principal.username).toString();
  const qrSvg = await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret, otpauthUrl, qrSvg };
}

/** Finish enrolment with a code from the app; the session moves on to the next stage. */
export async function confirmMfaEnrolment(
  ctx: AppContext,
  principal: SessionPrincipal,
  code: string,
  request: RequestMeta,
): Promise<{ stage: string }> {
  const session = await ctx.db
    .selectFrom('sessions')
    .select('pending_totp_secret')
    .where('id_hash', '=', principal.sessionIdHash)
    .executeTakeFirst();
  const secret = session?.pending_totp_secret;
  if (!secret)
    throw new AppError(
      'conflict',
      'Start MFA enrolment first: no enrolment is in progress for this session.',
    );
  const now = ctx.clock.now();
  const step = matchTotp(secret, code, now);
  if (step === null) throw wrongCode();
  const stage = nextStage({
    mustChangePassword: false,
    mfaEnrolled: true,
    mfaRequired: principal.mfaRequired,
    mfaVerified: true,
  });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('operators')
      .set({ totp_secret: secret, totp_enrolled_at: now, totp_last_step: String(step), updated_at: now })
      .where('id', '=', principal.operatorId)
      .execute();
    await setSessionStage(trx, principal.sessionIdHash, stage);
    await writeAudit(trx, {
      actor: principal.actor,
      action: 'operator.mfa_enrol',
      target: { type: 'operator', id: principal.operatorId },
      after: { mfaEnrolled: true },
      request,
    });
  });
  return { stage };
}

/** Check the second factor of a sign-in; a code is accepted once. */
export async function verifyMfa(
  ctx: AppContext,
  principal: SessionPrincipal,
  code: string,
  request: RequestMeta,
): Promise<{ stage: string }> {
  const operator = await findCredentialsById(ctx.db, principal.operatorId);
  if (!operator?.totp_secret) throw new AppError('conflict', 'This account has no MFA enrolled.');
  const now = ctx.clock.now();
  const step = matchTotp(operator.totp_secret, code, now);
  const replay = step !== null && operator.totp_last_step !== null && step <= Number(operator.totp_last_step);
  if (step === null || replay) {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('login_attempts')
        .values({ username: operator.username, ip: request.ip, succeeded: false })
        .execute();
      await writeAudit(trx, {
        actor: principal.actor,
        action: 'auth.mfa_verify',
        target: { type: 'operator', id: operator.id },
        outcome: 'failure',
        metadata: { reason: replay ? 'code_reused' : 'wrong_code' },
        request,
      });
    });
    throw wrongCode();
  }
  const stage = nextStage({
    mustChangePassword: false,
    mfaEnrolled: true,
    mfaRequired: principal.mfaRequired,
    mfaVerified: true,
  });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('operators')
      .set({ totp_last_step: String(step) })
      .where('id', '=', operator.id)
      .execute();
    await setSessionStage(trx, principal.sessionIdHash, stage);
    await writeAudit(trx, {
      actor: principal.actor,
      action: 'auth.mfa_verify',
      target: { type: 'operator', id: operator.id },
      request,
    });
  });
  return { stage };
}
