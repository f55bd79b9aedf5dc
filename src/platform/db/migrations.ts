import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { packageRoot } from '../config.js';

/** The migration folder shipped with Tocsin. */
export const migrationsDir = path.join(packageRoot, 'migrations');

const fileName = /^(\d{4})_[a-z0-9_]+\.sql$/;
// Any constant works; it only has to be the same in every Tocsin process.
const migrationLockKey = 7_240_311;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

/** Read the ordered migration files; a badly named file or a duplicate prefix is an error. */
export function readMigrations(dir = migrationsDir): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const seen = new Set<string>();
  return files.map((name) => {
    const match = fileName.exec(name);
    if (!match) throw new Error(`Migration file ${name} must be named NNNN_lower_snake_case.sql`);
    if (seen.has(match[1]!)) throw new Error(`Two migrations share the prefix ${match[1]}`);
    seen.add(match[1]!);
    const sql = readFileSync(path.join(dir, name), 'utf8');
    return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

/**
 * Apply pending migrations in order, each in its own transaction, under an advisory lock so
 * several processes starting at once apply each migration exactly once. Migrations are
 * append-only: an applied file whose text changed, or an applied file that is missing, stops here.
 */
export async function migrate(pool: pg.Pool, dir = migrationsDir): Promise<string[]> {
  const migrations = readMigrations(dir);
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [migrationLockKey]);
    await client.query(`create table if not exists schema_migrations (
      name text primary key, checksum text not null, applied_at timestamptz not null default now())`);
    const applied = await appliedChecksums(client);
    checkAppendOnly(migrations, applied);
    const done: string[] = [];
    for (const m of migrations.filter((m) => !applied.has(m.name))) {
      await applyOne(client, m);
      done.push(m.name);
    }
    return done;
  } finally {
    await client.query('select pg_advisory_unlock($1)', [migrationLockKey]).catch(() => undefined);
    client.release();
  }
}

/** Which migrations are applied and which are still pending (no changes made). */
export async function migrationStatus(pool: pg.Pool, dir = migrationsDir): Promise<MigrationStatus> {
  const migrations = readMigrations(dir);
  const exists = await pool.query<{ ok: boolean }>(
    `select to_regclass('schema_migrations') is not null as ok`,
  );
  const applied = exists.rows[0]?.ok ? await appliedChecksums(pool) : new Map<string, string>();
  checkAppendOnly(migrations, applied);
  return {
    applied: migrations.filter((m) => applied.has(m.name)).map((m) => m.name),
    pending: migrations.filter((m) => !applied.has(m.name)).map((m) => m.name),
  };
}

async function appliedChecksums(client: pg.Pool | pg.PoolClient): Promise<Map<string, string>> {
  const rows = await client.query<{ name: string; checksum: string }>(
    'select name, checksum from schema_migrations',
  );
  return new Map(rows.rows.map((r) => [r.name, r.checksum]));
}

function checkAppendOnly(migrations: Migration[], applied: Map<string, string>): void {
  const onDisk = new Map(migrations.map((m) => [m.name, m.checksum]));
  for (const [name, checksum] of applied) {
    if (!onDisk.has(name)) {
      throw new Error(
        `Migration ${name} is applied to the database but missing here: this Tocsin is older than its database.`,
      );
    }
    if (onDisk.get(name) !== checksum) {
      throw new Error(
        `Migration ${name} changed after it was applied. Migrations are append-only: add a new file instead.`,
      );
    }
  }
}

async function applyOne(client: pg.PoolClient, m: Migration): Promise<void> {
  await client.query('begin');
  try {
    await client.query(m.sql);
    await client.query('insert into schema_migrations (name, checksum) values ($1, $2)', [
      m.name,
      m.checksum,
    ]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw new Error(`Migration ${m.name} failed: ${(error as Error).message}`, { cause: error });
  }
}
