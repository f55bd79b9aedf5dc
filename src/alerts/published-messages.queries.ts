import { sql } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import type { AlertKind, AlertStatus, MessageContent, MessageType } from './alerts.tables.js';
import type { AlertContent } from './rendering/alert-content.js';

/** The channels that make an alert public: the page and feeds, signage, CAP consumers. */
const publicChannels = ['public_page', 'signage', 'cap'] as const;

/**
 * One published message: a message of an alert sent to a public channel, with what the public
 * site's renderers need and nothing more (no audience, no sender, no Clery record).
 */
export interface PublishedMessageRow {
  alertId: string;
  kind: AlertKind;
  status: AlertStatus;
  hazard: string;
  channels: string[];
  alertCreatedAt: Date;
  closedAt: Date | null;
  acknowledgementRequested: boolean;
  messageId: string;
  sequence: number;
  messageType: MessageType;
  content: MessageContent;
  sentAt: Date;
  templateName: string;
  cap: AlertContent['hazard']['cap'];
}

/**
 * Every message of every alert that went to a public channel, oldest alert last, messages in order.
 * Escalation calls are private to the people who did not answer; drafts were never sent.
 */
export async function loadPublishedMessages(q: Queryable): Promise<PublishedMessageRow[]> {
  const { rows } = await sql<{
    alert_id: string;
    kind: AlertKind;
    status: AlertStatus;
    hazard: string;
    channels: string[];
    alert_created_at: Date;
    closed_at: Date | null;
    acknowledgement_requested: boolean;
    message_id: string;
    sequence: number;
    message_type: MessageType;
    content: MessageContent;
    sent_at: Date;
    template_name: string;
    cap: AlertContent['hazard']['cap'];
  }>`
    select a.id as alert_id, a.kind, a.status, a.hazard, a.channels, a.created_at as alert_created_at,
           a.closed_at, a.acknowledgement_requested,
           m.id as message_id, m.sequence, m.message_type, m.content, m.created_at as sent_at,
           t.name as template_name, v.cap
    from alerts a
    join alert_messages m on m.alert_id = a.id
    join alert_templates t on t.id = m.template_id
    cross join lateral (
      select cap from alert_template_versions v
      where v.template_id = m.template_id and v.version = m.template_version limit 1) v
    where a.channels && ${sql.val([...publicChannels])}::text[]
      and a.status <> 'draft' and m.message_type <> 'escalation'
    order by a.created_at desc, a.id, m.sequence`.execute(q);
  return rows.map((r) => ({
    alertId: r.alert_id,
    kind: r.kind,
    status: r.status,
    hazard: r.hazard,
    channels: r.channels,
    alertCreatedAt: r.alert_created_at,
    closedAt: r.closed_at,
    acknowledgementRequested: r.acknowledgement_requested,
    messageId: r.message_id,
    sequence: r.sequence,
    messageType: r.message_type,
    content: r.content,
    sentAt: r.sent_at,
    templateName: r.template_name,
    cap: r.cap,
  }));
}

/**
 * A short string that changes whenever the published messages do: a message is written, an alert
 * closes. Cheap enough to run every second per server process.
 */
export async function publishedMessagesFingerprint(q: Queryable): Promise<string> {
  const { rows } = await sql<{ fingerprint: string }>`
    select concat_ws('/', count(m.id), max(m.created_at), count(a.closed_at), max(a.closed_at)) as fingerprint
    from alerts a join alert_messages m on m.alert_id = a.id
    where a.channels && ${sql.val([...publicChannels])}::text[] and a.status <> 'draft'`.execute(q);
  return rows[0]?.fingerprint ?? '';
}
