import { writeAudit } from '../audit/write-audit.js';
import type { Actor } from '../platform/actor.js';
import type { Queryable, Trx } from '../platform/db/database.js';
import type { Channel } from './directory.tables.js';

/** One address on one channel, whoever holds it (several people may share a number). */
export interface HeldAddress {
  channel: Channel;
  address: string;
}

/** The contacts that hold an address: how many, and how many of them are opted out. */
export interface AddressOptOutState {
  known: number;
  optedOut: number;
}

/** What opting an address out or in changed. */
export interface AddressOptChange extends AddressOptOutState {
  /** Contacts this change opted out or in. */
  changed: number;
}

type ChangedContact = { id: string; person_id: string; campus_id: string };

/** How many contacts hold this address on this channel, and how many of those are opted out. */
export async function addressOptOutState(q: Queryable, held: HeldAddress): Promise<AddressOptOutState> {
  const rows = await q
    .selectFrom('contacts')
    .select(['id', 'opted_out_at'])
    .where('channel', '=', held.channel)
    .where('address', '=', held.address)
    .execute();
  return { known: rows.length, optedOut: rows.filter((c) => c.opted_out_at).length };
}

/**
 * Opt every contact with this address out (whoever's it is) for `reason`, in the caller's
 * transaction, with one audit row per contact changed. Contacts already opted out keep theirs.
 */
export async function optOutContactsByAddress(
  trx: Trx,
  actor: Actor,
  held: HeldAddress & { reason: string; at: Date },
): Promise<AddressOptChange> {
  const rows = await trx
    .updateTable('contacts as c')
    .from('people as p')
    .set({ opted_out_at: held.at, opt_out_reason: held.reason, updated_at: held.at })
    .whereRef('p.id', '=', 'c.person_id')
    .where('c.channel', '=', held.channel)
    .where('c.address', '=', held.address)
    .where('c.opted_out_at', 'is', null)
    .returning(['c.id', 'c.person_id', 'p.campus_id'])
    .execute();
  await auditEach(trx, actor, 'contact.opt_out', held.channel, rows, held.reason);
  return { ...(await addressOptOutState(trx, held)), changed: rows.length };
}

/**
 * Undo the opt-outs of this address made for `reason` (opt-outs for other reasons stay), in the
 * caller's transaction, with one audit row per contact changed.
 */
export async function optInContactsByAddress(
  trx: Trx,
  actor: Actor,
  held: HeldAddress & { reason: string; at: Date },
): Promise<AddressOptChange> {
  const rows = await trx
    .updateTable('contacts as c')
    .from('people as p')
    .set({ opted_out_at: null, opt_out_reason: null, updated_at: held.at })
    .whereRef('p.id', '=', 'c.person_id')
    .where('c.channel', '=', held.channel)
    .where('c.address', '=', held.address)
    .where('c.opt_out_reason', '=', held.reason)
    .returning(['c.id', 'c.person_id', 'p.campus_id'])
    .execute();
  await auditEach(trx, actor, 'contact.opt_in', held.channel, rows, null);
  return { ...(await addressOptOutState(trx, held)), changed: rows.length };
}

async function auditEach(
  trx: Trx,
  actor: Actor,
  action: string,
  channel: Channel,
  rows: ChangedContact[],
  reason: string | null,
) {
  for (const row of rows)
    await writeAudit(trx, {
      actor,
      action,
      target: { type: 'person', id: row.person_id },
      campusId: row.campus_id,
      after: { contactId: row.id, channel, reason },
    });
}
