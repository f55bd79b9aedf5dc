import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { freePort } from '../../test/support/ports.js';
import { runTocsin, spawnTocsin } from '../../test/support/cli.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ empty: true });
});
afterAll(async () => {
  await database.drop();
});

describe('tocsin serve --processes', () => {
  it(
    'runs several server processes on one port, migrating once, and stops them all on SIGTERM',
    {
      timeout: 120_000,
    },
    async () => {
      const port = await freePort();
      const env = { DATABASE_URL: database.url, TOCSIN_PORT: String(port) };
      const serve = spawnTocsin(['serve', '--processes', '2', '--migrate'], env);
      try {
        await serve.waitFor(/Tocsin server listening; public URL \S+ \(2 processes\)/);
        const pids = new Set<string>();
        for (let i = 0; i < 20 && pids.size < 2; i += 1) {
          const agent = await fetch(`http://127.0.0.1:${port}/readyz`, { headers: { connection: 'close' } });
          expect(agent.status).toBe(200);
          pids.add(agent.headers.get('x-request-id') ?? '');
          const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } });
          expect(page.status).toBe(200);
          expect(await page.text()).toContain('Normal operations');
        }
        expect(serve.output().match(/Applied: /g) ?? []).toHaveLength(0);
        expect(runTocsin(['migrate'], { DATABASE_URL: database.url }).stdout).toContain(
          'The database is up to date.',
        );
      } finally {
        serve.child.kill('SIGTERM');
      }
      expect(await serve.exited()).toBe(0);
      expect(serve.output()).toMatch(/SIGTERM: stopping 2 server processes/);
      expect(serve.output().match(/Stopped\./g)).toHaveLength(3);
    },
  );

  it('refuses a process count that is not a whole number from 1 to 64', () => {
    const run = runTocsin(['serve', '--processes', 'many'], { DATABASE_URL: database.url });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/whole number from 1 to 64/);
  });
});
