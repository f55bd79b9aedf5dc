import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.js';
import { alertStatus } from '../alert-status.js';
import { inChannelOrder } from '../channel-order.js';
import { outboxProviderName } from '../delivery/outbox-provider.js';
import {
  channelReach,
  reachMessage,
  reachTotals,
  type ChannelReachRow,
  type ReachTotals,
} from './alert-reach.queries.js';
import { channelAggregates, failureGroups, type FailureGroupRow } from './tracking.queries.js';

/** Latency of one channel of the alert's first message, ms from its creation: [p50, p90, p99]. */
export interface ChannelLatency {
  channel: string;
  accepted: number[] | null;
  delivered: number[] | null;
}

/** Everything the after-action summary of an alert shows. */
export interface AfterAction {
  alert: Awaited<ReturnType<typeof alertStatus>>;
  times: { created: Date; firstSent: Date | null; lastDelivered: Date | null };
  reach: { totals: ReachTotals; channels: ChannelReachRow[] };
  latency: ChannelLatency[];
  failures: FailureGroupRow[];
}

/**
 * The after-action summary of an alert: its Clery record and messages, when it was created, first
 * sent and last delivered, reach per channel and latency of the first message (the alert itself),
 * and the largest groups of failures over all its messages.
 */
export async function afterActionSummary(
  q: Queryable,
  alertId: string,
  channelOrder: readonly string[],
): Promise<AfterAction> {
  const alert = await alertStatus(q, alertId);
  const first = await reachMessage(q, alertId, alert.messages[0]!.id);
  const [times, totals, channels, aggregates, failures] = await Promise.all([
    sql<{ first_sent: Date | null; last_delivered: Date | null }>`
      select min(sent_at) as first_sent,
        max(delivered_at) filter (where provider is distinct from ${outboxProviderName}) as last_delivered
      from deliveries where alert_id = ${alertId}`.execute(q),
    reachTotals(q, first),
    channelReach(q, first, channelOrder),
    channelAggregates(q, alertId),
    failureGroups(q, alertId, 8),
  ]);
  const latency = inChannelOrder(aggregates, channelOrder, (a) => a.channel)
    .filter((a) => a.message_id === first.id)
    .map((a) => ({ channel: a.channel, accepted: a.accept_ms, delivered: a.deliver_ms }));
  return {
    alert,
    times: {
      created: new Date(alert.createdAt),
      firstSent: times.rows[0]?.first_sent ?? null,
      lastDelivered: times.rows[0]?.last_delivered ?? null,
    },
    reach: { totals, channels },
    latency,
    failures,
  };
}
