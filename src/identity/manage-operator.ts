import { writeAudit } from '../audit/write-audit.js';
import type { Actor, RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import type { Trx } from '../platform/db/database.js';
import { AppError, notFound } from '../platform/errors.js';
import { noticeSendingRoleGrant } from './operator-notices.js';
import { findOperatorById, operatorBehind, replaceRoles, rolesOf } from './operators.queries.js';
import { operatorView, type OperatorView } from './operator-view.js';
import { hashPassword, oneTimeSecret } from './passwords.js';
import { unknownRoles } from './roles.policy.js';
import { deleteOperatorSessions } from './sessions.js';

type Change = (
  trx: Trx,
  operatorId: string,
) => Promise<{
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** Runs after the change's audit row, in the same transaction (e.g. the sending-role grant's row). */
  afterwards?: () => Promise<void>;
}>;

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
    const { before, after, afterwards } = await change(trx, operatorId);
    await writeAudit(trx, {
      actor,
      action,
      target: { type: 'operator', id: operatorId },
      before,
      after,
      request,
    });
    await afterwards?.();
  });
  const row = await findOperatorById(ctx.db, operatorId);
  return operatorView(row!, await rolesOf(ctx.db, operatorId));
}

/**
 * Replace an operator's roles. Nobody changes their own roles (an administrator could otherwise
 * give themselves the power to alert the campus): another administrator, or the server's command
 * line, must. Giving a role that sends alerts is audited on its own and told to the other
 * administrators (noticeSendingRoleGrant).
 */
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
    const grantor = await operatorBehind(trx, actor);
    if (grantor === id)
      throw new AppError(
        'forbidden',
        'You cannot change your own roles. Ask another administrator to change them.',
        { rule: 'own_roles' },
      );
    const before = await rolesOf(trx, id);
    await replaceRoles(trx, id, sorted, 'manual', grantor);
    await deleteOperatorSessions(trx, id);
    return {
      before: { roles: before },
      after: { roles: sorted },
      afterwards: () =>
        noticeSendingRoleGrant(trx, ctx.profile, { actor, operatorId: id, before, after: sorted, request }),
    };
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
  return changeOperator(
    ctx,
    actor,
    operatorId,
    disabled ? 'operator.disable' : 'operator.enable',
    request,
    async (trx, id) => {
      // Through a token of their own too: the operator behind the caller is the one who may not.
      if (disabled && (await operatorBehind(trx, actor)) === id)
        throw new AppError('conflict', 'You cannot disable your own account.');
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
