import { sql } from 'kysely';
import { writeAudit } from '../../audit/write-audit.js';
import { systemActor } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import type { Trx } from '../../platform/db/database.js';
import { contactsOnChannels, selectedPeople } from '../../directory/people-selection.js';
import type { AudienceSpec, MessageContent } from '../alerts.tables.js';
import { enqueueDelivery } from '../alerts.jobs.js';
import { resolveAudience } from '../audience.js';
import { priorityOf } from '../priorities.js';

export interface Escalation {
  messageId: string;
  /** Calls queued. */
  calls: number;
  /** Calls not placed because every contact with that number opted out (recorded as suppressed). */
  suppressed: number;
}

type AlertRow = { id: string; campus_id: string; kind: keyof typeof priorityOf; audience: AudienceSpec };

/** Lock the alert and return it when an escalation still applies (asked, not closed, not escalated yet). */
async function escalatable(trx: Trx, alertId: string): Promise<AlertRow | null> {
  const alert = await trx
    .selectFrom('alerts')
    .select([
      'id',
      'campus_id',
      'kind',
      'status',
      'audience',
      'acknowledgement_requested',
      'escalation_minutes',
    ])
    .where('id', '=', alertId)
    .forUpdate()
    .executeTakeFirst();
  if (!alert || alert.status === 'closed' || alert.status === 'draft') return null;
  if (!alert.acknowledgement_requested || alert.escalation_minutes === null) return null;
  const done = await trx
    .selectFrom('alert_messages')
    .select('id')
    .where('alert_id', '=', alertId)
    .where('message_type', '=', 'escalation')
    .executeTakeFirst();
  return done ? null : { ...alert, audience: alert.audience as AudienceSpec };
}

/** The escalation message: the alert's latest content again, as a message of its own. */
async function insertEscalationMessage(trx: Trx, alertId: string) {
  const last = await trx
    .selectFrom('alert_messages')
    .selectAll()
    .where('alert_id', '=', alertId)
    .orderBy('sequence', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return trx
    .insertInto('alert_messages')
    .values({
      alert_id: alertId,
      sequence: last.sequence + 1,
      message_type: 'escalation',
      template_id: last.template_id,
      template_version: last.template_version,
      content: JSON.stringify(last.content),
      created_by: systemActor.label ?? 'tocsin',
      fanned_out_at: sql<Date>`now()`,
    })
    .returning(['id', 'template_version', 'content'])
    .executeTakeFirstOrThrow();
}

/**
 * One voice delivery per (person, number) for everyone in the audience with an SMS or voice
 * contact who has not acknowledged; a number every contact of which opted out (STOP included)
 * becomes a suppressed delivery with the reason.
 */
async function insertCalls(
  ctx: AppContext,
  trx: Trx,
  alert: AlertRow,
  message: { id: string; template_version: number; content: MessageContent },
): Promise<{ queued: number; suppressed: number }> {
  const people = selectedPeople(trx, await resolveAudience(trx, alert.campus_id, alert.audience));
  const phones = contactsOnChannels(trx, ['sms', 'voice']);
  const languages = Object.keys(message.content);
  const primary = ctx.profile.alerts.languages[0]!;
  const result = await sql<{ queued: number; suppressed: number }>`
    with calls as (
      insert into deliveries (alert_id, message_id, person_id, channel, address, language, template_version, priority, status, suppression_reason)
      select ${alert.id}::uuid, ${message.id}::uuid, x.person_id, 'voice', x.address, x.language,
             ${message.template_version}::int, ${priorityOf[alert.kind]}::int, x.status, x.reason
      from (
        select distinct on (p.id, c.address) p.id as person_id, c.address,
               case when p.preferred_language = any(${languages}::text[]) then p.preferred_language else ${primary} end as language,
               case when c.opted_out_at is null then 'queued' else 'suppressed' end as status,
               case when c.opted_out_at is null then null else 'opted_out: ' || coalesce(c.opt_out_reason, 'no reason given') end as reason
        from ${people} p join ${phones} c on c.person_id = p.id
        where not exists (select 1 from acknowledgements k where k.alert_id = ${alert.id} and k.person_id = p.id)
        order by p.id, c.address, c.opted_out_at is not null, c.channel = 'sms') x
      on conflict do nothing
      returning status)
    select count(*) filter (where status = 'queued')::int as queued,
           count(*) filter (where status = 'suppressed')::int as suppressed
    from calls`.execute(trx);
  return result.rows[0] ?? { queued: 0, suppressed: 0 };
}

/**
 * Escalate an alert that asked for acknowledgements: call everyone who has not answered, in one
 * transaction (message, calls, delivery jobs, audit row). Skipped when the alert is closed, did
 * not ask, or was escalated already (a retried job adds nothing).
 */
export async function escalateAlert(ctx: AppContext, alertId: string): Promise<Escalation | null> {
  return ctx.db.transaction().execute(async (trx) => {
    const alert = await escalatable(trx, alertId);
    if (!alert) return null;
    const message = await insertEscalationMessage(trx, alertId);
    const calls = await insertCalls(ctx, trx, alert, message);
    if (calls.queued > 0) {
      await sql`update alerts set status = 'sending', updated_at = now() where id = ${alertId} and status in ('sending', 'sent')`.execute(
        trx,
      );
      await enqueueDelivery(ctx, trx, message.id, ['voice'], priorityOf[alert.kind]);
    }
    await writeAudit(trx, {
      actor: systemActor,
      action: 'alert.escalate',
      target: { type: 'alert', id: alertId },
      campusId: alert.campus_id,
      after: { messageId: message.id, calls: calls.queued, suppressed: calls.suppressed },
    });
    return { messageId: message.id, calls: calls.queued, suppressed: calls.suppressed };
  });
}
