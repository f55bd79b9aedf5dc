import { createHash } from 'node:crypto';

// RFC 8176 authentication method references that mean a second factor was used.
const mfaMethods = new Set(['mfa', 'otp', 'hwk', 'swk', 'sms', 'fpt']);
const usernamePattern = /^[a-z0-9][a-z0-9._@-]{1,99}$/;

/** True when the IdP's `amr` claim says it checked a second factor. */
export function idpDidMfa(amr: readonly string[]): boolean {
  return amr.some((method) => mfaMethods.has(method));
}

/** True for a path on this site that is safe to redirect to: one leading '/', printable ASCII, no backslash. */
export function isSafeReturnTo(value: string): boolean {
  if (!value.startsWith('/') || value.startsWith('//') || value.length > 500) return false;
  return [...value].every((c) => c > ' ' && c < '\u007f' && c !== '\\');
}

/** A valid operator username from preferred_username, the email's local part or the subject, in that order. */
export function ssoUsername(claims: Record<string, unknown>, subject: string): string {
  const email = typeof claims.email === 'string' ? claims.email.split('@')[0] : undefined;
  for (const raw of [claims.preferred_username, email, subject]) {
    if (typeof raw !== 'string') continue;
    const cleaned = raw
      .trim()
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9._@-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .slice(0, 100);
    if (usernamePattern.test(cleaned)) return cleaned;
  }
  return `sso-${createHash('sha256').update(subject).digest('hex').slice(0, 12)}`;
}

export const refusals = {
  no_mapped_group:
    'Your single sign-on groups grant no Tocsin role. Ask your administrator to add you to a group that Tocsin maps to a role.',
  disabled: 'Your Tocsin account is disabled. Ask an administrator to re-enable it.',
  no_operator:
    'Tocsin has no operator for your single sign-on account and does not create them automatically here. Ask an administrator to add you.',
} as const;
export type Refusal = keyof typeof refusals;

/** Why a person the IdP vouched for may not sign in (no mapped role, a disabled operator, no operator to use), or null. */
export function refusal(
  roles: readonly string[],
  operator: { disabled_at: Date | null } | undefined,
  createOnFirstSignIn: boolean,
): Refusal | null {
  if (roles.length === 0) return 'no_mapped_group';
  if (operator?.disabled_at) return 'disabled';
  if (!operator && !createOnFirstSignIn) return 'no_operator';
  return null;
}
