import { systemActor, noRequest } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import { isAppError } from '../platform/errors.js';
import { createOperator, type CreatedOperator } from './create-operator.js';
import { countOperators } from './operators.queries.js';

/**
 * On the very first start (no operators at all) create the administrator "admin" with a one-time
 * secret. Returns null when operators already exist or another process won the race.
 */
export async function bootstrapAdministrator(ctx: AppContext): Promise<CreatedOperator | null> {
  if ((await countOperators(ctx.db)) > 0) return null;
  try {
    return await createOperator(ctx, systemActor, {
      username: 'admin',
      displayName: 'Tocsin administrator',
      roles: [ctx.profile.bootstrapRole],
      roleSource: 'bootstrap',
      request: noRequest,
    });
  } catch (error) {
    if (isAppError(error) && error.code === 'conflict') return null;
    throw error;
  }
}
