import type { SessionStage } from './identity.tables.js';

export interface SignInState {
  mustChangePassword: boolean;
  mfaEnrolled: boolean;
  mfaRequired: boolean;
  mfaVerified: boolean;
}

/**
 * The next step of a sign-in: change a one-time password, then enrol MFA if a privileged role
 * requires it, or verify an enrolled second factor, and only then act.
 */
export function nextStage(state: SignInState): SessionStage {
  if (state.mustChangePassword) return 'password_change';
  if (state.mfaEnrolled && !state.mfaVerified) return 'mfa_verify';
  if (!state.mfaEnrolled && state.mfaRequired) return 'mfa_enrol';
  return 'active';
}

export interface LockoutPolicy {
  maxFailures: number;
  lockoutMinutes: number;
}

/** When an account should unlock after this many recent failures, or null if it stays open. */
export function lockUntil(recentFailures: number, policy: LockoutPolicy, now: Date): Date | null {
  if (recentFailures < policy.maxFailures) return null;
  return new Date(now.getTime() + policy.lockoutMinutes * 60_000);
}

export interface SessionTimes {
  lastSeenAt: Date;
  expiresAt: Date;
  idleMinutes: number;
}

/** True while a session is inside both its idle and its absolute timeout. */
export function sessionAlive(times: SessionTimes, now: Date): boolean {
  const idleDeadline = times.lastSeenAt.getTime() + times.idleMinutes * 60_000;
  return now.getTime() < times.expiresAt.getTime() && now.getTime() < idleDeadline;
}
