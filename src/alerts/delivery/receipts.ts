import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { DeliveryStatus } from '../alerts.tables.js';
import { deliveryFrom } from '../alert-lifecycle.policy.js';

/** A provider's receipt for one delivery: the status it reports and why it failed, if it did. */
export interface Receipt {
  deliveryId: string;
  status: Extract<DeliveryStatus, 'sent' | 'delivered' | 'temporary_failure' | 'permanent_failure'>;
  /** The provider's id of the message the receipt is about (Twilio MessageSid or CallSid). */
  providerMessageId: string | null;
  code: string | null;
  error: string | null;
  /** temporary_failure: when to send again. */
  retryAfterSeconds: number;
}

/** What became of a receipt: recorded, or ignored as late, duplicate or about another attempt. */
export type ReceiptResult = 'applied' | 'ignored';

/** A receipt waiting for its write, and who waits for the answer. */
interface Waiting {
  receipt: Receipt;
  resolve: (result: ReceiptResult) => void;
  reject: (error: unknown) => void;
}

/** The most receipts one statement writes: about 100 KB of parameters. */
const maxReceiptsPerWrite = 500;

/**
 * Record receipts in one statement, each a compare-and-set update guarded by the allowed
 * transitions: a late or duplicate receipt (the delivery already moved past the state it could
 * come from) changes nothing. A failure receipt applies only to the attempt it is about: when the
 * delivery was sent again and accepted under another provider id, the old attempt's failure is
 * ignored. Success receipts count whichever attempt they are about: the person got the message.
 * The provider's id is left for the dispatcher to record with the acceptance, which may come after
 * the receipt. At most one receipt per delivery, so each row is checked against the status it has.
 * Returns the ids of the deliveries it changed.
 */
async function applyReceipts(db: Db, receipts: readonly Receipt[]): Promise<Set<string>> {
  const column = <T>(pick: (r: Receipt) => T) => receipts.map(pick);
  const result = await sql<{ id: string }>`
    update deliveries d set
      status = r.status,
      sent_at = coalesce(d.sent_at, now()),
      delivered_at = case when r.status = 'delivered' then now() else d.delivered_at end,
      error_code = coalesce(r.code, d.error_code),
      last_error = coalesce(r.error, d.last_error),
      next_attempt_at = case when r.status = 'temporary_failure'
                             then now() + make_interval(secs => r.retry_after) else null end,
      updated_at = now()
    from unnest(
      ${column((r) => r.deliveryId)}::uuid[],
      ${column((r) => r.status)}::text[],
      ${column((r) => deliveryFrom(r.status).join(','))}::text[],
      ${column((r) => r.providerMessageId)}::text[],
      ${column((r) => r.code)}::text[],
      ${column((r) => r.error)}::text[],
      ${column((r) => r.retryAfterSeconds)}::int[]
    ) as r(id, status, allowed_from, provider_message_id, code, error, retry_after)
    where d.id = r.id
      and d.status = any(string_to_array(r.allowed_from, ','))
      and (r.status not in ('temporary_failure', 'permanent_failure') or d.provider_message_id is null
           or r.provider_message_id is null or d.provider_message_id = r.provider_message_id)
    returning d.id`.execute(db);
  return new Set(result.rows.map((row) => row.id));
}

/**
 * Receipts written together (group commit): a receipt that finds no write running is written at
 * once, alone; those that arrive while a write runs wait for it and go in the next statement, up
 * to 500. So a lone receipt waits no longer than before, and the thousands per second of a
 * campus-wide alert cost a statement and a commit per batch instead of one each. Every caller is
 * answered only after its receipt is committed (a provider told 200 never loses its receipt to a
 * crash). Two receipts for one delivery never share a statement: the later one goes in the next,
 * in arrival order. A statement that fails (a deadlock with an outcome write, say) is retried
 * receipt by receipt, so each caller gets its own answer or error.
 */
export function receiptWriter(db: Db) {
  let next = new Map<string, Waiting>();
  let overflow: Waiting[] = [];
  /** How many receipts of each delivery wait in `overflow`: a later one may not overtake them. */
  let later = new Map<string, number>();
  let writing = false;

  /** Queue a receipt for the next statement, or after it when its delivery already has one waiting. */
  function enqueue(waiting: Waiting) {
    const id = waiting.receipt.deliveryId.toLowerCase();
    if (next.has(id) || next.size >= maxReceiptsPerWrite || later.has(id)) {
      overflow.push(waiting);
      later.set(id, (later.get(id) ?? 0) + 1);
    } else next.set(id, waiting);
  }

  /** Write the batch and answer each caller; a failed batch of several is written again one by one. */
  async function writeBatch(batch: Waiting[]): Promise<void> {
    try {
      const applied = await applyReceipts(
        db,
        batch.map((w) => w.receipt),
      );
      for (const w of batch)
        w.resolve(applied.has(w.receipt.deliveryId.toLowerCase()) ? 'applied' : 'ignored');
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      for (const w of batch) await writeBatch([w]);
    }
  }

  async function drain() {
    writing = true;
    try {
      while (next.size > 0) {
        const batch = [...next.values()];
        next = new Map();
        const waiting = overflow;
        overflow = [];
        later = new Map();
        for (const w of waiting) enqueue(w);
        await writeBatch(batch);
      }
    } finally {
      writing = false;
    }
  }

  return {
    /** Record a receipt; resolves once it is committed, with what became of it. */
    apply(receipt: Receipt): Promise<ReceiptResult> {
      return new Promise<ReceiptResult>((resolve, reject) => {
        enqueue({ receipt, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}

const writers = new WeakMap<Db, ReturnType<typeof receiptWriter>>();

/** The process's receipt writer for this database. */
export function receiptWriterFor(db: Db): ReturnType<typeof receiptWriter> {
  let writer = writers.get(db);
  if (!writer) {
    writer = receiptWriter(db);
    writers.set(db, writer);
  }
  return writer;
}
