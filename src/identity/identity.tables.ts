import type { Generated } from 'kysely';

/** Where a session stands in signing in; only `active` sessions may act. */
export const sessionStages = ['password_change', 'mfa_enrol', 'mfa_verify', 'active'] as const;
export type SessionStage = (typeof sessionStages)[number];
export type RoleSource = 'manual' | 'sso' | 'bootstrap';

interface OperatorsTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  email: string | null;
  password_hash: string | null;
  must_change_password: Generated<boolean>;
  totp_secret: string | null;
  totp_enrolled_at: Date | null;
  totp_last_step: string | null;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  disabled_at: Date | null;
  sso_issuer: string | null;
  sso_subject: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

interface OperatorRolesTable {
  operator_id: string;
  role: string;
  source: RoleSource;
  granted_at: Generated<Date>;
  granted_by: string | null;
}

interface SessionsTable {
  id_hash: string;
  operator_id: string;
  stage: SessionStage;
  csrf_token: string;
  pending_totp_secret: string | null;
  auth_method: 'password' | 'sso';
  created_at: Generated<Date>;
  last_seen_at: Date;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

interface LoginAttemptsTable {
  id: Generated<string>;
  username: string;
  ip: string | null;
  succeeded: boolean;
  attempted_at: Generated<Date>;
}

interface ApiTokensTable {
  id: Generated<string>;
  name: string;
  prefix: string;
  secret_hash: string;
  permissions: string[];
  created_by: string | null;
  created_at: Generated<Date>;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

interface OidcLoginsTable {
  state: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  created_at: Generated<Date>;
}

/** What a notice to an operator is about (migration 0020). */
export type OperatorNoticeKind = 'sending_role_granted' | 'token_created_for_you';

interface OperatorNoticesTable {
  id: Generated<string>;
  operator_id: string;
  kind: OperatorNoticeKind;
  message: string;
  about_operator_id: string | null;
  created_at: Generated<Date>;
  read_at: Date | null;
}

export interface IdentityTables {
  operators: OperatorsTable;
  operator_roles: OperatorRolesTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  api_tokens: ApiTokensTable;
  oidc_logins: OidcLoginsTable;
  operator_notices: OperatorNoticesTable;
}
