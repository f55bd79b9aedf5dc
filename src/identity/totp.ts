import { Secret, TOTP } from 'otpauth';

const period = 30;

/** A TOTP generator for a base32 secret (RFC 6238: SHA-1, 6 digits, 30 s, what every authenticator app reads). */
export function totpFor(secretBase32: string, issuer: string, label: string): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A fresh random 160-bit secret in base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/**
 * The time step a code belongs to (±1 step for clock drift), or null when it is wrong. Callers
 * reject a step at or below the last one used, so a code works once.
 */
export function matchTotp(secretBase32: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const totp = totpFor(secretBase32, 'tocsin', 'check');
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / period) + delta;
}
