/**
 * What the API shows of an operator: no secrets, no hashes. Kept free of Node and database imports
 * so the console (web/) can import the type.
 */
export interface OperatorView {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  roles: string[];
  mfaEnrolled: boolean;
  sso: boolean;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  disabled: boolean;
  createdAt: string;
}
