import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { currentWorkerId } from '../../platform/queue/heartbeat.js';

export interface ClaimedDelivery {
  id: string;
  alert_id: string;
  message_id: string;
  person_id: string | null;
  channel: string;
  address: string;
  language: string;
  attempts: number;
  created_at: Date;
  /** The error of the previous attempt, if any. */
  last_error: string | null;
}

/**
 * Claim up to `limit` deliveries of a message and channel that are waiting (queued, or a retry
 * whose time has come) and move them to `sending` (FOR UPDATE SKIP LOCKED: several workers share
 * a send and none takes a row twice), naming this worker. Highest priority first.
 */
export async function claimDeliveries(
  db: Db,
  messageId: string,
  channel: string,
  limit: number,
): Promise<ClaimedDelivery[]> {
  // Queued and due retries apart, each read in order from its index (deliveries_queued_idx walks
  // and stops at the limit); the better of both by priority and age are claimed. Rows locked but not
  // chosen are let go when the statement commits.
  const rows = await sql<ClaimedDelivery>`
    with queued as (
      select id, priority, created_at from deliveries
      where message_id = ${messageId} and channel = ${channel} and status = 'queued'
      order by priority desc, created_at
      limit ${limit}
      for update skip locked),
    due as (
      select id, priority, created_at from deliveries
      where message_id = ${messageId} and channel = ${channel}
        and status = 'temporary_failure' and next_attempt_at <= now()
      order by priority desc, created_at
      limit ${limit}
      for update skip locked)
    update deliveries d set status = 'sending', sending_at = now(), claimed_by = ${currentWorkerId()}::uuid, attempts = d.attempts + 1, updated_at = now()
    where d.id in (
      select id from (select * from queued union all select * from due) w
      order by priority desc, created_at
      limit ${limit})
    returning d.id, d.alert_id, d.message_id, d.person_id, d.channel, d.address, d.language, d.attempts, d.created_at, d.last_error`.execute(
    db,
  );
  return rows.rows;
}

/** Show that a worker still holds these deliveries, so the sweeper leaves them alone. */
export async function touchSending(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`update deliveries set sending_at = now() where id = any(${ids}::uuid[]) and status = 'sending'`.execute(
    db,
  );
}
