export type { RoleView, RolesView } from '../../../../../src/identity/roles.schema';
import type { OperatorView } from '../../../../../src/identity/operator-view.types';

/** An operator as GET /api/v1/operators and …/:id give it (src/identity/operators.routes.ts). */
export interface Operator extends OperatorView {
  /** Present in the list and the record; absent in the answers of changes. */
  lastSignInAt?: string | null;
}

/** The answer of creating an operator or resetting a password: the secret is shown once. */
export interface WithSecret {
  operator: Operator;
  oneTimeSecret: string;
}

/** One open session (GET /api/v1/operators/:id/sessions; reading it is audited). */
export interface OperatorSession {
  createdAt: string;
  lastSeenAt: string;
  stage: string;
  method: string;
  ip: string | null;
  userAgent: string | null;
}
