import type { Actor, RequestMeta } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { createApiToken, type ApiTokenView } from './api-tokens.js';
import { findOperatorByUsername, rolesOf } from './operators.queries.js';
import { permissionsForRoles } from './roles.policy.js';
import { createScimToken } from './scim-tokens.js';

export interface CreateTokenForOperator {
  username: string;
  name: string;
  /** Ignored with `scim`: a SCIM token carries exactly scim.provision. */
  permissions: string[];
  expiresInDays?: number;
  scim?: boolean;
  request: RequestMeta;
}

/**
 * Create an API token that acts for a named operator, from the server's command line (`tocsin
 * tokens create --for`). The rules are POST /api/v1/tokens's with the operator in the creator's
 * place: only permissions their roles grant, the profile's longest life, shown once, audited
 * (api_token.create, with the operator). The operator gets a notice, since it acts in their name.
 */
export async function createTokenForOperator(
  ctx: AppContext,
  actor: Actor,
  input: CreateTokenForOperator,
): Promise<{ token: string; apiToken: ApiTokenView }> {
  const operator = await findOperatorByUsername(ctx.db, input.username);
  if (!operator) throw new AppError('not_found', `No operator named "${input.username}".`);
  if (operator.disabled_at)
    throw new AppError(
      'conflict',
      `${operator.username} is disabled: a token acts for its operator, so it would not work.`,
    );
  const held = permissionsForRoles(ctx.profile, await rolesOf(ctx.db, operator.id));
  const options = {
    name: input.name,
    expiresInDays: input.expiresInDays,
    operator: { id: operator.id, username: operator.username },
    request: input.request,
  };
  return input.scim
    ? createScimToken(ctx, actor, held, options)
    : createApiToken(ctx, actor, held, { ...options, permissions: input.permissions });
}
