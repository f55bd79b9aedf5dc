import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Either the pool-backed handle or a transaction: query functions accept both. */
export type Queryable = Db | Trx;

export interface DatabaseHandle {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** Open a pool and a Kysely handle on it. */
export function openDatabase(
  url: string,
  options: { poolSize?: number; applicationName?: string } = {},
): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    application_name: options.applicationName ?? 'tocsin',
  });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    close: async () => {
      await db.destroy();
    },
  };
}

/** Run raw SQL text with positional values on a Kysely handle (used by pg-boss inside our transactions). */
export async function executeRaw(
  q: Queryable,
  text: string,
  values: unknown[] = [],
): Promise<{ rows: unknown[] }> {
  const result = await q.executeQuery(CompiledQuery.raw(text, values));
  return { rows: result.rows as unknown[] };
}

/** Check the database answers. */
export async function pingDatabase(q: Queryable): Promise<void> {
  await executeRaw(q, 'select 1');
}

/** Run `work` in the caller's transaction when one is given, otherwise in a new one. */
export function inTransaction<T>(db: Db, given: Trx | undefined, work: (trx: Trx) => Promise<T>): Promise<T> {
  return given ? work(given) : db.transaction().execute(work);
}
