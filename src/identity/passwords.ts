import { hash, verify } from '@node-rs/argon2';
import { randomBytes, randomInt } from 'node:crypto';

// OWASP's argon2id recommendation (m=19 MiB, t=2, p=1).
// algorithm 2 is Argon2id (the package exports it as a const enum, which isolated modules cannot read).
const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hash a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

/** Check a password against an argon2id hash; false for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// A real hash of a random password, so a login for an unknown user costs the same time as a real one.
let decoyHash: Promise<string> | undefined;
/** Spend the time of one verification without an account (no user enumeration by timing). */
export async function verifyDecoy(password: string): Promise<false> {
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await decoyHash, password);
  return false;
}

/** A one-time secret a person can type: 24 characters, no look-alikes, about 120 bits. */
export function oneTimeSecret(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const chars = Array.from({ length: 24 }, () => alphabet[randomInt(alphabet.length)]);
  return [0, 6, 12, 18].map((i) => chars.slice(i, i + 6).join('')).join('-');
}

/** Why a new password is unacceptable, or null when it is fine. */
export function passwordProblem(password: string, minLength: number, username: string): string | null {
  if (password.length < minLength) return `must be at least ${minLength} characters long`;
  if (password.length > 256) return 'must be at most 256 characters long';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'must not contain the username';
  if (new Set(password).size < 5) return 'must use at least 5 different characters';
  return null;
}
