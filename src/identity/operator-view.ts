import type { OperatorView } from './operator-view.types.js';
import type { OperatorRow } from './operators.queries.js';

export type { OperatorView };

/** Shape an operator row and its roles for the API. */
export function operatorView(row: OperatorRow, roles: string[]): OperatorView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    roles,
    mfaEnrolled: row.totp_enrolled_at !== null,
    sso: row.sso_issuer !== null,
    mustChangePassword: row.must_change_password,
    lockedUntil: row.locked_until?.toISOString() ?? null,
    disabled: row.disabled_at !== null,
    createdAt: row.created_at.toISOString(),
  };
}
