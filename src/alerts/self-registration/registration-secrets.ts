import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { systemSecret } from '../../platform/system-secrets.js';

/**
 * Keys for what self-registration must store without keeping the value: SMS codes (a leaked row
 * must not give the code away, and a million codes are too few for a plain hash) and the IP
 * addresses and destinations the throttle counts. Each is a random key platform keeps in the
 * database (systemSecret), created by whichever process needs it first.
 */
type SecretName = 'registration_codes' | 'registration_throttle';

function keyOf(db: Db, name: SecretName): Promise<Buffer> {
  return systemSecret(db, name);
}

/** A fresh six-digit code, uniformly drawn (leading zeros kept). */
export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The stored form of a code: HMAC over the verification row's id and the code. */
export async function hashCode(db: Db, registrationContactId: string, code: string): Promise<Buffer> {
  return createHmac('sha256', await keyOf(db, 'registration_codes'))
    .update(`${registrationContactId}\n${code}`)
    .digest();
}

/** Whether a code matches its stored hash, in constant time. */
export async function codeMatches(
  db: Db,
  registrationContactId: string,
  code: string,
  stored: Buffer,
): Promise<boolean> {
  const given = await hashCode(db, registrationContactId, code);
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** The throttle's key for a value (IP address, destination): keyed hash, never the value. */
export async function throttleKey(db: Db, bucket: string, value: string): Promise<Buffer> {
  return createHmac('sha256', await keyOf(db, 'registration_throttle'))
    .update(`${bucket}\n${value}`)
    .digest();
}
