import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { systemActor } from '../platform/actor.js';
import { openDatabase, type DatabaseHandle, type Db } from '../platform/db/database.js';
import { genesisHash } from './audit-chain.js';
import { newSigningKey } from './audit-test-support.js';
import { signCheckpoint } from './sign-checkpoint.js';
import { verifyAudit } from './verify-audit.js';
import { writeAudit, type AuditEntry } from './write-audit.js';

const opened: { database: TestDatabase; handle: DatabaseHandle }[] = [];

/** An empty audit log on its own database, so sequence numbers start at 1. */
async function freshLog(): Promise<Db> {
  const database = await createTestDatabase();
  const handle = openDatabase(database.url, { poolSize: 25 });
  opened.push({ database, handle });
  return handle.db;
}

afterEach(async () => {
  for (const { database, handle } of opened.splice(0)) {
    await handle.close();
    await database.drop();
  }
});

const entry = (action = 'alert.send', extra: Partial<AuditEntry> = {}): AuditEntry => ({
  actor: systemActor,
  action,
  ...extra,
});

function commitAudit(db: Db, e: AuditEntry = entry()) {
  return db.transaction().execute((trx) => writeAudit(trx, e));
}

class Rollback extends Error {}

/** Write an audit row, then roll the transaction back as a failed change would. */
async function rolledBackAudit(db: Db, e: AuditEntry = entry('alert.cancel')): Promise<void> {
  await expect(
    db.transaction().execute(async (trx) => {
      await writeAudit(trx, e);
      throw new Rollback();
    }),
  ).rejects.toBeInstanceOf(Rollback);
}

function chainOf(db: Db) {
  return db.selectFrom('audit_log').select(['seq', 'prev_hash', 'hash', 'action']).orderBy('seq').execute();
}

