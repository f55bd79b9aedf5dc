import { sql } from 'kysely';
import type { Trx } from '../platform/db/database.js';
import type { Actor, RequestMeta } from '../platform/actor.js';
import { genesisHash, rowHash, type ChainedFields } from './audit-chain.js';
import type { AuditOutcome } from './audit.tables.js';

// Serialises audit writers so sequence numbers are gap-free and the chain is linear.
export const auditLockKey = 7_240_312;

/** Keys never written to the audit log, however a caller builds before/after. */
const secretKey = /(password|secret|token_hash|totp|csrf|signature|private)/i;

export interface AuditEntry {
  actor: Actor;
  action: string;
  target?: { type: string; id: string | null };
  campusId?: string | null;
  outcome?: AuditOutcome;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  metadata?: Record<string, unknown> | null;
  request?: RequestMeta;
}

/**
 * Append one row to the audit log inside the caller's transaction, so the row exists exactly when
 * the change it describes does. Call it last in the transaction: it holds the audit lock until commit.
 */
export async function writeAudit(trx: Trx, entry: AuditEntry): Promise<{ seq: string; hash: string }> {
  await sql`select pg_advisory_xact_lock(${auditLockKey})`.execute(trx);
  const head = await trx
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const fields: ChainedFields = {
    seq: String(BigInt(head?.seq ?? '0') + 1n),
    occurredAt: new Date(),
    actorType: entry.actor.type,
    actorId: entry.actor.id,
    actorLabel: entry.actor.label,
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    campusId: entry.campusId ?? null,
    outcome: entry.outcome ?? 'success',
    ip: entry.request?.ip ?? null,
    requestId: entry.request?.requestId ?? null,
    before: scrub(entry.before),
    after: scrub(entry.after),
    metadata: scrub(entry.metadata),
  };
  const prevHash = head?.hash ?? genesisHash;
  const hash = rowHash(prevHash, fields);
  await trx
    .insertInto('audit_log')
    .values({
      seq: fields.seq,
      occurred_at: fields.occurredAt,
      actor_type: fields.actorType,
      actor_id: fields.actorId,
      actor_label: fields.actorLabel,
      action: fields.action,
      target_type: fields.targetType,
      target_id: fields.targetId,
      campus_id: fields.campusId,
      outcome: fields.outcome,
      ip: fields.ip,
      request_id: fields.requestId,
      before: json(fields.before),
      after: json(fields.after),
      metadata: json(fields.metadata),
      prev_hash: prevHash,
      hash,
    })
    .execute();
  return { seq: fields.seq, hash };
}

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** Drop secret-looking keys and round-trip through JSON so the hashed value equals the stored one. */
function scrub(value: Record<string, unknown> | null | undefined): unknown {
  if (value === null || value === undefined) return null;
  const text = JSON.stringify(value, (key, v: unknown) => (key !== '' && secretKey.test(key) ? undefined : v));
  return JSON.parse(text.replace(/\\u0000/g, '')) as unknown;
}
