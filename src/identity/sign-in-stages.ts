import type { SessionStage } from './identity.tables.js';

/** The page of each sign-in stage; an active session lands in the operator console. */
export const stagePath: Record<SessionStage, string> = {
  password_change: '/login/password',
  mfa_enrol: '/login/mfa/enrol',
  mfa_verify: '/login/mfa',
  active: '/console/',
};
