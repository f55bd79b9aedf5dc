import { sql } from 'kysely';
import { writeAudit } from '../audit/write-audit.js';
import type { AppContext } from '../platform/context.js';
import type { Queryable } from '../platform/db/database.js';
import type { RequestMeta } from '../platform/actor.js';
import { AppError } from '../platform/errors.js';
import { findCredentialsByUsername, rolesOf } from './operators.queries.js';
import { verifyDecoy, verifyPassword } from './passwords.js';
import { requiresMfa } from './roles.policy.js';
import { createSession, type NewSession } from './sessions.js';
import { lockUntil, nextStage } from './sign-in.policy.js';

export interface PasswordSignIn {
  username: string;
  password: string;
  request: RequestMeta;
}

const wrongCredentials = () =>
  new AppError('unauthenticated', 'The username or password is wrong. Check both and try again.');

/**
 * Check a username and password and start a session at the right sign-in stage. Throttles by
 * address, locks the account after repeated failures, and records every attempt.
 */
export async function signInWithPassword(ctx: AppContext, input: PasswordSignIn): Promise<NewSession> {
  const username = input.username.trim().toLowerCase();
  const now = ctx.clock.now();
  await throttleAddress(ctx, input.request.ip, now);
  const operator = await findCredentialsByUsername(ctx.db, username);
  if (!operator || !operator.password_hash || operator.disabled_at) {
    await verifyDecoy(input.password);
    await recordFailure(ctx, username, null, input.request, 'unknown_or_disabled');
    throw wrongCredentials();
  }
  if (operator.locked_until && operator.locked_until > now) {
    await recordFailure(ctx, username, operator.id, input.request, 'locked');
    throw lockedError(operator.locked_until, now);
  }
  if (!(await verifyPassword(operator.password_hash, input.password))) {
    const lockedUntil = await recordFailure(ctx, username, operator.id, input.request, 'wrong_password');
    throw lockedUntil ? lockedError(lockedUntil, now) : wrongCredentials();
  }
  const roles = await rolesOf(ctx.db, operator.id);
  const stage = nextStage({
    mustChangePassword: operator.must_change_password,
    mfaEnrolled: operator.totp_enrolled_at !== null,
    mfaRequired: requiresMfa(ctx.profile, roles),
    mfaVerified: false,
  });
  return ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('login_attempts')
      .values({ username, ip: input.request.ip, succeeded: true })
      .execute();
    await trx
      .updateTable('operators')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', operator.id)
      .execute();
    const session = await createSession(ctx, trx, {
      operatorId: operator.id,
      stage,
      authMethod: 'password',
      request: input.request,
    });
    await writeAudit(trx, {
      actor: { type: 'operator', id: operator.id, label: operator.username },
      action: 'auth.sign_in',
      target: { type: 'operator', id: operator.id },
      metadata: { method: 'password', stage },
      request: input.request,
    });
    return session;
  });
}

function lockedError(until: Date, now: Date): AppError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new AppError(
    'rate_limited',
    `This account is locked after too many failed sign-ins. Try again after ${until.toISOString()}, or ask an administrator to reset it.`,
    { lockedUntil: until.toISOString() },
    { retryAfterSeconds: seconds },
  );
}

/** Refuse an address that has tried too often in the last minute. */
async function throttleAddress(ctx: AppContext, ip: string | null, now: Date): Promise<void> {
  if (!ip) return;
  const row = await ctx.db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('ip', '=', ip)
    .where('attempted_at', '>', new Date(now.getTime() - 60_000))
    .executeTakeFirstOrThrow();
  if (Number(row.n) >= ctx.profile.security.login.maxAttemptsPerIpPerMinute) {
    throw new AppError(
      'rate_limited',
      'Too many sign-in attempts from this address. Wait a minute and try again.',
      undefined,
      {
        retryAfterSeconds: 60,
      },
    );
  }
}

/** Record a failed attempt; lock the account when the recent failures reach the limit. */
async function recordFailure(
  ctx: AppContext,
  username: string,
  operatorId: string | null,
  request: RequestMeta,
  reason: string,
): Promise<Date | null> {
  const now = ctx.clock.now();
  const policy = ctx.profile.security.login;
  return ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('login_attempts')
      .values({ username, ip: request.ip, succeeded: false, attempted_at: now })
      .execute();
    let locked: Date | null = null;
    if (operatorId) {
      const failures = await recentFailures(
        trx,
        username,
        new Date(now.getTime() - policy.windowMinutes * 60_000),
      );
      locked = reason === 'wrong_password' ? lockUntil(failures, policy, now) : null;
      await trx
        .updateTable('operators')
        .set((eb) => ({
          failed_logins: eb('failed_logins', '+', 1),
          ...(locked ? { locked_until: locked } : {}),
        }))
        .where('id', '=', operatorId)
        .execute();
    }
    await writeAudit(trx, {
      actor: operatorId
        ? { type: 'operator', id: operatorId, label: username }
        : { type: 'anonymous', id: null, label: null },
      action: locked ? 'auth.lockout' : 'auth.sign_in',
      target: operatorId ? { type: 'operator', id: operatorId } : undefined,
      outcome: 'failure',
      metadata: { reason, ...(locked ? { lockedUntil: locked.toISOString() } : {}) },
      request,
    });
    return locked;
  });
}

/** Failed attempts for a username since the window start and since its last success. */
async function recentFailures(q: Queryable, username: string, since: Date): Promise<number> {
  const row = await q
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('username', '=', username)
    .where('succeeded', '=', false)
    .where('attempted_at', '>', since)
    .where(
      'attempted_at',
      '>',
      sql<Date>`coalesce((select max(attempted_at) from login_attempts where username = ${username} and succeeded), '-infinity')`,
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
