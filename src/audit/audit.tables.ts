import type { ColumnType, Generated } from 'kysely';
import type { ActorType } from '../platform/actor.js';
import type { AuditOutcome } from '../platform/audit-writer.js';

type Json = ColumnType<unknown, string | null, string | null>;

export interface AuditLogTable {
  seq: string;
  occurred_at: Date;
  actor_type: ActorType;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  campus_id: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  request_id: string | null;
  before: Json;
  after: Json;
  metadata: Json;
  prev_hash: string;
  hash: string;
}

interface AuditCheckpointsTable {
  id: Generated<string>;
  seq: string;
  hash: string;
  signed_at: Date;
  public_key: string;
  signature: string;
}

export interface AuditTables {
  audit_log: AuditLogTable;
  audit_checkpoints: AuditCheckpointsTable;
}
