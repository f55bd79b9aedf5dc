/**
 * What the API shows of an integration token: never the secret, never its hash. Kept free of Node
 * and database imports so the console (web/) can import the type.
 */
export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  permissions: string[];
  /** The operator the token acts for (its permissions never exceed theirs); null: nobody's. */
  operator: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}
