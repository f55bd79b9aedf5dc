import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { Selectable } from 'kysely';
import type { ActorType } from '../platform/actor.js';
import type { AuditOutcome } from '../platform/audit-writer.js';
import type { AuditLogTable } from './audit.tables.js';

/** The hash every chain starts from. */
export const genesisHash = '0'.repeat(64);

/** The fields of an audit row that its hash covers (everything but the hashes themselves). */
export interface ChainedFields {
  seq: string;
  occurredAt: Date;
  actorType: ActorType;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  campusId: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  requestId: string | null;
  before: unknown;
  after: unknown;
  metadata: unknown;
}

/**
 * Hash of one row: SHA-256 over the previous hash and the row's canonical JSON (keys sorted), so
 * editing, removing, inserting or reordering any row changes every hash after it.
 */
export function rowHash(prevHash: string, row: ChainedFields): string {
  const canonical = stringifyCanonical({
    seq: row.seq,
    occurredAt: row.occurredAt.toISOString(),
    actorType: row.actorType,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    campusId: row.campusId,
    outcome: row.outcome,
    ip: row.ip,
    requestId: row.requestId,
    before: row.before ?? null,
    after: row.after ?? null,
    metadata: row.metadata ?? null,
  });
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/** The hashed fields of a stored audit row, as the verifier and anyone re-checking a row reads them. */
export function chainedFieldsOf(row: Selectable<AuditLogTable>): ChainedFields {
  return {
    seq: row.seq,
    occurredAt: row.occurred_at,
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    campusId: row.campus_id,
    outcome: row.outcome,
    ip: row.ip,
    requestId: row.request_id,
    before: row.before,
    after: row.after,
    metadata: row.metadata,
  };
}

function stringifyCanonical(value: Record<string, unknown>): string {
  const text = stringify(value);
  if (text === undefined) throw new Error('audit row cannot be serialised');
  return text;
}

/** The bytes a checkpoint signature covers. */
export function checkpointMessage(seq: string, hash: string, signedAt: Date): Buffer {
  return Buffer.from(`tocsin-audit-checkpoint:v1:${seq}:${hash}:${signedAt.toISOString()}`, 'utf8');
}
