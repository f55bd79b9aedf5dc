import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { writeAudit } from '../audit/write-audit.js';
import type { Actor, RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import { AppError, notFound } from '../platform/errors.js';
import { isPermission, type Permission } from './permissions.js';
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
  request: RequestMeta;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Create a scoped token for an integration. The creator can only grant permissions they hold.
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
      `You can only grant permissions you hold yourself; you lack: ${notHeld.join(', ')}.`,
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
        created_by: actor.type === 'operator' ? actor.id : null,
        created_at: now,
        expires_at: new Date(now.getTime() + days * 86_400_000),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actor,
      action: 'api_token.create',
      target: { type: 'api_token', id: inserted.id },
      after: { name: inserted.name, permissions, expiresAt: inserted.expires_at.toISOString() },
      request: input.request,
    });
    return inserted;
  });
  return { token: `tocsin_${prefix}_${secret}`, apiToken: tokenView(row) };
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
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > touchEveryMs) {
    await ctx.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return {
    kind: 'token',
    actor: { type: 'api_token', id: row.id, label: row.name },
    tokenId: row.id,
    permissions: new Set(row.permissions.filter(isPermission)),
  };
}

/** Revoke a token; it stops working at once. */
export async function revokeApiToken(
  ctx: AppContext,
  actor: Actor,
  id: string,
  request: RequestMeta,
): Promise<ApiTokenView> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: ctx.clock.now() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!row) {
      const exists = await trx.selectFrom('api_tokens').select('id').where('id', '=', id).executeTakeFirst();
      throw exists ? new AppError('conflict', 'This token is already revoked.') : notFound('API token');
    }
    await writeAudit(trx, { actor, action: 'api_token.revoke', target: { type: 'api_token', id }, request });
    return tokenView(row);
  });
}

/** All tokens, newest first (never their secrets). */
export async function listApiTokens(ctx: AppContext): Promise<ApiTokenView[]> {
  const rows = await ctx.db.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc').execute();
  return rows.map(tokenView);
}

function tokenView(row: {
  id: string;
  name: string;
  prefix: string;
  permissions: string[];
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
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}
