import { sql, type RawBuilder } from 'kysely';
import { addressesNotToUse } from '../../directory/people-names.queries.js';
import type { Queryable } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import type { DeliveryStatus } from '../alerts.tables.js';
import { inChannelOrder } from '../channel-order.js';
import { outboxProviderName } from '../delivery/outbox-provider.js';
import { pendingStatuses, reachedStatuses, resendableStatuses } from './alert-reach.policy.js';

/** The message a reach is about: the alert's latest message to people unless one is named. */
export interface ReachMessage {
  id: string;
  alertId: string;
  sequence: number;
  type: string;
}

/** One message of an alert (by id), else its latest alert, update or all-clear; 404 when none. */
export async function reachMessage(q: Queryable, alertId: string, messageId?: string): Promise<ReachMessage> {
  let query = q
    .selectFrom('alert_messages')
    .select(['id', 'alert_id', 'sequence', 'message_type'])
    .where('alert_id', '=', alertId);
  query = messageId
    ? query.where('id', '=', messageId)
    : query.where('message_type', '<>', 'escalation').orderBy('sequence', 'desc').limit(1);
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(messageId ? 'Message of this alert' : 'Alert');
  return { id: row.id, alertId: row.alert_id, sequence: row.sequence, type: row.message_type };
}

const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)));

/**
 * Each (person, channel, address) of a message once, as its latest round left it, with `resend`:
 * whether a re-send would try it (its status allows, and the person has not opted out of it or
 * left since).
 */
function latestLines(q: Queryable, messageId: string): RawBuilder<unknown> {
  return sql`(
    select l.*, l.status in (${list(resendableStatuses)}) and not exists (select 1 from ${addressesNotToUse(q)} x
      where x.person_id = l.person_id and x.channel = l.channel and x.address = l.address) as resend
    from (
      select distinct on (d.person_id, d.channel, d.address) d.*,
        d.status = 'delivered' and d.provider is not distinct from ${outboxProviderName} as in_outbox,
        coalesce(d.suppression_reason, d.error_code || ': ' || d.last_error, d.last_error, d.error_code) as reason
      from deliveries d where d.message_id = ${messageId} and d.person_id is not null
      order by d.person_id, d.channel, d.address, d.resend_round desc) l)`;
}

/**
 * Each person of a message: reached (a provider took one address, or they answered), pending,
 * held in the outbox (a delivery the outbox stored, which reached no network), re-sendable.
 */
function peopleOf(q: Queryable, message: ReachMessage): RawBuilder<unknown> {
  return sql`(
    select l.person_id,
      bool_or(l.status in (${list(reachedStatuses)}) and not l.in_outbox)
        or exists (select 1 from acknowledgements k where k.alert_id = ${message.alertId} and k.person_id = l.person_id)
        as reached,
      bool_or(l.status in (${list(pendingStatuses)})) as pending,
      bool_or(l.in_outbox) as in_outbox,
      bool_or(l.resend) as resendable
    from ${latestLines(q, message.id)} l group by l.person_id)`;
}

/** Counts of a message's people: reached, not reached (still pending, only in the outbox, or every address ended). */
export interface ReachTotals {
  people: number;
  reached: number;
  pending: number;
  inOutbox: number;
  failed: number;
  resendable: number;
}

/** How many people a message has reached and not, and how many a re-send would try again. */
export async function reachTotals(q: Queryable, message: ReachMessage): Promise<ReachTotals> {
  const result = await sql<ReachTotals>`
    select count(*)::int as people, count(*) filter (where reached)::int as reached,
      count(*) filter (where not reached and pending)::int as pending,
      count(*) filter (where not reached and not pending and in_outbox)::int as "inOutbox",
      count(*) filter (where not reached and not pending and not in_outbox)::int as failed,
      count(*) filter (where not reached and resendable)::int as resendable
    from ${peopleOf(q, message)} p`.execute(q);
  return result.rows[0]!;
}

