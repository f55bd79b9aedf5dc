import { createOperator } from '../../identity/create-operator.js';
import { findCredentialsByUsername } from '../../identity/operators.queries.js';
import type { Actor, RequestMeta } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';

export interface DemoOperator {
  username: string;
  role: string;
  /** Shown once; null when the operator already existed (reset it with tocsin users reset-password). */
  oneTimeSecret: string | null;
}

/** The username of the demo operator holding one profile role. */
function demoUsername(role: string): string {
  return `demo-${role}`;
}

/**
 * One operator per profile role, `demo-<role>`, each with a one-time secret; privileged roles
 * enrol two-factor authentication at first sign-in as usual. Existing ones are left alone.
 */
export async function createDemoOperators(
  ctx: AppContext,
  actor: Actor,
  request: RequestMeta,
): Promise<DemoOperator[]> {
  const result: DemoOperator[] = [];
  for (const [role, definition] of Object.entries(ctx.profile.roles)) {
    const username = demoUsername(role);
    if (await findCredentialsByUsername(ctx.db, username)) {
      result.push({ username, role, oneTimeSecret: null });
      continue;
    }
    const created = await createOperator(ctx, actor, {
      username,
      displayName: `Demo ${definition.title}`,
      roles: [role],
      request,
    });
    result.push({ username, role, oneTimeSecret: created.oneTimeSecret });
  }
  return result;
}
