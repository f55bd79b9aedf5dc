import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.js';
import { outboxProviderName } from '../delivery/outbox-provider.js';
import { deliveryChannels, deliveryStatuses, type DeliveryStatus } from '../alerts.tables.js';

/** Delivery counts by status, one column per status. */
export type StatusCounts = Record<DeliveryStatus, number>;

/** One (message, channel) of an alert: counts, acceptance times and latency percentiles in ms. */
export interface ChannelAggregateRow extends StatusCounts {
  message_id: string;
  channel: string;
  total: number;
  /** Of the delivered: those the outbox provider stored, never handed to a network. */
  in_outbox: number;
  accepted: number;
  accepted_last_5s: number;
  first_accepted_at: Date | null;
  last_accepted_at: Date | null;
  /** [p50, p90, p99] from the message's creation to provider acceptance (sent_at), or null. */
  accept_ms: number[] | null;
  accept_max_ms: number | null;
  /** [p50, p90, p99] from the message's creation to delivery (delivered_at), or null. */
  deliver_ms: number[] | null;
  deliver_max_ms: number | null;
}

const statusColumns = sql.join(
  deliveryStatuses.map((s) => sql`count(*) filter (where d.status = ${s})::int as ${sql.ref(s)}`),
);
// date_part gives float8; extract gives numeric, whose sort makes the percentiles twice as slow.
const ms = (column: string) => sql`date_part('epoch', d.${sql.ref(column)} - m.created_at) * 1000`;
// Time to delivery leaves out what the outbox stored: nothing was delivered to anyone.
const deliveredMs = sql`case when d.provider = ${outboxProviderName} then null else ${ms('delivered_at')} end`;
/**
 * Every (message, channel) of an alert: counts by status, acceptances in the last 5 s and latency
 * percentiles (percentile_cont ignores the NULLs of undelivered rows). One plain aggregate per
 * message and channel over deliveries_message_status_idx: no sort of the alert's rows by group,
 * only the percentiles' own sorts, which stay in memory.
 */
export async function channelAggregates(q: Queryable, alertId: string): Promise<ChannelAggregateRow[]> {
  const result = await sql<ChannelAggregateRow>`
    select m.id as message_id, c.channel, agg.*
    from alert_messages m
    -- every channel a delivery may have: escalation calls go out on voice even when the alert did not
    cross join unnest(${deliveryChannels}::text[]) as c(channel)
    cross join lateral (
      select count(*)::int as total, ${statusColumns},
        count(*) filter (where d.status = 'delivered' and d.provider = ${outboxProviderName})::int as in_outbox,
        count(d.sent_at)::int as accepted,
        count(*) filter (where d.sent_at > now() - interval '5 seconds')::int as accepted_last_5s,
        min(d.sent_at) as first_accepted_at, max(d.sent_at) as last_accepted_at,
        percentile_cont(array[0.5, 0.9, 0.99]) within group (order by ${ms('sent_at')}) as accept_ms,
        max(${ms('sent_at')}) as accept_max_ms,
        percentile_cont(array[0.5, 0.9, 0.99]) within group (order by ${deliveredMs}) as deliver_ms,
        max(${deliveredMs}) as deliver_max_ms
      from deliveries d where d.message_id = m.id and d.channel = c.channel
    ) agg
    where m.alert_id = ${alertId} and agg.total > 0
    order by m.sequence, c.channel`.execute(q);
  return result.rows;
}

/** Delivery counts of an alert per provider, sender and channel (providers are set when a delivery is claimed). */
export interface ProviderCountRow {
  provider: string | null;
  sender: string | null;
  channel: string;
  status: DeliveryStatus;
  n: number;
}

/** Counts per provider, sender, channel and status for an alert. */
export async function providerCounts(q: Queryable, alertId: string): Promise<ProviderCountRow[]> {
  const result = await sql<ProviderCountRow>`
    select provider, sender, channel, status, count(*)::int as n
    from deliveries where alert_id = ${alertId}
    group by provider, sender, channel, status
    order by provider nulls last, sender nulls last, channel, status`.execute(q);
  return result.rows;
}

/** One group of failed or suppressed deliveries sharing a status, channel and reason. */
export interface FailureGroupRow {
  status: DeliveryStatus;
  channel: string;
  reason: string;
  n: number;
  sample_error: string | null;
  sample_delivery_id: string;
}

const failureStatuses = [
  'temporary_failure',
  'permanent_failure',
  'technical_failure',
  'suppressed',
] as const satisfies readonly DeliveryStatus[];

// The first four words of an error ("Mailbox unavailable: user unknown …"), a stable enough key to group by.
const firstWords = String.raw`^\s*(\S+(?:\s+\S+){0,3})`;

/**
 * Failures and suppressions of an alert grouped by reason: the suppression reason, else the
 * provider's error code, else the first four words of the last error, largest groups first.
 */
export async function failureGroups(
  q: Queryable,
  alertId: string,
  limit: number,
): Promise<FailureGroupRow[]> {
  const result = await sql<FailureGroupRow>`
    select status, channel, reason, count(*)::int as n,
      (array_agg(last_error) filter (where last_error is not null))[1] as sample_error,
      (array_agg(id))[1] as sample_delivery_id
    from (
      select id, status, channel, last_error,
        coalesce(suppression_reason, error_code,
                 substring(last_error from ${firstWords}), 'unknown') as reason
      from deliveries
      where alert_id = ${alertId} and status in (${sql.join(failureStatuses)})
    ) f
    group by status, channel, reason
    order by n desc, status, channel, reason
    limit ${limit}`.execute(q);
  return result.rows;
}
