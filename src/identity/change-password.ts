import { writeAudit } from '../audit/write-audit.js';
import type { AppContext } from '../platform/context.js';
import type { RequestMeta } from '../platform/actor.js';
import { AppError } from '../platform/errors.js';
import { findCredentialsById } from './operators.queries.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import type { SessionPrincipal } from './principal.js';
import { deleteOperatorSessions, setSessionStage } from './sessions.js';
import { nextStage } from './sign-in.policy.js';

export interface ChangePassword {
  currentPassword?: string;
  newPassword: string;
  request: RequestMeta;
}

/**
 * Set a new password. Right after signing in with a one-time secret the current password is not
 * asked again; otherwise it is. Every other session of the operator ends.
 */
export async function changePassword(
  ctx: AppContext,
  principal: SessionPrincipal,
  input: ChangePassword,
): Promise<{ stage: string }> {
  const operator = await findCredentialsById(ctx.db, principal.operatorId);
  if (!operator) throw new AppError('not_found', 'Operator was not found.');
  if (principal.stage !== 'password_change') {
    const ok =
      operator.password_hash &&
      input.currentPassword &&
      (await verifyPassword(operator.password_hash, input.currentPassword));
    if (!ok) throw new AppError('validation', 'The current password is wrong.', { field: 'currentPassword' });
  }
  const problem = passwordProblem(
    input.newPassword,
    ctx.profile.security.passwordMinLength,
    operator.username,
  );
  if (problem) throw new AppError('validation', `The new password ${problem}.`, { field: 'newPassword' });
  if (operator.password_hash && (await verifyPassword(operator.password_hash, input.newPassword))) {
    throw new AppError('validation', 'The new password must differ from the current one.', {
      field: 'newPassword',
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const stage =
    principal.stage === 'active'
      ? 'active'
      : nextStage({
          mustChangePassword: false,
          mfaEnrolled: principal.mfaEnrolled,
          mfaRequired: principal.mfaRequired,
          mfaVerified: false,
        });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('operators')
      .set({ password_hash: passwordHash, must_change_password: false, updated_at: ctx.clock.now() })
      .where('id', '=', operator.id)
      .execute();
    await deleteOperatorSessions(trx, operator.id, principal.sessionIdHash);
    await setSessionStage(trx, principal.sessionIdHash, stage);
    await writeAudit(trx, {
      actor: principal.actor,
      action: 'operator.password_change',
      target: { type: 'operator', id: operator.id },
      request: input.request,
    });
  });
  return { stage };
}
