import type { Queryable } from '../platform/db/database.js';

export interface AuditFilter {
  limit: number;
  beforeSeq?: string;
  action?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  outcome?: 'success' | 'denied' | 'failure';
}

/** Audit rows newest first, filtered, a page at a time (keyset on seq). */
export function listAuditRows(q: Queryable, f: AuditFilter) {
  let query = q.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(f.limit);
  if (f.beforeSeq) query = query.where('seq', '<', f.beforeSeq);
  if (f.action) query = query.where('action', '=', f.action);
  if (f.actorId) query = query.where('actor_id', '=', f.actorId);
  if (f.targetType) query = query.where('target_type', '=', f.targetType);
  if (f.targetId) query = query.where('target_id', '=', f.targetId);
  if (f.outcome) query = query.where('outcome', '=', f.outcome);
  return query.execute();
}
