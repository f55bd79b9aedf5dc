import { writeAudit } from '../../audit/write-audit.js';
import type { Trx } from '../../platform/db/database.js';
import { smsStopReason } from '../../directory/opt-out-reasons.js';
import { smsActor } from './sms-actor.js';

/** What a STOP or START changed for a number. */
export interface OptChange {
  /** SMS contacts with this number (any person). */
  known: number;
  /** Contacts this keyword changed. */
  changed: number;
  /** Contacts still opted out afterwards (START leaves opt-outs made for other reasons). */
  optedOut: number;
}

type ContactRow = { id: string; person_id: string; campus_id: string };

async function smsContactsOf(trx: Trx, phone: string) {
  return trx
    .selectFrom('contacts')
    .select(['id', 'opted_out_at'])
    .where('channel', '=', 'sms')
    .where('address', '=', phone)
    .execute();
}

async function auditEach(trx: Trx, phone: string, action: string, rows: ContactRow[], after: object) {
  for (const row of rows)
    await writeAudit(trx, {
      actor: smsActor(phone),
      action,
      target: { type: 'person', id: row.person_id },
      campusId: row.campus_id,
      after: { contactId: row.id, channel: 'sms', ...after },
    });
}

/**
 * STOP: opt every SMS contact with this number out (whoever's it is), reason `sms_stop`, one audit
 * row per contact. Fan-out then turns them into suppressed deliveries with the reason.
 */
export async function optOutNumber(trx: Trx, phone: string, at: Date): Promise<OptChange> {
  const rows = await trx
    .updateTable('contacts as c')
    .from('people as p')
    .set({ opted_out_at: at, opt_out_reason: smsStopReason, updated_at: at })
    .whereRef('p.id', '=', 'c.person_id')
    .where('c.channel', '=', 'sms')
    .where('c.address', '=', phone)
    .where('c.opted_out_at', 'is', null)
    .returning(['c.id', 'c.person_id', 'p.campus_id'])
    .execute();
  await auditEach(trx, phone, 'contact.opt_out', rows, { reason: smsStopReason });
  const all = await smsContactsOf(trx, phone);
  return { known: all.length, changed: rows.length, optedOut: all.filter((c) => c.opted_out_at).length };
}

/** START: undo the SMS STOP opt-outs of this number (not opt-outs made for other reasons), audited. */
export async function optInNumber(trx: Trx, phone: string, at: Date): Promise<OptChange> {
  const rows = await trx
    .updateTable('contacts as c')
    .from('people as p')
    .set({ opted_out_at: null, opt_out_reason: null, updated_at: at })
    .whereRef('p.id', '=', 'c.person_id')
    .where('c.channel', '=', 'sms')
    .where('c.address', '=', phone)
    .where('c.opt_out_reason', '=', smsStopReason)
    .returning(['c.id', 'c.person_id', 'p.campus_id'])
    .execute();
  await auditEach(trx, phone, 'contact.opt_in', rows, { reason: null });
  const all = await smsContactsOf(trx, phone);
  return { known: all.length, changed: rows.length, optedOut: all.filter((c) => c.opted_out_at).length };
}
