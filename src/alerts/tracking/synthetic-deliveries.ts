import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.js';
import type { DeliveryStatus } from '../alerts.tables.js';

/** One delivery with times relative to its message's creation (tests and benchmarks only). */
export interface SyntheticDelivery {
  channel: string;
  status: DeliveryStatus;
  sentAfterMs?: number;
  deliveredAfterMs?: number;
  provider?: string;
  sender?: string;
  errorCode?: string;
  lastError?: string;
  suppressionReason?: string;
  personId?: string;
}

/**
 * Insert deliveries of a message exactly as given, bypassing fan-out and providers, with one
 * unnest insert: tests check counts and percentiles against known timestamps.
 */
export async function insertDeliveries(
  q: Queryable,
  messageId: string,
  rows: SyntheticDelivery[],
): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(pick: (r: SyntheticDelivery) => T | undefined) => rows.map((r) => pick(r) ?? null);
  await sql`
    insert into deliveries (alert_id, message_id, person_id, channel, address, language, template_version,
      priority, status, provider, sender, error_code, last_error, suppression_reason, sent_at, delivered_at)
    select m.alert_id, m.id, r.person_id, r.channel, 'synthetic-' || r.n, 'en', m.template_version, 0,
      r.status, r.provider, r.sender, r.error_code, r.last_error, r.suppression_reason,
      m.created_at + r.sent_ms * interval '1 millisecond', m.created_at + r.delivered_ms * interval '1 millisecond'
    from alert_messages m,
      unnest(${col((r) => r.channel)}::text[], ${col((r) => r.status)}::text[], ${col((r) => r.provider)}::text[],
             ${col((r) => r.sender)}::text[], ${col((r) => r.errorCode)}::text[], ${col((r) => r.lastError)}::text[],
             ${col((r) => r.suppressionReason)}::text[], ${col((r) => r.sentAfterMs)}::float8[],
             ${col((r) => r.deliveredAfterMs)}::float8[], ${col((r) => r.personId)}::uuid[])
        with ordinality as r(channel, status, provider, sender, error_code, last_error, suppression_reason,
                             sent_ms, delivered_ms, person_id, n)
    where m.id = ${messageId}`.execute(q);
}

/**
 * Insert `count` deliveries of a message spread over `channels` for benchmarks: mostly delivered
 * within 30 s, some only accepted, a few failed or suppressed, spread over two SMS senders.
 */
export async function insertSyntheticDeliveries(
  q: Queryable,
  messageId: string,
  options: { count: number; channels?: string[] },
): Promise<void> {
  const channels = options.channels ?? ['sms', 'email', 'voice'];
  await sql`
    insert into deliveries (alert_id, message_id, channel, address, language, template_version, priority,
      status, provider, sender, error_code, last_error, suppression_reason, sent_at, delivered_at)
    select m.alert_id, m.id, c.channel, 'synthetic-' || g, 'en', m.template_version, 0, s.status,
      case when s.status <> 'suppressed' then 'outbox' end,
      case when s.status <> 'suppressed' then 'sender-' || (g % 2) end,
      case when s.status = 'permanent_failure' then '2121' || (g % 3) end,
      case when s.status = 'permanent_failure' then 'Invalid To number ' || g end,
      case when s.status = 'suppressed' then 'opted_out' end,
      case when s.status in ('sent', 'delivered', 'permanent_failure')
        then m.created_at + (g % 30000) * interval '1 millisecond' end,
      case when s.status = 'delivered' then m.created_at + (g % 30000 + 500) * interval '1 millisecond' end
    from alert_messages m, generate_series(1, ${options.count}) g,
      lateral (select (${channels}::text[])[1 + g % ${channels.length}] as channel) c,
      lateral (select case when g % 100 < 85 then 'delivered' when g % 100 < 95 then 'sent'
                           when g % 100 < 98 then 'permanent_failure' else 'suppressed' end as status) s
    where m.id = ${messageId}`.execute(q);
}
