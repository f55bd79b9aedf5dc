import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { openDatabase, type DatabaseHandle, type Db } from '../platform/db/database.js';
import {
  appendAuditRows,
  buildChain,
  insertForgedRow,
  newSigningKey,
  rehashFrom,
  shiftRowsUp,
  tamper,
  type BuiltChain,
} from './audit-test-support.js';
import { signCheckpoint } from './sign-checkpoint.js';
import { verifyAudit, type AuditProblem, type AuditVerification } from './verify-audit.js';

interface Scenario {
  db: Db;
  url: string;
  chain: BuiltChain;
  verify(options?: { batchSize?: number; trustedPublicKeys?: string[] }): Promise<AuditVerification>;
}

const opened: { database: TestDatabase; handle: DatabaseHandle }[] = [];
afterEach(async () => {
  for (const { database, handle } of opened.splice(0)) {
    await handle.close();
    await database.drop();
  }
});

/** 30 rows on a fresh database, checkpoints signed after row 15 and at row 30. */
async function signedChain(): Promise<Scenario> {
  const database = await createTestDatabase();
  const handle = openDatabase(database.url, { poolSize: 3 });
  opened.push({ database, handle });
  const chain = await buildChain(handle.db, { rows: 30, checkpointAt: 15 });
  return {
    db: handle.db,
    url: database.url,
    chain,
    verify: (options = {}) =>
      verifyAudit(handle.db, { trustedPublicKeys: [chain.key.publicKey], ...options }),
  };
}

const kinds = (problems: AuditProblem[]) => problems.map((p) => `${p.kind}@${p.seq}`);

