import type { Actor, RequestMeta } from './actor.js';
import type { Trx } from './db/database.js';

/** How an audited action ended. */
export type AuditOutcome = 'success' | 'denied' | 'failure';

/** One audit row as a caller describes it: who did what to which record, and what changed. */
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
 * Writes one audit row inside the caller's transaction. The audit domain provides it
 * (`writeAudit`); platform code that must audit a change receives it from the composition root.
 */
export type AuditWriter = (trx: Trx, entry: AuditEntry) => Promise<unknown>;
