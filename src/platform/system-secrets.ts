import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './db/database.js';

const cache = new WeakMap<Db, Map<string, Promise<Buffer>>>();

async function loadSecret(db: Db, name: string): Promise<Buffer> {
  await sql`insert into system_secrets (name, secret) values (${name}, ${randomBytes(32)})
            on conflict (name) do nothing`.execute(db);
  const row = await db
    .selectFrom('system_secrets')
    .select('secret')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.secret;
}

/**
 * A random 32-byte key kept in the database under `name` (signing links, keyed hashes), created by
 * whichever process asks first so every process uses the same one; cached per database handle, and
 * asked again after a failure.
 */
export function systemSecret(db: Db, name: string): Promise<Buffer> {
  const perDb = cache.get(db) ?? new Map<string, Promise<Buffer>>();
  cache.set(db, perDb);
  let secret = perDb.get(name);
  if (!secret) {
    secret = loadSecret(db, name);
    secret.catch(() => perDb.delete(name));
    perDb.set(name, secret);
  }
  return secret;
}
