import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { freePort } from '../../test/support/ports.js';
import { runTocsin, spawnTocsin, type RunningTocsin } from '../../test/support/cli.js';
import type { Command } from 'commander';
import { startBoss } from '../platform/queue/queue.js';
import { buildProgram } from './program.js';

let database: TestDatabase;
const running: RunningTocsin[] = [];
mkdirSync('.test-data', { recursive: true });
const keyDir = mkdtempSync(path.resolve('.test-data', 'keys-'));

beforeAll(async () => {
  database = await createTestDatabase({ empty: true });
});
afterAll(async () => {
  for (const p of running) p.child.kill('SIGTERM');
  await Promise.all(running.map((p) => p.exited()));
  await database.drop();
});

describe('separate serve and worker processes on one PostgreSQL', () => {
  it(
    'refuse to run before migrations, then share one database once migrated',
    { timeout: 120_000 },
    async () => {
      const env = { DATABASE_URL: database.url, TOCSIN_AUDIT_KEY_FILE: path.join(keyDir, 'audit.pem') };
      const early = runTocsin(['serve'], { ...env, TOCSIN_PORT: String(await freePort()) });
      expect(early.status).toBe(1);
      expect(early.stderr).toMatch(/missing migrations .*Run `tocsin migrate` first/);

      const migrated = runTocsin(['migrate'], env);
      expect(migrated.status, migrated.stderr).toBe(0);
      expect(migrated.stdout).toMatch(/Applied: 0001_platform\.sql/);
      expect(migrated.stdout).toMatch(/First administrator: admin, one-time secret \S+/);
      expect(runTocsin(['migrate'], env).stdout).toContain('The database is up to date.');

      const ports = [await freePort(), await freePort()];
      for (const port of ports) running.push(spawnTocsin(['serve'], { ...env, TOCSIN_PORT: String(port) }));
      running.push(spawnTocsin(['worker'], env), spawnTocsin(['worker'], env));
      await Promise.all(running.map((p) => p.waitFor(/listening|worker running/)));
      for (const port of ports) expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

      const boss = await startBoss(database.url, { migrate: false, supervise: false });
      const ids = await Promise.all(Array.from({ length: 6 }, () => boss.send('identity.purge', {})));
      await boss.stop({ graceful: false });
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const deadline = Date.now() + 30_000;
      let done = 0;
      while (Date.now() < deadline && done < ids.length) {
        const r = await client.query(
          `select count(*)::int as n from pgboss.job where id = any($1::uuid[]) and state = 'completed'`,
          [ids],
        );
        done = r.rows[0].n;
        if (done < ids.length) await new Promise((res) => setTimeout(res, 250));
      }
      await client.end();
      expect(done).toBe(ids.length);
    },
  );

  it('needs DATABASE_URL for serve and worker', () => {
    const r = runTocsin(['worker'], {});
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/DATABASE_URL is not set/);
  });

  it('prints its commands and environment variables for --help', () => {
    const r = runTocsin(['--help'], {});
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: tocsin /);
    for (const command of ['start', 'serve', 'worker', 'migrate', 'users', 'tokens', 'alert'])
      expect(r.stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
    expect(r.stdout).toContain('DATABASE_URL');
  });

  // Each command's own help, read in this process: one `tocsin` process per command cost 4-9 s each.
  it.each([
    'start',
    'serve',
    'worker',
    'migrate',
    'users create',
    'users roles',
    'users reset-mfa',
    'tokens create',
    'alert send',
    'audit verify',
  ])('documents `tocsin %s` in its help', (command) => {
    let found: Command | undefined = buildProgram();
    for (const name of command.split(' ')) found = found?.commands.find((c) => c.name() === name);
    expect(found, command).toBeDefined();
    const help = found!.helpInformation();
    expect(help).toMatch(new RegExp(`^Usage: tocsin ${command}\\b`));
    expect(found!.description().length, `${command} describes itself`).toBeGreaterThan(10);
  });
});
