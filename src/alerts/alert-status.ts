import type { Queryable } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';

/** An alert with its messages and delivery counts per channel and status. */
export async function alertStatus(q: Queryable, alertId: string) {
  const alert = await q.selectFrom('alerts').selectAll().where('id', '=', alertId).executeTakeFirst();
  if (!alert) throw notFound('Alert');
  const counts = await q
    .selectFrom('deliveries')
    .select(['channel', 'status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('alert_id', '=', alertId)
    .groupBy(['channel', 'status'])
    .execute();
  const messages = await q
    .selectFrom('alert_messages')
    .select(['id', 'sequence', 'message_type', 'template_version', 'content', 'created_at'])
    .where('alert_id', '=', alertId)
    .orderBy('sequence')
    .execute();
  const channels: Record<string, Record<string, number>> = {};
  for (const c of counts) (channels[c.channel] ??= {})[c.status] = Number(c.n);
  return {
    id: alert.id,
    kind: alert.kind,
    status: alert.status,
    hazard: alert.hazard,
    templateVersion: alert.template_version,
    audience: alert.audience,
    audienceReason: alert.audience_reason,
    channels: alert.channels,
    record: {
      confirmedBy: alert.confirmed_by,
      confirmationSource: alert.confirmation_source,
      confirmedAt: alert.confirmed_at?.toISOString() ?? null,
      initiatedAt: alert.initiated_at?.toISOString() ?? null,
      delayReason: alert.delay_reason,
      delayDecidedBy: alert.delay_decided_by,
    },
    sentBy: alert.sent_by,
    createdAt: alert.created_at.toISOString(),
    messages: messages.map((m) => ({
      id: m.id,
      sequence: m.sequence,
      type: m.message_type,
      templateVersion: m.template_version,
      content: m.content,
      createdAt: m.created_at.toISOString(),
    })),
    deliveries: channels,
  };
}
