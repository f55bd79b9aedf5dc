import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTocsin } from '../../test/support/cli.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe('tocsin demo', () => {
  it('creates a demo campus and demo operators, then refuses a second one', { timeout: 60_000 }, () => {
    const env = { DATABASE_URL: database.url };
    expect(runTocsin(['migrate'], env).status).toBe(0);
    const first = runTocsin(['demo', '--people', '300', '--seed', 'cli'], env);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/Demo campus on cambridge \(seed "cli"\):/);
    expect(first.stdout).toMatch(/300 people \(\d+ students, \d+ employees, \d+ affiliates\)/);
    expect(first.stdout).toMatch(/^ {2}demo-police_dispatcher +[a-z2-9]{6}(-[a-z2-9]{6}){3}$/m);

    const second = runTocsin(['demo', '--no-operators'], env);
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/already holds 300 people.*--replace/s);

    const replaced = runTocsin(['demo', '--people', '200', '--replace', '--no-operators'], env);
    expect(replaced.status).toBe(0);
    expect(replaced.stdout).toMatch(/replacing 300 demo people/);
    expect(replaced.stdout).not.toMatch(/demo-viewer/);
  });
});
