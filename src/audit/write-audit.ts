import { sql } from 'kysely';
import type { Trx } from '../platform/db/database.js';
import type { AuditEntry } from '../platform/audit-writer.js';
import { genesisHash, rowHash, type ChainedFields } from './audit-chain.js';

// Serialises audit writers so sequence numbers are gap-free and the chain is linear.
export const auditLockKey = 7_240_312;

/** Keys never written to the audit log, however a caller builds before/after. */
const secretKey = /(password|secret|token_hash|totp|csrf|signature|private)/i;

export type { AuditEntry } from '../platform/audit-writer.js';

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
    actorId: storableOrNull(entry.actor.id),
    actorLabel: storableOrNull(entry.actor.label),
    action: entry.action,
    targetType: storableOrNull(entry.target?.type),
    targetId: storableOrNull(entry.target?.id),
    // PostgreSQL prints a uuid in lower case; hash what will be read back.
    campusId: entry.campusId?.toLowerCase() ?? null,
    outcome: entry.outcome ?? 'success',
    ip: storableOrNull(entry.request?.ip),
    requestId: storableOrNull(entry.request?.requestId),
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

/**
 * Drop secret-looking keys and make every string storable, then round-trip through JSON, so the
 * hashed value equals the one PostgreSQL stores and hands back.
 */
function scrub(value: Record<string, unknown> | null | undefined): unknown {
  if (value === null || value === undefined) return null;
  const text = JSON.stringify(value, (key, v: unknown) => {
    if (key !== '' && secretKey.test(key)) return undefined;
    if (typeof v === 'string') return storableText(v);
    return isPlainObject(v) ? withStorableKeys(v) : v;
  });
  return JSON.parse(text) as unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withStorableKeys(value: Record<string, unknown>): Record<string, unknown> {
  if (Object.keys(value).every((k) => storableText(k) === k)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), v]));
}

const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as PostgreSQL will store it: it refuses NUL in text and jsonb, and an unpaired surrogate
 * is refused in jsonb and becomes U+FFFD in text, either of which would make the row unwritable
 * or its hash wrong.
 */
function storableText(text: string): string {
  return text.replaceAll('\0', '').replace(unpairedSurrogate, '\uFFFD');
}

function storableOrNull(text: string | null | undefined): string | null {
  return text === null || text === undefined ? null : storableText(text);
}
