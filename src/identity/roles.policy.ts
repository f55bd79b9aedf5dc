import type { Profile } from '../platform/profile.js';
import type { Permission } from './permissions.js';

/** Permissions granted by a set of roles under a profile (unknown roles grant nothing). */
export function permissionsForRoles(profile: Profile, roles: readonly string[]): Set<Permission> {
  const granted = new Set<Permission>();
  for (const role of roles) {
    for (const permission of profile.roles[role]?.permissions ?? []) granted.add(permission);
  }
  return granted;
}

/** True when any of the roles is privileged, so the operator must use MFA. */
export function requiresMfa(profile: Profile, roles: readonly string[]): boolean {
  return roles.some((role) => profile.roles[role]?.privileged === true);
}

/** Roles named by IdP groups under the profile's SSO mapping, sorted and de-duplicated. */
export function rolesForGroups(profile: Profile, groups: readonly string[]): string[] {
  const roles = new Set<string>();
  for (const group of groups) {
    for (const role of profile.sso.groupRoles[group] ?? []) roles.add(role);
  }
  return [...roles].sort();
}

/** Roles not declared in the profile. */
export function unknownRoles(profile: Profile, roles: readonly string[]): string[] {
  return roles.filter((role) => !(role in profile.roles));
}

/**
 * The roles among these that send alerts: any granting an `alerts.send.*` permission (MIT: Emergency
 * Management and the MIT Police). Granting one is audited on its own and told to the administrators.
 */
export function sendingRoles(profile: Profile, roles: readonly string[]): string[] {
  return roles.filter((role) =>
    (profile.roles[role]?.permissions ?? []).some((p) => p.startsWith('alerts.send.')),
  );
}
