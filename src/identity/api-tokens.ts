import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { writeAudit } from '../audit/write-audit.js';
import type { Actor, RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import { AppError, notFound } from '../platform/errors.js';
import type { Queryable } from '../platform/db/database.js';
import { noticeTokenCreatedFor } from './operator-notices.js';
import { findOperatorById, operatorBehind, rolesOf } from './operators.queries.js';
import { isPermission, type Permission } from './permissions.js';
import { permissionsForRoles } from './roles.policy.js';
import type { TokenPrincipal } from './principal.js';
import type { ApiTokenView } from './api-tokens.types.js';

export type { ApiTokenView };

const tokenPattern = /^tocsin_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
// last_used_at is informative; writing it more than once a minute per token is waste.
const touchEveryMs = 60_000;

export interface CreateApiToken {
  name: string;
  permissions: string[];
  expiresInDays?: number;
  /**
   * The operator the token acts for, when its creator is not that operator (the server's command
   * line, `tocsin tokens create --for`). Default: the operator behind the creator.
   */
  operator?: { id: string; username: string };
  request: RequestMeta;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Create a scoped token for an integration. The creator can only grant permissions they hold (with
 * `operator`: permissions that operator holds). A token acts for its operator (created_by): it works
 * only while they are active and with no more than their roles grant at the time it is used.
 * The token is shown once; only its SHA-256 is kept (it is 256 random bits, so a slow hash adds nothing).
 */
export async function createApiToken(
  ctx: AppContext,
  actor: Actor,
  actorPermissions: Set<Permission>,
  input: CreateApiToken,
): Promise<{ token: string; apiToken: ApiTokenView }> {
  const invalid = input.permissions.filter((p) => !isPermission(p));
  if (invalid.length > 0)
    throw new AppError('validation', `Unknown permission(s): ${invalid.join(', ')}.`, {
      field: 'permissions',
    });
  const notHeld = input.permissions.filter((p) => !actorPermissions.has(p as Permission));
  if (notHeld.length > 0) {
    throw new AppError(
      'forbidden',
      input.operator
        ? `A token carries only permissions its operator holds; ${input.operator.username} lacks: ${notHeld.join(', ')}.`
        : `You can only grant permissions you hold yourself; you lack: ${notHeld.join(', ')}.`,
    );
  }
  if (input.name.trim() === '')
    throw new AppError('validation', 'Give the token a name that says what uses it.', { field: 'name' });
  const maxDays = ctx.profile.security.apiTokenMaxDays;
  const days = input.expiresInDays ?? maxDays;
  if (days > maxDays)
    throw new AppError('validation', `Tokens may last at most ${maxDays} days.`, { field: 'expiresInDays' });
  const prefix = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  const permissions = [...new Set(input.permissions)].sort();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('api_tokens')
      .values({
        name: input.name.trim(),
        prefix,
        secret_hash: sha256(secret),
        permissions,
        created_by: input.operator?.id ?? (await operatorBehind(trx, actor)),
        created_at: now,
        expires_at: new Date(now.getTime() + days * 86_400_000),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.operator)
      await noticeTokenCreatedFor(trx, {
        operatorId: input.operator.id,
        by: actor,
        tokenName: inserted.name,
        permissions,
      });
    await writeAudit(trx, {
      actor,
      action: 'api_token.create',
      target: { type: 'api_token', id: inserted.id },
      after: { name: inserted.name, permissions, expiresAt: inserted.expires_at.toISOString() },
      metadata: input.operator ? { forOperator: input.operator.username } : undefined,
      request: input.request,
    });
    return inserted;
  });
  return { token: `tocsin_${prefix}_${secret}`, apiToken: await findTokenView(ctx.db, row.id) };
}

/** The principal for a bearer token, or null when it is malformed, unknown, revoked or expired. */
export async function authenticateApiToken(ctx: AppContext, token: string): Promise<TokenPrincipal | null> {
  const match = tokenPattern.exec(token);
  if (!match) return null;
  const row = await ctx.db
    .selectFrom('api_tokens')
    .selectAll()
    .where('prefix', '=', match[1]!)
    .executeTakeFirst();
  if (!row) return null;
  const given = Buffer.from(sha256(match[2]!), 'hex');
  if (!timingSafeEqual(given, Buffer.from(row.secret_hash, 'hex'))) return null;
  const now = ctx.clock.now();
  if (row.revoked_at || row.expires_at <= now) return null;
  // A token is its operator's delegated permissions: refused once they are disabled, and never
  // more than their roles grant now (a role taken away is taken from their tokens too).
  const operator = row.created_by ? await tokenOperator(ctx, row.created_by) : null;
  if (row.created_by && !operator) return null;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > touchEveryMs) {
    await ctx.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return {
    kind: 'token',
    // The audit log and the alert's sender name the operator the token acts for (the token is the id).
    actor: { type: 'api_token', id: row.id, label: operator?.username ?? row.name },
    tokenId: row.id,
    permissions: new Set(
      row.permissions.filter(isPermission).filter((p) => !operator || operator.permissions.has(p)),
    ),
    operator: operator?.username,
  };
}

/** The active operator a token acts for, with what their roles grant now; null when disabled. */
async function tokenOperator(ctx: AppContext, operatorId: string) {
  const operator = await findOperatorById(ctx.db, operatorId);
  if (!operator || operator.disabled_at) return null;
  const roles = await rolesOf(ctx.db, operatorId);
  return { username: operator.username, permissions: permissionsForRoles(ctx.profile, roles) };
}

/** Revoke a token; it stops working at once. */
export async function revokeApiToken(
  ctx: AppContext,
  actor: Actor,
  id: string,
  request: RequestMeta,
): Promise<ApiTokenView> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: ctx.clock.now() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!row) {
      const exists = await trx.selectFrom('api_tokens').select('id').where('id', '=', id).executeTakeFirst();
      throw exists ? new AppError('conflict', 'This token is already revoked.') : notFound('API token');
    }
    await writeAudit(trx, { actor, action: 'api_token.revoke', target: { type: 'api_token', id }, request });
  });
  return findTokenView(ctx.db, id);
}

/** All tokens, newest first (never their secrets). */
export async function listApiTokens(ctx: AppContext): Promise<ApiTokenView[]> {
  const rows = await tokensWithOperator(ctx.db).orderBy('api_tokens.created_at', 'desc').execute();
  return rows.map(tokenView);
}

function tokensWithOperator(q: Queryable) {
  return q
    .selectFrom('api_tokens')
    .leftJoin('operators', 'operators.id', 'api_tokens.created_by')
    .selectAll('api_tokens')
    .select('operators.username as operator');
}

async function findTokenView(q: Queryable, id: string): Promise<ApiTokenView> {
  return tokenView(await tokensWithOperator(q).where('api_tokens.id', '=', id).executeTakeFirstOrThrow());
}

function tokenView(row: {
  id: string;
  name: string;
  prefix: string;
  permissions: string[];
  operator: string | null;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    permissions: row.permissions,
    operator: row.operator,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}