describe('writing an audit row', () => {
  it('writes the row inside the caller’s transaction: invisible until commit, gone on rollback', async () => {
    const db = await freshLog();
    await rolledBackAudit(db);
    expect(await chainOf(db)).toEqual([]);

    const written = await db.transaction().execute(async (trx) => {
      const row = await writeAudit(trx, entry());
      const seenOutside = await db.selectFrom('audit_log').select('seq').execute();
      expect(seenOutside).toEqual([]);
      return row;
    });
    expect(await chainOf(db)).toEqual([
      { seq: '1', prev_hash: genesisHash, hash: written.hash, action: 'alert.send' },
    ]);
  });

  it('numbers rows 1, 2, 3 without gaps even when a writer in between rolls back', async () => {
    const db = await freshLog();
    await commitAudit(db, entry('alert.send'));
    await rolledBackAudit(db);
    await commitAudit(db, entry('alert.close'));
    await rolledBackAudit(db);
    await commitAudit(db, entry('operator.update'));

    const chain = await chainOf(db);
    expect(chain.map((r) => [r.seq, r.action])).toEqual([
      ['1', 'alert.send'],
      ['2', 'alert.close'],
      ['3', 'operator.update'],
    ]);
    expect(chain[1]!.prev_hash).toBe(chain[0]!.hash);
    expect(chain[2]!.prev_hash).toBe(chain[1]!.hash);
  });

  it('keeps one linear chain when 20 transactions write at once (some rolling back)', async () => {
    const db = await freshLog();
    const writer = (i: number) =>
      db.transaction().execute(async (trx) => {
        await writeAudit(
          trx,
          entry(i % 5 === 4 ? 'alert.cancel' : 'alert.send', { metadata: { writer: i } }),
        );
        // Hold the audit lock a moment, so the other writers really queue behind it.
        await sql`select pg_sleep(0.005)`.execute(trx);
        if (i % 5 === 4) throw new Rollback();
      });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => writer(i)));
    expect(results.filter((r) => r.status === 'rejected').map((r) => r.reason)).toEqual(
      Array.from({ length: 4 }, () => expect.any(Rollback)),
    );

    const chain = await chainOf(db);
    expect(chain.map((r) => r.seq)).toEqual(Array.from({ length: 16 }, (_, i) => String(i + 1)));
    expect(chain.every((r) => r.action === 'alert.send')).toBe(true);
    chain.forEach((row, i) => expect(row.prev_hash).toBe(i === 0 ? genesisHash : chain[i - 1]!.hash));
    const verification = await verifyAudit(db, { trustedPublicKeys: [] });
    expect(verification).toMatchObject({ ok: true, rows: 16, lastSeq: '16', problems: [] });
  });

  it('never stores password, TOTP secret, token hash or other secret-looking keys, at any depth', async () => {
    const db = await freshLog();
    await commitAudit(
      db,
      entry('operator.update', {
        before: { username: 'dispatcher1', password: 'hunter2-before', passwordHash: '$argon2id$before' },
        after: {
          username: 'dispatcher1',
          totp_secret: 'JBSWY3DPEHPK3PXP',
          roles: [{ name: 'viewer', token_hash: 'abc123hash' }],
        },
        metadata: {
          reason: 'reset',
          Password: 'HUNTER2-META',
          nested: { csrfToken: 'csrf-value', privateKey: 'pem-value', signature: 'sig-value' },
        },
      }),
    );

    const raw = await db
      .selectFrom('audit_log')
      .select((eb) => [
        eb.cast<string>('before', 'text').as('before'),
        eb.cast<string>('after', 'text').as('after'),
        eb.cast<string>('metadata', 'text').as('metadata'),
      ])
      .executeTakeFirstOrThrow();
    const stored = `${raw.before} ${raw.after} ${raw.metadata}`;
    for (const secret of [
      'hunter2',
      'HUNTER2',
      'argon2id',
      'JBSWY3DPEHPK3PXP',
      'abc123hash',
      'csrf-value',
      'pem-value',
      'sig-value',
    ]) {
      expect(stored).not.toContain(secret);
    }
    expect(JSON.parse(raw.before)).toEqual({ username: 'dispatcher1' });
    expect(JSON.parse(raw.after)).toEqual({ username: 'dispatcher1', roles: [{ name: 'viewer' }] });
    expect(JSON.parse(raw.metadata)).toEqual({ reason: 'reset', nested: {} });
    expect((await verifyAudit(db, { trustedPublicKeys: [] })).ok).toBe(true);
  });

  it('stores awkward text and values so that the stored row still hashes to what was written', async () => {
    const db = await freshLog();
    await commitAudit(
      db,
      entry('alert.send', {
        campusId: '5B0F6C1E-2A8E-4F43-9D5E-0C6F3B1A7E21',
        target: { type: 'alert', id: 'lone \ud800 surrogate, NUL \u0000 here' },
        after: {
          windowsPath: 'C:\\u0000\\temp',
          nul: 'before\u0000after',
          'key\u0000with nul': 1,
          lone: 'half \udc00 a pair',
          emoji: 'fire 🔥',
          at: new Date('2024-01-02T03:04:05.678Z'),
          numbers: [0.1 + 0.2, 1e21, -0, 5e-324, Number.MAX_SAFE_INTEGER + 2],
          gone: undefined,
        },
        metadata: { query: { action: '\\u0000' } },
      }),
    );

    const verification = await verifyAudit(db, { trustedPublicKeys: [] });
    expect(verification.problems).toEqual([]);
    const row = await db.selectFrom('audit_log').selectAll().executeTakeFirstOrThrow();
    expect(row.campus_id).toBe('5b0f6c1e-2a8e-4f43-9d5e-0c6f3b1a7e21');
    expect(row.after).toMatchObject({
      windowsPath: 'C:\\u0000\\temp',
      nul: 'beforeafter',
      'keywith nul': 1,
      emoji: 'fire 🔥',
      at: '2024-01-02T03:04:05.678Z',
    });
    expect(row.metadata).toEqual({ query: { action: '\\u0000' } });
  });
});

describe('the append-only tables', () => {
  async function logWithCheckpoint(): Promise<Db> {
    const db = await freshLog();
    await commitAudit(db);
    await signCheckpoint(db, newSigningKey());
    return db;
  }

  it.each(['audit_log', 'audit_checkpoints'] as const)(
    'rejects UPDATE, DELETE and TRUNCATE on %s',
    async (table) => {
      const db = await logWithCheckpoint();
      const statements = [`update ${table} set seq = seq`, `delete from ${table}`, `truncate ${table}`];
      for (const statement of statements) {
        await expect(sql.raw(statement).execute(db)).rejects.toMatchObject({
          code: '42501',
          message: expect.stringMatching(new RegExp(`${table} is append-only`)),
        });
      }
      expect(await db.selectFrom(table).select('seq').execute()).toEqual([{ seq: '1' }]);
    },
  );
});
