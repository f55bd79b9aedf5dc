import { sql } from 'kysely';
import { writeAudit } from '../../audit/write-audit.js';
import { systemActor, type RequestMeta } from '../../platform/actor.js';
import type { Trx } from '../../platform/db/database.js';
import type { CapAlert } from './cap-alert.js';
import { moveInboundCap, relayedAlertFor, type InboundCapRow } from './inbound-cap.queries.js';
import type { InboundCapStatus } from './inbound-cap.tables.js';

/** A message just stored, pending. */
interface Stored {
  id: string;
  campus_id: string;
  /** 'api' or the feed's URL. */
  source: string;
}

/** Who the queue names for what Tocsin set aside by itself. */
const supersededBy = 'tocsin (superseded)';

/**
 * Keep the queue from offering what its sender has replaced or withdrawn, in the transaction that
 * stores a new pending message (`row`, read as `alert`). Only messages of the same sender from the
 * same source count (the same feed, or POSTs): a document's sender is only what it says, so one
 * source can never set aside another's warnings.
 * - the pending messages an Update or Cancel references are dismissed: an operator must never
 *   relay a warning that was since updated or cancelled (the Update itself stays pending);
 * - a Cancel that references no relayed message is dismissed too: there is no Tocsin alert to
 *   give the all-clear, and what it cancels is set aside with it;
 * - a message that an Update or Cancel already stored references (a feed brought them out of
 *   order) is dismissed on arrival.
 * Each is audited, as done by Tocsin. Returns the new message's status afterwards.
 */
export async function supersedeInboundCap(
  trx: Trx,
  row: Stored,
  alert: CapAlert,
  now: Date,
  request: RequestMeta,
): Promise<InboundCapStatus> {
  const by = `${alert.msgType} ${alert.identifier} from ${alert.sender}`;
  if (alert.msgType === 'Update' || alert.msgType === 'Cancel') {
    const referenced = await pendingReferenced(trx, row, alert);
    const verb = alert.msgType === 'Cancel' ? 'Cancelled' : 'Replaced';
    for (const old of referenced)
      await setAside(trx, old, `${verb} by its sender: ${by}.`, now, request, row.id);
    if (alert.msgType === 'Cancel' && !(await relayedAlertFor(trx, row.campus_id, alert.referencesList))) {
      await setAside(
        trx,
        row,
        'Cancels CAP messages Tocsin never relayed, so there is no alert to give the all-clear; what it cancels was set aside.',
        now,
        request,
        row.id,
      );
      return 'dismissed';
    }
  }
  const later = await laterReference(trx, row, alert);
  if (later) {
    await setAside(
      trx,
      row,
      `Arrived after its sender had already sent ${later.msg_type} ${later.identifier} for it.`,
      now,
      request,
      later.id,
    );
    return 'dismissed';
  }
  return 'pending';
}

/**
 * The other messages that may act on the new one or be acted on by it: the same sender's, from
 * the same source, on the same campus (a sender is only what a document says).
 */
function sameSenderAndSource(trx: Trx, row: Stored, alert: CapAlert) {
  return trx
    .selectFrom('inbound_cap')
    .selectAll()
    .where('campus_id', '=', row.campus_id)
    .where('sender', '=', alert.sender)
    .where('source', '=', row.source)
    .where('id', '!=', row.id);
}

/** The still-pending messages that the new message references. */
function pendingReferenced(trx: Trx, row: Stored, alert: CapAlert): Promise<InboundCapRow[]> {
  const refs = alert.referencesList.filter((r) => r.sender === alert.sender);
  if (refs.length === 0) return Promise.resolve([]);
  return sameSenderAndSource(trx, row, alert)
    .where('status', '=', 'pending')
    .where(
      'identifier',
      'in',
      refs.map((r) => r.identifier),
    )
    .orderBy('seq')
    .forUpdate()
    .execute();
}

/** A stored Update or Cancel that references the new message, the latest. */
function laterReference(trx: Trx, row: Stored, alert: CapAlert): Promise<InboundCapRow | undefined> {
  const reference = JSON.stringify([{ sender: alert.sender, identifier: alert.identifier }]);
  return sameSenderAndSource(trx, row, alert)
    .where('msg_type', 'in', ['Update', 'Cancel'])
    .where(sql<boolean>`parsed -> 'referencesList' @> ${reference}::jsonb`)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

async function setAside(
  trx: Trx,
  row: Stored,
  reason: string,
  now: Date,
  request: RequestMeta,
  causeId: string,
): Promise<void> {
  const moved = await moveInboundCap(trx, row.id, 'dismissed', {
    dismiss_reason: reason,
    handled_by: supersededBy,
    handled_at: now,
  });
  // Relayed or dismissed by an operator meanwhile: theirs stands.
  if (!moved) return;
  await writeAudit(trx, {
    actor: systemActor,
    action: 'inbound_cap.supersede',
    target: { type: 'inbound_cap', id: row.id },
    campusId: row.campus_id,
    before: { status: 'pending' },
    after: { status: 'dismissed', reason },
    metadata: { cause: causeId },
    request,
  });
}
