import { cpSync, mkdtempSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { migrate, migrationStatus, migrationsDir, readMigrations } from './migrations.js';

const opened: Array<{ db: TestDatabase; pool: pg.Pool }> = [];
afterEach(async () => {
  for (const { db, pool } of opened.splice(0)) {
    await pool.end();
    await db.drop();
  }
});

async function emptyDatabase() {
  const db = await createTestDatabase({ empty: true });
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  opened.push({ db, pool });
  return pool;
}

describe('migrations', () => {
  it('apply in order to an empty database, then find nothing to do', async () => {
    const pool = await emptyDatabase();
    const names = readMigrations().map((m) => m.name);
    expect(names).toEqual([...names].sort());
    expect(await migrate(pool)).toEqual(names);
    expect(await migrate(pool)).toEqual([]);
    expect(await migrationStatus(pool)).toEqual({ applied: names, pending: [] });
    const tables = await pool.query<{ n: string }>(
      `select count(*) as n from information_schema.tables where table_name in ('operators', 'audit_log', 'sessions', 'api_tokens', 'campuses')`,
    );
    expect(Number(tables.rows[0]!.n)).toBe(5);
  });

  it('applies each migration once when several processes start together', async () => {
    const pool = await emptyDatabase();
    const results = await Promise.all([migrate(pool), migrate(pool), migrate(pool)]);
    expect(results.flat()).toEqual(readMigrations().map((m) => m.name));
  });

  it('refuses a migration file edited after it was applied', async () => {
    const pool = await emptyDatabase();
    const dir = mkdtempSync(path.join(tmpdir(), 'migrations-'));
    cpSync(migrationsDir, dir, { recursive: true });
    await migrate(pool, dir);
    appendFileSync(path.join(dir, '0001_platform.sql'), '\n-- sneaky edit\n');
    await expect(migrate(pool, dir)).rejects.toThrow(/0001_platform\.sql changed after it was applied/);
  });

  it('rolls back a failing migration and names it', async () => {
    const pool = await emptyDatabase();
    const dir = mkdtempSync(path.join(tmpdir(), 'migrations-'));
    cpSync(migrationsDir, dir, { recursive: true });
    appendFileSync(
      path.join(dir, '9999_broken.sql'),
      'create table half_done (id int);\nselect * from no_such_table;\n',
    );
    await expect(migrate(pool, dir)).rejects.toThrow(/9999_broken\.sql failed/);
    const half = await pool.query(`select to_regclass('half_done') as t`);
    expect(half.rows[0].t).toBeNull();
  });
});
