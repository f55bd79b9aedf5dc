import { sql } from 'kysely';
import { writeAudit } from '../../audit/write-audit.js';
import type { Principal } from '../../identity/principal.js';
import type { RequestMeta } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import type { Trx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { AlertKind } from '../alerts.tables.js';
import { enqueueDelivery } from '../alerts.jobs.js';
import { priorityOf } from '../priorities.js';
import { requireSendPermission } from '../send-alert.js';
import type { ResendResult } from './alert-reach.schema.js';
import { insertResendDeliveries, reachMessage, type ReachMessage } from './alert-reach.queries.js';

/** One click of "re-send to the unreached". */
export interface ResendUnreached {
  /** The click's id (a UUID the client makes once per click): the same id re-sends only once. */
  requestId: string;
  /** The message to re-send; default the alert's latest alert, update or all-clear. */
  messageId?: string;
  request: RequestMeta;
}

/**
 * Re-send a message to the people it has not reached, on the addresses that did not fail them
 * (see alert-reach.policy's resendableStatuses): new queued deliveries of the same message in a
 * new round, the alert back to sending, the delivery jobs and the audit row in ONE transaction.
 */
export async function resendToUnreached(
  ctx: AppContext,
  principal: Principal,
  alertId: string,
  input: ResendUnreached,
): Promise<ResendResult> {
  const alert = await ctx.db
    .selectFrom('alerts')
    .select(['kind', 'status'])
    .where('id', '=', alertId)
    .executeTakeFirst();
  if (!alert) throw notFound('Alert');
  requireSendPermission(principal, alert.kind);
  const message = await reachMessage(ctx.db, alertId, input.messageId);
  return ctx.db.transaction().execute(async (trx) => {
    // One click at a time per message: the round numbers follow each other, and a repeat sees the first.
    await sql`select id from alert_messages where id = ${message.id} for no key update`.execute(trx);
    const earlier = await trx
      .selectFrom('delivery_resends')
      .selectAll()
      .where('id', '=', input.requestId)
      .executeTakeFirst();
    if (earlier) {
      if (earlier.alert_id !== alertId)
        throw new AppError('conflict', 'This requestId was already used for another alert; make a new one.');
      return { ...resultOf(earlier), repeated: true };
    }
    const status = await trx
      .selectFrom('alerts')
      .select('status')
      .where('id', '=', alertId)
      .executeTakeFirstOrThrow();
    if (status.status !== 'sending' && status.status !== 'sent')
      throw new AppError(
        'invalid_transition',
        `This alert is ${status.status}; re-sending goes only to alerts that were sent and are not closed.`,
      );
    return queueRound(ctx, trx, principal, { ...input, message, kind: alert.kind });
  });
}

function resultOf(row: {
  id: string;
  message_id: string;
  round: number;
  people: number;
  deliveries: number;
}) {
  return {
    requestId: row.id,
    messageId: row.message_id,
    round: row.round,
    people: row.people,
    deliveries: row.deliveries,
  };
}

async function queueRound(
  ctx: AppContext,
  trx: Trx,
  principal: Principal,
  input: ResendUnreached & { message: ReachMessage; kind: AlertKind },
): Promise<ResendResult> {
  const { message } = input;
  const last = await trx
    .selectFrom('delivery_resends')
    .select((eb) => eb.fn.max('round').as('round'))
    .where('message_id', '=', message.id)
    .executeTakeFirst();
  const round = (last?.round ?? 0) + 1;
  const queued = await insertResendDeliveries(trx, message, round);
  const row = await trx
    .insertInto('delivery_resends')
    .values({
      id: input.requestId,
      alert_id: message.alertId,
      message_id: message.id,
      round,
      requested_by: principal.actor.label ?? 'unknown',
      people: queued.people,
      deliveries: queued.deliveries,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (queued.deliveries > 0) {
    await sql`update alerts set status = 'sending', updated_at = now()
      where id = ${message.alertId} and status in ('sending', 'sent')`.execute(trx);
    await enqueueDelivery(ctx, trx, message.id, queued.channels, priorityOf[input.kind]);
  }
  await writeAudit(trx, {
    actor: principal.actor,
    action: 'alert.resend_unreached',
    target: { type: 'alert', id: message.alertId },
    after: { messageId: message.id, round, people: queued.people, deliveries: queued.deliveries },
    request: input.request,
  });
  return { ...resultOf(row), repeated: false };
}
