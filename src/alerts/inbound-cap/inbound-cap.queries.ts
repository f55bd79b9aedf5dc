import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Queryable, Trx } from '../../platform/db/database.js';
import type { CapReference } from './cap-alert.js';
import { statusesBefore } from './inbound-cap-status.policy.js';
import type { InboundCapStatus, InboundCapTable } from './inbound-cap.tables.js';

export type InboundCapRow = Selectable<InboundCapTable>;

/** Store a message unless its (sender, identifier) is already stored on the campus; null when it was. */
export async function insertInboundCap(
  trx: Trx,
  values: Insertable<InboundCapTable>,
): Promise<{ id: string; status: InboundCapStatus } | null> {
  const row = await trx
    .insertInto('inbound_cap')
    .values(values)
    .onConflict((oc) => oc.columns(['campus_id', 'sender', 'identifier']).doNothing())
    .returning(['id', 'status'])
    .executeTakeFirst();
  return row ?? null;
}

/** The stored message with this sender and identifier on the campus. */
export async function findInboundCap(
  q: Queryable,
  campusId: string,
  sender: string,
  identifier: string,
): Promise<{ id: string; status: InboundCapStatus } | undefined> {
  return q
    .selectFrom('inbound_cap')
    .select(['id', 'status'])
    .where('campus_id', '=', campusId)
    .where('sender', '=', sender)
    .where('identifier', '=', identifier)
    .executeTakeFirst();
}

/** One inbound message with its document. */
export async function loadInboundCap(q: Queryable, id: string): Promise<InboundCapRow | undefined> {
  return q.selectFrom('inbound_cap').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The campus's inbound messages, newest first, optionally of one status, before a keyset `seq`. */
export async function listInboundCap(
  q: Queryable,
  campusId: string,
  filter: { status?: InboundCapStatus; limit: number; beforeSeq?: string },
) {
  let query = q
    .selectFrom('inbound_cap')
    .select([
      'id',
      'seq',
      'sender',
      'identifier',
      'sent_at',
      'cap_status',
      'msg_type',
      'status',
      'source',
      'parsed',
      'expires_at',
      'received_at',
      'alert_id',
      'handled_by',
      'handled_at',
      'dismiss_reason',
    ])
    .where('campus_id', '=', campusId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.beforeSeq) query = query.where('seq', '<', filter.beforeSeq);
  return query.orderBy('seq', 'desc').limit(filter.limit).execute();
}

/**
 * Lock a message for a status change, refusing to wait: two operators acting on one message at
 * once get a clear conflict instead of queueing behind each other.
 */
export async function lockInboundCap(trx: Trx, id: string): Promise<InboundCapRow | undefined> {
  return trx
    .selectFrom('inbound_cap')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .noWait()
    .executeTakeFirst();
}

/**
 * Compare-and-set: move a message to `to` only from a status the transitions table allows.
 * False when it had already moved (stale).
 */
export async function moveInboundCap(
  trx: Trx,
  id: string,
  to: InboundCapStatus,
  set: Omit<Updateable<InboundCapTable>, 'status'>,
): Promise<boolean> {
  const result = await trx
    .updateTable('inbound_cap')
    .set({ ...set, status: to })
    .where('id', '=', id)
    .where('status', 'in', statusesBefore(to))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The Tocsin alert that the referenced messages became, when one of them was relayed (the most
 * recently relayed wins: an update relayed onto an alert carries that alert too).
 */
export async function relayedAlertFor(
  q: Queryable,
  campusId: string,
  references: readonly CapReference[],
): Promise<string | null> {
  if (references.length === 0) return null;
  const row = await q
    .selectFrom('inbound_cap')
    .select('alert_id')
    .where('campus_id', '=', campusId)
    .where('status', '=', 'relayed')
    .where((eb) =>
      eb.or(
        references.map((r) => eb.and([eb('sender', '=', r.sender), eb('identifier', '=', r.identifier)])),
      ),
    )
    .orderBy('handled_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.alert_id ?? null;
}

/** True when this entry of this feed (id and updated time) was already stored. */
export async function feedEntryStored(q: Queryable, source: string, feedEntry: string): Promise<boolean> {
  const row = await q
    .selectFrom('inbound_cap')
    .select('id')
    .where('source', '=', source)
    .where('feed_entry', '=', feedEntry)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Compare-and-set every pending message whose every expiry has passed to expired; their ids. */
export async function expireOverdue(trx: Trx, now: Date): Promise<string[]> {
  const rows = await trx
    .updateTable('inbound_cap')
    .set({ status: 'expired', handled_by: 'tocsin (expired)', handled_at: now })
    .where('status', 'in', statusesBefore('expired'))
    .where('status', '=', 'pending')
    .where('expires_at', '<=', now)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Delete dismissed and expired messages handled before the cut-off; how many. */
export async function purgeHandled(trx: Trx, cutoff: Date): Promise<number> {
  const result = await trx
    .deleteFrom('inbound_cap')
    .where('status', 'in', ['dismissed', 'expired'])
    .where('handled_at', '<', cutoff)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
