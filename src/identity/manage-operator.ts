import { writeAudit } from '../audit/write-audit.js';
import type { Actor, RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import type { Trx } from '../platform/db/database.js';
import { AppError, notFound } from '../platform/errors.js';
import { findOperatorById, replaceRoles, rolesOf } from './operators.queries.js';
import { operatorView, type OperatorView } from './operator-view.js';
import { hashPassword, oneTimeSecret } from './passwords.js';
import { unknownRoles } from './roles.policy.js';
import { deleteOperatorSessions } from './sessions.js';

type Change = (
  trx: Trx,
  operatorId: string,
) => Promise<{ before?: Record<string, unknown>; after?: Record<string, unknown> }>;

/** Apply one administrative change to an operator with its audit row, in one transaction. */
async function changeOperator(
  ctx: AppContext,
  actor: Actor,
  operatorId: string,
  action: string,
  request: RequestMeta,
  change: Change,
): Promise<OperatorView> {
  await ctx.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('operators')
      .select('id')
      .where('id', '=', operatorId)
      .forUpdate()
      .executeTakeFirst();
    if (!existing) throw notFound('Operator');
    const { before, after } = await change(trx, operatorId);
    await writeAudit(trx, {
      actor,
      action,
      target: { type: 'operator', id: operatorId },
      before,
      after,
      request,
    });
  });
  const row = await findOperatorById(ctx.db, operatorId);
  return operatorView(row!, await rolesOf(ctx.db, operatorId));
}

/** Replace an operator's roles. An operator cannot remove their own ability to manage operators. */
export function setOperatorRoles(
  ctx: AppContext,
  actor: Actor,
  operatorId: string,
  roles: string[],
  request: RequestMeta,
) {
  const unknown = unknownRoles(ctx.profile, roles);
  if (unknown.length > 0) {
    throw new AppError(
      'validation',
      `Unknown role(s): ${unknown.join(', ')}. Known roles: ${Object.keys(ctx.profile.roles).join(', ')}.`,
      {
        field: 'roles',
      },
    );
  }
  const sorted = [...new Set(roles)].sort();
  return changeOperator(ctx, actor, operatorId, 'operator.roles_set', request, async (trx, id) => {
    const before = await rolesOf(trx, id);
    if (
      actor.id === id &&
      !sorted.some((r) => ctx.profile.roles[r]?.permissions.includes('operators.manage'))
    ) {
      throw new AppError(
        'conflict',
        'You cannot remove your own operator-management role; ask another administrator.',
      );
    }
    await replaceRoles(trx, id, sorted, 'manual', actor.type === 'operator' ? actor.id : null);
    await deleteOperatorSessions(trx, id);
    return { before: { roles: before }, after: { roles: sorted } };
  });
}

/** Remove an operator's MFA so they enrol again at next sign-in; ends their sessions. */
export function resetOperatorMfa(ctx: AppContext, actor: Actor, operatorId: string, request: RequestMeta) {
  return changeOperator(ctx, actor, operatorId, 'operator.mfa_reset', request, async (trx, id) => {
    await trx
      .updateTable('operators')
      .set({ totp_secret: null, totp_enrolled_at: null, totp_last_step: null, updated_at: ctx.clock.now() })
      .where('id', '=', id)
      .execute();
    await deleteOperatorSessions(trx, id);
    return { after: { mfaEnrolled: false } };
  });
}

/** Issue a new one-time secret (and unlock); the operator must choose a password at next sign-in. */
export async function resetOperatorPassword(
  ctx: AppContext,
  actor: Actor,
  operatorId: string,
  request: RequestMeta,
) {
  const secret = oneTimeSecret();
  const passwordHash = await hashPassword(secret);
  const operator = await changeOperator(
    ctx,
    actor,
    operatorId,
    'operator.password_reset',
    request,
    async (trx, id) => {
      await trx
        .updateTable('operators')
        .set({
          password_hash: passwordHash,
          must_change_password: true,
          locked_until: null,
          failed_logins: 0,
          updated_at: ctx.clock.now(),
        })
        .where('id', '=', id)
        .execute();
      await deleteOperatorSessions(trx, id);
      return { after: { mustChangePassword: true } };
    },
  );
  return { operator, oneTimeSecret: secret };
}

/** Disable or re-enable an operator; disabling ends their sessions at once. */
export function setOperatorDisabled(
  ctx: AppContext,
  actor: Actor,
  operatorId: string,
  disabled: boolean,
  request: RequestMeta,
) {
  if (disabled && actor.id === operatorId)
    throw new AppError('conflict', 'You cannot disable your own account.');
  return changeOperator(
    ctx,
    actor,
    operatorId,
    disabled ? 'operator.disable' : 'operator.enable',
    request,
    async (trx, id) => {
      await trx
        .updateTable('operators')
        .set({ disabled_at: disabled ? ctx.clock.now() : null, updated_at: ctx.clock.now() })
        .where('id', '=', id)
        .execute();
      if (disabled) await deleteOperatorSessions(trx, id);
      return { after: { disabled } };
    },
  );
}
