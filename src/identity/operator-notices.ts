import { sql } from 'kysely';
import { writeAudit } from '../audit/write-audit.js';
import type { Actor, RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import type { Queryable, Trx } from '../platform/db/database.js';
import { AppError, notFound } from '../platform/errors.js';
import type { Profile } from '../platform/profile.js';
import type { OperatorNoticeKind } from './identity.tables.js';
import { operatorBehind } from './operators.queries.js';
import { sendingRoles } from './roles.policy.js';

/** What GET /api/v1/auth/notices shows of one notice. */
export interface OperatorNoticeView {
  id: string;
  kind: OperatorNoticeKind;
  message: string;
  aboutOperatorId: string | null;
  createdAt: string;
}

export interface RoleGrant {
  actor: Actor;
  operatorId: string;
  before: readonly string[];
  after: readonly string[];
  request: RequestMeta;
}

/**
 * When a change of roles gives an operator a role that sends alerts, tell every other active
 * administrator (operators.manage) with a notice, and write `operator.roles.grant_sending` to the
 * audit log naming who was told. The change's own audit row (operator.create, operator.roles_set)
 * is written by the caller; this one marks the grant so it can be found and alarmed on.
 *
 * Why a notice and not an email: identity sends nothing (sending is the alerts domain's, which
 * identity may not import). A notice lives in the same transaction as the grant, so nobody can
 * grant without the others being told, and the console shows it until they mark it read.
 * Call it last in the transaction: it writes an audit row, which holds the audit lock until commit.
 */
export async function noticeSendingRoleGrant(trx: Trx, profile: Profile, grant: RoleGrant): Promise<void> {
  const granted = sendingRoles(
    profile,
    grant.after.filter((r) => !grant.before.includes(r)),
  );
  if (granted.length === 0) return;
  const grantor = await operatorBehind(trx, grant.actor);
  const target = await trx
    .selectFrom('operators')
    .select('username')
    .where('id', '=', grant.operatorId)
    .executeTakeFirstOrThrow();
  const titles = granted.map((r) => `${profile.roles[r]?.title ?? r} (${r})`).join(', ');
  const message =
    `${grant.actor.label ?? grant.actor.type} gave ${target.username} ${titles}, which sends alerts. ` +
    'If nobody agreed to this, remove the role and read the audit log (operator.roles.grant_sending).';
  const told = await insertNotices(trx, {
    recipients: administratorRoles(profile),
    except: grantor,
    kind: 'sending_role_granted',
    message,
    aboutOperatorId: grant.operatorId,
  });
  await writeAudit(trx, {
    actor: grant.actor,
    action: 'operator.roles.grant_sending',
    target: { type: 'operator', id: grant.operatorId },
    before: { roles: [...grant.before] },
    after: { roles: [...grant.after] },
    metadata: {
      sendingRoles: granted,
      permissions: [...new Set(granted.flatMap((r) => profile.roles[r]!.permissions))]
        .filter((p) => p.startsWith('alerts.send.'))
        .sort(),
      toldAdministrators: told,
    },
    request: grant.request,
  });
}

/** Tell an operator that the server's command line made an API token that acts for them. */
export async function noticeTokenCreatedFor(
  trx: Trx,
  notice: { operatorId: string; by: Actor; tokenName: string; permissions: string[] },
): Promise<void> {
  await trx
    .insertInto('operator_notices')
    .values({
      operator_id: notice.operatorId,
      kind: 'token_created_for_you',
      message:
        `${notice.by.label ?? notice.by.type} created the API token "${notice.tokenName}" that acts for you ` +
        `(${notice.permissions.join(', ')}). If you did not ask for it, have it revoked.`,
      about_operator_id: notice.operatorId,
    })
    .execute();
}

/** Roles whose holders administer operators (operators.manage). */
function administratorRoles(profile: Profile): string[] {
  return Object.entries(profile.roles)
    .filter(([, role]) => role.permissions.includes('operators.manage'))
    .map(([key]) => key);
}

/** One notice to each active holder of these roles but one; returns their ids. */
async function insertNotices(
  trx: Trx,
  n: {
    recipients: string[];
    except: string | null;
    kind: OperatorNoticeKind;
    message: string;
    aboutOperatorId: string;
  },
): Promise<string[]> {
  if (n.recipients.length === 0) return [];
  let holders = trx
    .selectFrom('operators')
    .innerJoin('operator_roles', 'operator_roles.operator_id', 'operators.id')
    .where('operator_roles.role', 'in', n.recipients)
    .where('operators.disabled_at', 'is', null);
  if (n.except) holders = holders.where('operators.id', '<>', n.except);
  const rows = await trx
    .insertInto('operator_notices')
    .columns(['operator_id', 'kind', 'message', 'about_operator_id'])
    .expression(
      holders
        .select((eb) => [
          'operators.id',
          eb.val(n.kind).as('kind'),
          eb.val(n.message).as('message'),
          // INSERT … SELECT types a bare parameter as text; the column is a uuid.
          sql<string>`${n.aboutOperatorId}::uuid`.as('about_operator_id'),
        ])
        .distinct(),
    )
    .returning('operator_id')
    .execute();
  return rows.map((r) => r.operator_id).sort();
}

/** An operator's unread notices, newest first. */
export async function unreadNotices(q: Queryable, operatorId: string): Promise<OperatorNoticeView[]> {
  const rows = await q
    .selectFrom('operator_notices')
    .selectAll()
    .where('operator_id', '=', operatorId)
    .where('read_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    message: r.message,
    aboutOperatorId: r.about_operator_id,
    createdAt: r.created_at.toISOString(),
  }));
}

/** Mark one of the operator's own notices read; audited, so it shows who saw what and when. */
export async function markNoticeRead(
  ctx: AppContext,
  actor: Actor & { id: string },
  noticeId: string,
  request: RequestMeta,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('operator_notices')
      .set({ read_at: ctx.clock.now() })
      .where('id', '=', noticeId)
      .where('operator_id', '=', actor.id)
      .where('read_at', 'is', null)
      .returning(['kind'])
      .executeTakeFirst();
    if (!row) {
      const mine = await trx
        .selectFrom('operator_notices')
        .select('id')
        .where('id', '=', noticeId)
        .where('operator_id', '=', actor.id)
        .executeTakeFirst();
      throw mine ? new AppError('conflict', 'This notice is already marked read.') : notFound('Notice');
    }
    await writeAudit(trx, {
      actor,
      action: 'operator_notice.read',
      target: { type: 'operator_notice', id: noticeId },
      metadata: { kind: row.kind },
      request,
    });
  });
}
