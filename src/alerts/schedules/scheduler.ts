import type { Permission } from '../../identity/permissions.js';
import type { TokenPrincipal } from '../../identity/principal.js';
import { findOperatorById, listOperators, rolesOf, rolesOfMany } from '../../identity/operators.queries.js';
import { permissionsForRoles } from '../../identity/roles.policy.js';
import type { Queryable } from '../../platform/db/database.js';
import type { Profile } from '../../platform/profile.js';
import { profileKindOf } from '../send-alert.policy.js';
import type { SchedulableKind } from './schedules.policy.js';

/** The permission a schedule of this kind needs of its scheduler, when made and when it fires. */
export function sendPermissionOf(kind: SchedulableKind): Permission {
  return `alerts.send.${profileKindOf(kind)}` as Permission;
}

/** The operator a schedule sends as, with their current permissions, or why they cannot send it. */
export type SchedulerCheck =
  { ok: true; principal: TokenPrincipal; email: string | null } | { ok: false; reason: string };

/**
 * Load the operator who scheduled a send as they are now: deactivated operators and operators
 * whose roles no longer grant the kind's send permission cannot send it. The principal carries
 * the operator as its actor (the alert and its audit row name them) and their permissions now;
 * it is not a session, so its kind is the non-interactive one.
 */
export async function checkScheduler(
  q: Queryable,
  profile: Profile,
  operatorId: string,
  kind: SchedulableKind,
): Promise<SchedulerCheck> {
  const operator = await findOperatorById(q, operatorId);
  if (!operator) return { ok: false, reason: 'the operator who scheduled it no longer exists' };
  if (operator.disabled_at)
    return { ok: false, reason: `${operator.username}, who scheduled it, has been deactivated` };
  const permissions = permissionsForRoles(profile, await rolesOf(q, operator.id));
  const needed = sendPermissionOf(kind);
  if (!permissions.has(needed))
    return {
      ok: false,
      reason: `${operator.username}, who scheduled it, no longer holds ${needed} (their roles changed)`,
    };
  const principal: TokenPrincipal = {
    kind: 'token',
    tokenId: `schedule:${operator.id}`,
    actor: { type: 'operator', id: operator.id, label: operator.username },
    permissions,
  };
  return { ok: true, principal, email: operator.email };
}

/** Active operators with an email address whose roles grant `permission`: who hears about schedules. */
export async function operatorsWhoMaySend(
  q: Queryable,
  profile: Profile,
  permission: Permission,
): Promise<Array<{ id: string; username: string; email: string }>> {
  const found: Array<{ id: string; username: string; email: string }> = [];
  for (let after: string | undefined; ;) {
    const page = await listOperators(q, { limit: 500, after });
    const roles = await rolesOfMany(
      q,
      page.map((o) => o.id),
    );
    for (const o of page) {
      if (o.disabled_at || !o.email) continue;
      if (permissionsForRoles(profile, roles.get(o.id) ?? []).has(permission))
        found.push({ id: o.id, username: o.username, email: o.email });
    }
    if (page.length < 500) return found;
    after = page[page.length - 1]!.username;
  }
}
