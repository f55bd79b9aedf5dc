import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';

export interface Accepted {
  id: string;
  provider: string;
  providerMessageId: string | null;
  sender: string | null;
  /** Final on acceptance (outbox, webhooks): delivered rather than sent. */
  final: boolean;
}
export interface Failed {
  id: string;
  provider: string | null;
  error: string;
  code: string | null;
}
export interface Retry extends Failed {
  delayMs: number;
  /** No provider was tried (every circuit open): the claim does not count as an attempt. */
  notAttempted: boolean;
}

/**
 * Bulk compare-and-set writes of a batch's outcomes: one statement per kind, each guarded by
 * `status = 'sending'` so a late worker or a duplicate never moves a delivery backwards. A receipt
 * that arrived before acceptance was recorded (fast providers) keeps its status; the provider's
 * message id is filled in anyway.
 */
export async function recordAccepted(db: Db, rows: readonly Accepted[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    update deliveries d set
      status = case when d.status = 'sending' then (case when u.final then 'delivered' else 'sent' end) else d.status end,
      provider = u.provider, provider_message_id = coalesce(u.pmid, d.provider_message_id), sender = u.sender,
      sent_at = coalesce(d.sent_at, now()),
      delivered_at = case when u.final and d.status = 'sending' then now() else d.delivered_at end,
      next_attempt_at = null, updated_at = now()
    from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.provider)}::text[],
                ${rows.map((r) => r.providerMessageId)}::text[], ${rows.map((r) => r.sender)}::text[],
                ${rows.map((r) => r.final)}::boolean[]) as u(id, provider, pmid, sender, final)
    where d.id = u.id
      and (d.status = 'sending' or (d.provider_message_id is null and d.status in ('sent', 'delivered', 'permanent_failure', 'temporary_failure')))`.execute(
    db,
  );
}

/** Permanent failures: never retried; the error is kept. */
export async function recordPermanent(db: Db, rows: readonly Failed[]): Promise<void> {
  await recordFailures(db, rows, 'permanent_failure');
}

/** Retries past their maximum age: technical_failure with the last error. */
export async function recordTechnical(db: Db, rows: readonly Failed[]): Promise<void> {
  await recordFailures(db, rows, 'technical_failure');
}

async function recordFailures(db: Db, rows: readonly Failed[], status: string): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    update deliveries d set status = ${status}, provider = coalesce(u.provider, d.provider),
      last_error = u.error, error_code = u.code, next_attempt_at = null, updated_at = now()
    from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.provider)}::text[],
                ${rows.map((r) => r.error)}::text[], ${rows.map((r) => r.code)}::text[]) as u(id, provider, error, code)
    where d.id = u.id and d.status = 'sending'`.execute(db);
}

/** Retryable failures: temporary_failure until `next_attempt_at`, when a worker claims them again. */
export async function recordRetries(db: Db, rows: readonly Retry[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    update deliveries d set status = 'temporary_failure', provider = coalesce(u.provider, d.provider),
      last_error = u.error, error_code = u.code,
      next_attempt_at = now() + make_interval(secs => u.delay_ms / 1000.0), updated_at = now(),
      attempts = d.attempts - case when u.not_attempted then 1 else 0 end
    from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.provider)}::text[],
                ${rows.map((r) => r.error)}::text[], ${rows.map((r) => r.code)}::text[],
                ${rows.map((r) => r.delayMs)}::int[], ${rows.map((r) => r.notAttempted)}::boolean[])
           as u(id, provider, error, code, delay_ms, not_attempted)
    where d.id = u.id and d.status = 'sending'`.execute(db);
}
