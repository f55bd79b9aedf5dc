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

/**
 * Record a receipt with one compare-and-set update guarded by the allowed transitions: a late or
 * duplicate receipt (the delivery already moved past the state it could come from) changes
 * nothing. A failure receipt applies only to the attempt it is about: when the delivery was sent
 * again and accepted under another provider id, the old attempt's failure is ignored. Success
 * receipts count whichever attempt they are about: the person got the message. The provider's
 * id is left for the dispatcher to record with the acceptance, which may come after the receipt.
 */
export async function applyReceipt(db: Db, receipt: Receipt): Promise<ReceiptResult> {
  const failure = receipt.status === 'temporary_failure' || receipt.status === 'permanent_failure';
  const result = await sql<{ id: string }>`
    update deliveries d set
      status = ${receipt.status},
      sent_at = coalesce(d.sent_at, now()),
      delivered_at = case when ${receipt.status} = 'delivered' then now() else d.delivered_at end,
      error_code = coalesce(${receipt.code}, d.error_code),
      last_error = coalesce(${receipt.error}, d.last_error),
      next_attempt_at = case when ${receipt.status} = 'temporary_failure'
                             then now() + make_interval(secs => ${receipt.retryAfterSeconds}) else null end,
      updated_at = now()
    where d.id = ${receipt.deliveryId}
      and d.status = any(${deliveryFrom(receipt.status)}::text[])
      and (not ${failure} or d.provider_message_id is null or ${receipt.providerMessageId}::text is null
           or d.provider_message_id = ${receipt.providerMessageId})
    returning d.id`.execute(db);
  return result.rows.length > 0 ? 'applied' : 'ignored';
}
