import { verify } from 'node:crypto';
import type { Queryable } from '../platform/db/database.js';
import { chainedFieldsOf, checkpointMessage, genesisHash, rowHash } from './audit-chain.js';
import { parsePublicKey } from './signing-key.js';
import type { AuditProblem, AuditVerification } from './verify-audit.types.js';

export type { AuditProblem, AuditVerification };

export interface VerifyOptions {
  /** Public keys (base64 SPKI) whose checkpoint signatures count. Empty: any key recorded is accepted but reported. */
  trustedPublicKeys: string[];
  batchSize?: number;
}

/**
 * Walk the whole chain in sequence order and check every link and every signed checkpoint.
 * Detects edited rows (hash), deleted rows (gaps), inserted or reordered rows (prev_hash breaks,
 * or a recomputed chain that no longer matches a signature) and a truncated tail (a checkpoint
 * beyond the last row).
 */
export async function verifyAudit(db: Queryable, options: VerifyOptions): Promise<AuditVerification> {
  const checkpoints = await db.selectFrom('audit_checkpoints').selectAll().orderBy('id').execute();
  const wanted = new Map(checkpoints.map((c) => [c.seq, null as string | null]));
  const problems: AuditProblem[] = [];
  const walk = await walkChain(db, options.batchSize ?? 5000, wanted, problems);
  const trusted = new Set(options.trustedPublicKeys);
  for (const c of checkpoints) {
    problems.push(...checkCheckpoint(c, wanted.get(c.seq) ?? null, trusted, walk.lastSeq));
  }
  return {
    ok: problems.length === 0,
    rows: walk.rows,
    lastSeq: walk.lastSeq,
    checkpoints: checkpoints.length,
    lastCheckpointSeq: checkpoints.at(-1)?.seq ?? null,
    lastCheckpointAt: checkpoints.at(-1)?.signed_at.toISOString() ?? null,
    problems,
  };
}

async function walkChain(
  db: Queryable,
  batchSize: number,
  wanted: Map<string, string | null>,
  problems: AuditProblem[],
): Promise<{ rows: number; lastSeq: string | null }> {
  let expectedSeq = 1n;
  let prevHash = genesisHash;
  let rows = 0;
  for (;;) {
    const batch = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', String(expectedSeq))
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    for (const row of batch) {
      const seq = BigInt(row.seq);
      if (seq !== expectedSeq) {
        problems.push({
          kind: 'missing_rows',
          seq: row.seq,
          message: `rows ${expectedSeq}–${seq - 1n} are missing (deleted)`,
        });
      } else if (row.prev_hash !== prevHash) {
        problems.push({
          kind: 'chain_break',
          seq: row.seq,
          message: `row ${row.seq} does not follow row ${seq - 1n} (a row was inserted, removed or reordered)`,
        });
      }
      const recomputed = rowHash(row.prev_hash, chainedFieldsOf(row));
      if (recomputed !== row.hash) {
        problems.push({
          kind: 'row_edited',
          seq: row.seq,
          message: `row ${row.seq} was changed after it was written`,
        });
      }
      if (wanted.has(row.seq)) wanted.set(row.seq, row.hash);
      prevHash = row.hash;
      expectedSeq = seq + 1n;
      rows += 1;
    }
    if (batch.length < batchSize) break;
  }
  return { rows, lastSeq: rows > 0 ? String(expectedSeq - 1n) : null };
}

function checkCheckpoint(
  c: { seq: string; hash: string; signed_at: Date; public_key: string; signature: string },
  chainHash: string | null,
  trusted: Set<string>,
  lastSeq: string | null,
): AuditProblem[] {
  const problems: AuditProblem[] = [];
  if (trusted.size > 0 && !trusted.has(c.public_key)) {
    problems.push({
      kind: 'untrusted_key',
      seq: c.seq,
      message: `checkpoint at row ${c.seq} is signed by a key that is not trusted`,
    });
  }
  if (!signatureValid(c)) {
    problems.push({
      kind: 'bad_signature',
      seq: c.seq,
      message: `checkpoint at row ${c.seq} has an invalid signature`,
    });
  }
  if (lastSeq === null || BigInt(c.seq) > BigInt(lastSeq)) {
    problems.push({
      kind: 'truncated',
      seq: c.seq,
      message: `a signed checkpoint covers row ${c.seq} but the log ends at ${lastSeq ?? 'no rows'}: the tail was removed`,
    });
  } else if (chainHash !== null && chainHash !== c.hash) {
    problems.push({
      kind: 'checkpoint_mismatch',
      seq: c.seq,
      message: `row ${c.seq} no longer has the hash its signed checkpoint recorded (the chain was rewritten)`,
    });
  } else if (chainHash === null) {
    problems.push({
      kind: 'missing_rows',
      seq: c.seq,
      message: `row ${c.seq}, covered by a signed checkpoint, is missing`,
    });
  }
  return problems;
}

/** True when the checkpoint's signature verifies under its recorded Ed25519 key; a mangled key or signature is just invalid. */
function signatureValid(c: {
  seq: string;
  hash: string;
  signed_at: Date;
  public_key: string;
  signature: string;
}): boolean {
  try {
    const key = parsePublicKey(c.public_key);
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(
      null,
      checkpointMessage(c.seq, c.hash, c.signed_at),
      key,
      Buffer.from(c.signature, 'base64'),
    );
  } catch {
    return false;
  }
}
