// Test factories for the audit log: a varied chain with signed checkpoints, and the tools an
// attacker with superuser access to the database would use to rewrite it.
import { generateKeyPairSync } from 'node:crypto';
import type { Selectable } from 'kysely';
import pg from 'pg';
import type { Actor } from '../platform/actor.js';
import type { Db } from '../platform/db/database.js';
import { chainedFieldsOf, genesisHash, rowHash, type ChainedFields } from './audit-chain.js';
import type { AuditOutcome } from '../platform/audit-writer.js';
import type { AuditLogTable } from './audit.tables.js';
import { signCheckpoint } from './sign-checkpoint.js';
import { publicKeyText, type SigningKey } from './signing-key.js';
import { writeAudit } from './write-audit.js';

/** A fresh in-memory Ed25519 signing key. */
export function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: publicKeyText(publicKey) };
}

const actors: Actor[] = [
  { type: 'operator', id: '5b0f6c1e-2a8e-4f43-9d5e-0c6f3b1a7e21', label: 'dispatcher1' },
  { type: 'api_token', id: '41', label: 'siren bridge' },
  { type: 'system', id: null, label: 'tocsin' },
  { type: 'anonymous', id: null, label: null },
];
const outcomes: AuditOutcome[] = ['success', 'denied', 'failure'];

/** Append rows numbered `from`..`to` (one transaction each), varied in actor, target, outcome and payload. */
export async function appendAuditRows(db: Db, from: number, to: number): Promise<void> {
  for (let i = from; i <= to; i += 1) {
    await db.transaction().execute((trx) =>
      writeAudit(trx, {
        actor: actors[i % actors.length]!,
        action: i % 2 === 0 ? 'alert.send' : 'operator.update',
        target: { type: 'alert', id: `alert-${i}` },
        outcome: outcomes[i % outcomes.length]!,
        before: i % 3 === 0 ? null : { status: 'draft', recipients: i * 10 },
        after: {
          status: 'sent',
          recipients: i * 10,
          channels: ['sms', 'email'],
          note: `row ${i} — “quoted” ✓`,
        },
        metadata: { attempt: i, ratio: i / 7, nested: { deep: [i, { ok: true }] } },
        request: { ip: `10.0.0.${i}`, requestId: `req-${i}` },
      }),
    );
  }
}

export interface BuiltChain {
  key: SigningKey;
  rows: number;
  midCheckpointSeq: string;
  headCheckpointSeq: string;
}

/** `rows` audit rows with a checkpoint signed by `key` after row `checkpointAt` and another at the head. */
export async function buildChain(
  db: Db,
  options: { rows: number; checkpointAt: number; key?: SigningKey },
): Promise<BuiltChain> {
  const key = options.key ?? newSigningKey();
  await appendAuditRows(db, 1, options.checkpointAt);
  const mid = await signCheckpoint(db, key);
  await appendAuditRows(db, options.checkpointAt + 1, options.rows);
  const head = await signCheckpoint(db, key);
  if (!mid || !head) throw new Error('expected two checkpoints');
  return { key, rows: options.rows, midCheckpointSeq: mid.seq, headCheckpointSeq: head.seq };
}

/**
 * Run `change` on a superuser connection with `session_replication_role = replica`, which stops
 * the append-only triggers from firing: what someone with database access would do to rewrite history.
 */
export async function tamper(url: string, change: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('set session_replication_role = replica');
    await change(client);
  } finally {
    await client.end();
  }
}

/** Move rows `fromSeq` and later up by one, leaving `fromSeq` free (in two steps, since seq is the primary key). */
export async function shiftRowsUp(client: pg.Client, fromSeq: number): Promise<void> {
  await client.query('update audit_log set seq = seq + 1000000 where seq >= $1', [fromSeq]);
  await client.query('update audit_log set seq = seq - 999999 where seq >= 1000000');
}

/** Insert a forged row at `seq` that links correctly to the row before it. */
export async function insertForgedRow(client: pg.Client, seq: number): Promise<void> {
  const prevHash = await hashAt(client, seq - 1);
  const fields: ChainedFields = {
    seq: String(seq),
    occurredAt: new Date('2024-03-01T12:00:00.000Z'),
    actorType: 'operator',
    actorId: 'f00df00d-0000-4000-8000-000000000000',
    actorLabel: 'insider',
    action: 'alert.cancel',
    targetType: 'alert',
    targetId: 'alert-forged',
    campusId: null,
    outcome: 'success',
    ip: null,
    requestId: null,
    before: null,
    after: { status: 'cancelled' },
    metadata: null,
  };
  await client.query(
    `insert into audit_log (seq, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id, outcome, after, prev_hash, hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      seq,
      fields.occurredAt,
      fields.actorType,
      fields.actorId,
      fields.actorLabel,
      fields.action,
      fields.targetType,
      fields.targetId,
      fields.outcome,
      JSON.stringify(fields.after),
      prevHash,
      rowHash(prevHash, fields),
    ],
  );
}

/** Recompute prev_hash and hash of every row from `fromSeq` on, as a careful attacker would after a rewrite. */
export async function rehashFrom(client: pg.Client, fromSeq: number): Promise<void> {
  let prevHash = await hashAt(client, fromSeq - 1);
  const { rows } = await client.query<Selectable<AuditLogTable>>(
    'select * from audit_log where seq >= $1 order by seq',
    [fromSeq],
  );
  for (const row of rows) {
    const hash = rowHash(prevHash, chainedFieldsOf(row));
    await client.query('update audit_log set prev_hash = $1, hash = $2 where seq = $3', [
      prevHash,
      hash,
      row.seq,
    ]);
    prevHash = hash;
  }
}

async function hashAt(client: pg.Client, seq: number): Promise<string> {
  if (seq < 1) return genesisHash;
  const { rows } = await client.query<{ hash: string }>('select hash from audit_log where seq = $1', [seq]);
  if (!rows[0]) throw new Error(`no audit row ${seq}`);
  return rows[0].hash;
}
