import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { migrate, migrationsDir } from '../platform/db/migrations.js';

const migration = '0013_operator_contacts.sql';
let db: TestDatabase | undefined;
let pool: pg.Pool | undefined;
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

it('migration 0013 marks the contacts operators added before it as operator contacts, and only those', async () => {
  db = await createTestDatabase({ empty: true });
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const before = mkdtempSync(path.join(tmpdir(), 'migrations-'));
  cpSync(migrationsDir, before, { recursive: true });
  rmSync(path.join(before, migration));
  await migrate(pool, before);

  const q = async (text: string, values: unknown[] = []) => (await pool!.query(text, values)).rows;
  const [campus] = await q(`insert into campuses (slug, name) values ('main', 'Main') returning id`);
  const person = async (source: string) =>
    (
      await q(
        `insert into people (campus_id, affiliation, display_name, source) values ($1, 'student', 'P', $2) returning id`,
        [campus.id, source],
      )
    )[0].id as string;
  const contact = async (personId: string, address: string, source = 'directory') =>
    (
      await q(
        `insert into contacts (person_id, channel, address, source) values ($1, 'email', $2, $3) returning id`,
        [personId, address, source],
      )
    )[0].id as string;
  const fromFeed = await person('csv');
  const feeds = await contact(fromFeed, 'feed@example.edu');
  const addedByOperator = await contact(fromFeed, 'added@example.org');
  const own = await contact(fromFeed, 'own@example.org', 'self');
  const byHand = await person('manual');
  const givenAtCreation = await contact(byHand, 'hand@example.edu');
  await q(
    `insert into audit_log (seq, occurred_at, actor_type, action, target_type, target_id, outcome, after, prev_hash, hash)
     values (1, now(), 'operator', 'contact.add', 'person', $1, 'success', $2, '', 'a'),
            (2, now(), 'operator', 'contact.add', 'person', $1, 'denied', $3, 'a', 'b')`,
    [fromFeed, { contactId: addedByOperator, channel: 'email' }, { contactId: feeds }],
  );

  expect(await migrate(pool)).toEqual([migration]);
  const sources = new Map(
    (await q(`select id, source from contacts`)).map((r) => [r.id as string, r.source as string]),
  );
  expect(
    Object.fromEntries([feeds, addedByOperator, own, givenAtCreation].map((id) => [id, sources.get(id)])),
  ).toEqual({
    [feeds]: 'directory',
    [addedByOperator]: 'operator',
    [own]: 'self',
    [givenAtCreation]: 'operator',
  });
  await expect(q(`update contacts set source = 'elsewhere' where id = $1`, [feeds])).rejects.toThrow(
    /contacts_source_check/,
  );
});
