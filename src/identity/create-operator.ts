import { writeAudit } from '../audit/write-audit.js';
import type { Actor, RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import type { RoleSource } from './identity.tables.js';
import { noticeSendingRoleGrant } from './operator-notices.js';
import { findOperatorById, operatorBehind, replaceRoles } from './operators.queries.js';
import { operatorView, type OperatorView } from './operator-view.js';
import { hashPassword, oneTimeSecret } from './passwords.js';
import { unknownRoles } from './roles.policy.js';

export interface CreateOperator {
  username: string;
  displayName: string;
  email?: string | null;
  roles: string[];
  roleSource?: RoleSource;
  request: RequestMeta;
}

export interface CreatedOperator {
  operator: OperatorView;
  /** Shown once: the operator signs in with it and must choose a password at once. */
  oneTimeSecret: string;
}

/** Create an operator with a one-time secret they must replace at first sign-in. */
export async function createOperator(
  ctx: AppContext,
  actor: Actor,
  input: CreateOperator,
): Promise<CreatedOperator> {
  const username = input.username.trim().toLowerCase();
  const unknown = unknownRoles(ctx.profile, input.roles);
  if (unknown.length > 0) {
    throw new AppError(
      'validation',
      `Unknown role(s): ${unknown.join(', ')}. Known roles: ${Object.keys(ctx.profile.roles).join(', ')}.`,
      {
        field: 'roles',
      },
    );
  }
  if (input.displayName.trim() === '')
    throw new AppError('validation', 'The display name cannot be blank.', { field: 'displayName' });
  const secret = oneTimeSecret();
  const passwordHash = await hashPassword(secret);
  const roles = [...new Set(input.roles)].sort();
  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('operators')
      .values({
        username,
        display_name: input.displayName.trim(),
        email: input.email ?? null,
        password_hash: passwordHash,
        must_change_password: true,
      })
      .onConflict((oc) => oc.column('username').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row)
      throw new AppError('conflict', `An operator named "${username}" already exists.`, {
        field: 'username',
      });
    await replaceRoles(trx, row.id, roles, input.roleSource ?? 'manual', await operatorBehind(trx, actor));
    await writeAudit(trx, {
      actor,
      action: 'operator.create',
      target: { type: 'operator', id: row.id },
      after: { username, displayName: input.displayName.trim(), roles },
      request: input.request,
    });
    // A new account with a sending role is a grant like any other (an administrator could otherwise
    // create a second account for themselves that sends).
    await noticeSendingRoleGrant(trx, ctx.profile, {
      actor,
      operatorId: row.id,
      before: [],
      after: roles,
      request: input.request,
    });
    return row.id;
  });
  const created = await findOperatorById(ctx.db, id);
  return { operator: operatorView(created!, roles), oneTimeSecret: secret };
}
