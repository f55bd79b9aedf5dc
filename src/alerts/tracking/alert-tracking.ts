import type { Queryable } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { deliveryStatuses } from '../alerts.tables.js';
import { readAcknowledgements } from './acknowledgements.js';
import {
  channelAggregates,
  failureGroups,
  providerCounts,
  recipientCount,
  type ChannelAggregateRow,
  type StatusCounts,
} from './tracking.queries.js';
import { doneOf, latencyOf, perSecond, zeroCounts } from './tracking-math.js';
import type { AlertTracking, ChannelTracking } from './tracking.schema.js';

export const failureGroupLimit = 50;

export type { AlertTracking } from './tracking.schema.js';

/**
 * Everything about an alert's delivery in five set-based queries over its deliveries: counts per
 * message, channel and status, throughput, latency percentiles, providers, failures by reason and
 * acknowledgements with the need-help list. Throws not_found for an unknown alert.
 */
export async function alertTracking(q: Queryable, alertId: string): Promise<AlertTracking> {
  const alert = await q.selectFrom('alerts').selectAll().where('id', '=', alertId).executeTakeFirst();
  if (!alert) throw notFound('Alert');
  const generatedAt = new Date();
  const [messages, aggregates, providers, failures, recipients, acks] = await Promise.all([
    q
      .selectFrom('alert_messages')
      .select(['id', 'sequence', 'message_type', 'created_at'])
      .where('alert_id', '=', alertId)
      .orderBy('sequence')
      .execute(),
    channelAggregates(q, alertId),
    providerCounts(q, alertId),
    failureGroups(q, alertId, failureGroupLimit),
    // Counting distinct people costs a pass over the deliveries: only when someone is expected to answer.
    alert.acknowledgement_requested ? recipientCount(q, alertId) : null,
    readAcknowledgements(q, alertId),
  ]);
  const perMessage = messages.map((m) => ({
    id: m.id,
    sequence: m.sequence,
    type: m.message_type,
    createdAt: m.created_at.toISOString(),
    channels: aggregates.filter((a) => a.message_id === m.id).map((a) => channelTracking(a, m.created_at)),
  }));
  return {
    alert: {
      id: alert.id,
      kind: alert.kind,
      status: alert.status,
      hazard: alert.hazard,
      channels: alert.channels,
      acknowledgementRequested: alert.acknowledgement_requested,
      createdAt: alert.created_at.toISOString(),
      initiatedAt: alert.initiated_at?.toISOString() ?? null,
      closedAt: alert.closed_at?.toISOString() ?? null,
    },
    generatedAt: generatedAt.toISOString(),
    totals: totalsOf(aggregates, messages),
    messages: perMessage,
    providers: providerProgress(providers),
    failures: failures.map((f) => ({
      status: f.status,
      channel: f.channel,
      reason: f.reason,
      count: f.n,
      sampleError: f.sample_error,
      sampleDeliveryId: f.sample_delivery_id,
    })),
    acknowledgements: {
      requested: alert.acknowledgement_requested,
      recipients,
      safe: acks.safe,
      needHelp: acks.needHelp,
      noResponse: recipients === null ? null : Math.max(0, recipients - acks.safe - acks.needHelp),
      needHelpList: acks.list,
      needHelpListTruncated: acks.listTruncated,
    },
  };
}

/** The same tracking without the need-help list, for readers who may not see people. */
export function withoutNeedHelpList(tracking: AlertTracking): AlertTracking {
  return {
    ...tracking,
    acknowledgements: { ...tracking.acknowledgements, needHelpList: null, needHelpListTruncated: false },
  };
}

function channelTracking(a: ChannelAggregateRow, messageCreatedAt: Date): ChannelTracking {
  const counts = Object.fromEntries(deliveryStatuses.map((s) => [s, a[s]])) as StatusCounts;
  const span = a.last_accepted_at ? a.last_accepted_at.getTime() - messageCreatedAt.getTime() : 0;
  return {
    channel: a.channel,
    ...doneOf(counts),
    throughput: { last5s: a.accepted_last_5s / 5, overall: perSecond(a.accepted, span) },
    latencyMs: {
      accepted: latencyOf(a.accept_ms, a.accept_max_ms, a.accepted),
      delivered: latencyOf(a.deliver_ms, a.deliver_max_ms, a.delivered),
    },
  };
}

function totalsOf(aggregates: ChannelAggregateRow[], messages: Array<{ created_at: Date }>) {
  const counts = zeroCounts();
  let accepted = 0;
  let last5s = 0;
  let lastAccepted = 0;
  for (const a of aggregates) {
    for (const s of deliveryStatuses) counts[s] += a[s];
    accepted += a.accepted;
    last5s += a.accepted_last_5s;
    lastAccepted = Math.max(lastAccepted, a.last_accepted_at?.getTime() ?? 0);
  }
  const firstMessage = messages[0]?.created_at.getTime() ?? lastAccepted;
  return {
    ...doneOf(counts),
    throughput: { last5s: last5s / 5, overall: perSecond(accepted, lastAccepted - firstMessage) },
  };
}

function providerProgress(rows: Awaited<ReturnType<typeof providerCounts>>) {
  const groups = new Map<
    string,
    { provider: string | null; sender: string | null; channel: string; counts: StatusCounts }
  >();
  for (const r of rows) {
    const key = JSON.stringify([r.provider, r.sender, r.channel]);
    let group = groups.get(key);
    if (!group) {
      group = { provider: r.provider, sender: r.sender, channel: r.channel, counts: zeroCounts() };
      groups.set(key, group);
    }
    group.counts[r.status] += r.n;
  }
  return [...groups.values()].map(({ counts, ...g }) => ({ ...g, ...doneOf(counts) }));
}
