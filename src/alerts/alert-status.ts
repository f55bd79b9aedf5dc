import type { Queryable } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';
import { displayNamesOf } from '../identity/operator-names.js';

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
    .select(['id', 'sequence', 'message_type', 'template_version', 'content', 'created_by', 'created_at'])
    .where('alert_id', '=', alertId)
    .orderBy('sequence')
    .execute();
  const template = await q
    .selectFrom('alert_templates')
    .select('name')
    .where('id', '=', alert.template_id)
    .executeTakeFirst();
  const names = await displayNamesOf(q, [alert.sent_by, ...messages.map((m) => m.created_by)]);
  const channels: Record<string, Record<string, number>> = {};
  for (const c of counts) (channels[c.channel] ??= {})[c.status] = Number(c.n);
  return {
    id: alert.id,
    kind: alert.kind,
    status: alert.status,
    hazard: alert.hazard,
    templateId: alert.template_id,
    templateName: template?.name ?? alert.hazard,
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
    sentByName: alert.sent_by ? (names.get(alert.sent_by) ?? alert.sent_by) : null,
    createdAt: alert.created_at.toISOString(),
    closedAt: alert.closed_at?.toISOString() ?? null,
    closeReason: alert.close_reason,
    messages: messages.map((m) => ({
      id: m.id,
      sequence: m.sequence,
      type: m.message_type,
      templateVersion: m.template_version,
      content: m.content,
      createdBy: m.created_by,
      createdByName: names.get(m.created_by) ?? m.created_by,
      createdAt: m.created_at.toISOString(),
    })),
    deliveries: channels,
  };
}
