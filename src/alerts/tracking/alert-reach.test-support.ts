import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { DeliveryStatus } from '../alerts.tables.js';
import { sendTrackedTestAlert } from './tracking.test-support.js';

/** One delivery to a real contact of a person, its times in ms after the message's creation. */
interface PersonDelivery {
  personId: string;
  channel: 'sms' | 'voice' | 'email';
  address: string;
  status: DeliveryStatus;
  sentAfterMs?: number;
  deliveredAfterMs?: number;
  reason?: string;
}

/**
 * Insert deliveries exactly as given (tests only): the states a reach or a report is about, taken
 * by a real network's provider (Twilio, SMTP), since what the outbox holds reached nobody.
 */
export async function insertPersonDeliveries(ctx: AppContext, messageId: string, rows: PersonDelivery[]) {
  for (const r of rows) {
    const failed = ['permanent_failure', 'technical_failure'].includes(r.status);
    await sql`
      insert into deliveries (alert_id, message_id, person_id, channel, address, language, template_version, priority,
        status, suppression_reason, error_code, last_error, provider, sent_at, delivered_at)
      select m.alert_id, m.id, ${r.personId}::uuid, ${r.channel}, ${r.address}, 'en', m.template_version, 20,
        ${r.status}, ${r.status === 'suppressed' ? (r.reason ?? 'opted_out: sms_stop') : null},
        ${failed ? '30003' : null}, ${failed ? (r.reason ?? 'Unreachable destination handset') : null},
        ${r.status === 'suppressed' ? null : r.channel === 'email' ? 'smtp' : 'twilio'},
        m.created_at + ${r.sentAfterMs ?? null}::float8 * interval '1 millisecond',
        m.created_at + ${r.deliveredAfterMs ?? null}::float8 * interval '1 millisecond'
      from alert_messages m where m.id = ${messageId}`.execute(ctx.db);
  }
}

/** A person of the demo campus with their SMS and email addresses. */
async function personWithContacts(ctx: AppContext, index: number) {
  const person = await ctx.db
    .selectFrom('people')
    .select(['id', 'display_name'])
    .where('deactivated_at', 'is', null)
    .orderBy('id')
    .offset(index)
    .limit(1)
    .executeTakeFirstOrThrow();
  const contacts = await ctx.db
    .selectFrom('contacts')
    .select(['channel', 'address'])
    .where('person_id', '=', person.id)
    .execute();
  const sms = contacts.find((c) => c.channel === 'sms')?.address ?? `+1617555${String(1000 + index)}`;
  const email = contacts.find((c) => c.channel === 'email')?.address ?? `person${index}@mit.edu`;
  return { id: person.id, name: person.display_name, sms, email };
}

/**
 * A sent test alert whose first message found five people in five situations:
 * A: SMS technical failure, email still pending (unreached; the SMS is re-sent);
 * B: SMS failed permanently, email suppressed (unreached; nothing to re-send);
 * C: SMS delivered, email failed permanently (reached);
 * D: email technical failure, but the person has opted out of that email since (unreached; not re-sent);
 * E: voice cancelled (unreached; re-sent).
 */
export async function reachScenario(ctx: AppContext) {
  const sent = await sendTrackedTestAlert(ctx, { channels: ['sms', 'email', 'voice'] });
  const [a, b, c, d, e] = await Promise.all([0, 1, 2, 3, 4].map((i) => personWithContacts(ctx, i)));
  await insertPersonDeliveries(ctx, sent.messageId, [
    {
      personId: a!.id,
      channel: 'sms',
      address: a!.sms,
      status: 'technical_failure',
      reason: 'Provider down',
    },
    { personId: a!.id, channel: 'email', address: a!.email, status: 'queued' },
    { personId: b!.id, channel: 'sms', address: b!.sms, status: 'permanent_failure', sentAfterMs: 900 },
    { personId: b!.id, channel: 'email', address: b!.email, status: 'suppressed' },
    {
      personId: c!.id,
      channel: 'sms',
      address: c!.sms,
      status: 'delivered',
      sentAfterMs: 1200,
      deliveredAfterMs: 3400,
    },
    {
      personId: c!.id,
      channel: 'email',
      address: c!.email,
      status: 'permanent_failure',
      reason: `550 <${c!.email}>: no such user`,
    },
    { personId: d!.id, channel: 'email', address: d!.email, status: 'technical_failure' },
    { personId: e!.id, channel: 'voice', address: e!.sms, status: 'cancelled' },
  ]);
  const optedOut = await ctx.db
    .updateTable('contacts')
    .set({ opted_out_at: new Date(), opt_out_reason: 'unsubscribe_link' })
    .where('person_id', '=', d!.id)
    .where('channel', '=', 'email')
    .where('address', '=', d!.email)
    .executeTakeFirst();
  if (Number(optedOut.numUpdatedRows) !== 1) throw new Error('the demo person D has no email contact');
  return { ...sent, a: a!, b: b!, c: c!, d: d!, e: e! };
}
