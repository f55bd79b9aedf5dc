import { sql } from 'kysely';
import { writeAudit } from '../../audit/write-audit.js';
import type { Actor, RequestMeta } from '../../platform/actor.js';
import type { Queryable, Trx } from '../../platform/db/database.js';
import type { AcknowledgementsTable } from '../alerts.tables.js';
import { smsActor } from './sms-actor.js';

export type AcknowledgementResponse = AcknowledgementsTable['response'];

/** Who answered which alert (null: no open alert asked this number or delivery for an answer). */
export interface RecordedAcknowledgement {
  alertId: string;
  campusId: string;
  personIds: string[];
}

async function auditAcknowledgement(
  trx: Trx,
  actor: Actor,
  recorded: RecordedAcknowledgement,
  answer: { response: AcknowledgementResponse; channel: string },
  request?: RequestMeta,
): Promise<void> {
  await writeAudit(trx, {
    actor,
    action: 'alert.acknowledge',
    target: { type: 'alert', id: recorded.alertId },
    campusId: recorded.campusId,
    after: { ...answer, personIds: recorded.personIds },
    request,
  });
}

/**
 * A "1" or "2" by SMS: answer for every person the most recent open alert that asked for
 * acknowledgements texted at this number within the window (a shared phone answers for everyone
 * it was texted for). A later answer replaces an earlier one.
 */
export async function acknowledgeBySms(
  trx: Trx,
  phone: string,
  response: AcknowledgementResponse,
  windowHours: number,
): Promise<RecordedAcknowledgement | null> {
  const rows = await sql<{ alert_id: string; campus_id: string; person_id: string }>`
    with target as (
      select d.alert_id, a.campus_id from deliveries d join alerts a on a.id = d.alert_id
      where d.channel = 'sms' and d.address = ${phone} and d.person_id is not null
        and d.status not in ('suppressed', 'cancelled')
        and d.created_at > now() - make_interval(hours => ${windowHours}::int)
        and a.acknowledgement_requested and a.status <> 'closed'
      order by d.created_at desc limit 1),
    chosen as (
      select distinct on (d.person_id) d.alert_id, d.person_id, d.id
      from deliveries d join target t on t.alert_id = d.alert_id
      where d.channel = 'sms' and d.address = ${phone} and d.person_id is not null
        and d.status not in ('suppressed', 'cancelled')
      order by d.person_id, d.created_at desc),
    saved as (
      insert into acknowledgements (alert_id, person_id, response, channel, delivery_id)
      select alert_id, person_id, ${response}, 'sms', id from chosen
      on conflict (alert_id, person_id) do update
        set response = excluded.response, channel = excluded.channel,
            delivery_id = excluded.delivery_id, responded_at = now()
      returning alert_id, person_id)
    select s.alert_id, t.campus_id, s.person_id from saved s join target t on t.alert_id = s.alert_id`.execute(
    trx,
  );
  const first = rows.rows[0];
  if (!first) return null;
  const recorded = {
    alertId: first.alert_id,
    campusId: first.campus_id,
    personIds: rows.rows.map((r) => r.person_id),
  };
  await auditAcknowledgement(trx, smsActor(phone), recorded, { response, channel: 'sms' });
  return recorded;
}

/** Why a delivery's link cannot record an answer. */
export type LinkRefusal = 'not_found' | 'not_requested' | 'closed';

// A key pressed on an office phone's call is a voice answer.
const answerChannel = (channel: string): AcknowledgementsTable['channel'] =>
  channel === 'office_phones'
    ? 'voice'
    : channel === 'sms' || channel === 'email' || channel === 'voice'
      ? channel
      : 'web';

/** A delivery an acknowledgement link may answer for. */
export interface LinkDelivery {
  id: string;
  alert_id: string;
  person_id: string;
  channel: string;
  language: string;
  campus_id: string;
}

/** The delivery an acknowledgement link was made for, with its alert, or why it cannot answer. */
export async function linkTarget(
  q: Queryable,
  deliveryId: string,
): Promise<{ delivery: LinkDelivery; refusal?: never } | { refusal: LinkRefusal; delivery?: never }> {
  const row = await q
    .selectFrom('deliveries as d')
    .innerJoin('alerts as a', 'a.id', 'd.alert_id')
    .select([
      'd.id',
      'd.alert_id',
      'd.person_id',
      'd.channel',
      'd.language',
      'a.campus_id',
      'a.status',
      'a.acknowledgement_requested',
    ])
    .where('d.id', '=', deliveryId)
    .executeTakeFirst();
  if (!row || row.person_id === null) return { refusal: 'not_found' };
  if (!row.acknowledgement_requested) return { refusal: 'not_requested' };
  if (row.status === 'closed') return { refusal: 'closed' };
  const { status: _status, acknowledgement_requested: _requested, ...delivery } = row;
  return { delivery: { ...delivery, person_id: row.person_id } };
}

/** An answer through the link of one delivery (email "I am safe" / "I need help"); replaces an earlier one. */
export async function acknowledgeDelivery(
  trx: Trx,
  deliveryId: string,
  response: AcknowledgementResponse,
  request: RequestMeta,
): Promise<{ recorded: RecordedAcknowledgement } | { refusal: LinkRefusal }> {
  const target = await linkTarget(trx, deliveryId);
  if (!target.delivery) return { refusal: target.refusal };
  const d = target.delivery;
  const channel = answerChannel(d.channel);
  await trx
    .insertInto('acknowledgements')
    .values({ alert_id: d.alert_id, person_id: d.person_id, response, channel, delivery_id: d.id })
    .onConflict((oc) =>
      oc.columns(['alert_id', 'person_id']).doUpdateSet({
        response,
        channel,
        delivery_id: d.id,
        responded_at: sql`now()`,
      }),
    )
    .execute();
  const recorded = { alertId: d.alert_id, campusId: d.campus_id, personIds: [d.person_id] };
  const actor: Actor = { type: 'anonymous', id: null, label: `${channel} acknowledgement link` };
  await auditAcknowledgement(trx, actor, recorded, { response, channel }, request);
  return { recorded };
}
