import { sql } from 'kysely';
import type { Queryable } from '../platform/db/database.js';

export interface AuditFilter {
  limit: number;
  beforeSeq?: string;
  action?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  outcome?: 'success' | 'denied' | 'failure';
  /** Only rows at or after this time. */
  since?: Date;
  /** Only rows before this time. */
  until?: Date;
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
  if (f.since) query = query.where('occurred_at', '>=', f.since);
  if (f.until) query = query.where('occurred_at', '<', f.until);
  return query.execute();
}

/**
 * When each target last had a successful `action` (e.g. auth.sign_in per operator), for many
 * targets at once; targets without one are absent. One index probe per target, newest first.
 */
export async function latestSuccessPerTarget(
  q: Queryable,
  action: string,
  targetType: string,
  targetIds: readonly string[],
): Promise<Map<string, Date>> {
  if (targetIds.length === 0) return new Map();
  const { rows } = await sql<{ id: string; occurred_at: Date }>`
    select t.id, latest.occurred_at
    from unnest(${[...targetIds]}::text[]) as t(id)
    cross join lateral (
      select occurred_at from audit_log
      where target_type = ${targetType} and target_id = t.id and action = ${action} and outcome = 'success'
      order by seq desc
      limit 1
    ) as latest`.execute(q);
  return new Map(rows.map((r) => [r.id, r.occurred_at]));
}
