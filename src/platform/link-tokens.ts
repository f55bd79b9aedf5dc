import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from './db/database.js';
import { systemSecret } from './system-secrets.js';

/**
 * Signed tokens for links sent to people (acknowledge an alert, confirm an email, unsubscribe):
 * `<id>.<HMAC-SHA256(purpose, id)>`, base64url. The key is one random secret in the database,
 * created by whichever process needs it first, so every process signs and checks alike.
 */
export type LinkPurpose = 'acknowledge' | 'verify_email' | 'unsubscribe';

const secretName = 'link_tokens';
function mac(key: Buffer, purpose: LinkPurpose, id: string): Buffer {
  return createHmac('sha256', key).update(`${purpose}\n${id}`).digest().subarray(0, 18);
}

/** A token that proves `id` was issued for `purpose`. */
export async function signLinkToken(db: Db, purpose: LinkPurpose, id: string): Promise<string> {
  return `${Buffer.from(id).toString('base64url')}.${mac(await systemSecret(db, secretName), purpose, id).toString('base64url')}`;
}

/** Sign many ids at once (one key lookup). */
export async function signLinkTokens(
  db: Db,
  purpose: LinkPurpose,
  ids: readonly string[],
): Promise<string[]> {
  const key = await systemSecret(db, secretName);
  return ids.map(
    (id) => `${Buffer.from(id).toString('base64url')}.${mac(key, purpose, id).toString('base64url')}`,
  );
}

/** The id a token was issued for, or null when it is malformed or was not signed for `purpose`. */
export async function verifyLinkToken(db: Db, purpose: LinkPurpose, token: string): Promise<string | null> {
  const match = /^([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{24})$/.exec(token);
  if (!match) return null;
  const id = Buffer.from(match[1]!, 'base64url').toString();
  const expected = mac(await systemSecret(db, secretName), purpose, id);
  const given = Buffer.from(match[2]!, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}
