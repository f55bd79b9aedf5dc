import type { Actor, RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import { notFound } from '../platform/errors.js';
import {
  createApiToken,
  listApiTokens,
  revokeApiToken,
  type ApiTokenView,
  type CreateApiToken,
} from './api-tokens.js';
import type { Permission } from './permissions.js';

/**
 * SCIM provisioning tokens: what an operator holding scim.provision (MIT: directory managers) may
 * issue to the identity provider without tokens.manage. Such a token carries exactly scim.provision.
 */
const scimTokenPermission: Permission = 'scim.provision';

const isScimToken = (t: { permissions: string[] }) => t.permissions.includes(scimTokenPermission);

/** Tokens that can provision over SCIM, newest first (never their secrets). */
export async function listScimTokens(ctx: AppContext): Promise<ApiTokenView[]> {
  return (await listApiTokens(ctx)).filter(isScimToken);
}

/** Create a token holding only scim.provision; the creator must hold it (createApiToken checks). */
export function createScimToken(
  ctx: AppContext,
  actor: Actor,
  actorPermissions: Set<Permission>,
  input: Omit<CreateApiToken, 'permissions'>,
) {
  return createApiToken(ctx, actor, actorPermissions, { ...input, permissions: [scimTokenPermission] });
}

/** Revoke a token that can provision over SCIM; any other token is not this caller's to see (404). */
export async function revokeScimToken(
  ctx: AppContext,
  actor: Actor,
  id: string,
  request: RequestMeta,
): Promise<ApiTokenView> {
  const token = await ctx.db
    .selectFrom('api_tokens')
    .select('permissions')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!token || !isScimToken(token)) throw notFound('SCIM token');
  return revokeApiToken(ctx, actor, id, request);
}
