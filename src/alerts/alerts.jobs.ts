import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../platform/db/database.js';
import { defineJob } from '../platform/queue/job.js';
import { alertFrom } from './alert-lifecycle.policy.js';
import { claimBatch, deliverToOutbox } from './deliver-batch.js';
import { fanOutMessage } from './fan-out.js';
import { priorityOf } from './priorities.js';

// Several jobs per channel so several workers (and several slots of one worker) share a send.
const jobsPerChannel = 4;

/** Deliver the queued deliveries of one message on one channel, a batch at a time, until none are left. */
export const deliveryBatchJob = defineJob({
  name: 'alert.deliver',
  payload: z.object({ messageId: z.uuid(), channel: z.string().min(1) }).strict(),
  retry: { limit: 5, delaySeconds: 2, backoff: true },
  expireInSeconds: 600,
  async handle(ctx, payload) {
    for (;;) {
      const batch = await claimBatch(ctx, payload.messageId, payload.channel);
      if (batch.length === 0) break;
      await deliverToOutbox(ctx, batch);
    }
    await markSentWhenDone(ctx.db, payload.messageId);
  },
});

/** Create a message's deliveries, then queue the delivery jobs for each channel. */
export const alertFanoutJob = defineJob({
  name: 'alert.fanout',
  payload: z.object({ messageId: z.uuid() }).strict(),
  retry: { limit: 5, delaySeconds: 1, backoff: true },
  expireInSeconds: 600,
  async handle(ctx, payload) {
    const job = await ctx.db
      .selectFrom('alert_messages as m')
      .innerJoin('alerts as a', 'a.id', 'm.alert_id')
      .select(['a.kind'])
      .where('m.id', '=', payload.messageId)
      .executeTakeFirst();
    if (!job) return;
    const priority = priorityOf[job.kind];
    const result = await fanOutMessage(ctx, payload.messageId, priority);
    if (!result) return;
    ctx.log.info({ messageId: payload.messageId, created: result.created }, 'alert fan-out');
    await ctx.db.transaction().execute(async (trx) => {
      for (const channel of result.channels) {
        for (let i = 0; i < jobsPerChannel; i += 1)
          await ctx.queue.enqueue(
            trx,
            deliveryBatchJob,
            { messageId: payload.messageId, channel },
            { priority },
          );
      }
      await trx
        .updateTable('alert_messages')
        .set({ fanned_out_at: sql`now()` })
        .where('id', '=', payload.messageId)
        .where('fanned_out_at', 'is', null)
        .execute();
    });
    await markSentWhenDone(ctx.db, payload.messageId);
  },
});

/**
 * The alert is sent when every one of its messages has fanned out and none of their deliveries
 * is waiting or in flight (a late worker of an earlier message must not mark a newer one done).
 */
async function markSentWhenDone(db: Db, messageId: string): Promise<void> {
  await sql`update alerts a set status = 'sent', updated_at = now()
    where a.id = (select alert_id from alert_messages where id = ${messageId})
      and a.status = any(${alertFrom('sent')}::text[])
      and not exists (select 1 from alert_messages m where m.alert_id = a.id and m.fanned_out_at is null)
      and not exists (select 1 from deliveries d where d.alert_id = a.id and d.status in ('created', 'queued', 'sending'))`.execute(
    db,
  );
}
