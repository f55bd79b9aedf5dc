/** The reply of GET /api/v1/auth/session (src/identity/auth.routes.ts). */
export interface SessionInfo {
  operator: { id: string; username: string; displayName: string };
  roles: string[];
  permissions: string[];
  stage: SignInStage;
  mfaEnrolled: boolean;
  mfaRequired: boolean;
  csrfToken: string;
  expiresAt: string;
  idleExpiresAt: string;
}

export type SignInStage = 'password_change' | 'mfa_enrol' | 'mfa_verify' | 'active';

/** GET /api/v1/console/settings: what the console needs before anyone signs in. */
export interface ConsoleSettings {
  institution: { name: string; shortName: string; alertProgramName: string };
  ssoEnabled: boolean;
  breakGlassPath: string;
  /** The campus's time zone (the profile's institution.timezone): every time is shown in it. */
  timezone: string;
  /** The institution's colours (the profile's branding). */
  branding: { primaryColour: string; accentColour: string };
}
