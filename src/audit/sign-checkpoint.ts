import { sign } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { checkpointMessage } from './audit-chain.js';
import type { SigningKey } from './signing-key.js';
import { auditLockKey } from './write-audit.js';

export interface Checkpoint {
  seq: string;
  hash: string;
  signedAt: Date;
  publicKey: string;
  signature: string;
}

/**
 * Sign the current head of the audit chain. Skips when the log is empty or the head is already
 * checkpointed. Takes the audit lock so no row lands between reading the head and signing it.
 */
export async function signCheckpoint(db: Db, key: SigningKey): Promise<Checkpoint | null> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${auditLockKey})`.execute(trx);
    const head = await trx
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!head) return null;
    const last = await trx
      .selectFrom('audit_checkpoints')
      .select('seq')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (last?.seq === head.seq) return null;
    const signedAt = new Date();
    const signature = sign(null, checkpointMessage(head.seq, head.hash, signedAt), key.privateKey).toString(
      'base64',
    );
    const checkpoint = { seq: head.seq, hash: head.hash, signedAt, publicKey: key.publicKey, signature };
    await trx
      .insertInto('audit_checkpoints')
      .values({ seq: head.seq, hash: head.hash, signed_at: signedAt, public_key: key.publicKey, signature })
      .execute();
    return checkpoint;
  });
}