describe('verifying the audit log', () => {
  it('passes an untouched chain with its two signed checkpoints', async () => {
    const s = await signedChain();
    const result = await s.verify();
    expect(result).toEqual({
      ok: true,
      rows: 30,
      lastSeq: '30',
      checkpoints: 2,
      lastCheckpointSeq: '30',
      lastCheckpointAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      problems: [],
    });
    expect(await s.verify({ batchSize: 7 })).toEqual(result);
  });

  it('passes an empty log', async () => {
    const database = await createTestDatabase();
    const handle = openDatabase(database.url, { poolSize: 1 });
    opened.push({ database, handle });
    expect(await verifyAudit(handle.db, { trustedPublicKeys: [] })).toEqual({
      ok: true,
      rows: 0,
      lastSeq: null,
      checkpoints: 0,
      lastCheckpointSeq: null,
      lastCheckpointAt: null,
      problems: [],
    });
  });

  it('reports a row whose after was changed as edited', async () => {
    const s = await signedChain();
    await tamper(s.url, (c) =>
      c.query(`update audit_log set after = jsonb_set(after, '{status}', '"draft"') where seq = 8`),
    );
    const result = await s.verify();
    expect(result.ok).toBe(false);
    expect(kinds(result.problems)).toEqual(['row_edited@8']);
  });

  it('reports a row whose action was changed as edited', async () => {
    const s = await signedChain();
    await tamper(s.url, (c) => c.query(`update audit_log set action = 'alert.test' where seq = 22`));
    expect(kinds((await s.verify()).problems)).toEqual(['row_edited@22']);
  });

  it('reports a row deleted from the middle as missing', async () => {
    const s = await signedChain();
    await tamper(s.url, (c) => c.query('delete from audit_log where seq = 20'));
    const result = await s.verify({ batchSize: 7 });
    expect(kinds(result.problems)).toEqual(['missing_rows@21']);
    expect(result.problems[0]!.message).toMatch(/20–20 are missing/);
  });

  it('reports a deleted row that a checkpoint covered both as a gap and at the checkpoint', async () => {
    const s = await signedChain();
    await tamper(s.url, (c) => c.query('delete from audit_log where seq = 15'));
    expect(kinds((await s.verify()).problems)).toEqual(['missing_rows@16', 'missing_rows@15']);
  });

  it('reports a forged row inserted in the middle as a chain break', async () => {
    const s = await signedChain();
    await tamper(s.url, async (c) => {
      await shiftRowsUp(c, 10);
      await insertForgedRow(c, 10);
    });
    const result = await s.verify();
    expect(result.ok).toBe(false);
    // The forged row links to row 9, but the real row 10 (now 11) still points at row 9, and
    // every moved row was hashed under its old number.
    const moved = Array.from({ length: 21 }, (_, i) => `row_edited@${i + 11}`);
    expect(kinds(result.problems)).toEqual([
      'chain_break@11',
      ...moved,
      'checkpoint_mismatch@15',
      'checkpoint_mismatch@30',
    ]);
  });

  it('catches a careful forger who rehashes every later row, because the signed checkpoints no longer match', async () => {
    const s = await signedChain();
    await tamper(s.url, async (c) => {
      await shiftRowsUp(c, 10);
      await insertForgedRow(c, 10);
      await rehashFrom(c, 11);
    });
    const result = await s.verify();
    expect(result.ok).toBe(false);
    expect(result.rows).toBe(31);
    expect(kinds(result.problems)).toEqual(['checkpoint_mismatch@15', 'checkpoint_mismatch@30']);
  });

  it('reports two swapped rows as a broken, edited chain', async () => {
    const s = await signedChain();
    await tamper(s.url, async (c) => {
      await c.query('update audit_log set seq = 1000005 where seq = 5');
      await c.query('update audit_log set seq = 5 where seq = 6');
      await c.query('update audit_log set seq = 6 where seq = 1000005');
    });
    expect(kinds((await s.verify()).problems)).toEqual([
      'chain_break@5',
      'row_edited@5',
      'chain_break@6',
      'row_edited@6',
      'chain_break@7',
    ]);
  });

  it('reports a tail removed after a checkpoint as truncated', async () => {
    const s = await signedChain();
    await tamper(s.url, (c) => c.query('delete from audit_log where seq > 15'));
    const result = await s.verify();
    expect(result).toMatchObject({ ok: false, rows: 15, lastSeq: '15' });
    expect(kinds(result.problems)).toEqual(['truncated@30']);
  });

  it('reports a checkpoint whose signature was altered', async () => {
    const s = await signedChain();
    await tamper(s.url, async (c) => {
      const { rows } = await c.query<{ signature: string }>(
        'select signature from audit_checkpoints where seq = 15',
      );
      const bytes = Buffer.from(rows[0]!.signature, 'base64');
      bytes[0] = bytes[0]! ^ 0xff;
      await c.query('update audit_checkpoints set signature = $1 where seq = 15', [bytes.toString('base64')]);
    });
    expect(kinds((await s.verify()).problems)).toEqual(['bad_signature@15']);
  });

  it('reports a checkpoint whose recorded hash was rewritten to match a forged chain as badly signed', async () => {
    const s = await signedChain();
    await tamper(s.url, async (c) => {
      await c.query(`update audit_log set action = 'alert.test' where seq = 30`);
      await rehashFrom(c, 30);
      await c.query(
        'update audit_checkpoints set hash = (select hash from audit_log where seq = 30) where seq = 30',
      );
    });
    expect(kinds((await s.verify()).problems)).toEqual(['bad_signature@30']);
  });

  it('reports a checkpoint signed by a key it was not told to trust', async () => {
    const s = await signedChain();
    await appendAuditRows(s.db, 31, 32);
    await signCheckpoint(s.db, newSigningKey());
    const result = await s.verify();
    expect(kinds(result.problems)).toEqual(['untrusted_key@32']);
    expect(await s.verify({ trustedPublicKeys: [] })).toMatchObject({ ok: true, checkpoints: 3 });
  });

  it('reports a checkpoint whose public key is garbage instead of failing the whole verification', async () => {
    const s = await signedChain();
    await tamper(s.url, (c) =>
      c.query(`update audit_checkpoints set public_key = 'bm90IGEga2V5' where seq = 15`),
    );
    expect(kinds((await s.verify()).problems)).toEqual(['untrusted_key@15', 'bad_signature@15']);
  });
});
