import { sql, type Selectable } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { deliveryChannels, deliveryStatuses, type AlertsTable } from '../alerts.tables.js';
import { inChannelOrder } from '../channel-order.js';
import { outboxProviderName } from '../delivery/outbox-provider.js';
import { acknowledgementSummary, type AcknowledgementSummary } from '../replies/acknowledgement-summary.js';
import {
  channelAggregates,
  failureGroups,
  providerCounts,
  type ChannelAggregateRow,
  type FailureGroupRow,
  type ProviderCountRow,
  type StatusCounts,
} from './tracking.queries.js';
import { doneOf, latencyOf, perSecond, zeroCounts } from './tracking-math.js';
import type { AlertTracking, ChannelTracking } from './tracking.schema.js';

const failureGroupLimit = 50;

export type { AlertTracking } from './tracking.schema.js';

/**
 * Everything about an alert's delivery, read in one snapshot (a read-only repeatable-read
 * transaction, so totals, providers and failures agree): counts per message, channel and status,
 * throughput, latency percentiles, providers, failures by reason, and acknowledgements with the
 * need-help list (personal data: callers decide who sees it). Channels come in `channelOrder` (the
 * profile's). Throws not_found for an unknown alert.
 */
export async function alertTracking(
  db: Db,
  alertId: string,
  channelOrder: readonly string[] = deliveryChannels,
): Promise<AlertTracking> {
  const generatedAt = new Date();
  const read = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      // The planner's estimate of the per-channel aggregates crosses jit_above_cost, and compiling
      // costs more (30 ms) than the query saves.
      await sql`set local jit = off`.execute(trx);
      const alert = await trx.selectFrom('alerts').selectAll().where('id', '=', alertId).executeTakeFirst();
      if (!alert) throw notFound('Alert');
      const messages = await trx
        .selectFrom('alert_messages')
        .select(['id', 'sequence', 'message_type', 'created_at', 'fanned_out_at'])
        .where('alert_id', '=', alertId)
        .orderBy('sequence')
        .execute();
      const aggregates = await channelAggregates(trx, alertId);
      const providers = await providerCounts(trx, alertId);
      const failures = await failureGroups(trx, alertId, failureGroupLimit);
      // Only alerts that asked for answers have any; the no-response count costs a pass over the deliveries.
      const acks = alert.acknowledgement_requested ? await acknowledgementSummary(trx, alertId) : null;
      return { alert, messages, aggregates, providers, failures, acks };
    });
  return assemble(read, generatedAt, channelOrder);
}

type Read = {
  alert: Selectable<AlertsTable>;
  messages: Array<{
    id: string;
    sequence: number;
    message_type: string;
    created_at: Date;
    fanned_out_at: Date | null;
  }>;
  aggregates: ChannelAggregateRow[];
  providers: ProviderCountRow[];
  failures: FailureGroupRow[];
  acks: AcknowledgementSummary | null;
};

function assemble(
  { alert, messages, aggregates, providers, failures, acks }: Read,
  at: Date,
  channelOrder: readonly string[],
): AlertTracking {
  return {
    alert: {
      id: alert.id,
      kind: alert.kind,
      status: alert.status,
      hazard: alert.hazard,
      templateVersion: alert.template_version,
      channels: alert.channels,
      acknowledgementRequested: alert.acknowledgement_requested,
      createdAt: alert.created_at.toISOString(),
      initiatedAt: alert.initiated_at?.toISOString() ?? null,
      closedAt: alert.closed_at?.toISOString() ?? null,
    },
    generatedAt: at.toISOString(),
    totals: totalsOf(aggregates, messages),
    messages: messages.map((m) => ({
      id: m.id,
      sequence: m.sequence,
      type: m.message_type,
      createdAt: m.created_at.toISOString(),
      fannedOut: m.fanned_out_at !== null,
      channels: inChannelOrder(
        aggregates.filter((a) => a.message_id === m.id),
        channelOrder,
        (a) => a.channel,
      ).map((a) => channelTracking(a, m.created_at)),
    })),
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
      safe: acks?.safe ?? 0,
      needHelp: acks?.needHelp ?? 0,
      noResponse: acks?.noResponse ?? null,
      needHelpList: acks?.needHelpList ?? [],
      needHelpListTruncated: acks ? acks.needHelp > acks.needHelpList.length : false,
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
    ...doneOf(counts, a.in_outbox),
    throughput: { last5s: a.accepted_last_5s / 5, overall: perSecond(a.accepted, span) },
    latencyMs: {
      accepted: latencyOf(a.accept_ms, a.accept_max_ms, a.accepted),
      delivered: latencyOf(a.deliver_ms, a.deliver_max_ms, a.delivered - a.in_outbox),
    },
  };
}

function totalsOf(aggregates: ChannelAggregateRow[], messages: Array<{ created_at: Date }>) {
  const counts = zeroCounts();
  let accepted = 0;
  let last5s = 0;
  let lastAccepted = 0;
  let inOutbox = 0;
  for (const a of aggregates) {
    for (const s of deliveryStatuses) counts[s] += a[s];
    inOutbox += a.in_outbox;
    accepted += a.accepted;
    last5s += a.accepted_last_5s;
    lastAccepted = Math.max(lastAccepted, a.last_accepted_at?.getTime() ?? 0);
  }
  const firstMessage = messages[0]?.created_at.getTime() ?? lastAccepted;
  return {
    ...doneOf(counts, inOutbox),
    throughput: { last5s: last5s / 5, overall: perSecond(accepted, lastAccepted - firstMessage) },
  };
}

function providerProgress(rows: ProviderCountRow[]) {
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
  // The outbox's deliveries are all its own: what it holds as delivered never reached a network.
  return [...groups.values()].map(({ counts, ...g }) => ({
    ...g,
    ...doneOf(counts, g.provider === outboxProviderName ? counts.delivered : 0),
  }));
}