/** Per channel: people with an address on it, reached by it, still pending on it, held in the outbox, ended without. */
export interface ChannelReachRow {
  channel: string;
  people: number;
  reached: number;
  pending: number;
  inOutbox: number;
  failed: number;
  suppressed: number;
}

/**
 * Reach of a message per channel (a person counts once per channel, by their best address on it),
 * in `channelOrder` (the profile's).
 */
export async function channelReach(
  q: Queryable,
  message: ReachMessage,
  channelOrder: readonly string[],
): Promise<ChannelReachRow[]> {
  const result = await sql<ChannelReachRow>`
    select channel, count(*)::int as people,
      count(*) filter (where best = 4)::int as reached, count(*) filter (where best = 3)::int as pending,
      count(*) filter (where best = 2)::int as "inOutbox",
      count(*) filter (where best = 1)::int as failed, count(*) filter (where best = 0)::int as suppressed
    from (
      select l.person_id, l.channel, max(case when l.in_outbox then 2
        when l.status in (${list(reachedStatuses)}) then 4
        when l.status in (${list(pendingStatuses)}) then 3 when l.status = 'suppressed' then 0 else 1 end) as best
      from ${latestLines(q, message.id)} l group by l.person_id, l.channel
    ) c
    group by channel order by channel`.execute(q);
  return inChannelOrder(result.rows, channelOrder, (r) => r.channel);
}

/** One address of an unreached person, with why it has not reached them. */
export interface UnreachedAddress {
  channel: string;
  address: string;
  status: DeliveryStatus;
  /** Stored by the outbox provider: delivered to no network. */
  inOutbox: boolean;
  reason: string | null;
  resend: boolean;
}

/** A page of a message's unreached people in id order, after `after`. */
export async function unreachedPage(
  q: Queryable,
  message: ReachMessage,
  page: { after?: string; limit: number },
): Promise<Array<{ personId: string; addresses: UnreachedAddress[] }>> {
  const result = await sql<{ person_id: string; addresses: UnreachedAddress[] }>`
    select p.person_id, json_agg(json_build_object('channel', l.channel, 'address', l.address,
      'status', l.status, 'inOutbox', l.in_outbox, 'reason', l.reason, 'resend', l.resend) order by l.channel, l.address) as addresses
    from ${peopleOf(q, message)} p join ${latestLines(q, message.id)} l on l.person_id = p.person_id
    where not p.reached and p.person_id > ${page.after ?? '00000000-0000-0000-0000-000000000000'}::uuid
    group by p.person_id order by p.person_id limit ${page.limit}`.execute(q);
  return result.rows.map((r) => ({ personId: r.person_id, addresses: r.addresses }));
}

/**
 * Queue round `round` of a message: a new delivery for every address a re-send tries (see
 * latestLines) of every unreached person. Returns how many deliveries and people, and their channels.
 */
export async function insertResendDeliveries(
  q: Queryable,
  message: ReachMessage,
  round: number,
): Promise<{ deliveries: number; people: number; channels: string[] }> {
  const result = await sql<{ deliveries: number; people: number; channels: string[] | null }>`
    with rows as (
      insert into deliveries (alert_id, message_id, person_id, channel, address, language, template_version, priority, status, resend_round)
      select l.alert_id, l.message_id, l.person_id, l.channel, l.address, l.language, l.template_version, l.priority, 'queued', ${round}::int
      from ${latestLines(q, message.id)} l join ${peopleOf(q, message)} p on p.person_id = l.person_id
      where not p.reached and l.resend
      on conflict do nothing
      returning person_id, channel)
    select count(*)::int as deliveries, count(distinct person_id)::int as people,
      array_agg(distinct channel) as channels from rows`.execute(q);
  const row = result.rows[0]!;
  return { deliveries: row.deliveries, people: row.people, channels: row.channels ?? [] };
}
