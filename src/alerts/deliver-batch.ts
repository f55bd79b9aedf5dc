import { sql } from 'kysely';
import type { AppContext } from '../platform/context.js';
import { loadMessage } from './message-content.js';
import { deliveryFrom } from './alert-lifecycle.policy.js';
import { renderForOutbox } from './outbox-rendering.js';

export const batchSize = 500;

export interface ClaimedDelivery {
  id: string;
  channel: string;
  address: string;
  language: string;
  message_id: string;
}

/**
 * Claim up to a batch of queued deliveries of a message and channel (FOR UPDATE SKIP LOCKED, so
 * several workers share the work and none takes a row twice), move them to `sending`.
 */
export async function claimBatch(
  ctx: AppContext,
  messageId: string,
  channel: string,
): Promise<ClaimedDelivery[]> {
  const rows = await sql<ClaimedDelivery>`
    update deliveries d set status = 'sending', sending_at = now(), attempts = d.attempts + 1, updated_at = now()
    where d.id in (select id from deliveries where message_id = ${messageId} and channel = ${channel} and status = 'queued'
                   order by priority desc, created_at limit ${batchSize} for update skip locked)
    returning d.id, d.channel, d.address, d.language, d.message_id`.execute(ctx.db);
  return rows.rows;
}

/**
 * The outbox provider: store each message as it would have been sent (nothing leaves the machine)
 * and mark the batch delivered, with one insert and one compare-and-set update.
 */
export async function deliverToOutbox(ctx: AppContext, batch: ClaimedDelivery[]): Promise<void> {
  if (batch.length === 0) return;
  const message = await loadMessage(ctx.db, batch[0]!.message_id);
  const rendered = new Map<string, { subject: string | null; body: string }>();
  const bodies = batch.map((d) => {
    const key = `${d.channel}:${d.language}`;
    if (!rendered.has(key)) rendered.set(key, renderForOutbox(ctx, d.channel, d.language, message));
    return rendered.get(key)!;
  });
  await ctx.db.transaction().execute(async (trx) => {
    await sql`insert into outbox_messages (delivery_id, channel, address, subject, body)
      select * from unnest(${batch.map((d) => d.id)}::uuid[], ${batch.map((d) => d.channel)}::text[], ${batch.map((d) => d.address)}::text[],
                           ${bodies.map((b) => b.subject)}::text[], ${bodies.map((b) => b.body)}::text[])
      on conflict (delivery_id) do nothing`.execute(trx);
    await trx
      .updateTable('deliveries')
      .set({
        status: 'delivered',
        provider: 'outbox',
        sent_at: sql`now()`,
        delivered_at: sql`now()`,
        updated_at: sql`now()`,
      })
      .where(
        'id',
        'in',
        batch.map((d) => d.id),
      )
      .where('status', 'in', deliveryFrom('delivered'))
      .execute();
  });
}
