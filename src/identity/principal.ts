import type { Actor } from '../platform/actor.js';
import type { SessionStage } from './identity.tables.js';
import type { Permission } from './permissions.js';

/** An authenticated caller: an operator's session or an integration's API token. */
export type Principal = SessionPrincipal | TokenPrincipal;

export interface SessionPrincipal {
  kind: 'session';
  actor: Actor;
  operatorId: string;
  username: string;
  displayName: string;
  roles: string[];
  permissions: Set<Permission>;
  stage: SessionStage;
  sessionIdHash: string;
  csrfToken: string;
  mfaEnrolled: boolean;
  mfaRequired: boolean;
  expiresAt: Date;
  idleExpiresAt: Date;
}

export interface TokenPrincipal {
  kind: 'token';
  actor: Actor;
  tokenId: string;
  permissions: Set<Permission>;
  /** The username of the operator the token acts for, when it has one. */
  operator?: string;
}

/** True when the caller may act (not part-way through sign-in) and holds the permission. */
export function hasPermission(principal: Principal, permission: Permission): boolean {
  if (principal.kind === 'session' && principal.stage !== 'active') return false;
  return principal.permissions.has(permission);
}
