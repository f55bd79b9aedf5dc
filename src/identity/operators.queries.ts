import type { Actor } from '../platform/actor.js';
import type { Queryable } from '../platform/db/database.js';
import type { RoleSource } from './identity.tables.js';

const publicColumns = [
  'id',
  'username',
  'display_name',
  'email',
  'must_change_password',
  'totp_enrolled_at',
  'locked_until',
  'disabled_at',
  'sso_issuer',
  'created_at',
  'updated_at',
] as const;

export type OperatorRow = Awaited<ReturnType<typeof findOperatorById>> & object;

/** An operator without secrets, or undefined. */
export function findOperatorById(q: Queryable, id: string) {
  return q.selectFrom('operators').select(publicColumns).where('id', '=', id).executeTakeFirst();
}

/** An operator without secrets, by username, or undefined. */
export function findOperatorByUsername(q: Queryable, username: string) {
  return q
    .selectFrom('operators')
    .select(publicColumns)
    .where('username', '=', username.trim().toLowerCase())
    .executeTakeFirst();
}

/** An operator with the secrets needed to authenticate, by username. */
export function findCredentialsByUsername(q: Queryable, username: string) {
  return q
    .selectFrom('operators')
    .selectAll()
    .where('username', '=', username.toLowerCase())
    .executeTakeFirst();
}

/** An operator with secrets, by id. */
export function findCredentialsById(q: Queryable, id: string) {
  return q.selectFrom('operators').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Operators in username order, a page at a time. */
export function listOperators(q: Queryable, page: { limit: number; after?: string }) {
  let query = q.selectFrom('operators').select(publicColumns).orderBy('username').limit(page.limit);
  if (page.after) query = query.where('username', '>', page.after);
  return query.execute();
}

/** Role keys an operator holds, sorted. */
export async function rolesOf(q: Queryable, operatorId: string): Promise<string[]> {
  const rows = await q
    .selectFrom('operator_roles')
    .select('role')
    .where('operator_id', '=', operatorId)
    .orderBy('role')
    .execute();
  return rows.map((r) => r.role);
}

/** Role keys per operator for many operators at once. */
export async function rolesOfMany(q: Queryable, operatorIds: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(operatorIds.map((id) => [id, []]));
  if (operatorIds.length === 0) return result;
  const rows = await q
    .selectFrom('operator_roles')
    .select(['operator_id', 'role'])
    .where('operator_id', 'in', operatorIds)
    .orderBy('role')
    .execute();
  for (const row of rows) result.get(row.operator_id)?.push(row.role);
  return result;
}

/** Replace an operator's roles with exactly this set. */
export async function replaceRoles(
  q: Queryable,
  operatorId: string,
  roles: string[],
  source: RoleSource,
  grantedBy: string | null,
): Promise<void> {
  await q.deleteFrom('operator_roles').where('operator_id', '=', operatorId).execute();
  if (roles.length === 0) return;
  await q
    .insertInto('operator_roles')
    .values(roles.map((role) => ({ operator_id: operatorId, role, source, granted_by: grantedBy })))
    .execute();
}

/** Count operators (used to detect the very first start). */
export async function countOperators(q: Queryable): Promise<number> {
  const row = await q
    .selectFrom('operators')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The operator an actor acts for: an operator is themself; an API token acts for the operator it
 * belongs to (api_tokens.created_by); the system and anonymous callers act for nobody.
 */
export async function operatorBehind(q: Queryable, actor: Actor): Promise<string | null> {
  if (actor.type === 'operator') return actor.id;
  if (actor.type !== 'api_token' || !actor.id || !uuid.test(actor.id)) return null;
  const row = await q
    .selectFrom('api_tokens')
    .select('created_by')
    .where('id', '=', actor.id)
    .executeTakeFirst();
  return row?.created_by ?? null;
}
