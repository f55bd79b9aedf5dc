import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { runTocsin } from '../../test/support/cli.js';

let database: TestDatabase;
let env: Record<string, string>;
beforeAll(async () => {
  database = await createTestDatabase();
  env = { DATABASE_URL: database.url };
  expect(runTocsin(['migrate'], env).status).toBe(0);
  const demo = runTocsin(['demo', '--people', '400', '--no-operators'], env);
  expect(demo.status, demo.stderr).toBe(0);
}, 60_000);
afterAll(async () => {
  await database.drop();
});

describe('reading the directory from the command line', () => {
  it('lists the people whose home building is W20', () => {
    const r = runTocsin(['people', '--building', 'W20', '--limit', '500'], env);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/\bW20$/);
    expect(lines.at(-1)).toMatch(/^\d+ shown\.$/);
  });

  it('lists locations with their Clery class and groups with their rules', () => {
    const locations = runTocsin(['locations', '--kind', 'residence_hall'], env);
    expect(locations.stdout).toMatch(/on_campus_student_housing/);
    const groups = runTocsin(['groups'], env);
    expect(groups.stdout).toMatch(/All students\s+dynamic/);
  });

  it('explains a bad option', () => {
    const r = runTocsin(['people', '--affiliation', 'wizard'], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--affiliation must be one of student, employee, affiliate, extended/);
  });
});
