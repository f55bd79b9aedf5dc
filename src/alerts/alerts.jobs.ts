import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import type { Db, Queryable } from '../platform/db/database.js';
import { defineJob, type JobDefinition } from '../platform/queue/job.js';
import { alertFrom } from './alert-lifecycle.policy.js';
import { dispatchMessageChannel } from './delivery/dispatch.js';
import { deliveryChannels, type DeliveryChannel } from './delivery/provider.js';
import { fanOutMessage } from './fan-out.js';
import { priorityOf } from './priorities.js';

const deliverPayload = z.object({ messageId: z.uuid(), channel: z.enum(deliveryChannels) }).strict();
type DeliverPayload = z.infer<typeof deliverPayload>;

/**
 * One queue per channel family, so a campus-wide SMS send never holds up the emails (each queue
 * has its own worker slots), and jobs per channel so several workers share a send.
 */
function deliveryJob(name: string) {
  return defineJob({
    name,
    payload: deliverPayload,
    retry: { limit: 10, delaySeconds: 2, backoff: true },
    expireInSeconds: 900,
    async handle(ctx, payload: DeliverPayload) {
      await dispatchMessageChannel(ctx, payload.messageId, payload.channel, () =>
        fannedOut(ctx.db, payload.messageId),
      );
      await markSentWhenDone(ctx.db, payload.messageId);
    },
  });
}

export const deliverSmsJob = deliveryJob('alert.deliver.sms');
export const deliverVoiceJob = deliveryJob('alert.deliver.voice');
export const deliverEmailJob = deliveryJob('alert.deliver.email');
export const deliverPublicJob = deliveryJob('alert.deliver.public');

const jobsFor: Record<DeliveryChannel, { job: JobDefinition<DeliverPayload>; count: number }> = {
  sms: { job: deliverSmsJob, count: 2 },
  voice: { job: deliverVoiceJob, count: 2 },
  email: { job: deliverEmailJob, count: 2 },
  // Office numbers are calls too; the paging servers' few posts ride along in the same batches.
  office_phones: { job: deliverVoiceJob, count: 1 },
  public_page: { job: deliverPublicJob, count: 1 },
  signage: { job: deliverPublicJob, count: 1 },
  desktop: { job: deliverPublicJob, count: 1 },
  x: { job: deliverPublicJob, count: 1 },
  facebook: { job: deliverPublicJob, count: 1 },
  cap: { job: deliverPublicJob, count: 1 },
  webhook: { job: deliverPublicJob, count: 1 },
};

/** Queue the delivery jobs of a message on some channels (a worker that finds nothing to claim ends at once). */
export async function enqueueDelivery(
  ctx: AppContext,
  trx: Queryable,
  messageId: string,
  channels: readonly string[],
  priority: number,
  jobsPerChannel?: number,
): Promise<void> {
  for (const channel of channels as DeliveryChannel[]) {
    const target = jobsFor[channel];
    if (!target) continue;
    for (let i = 0; i < (jobsPerChannel ?? target.count); i += 1)
      await ctx.queue.enqueue(trx, target.job, { messageId, channel }, { priority });
  }
}

/** Create a message's deliveries; the delivery jobs start after the first chunk. */
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
    const result = await fanOutMessage(ctx, payload.messageId, priority, (trx, channels) =>
      enqueueDelivery(ctx, trx, payload.messageId, channels, priority),
    );
    if (!result) return;
    ctx.log.info({ messageId: payload.messageId, created: result.created }, 'alert fan-out');
    await ctx.db
      .updateTable('alert_messages')
      .set({ fanned_out_at: sql`now()` })
      .where('id', '=', payload.messageId)
      .where('fanned_out_at', 'is', null)
      .execute();
    await markSentWhenDone(ctx.db, payload.messageId);
  },
});

async function fannedOut(db: Db, messageId: string): Promise<boolean> {
  const row = await db
    .selectFrom('alert_messages')
    .select('fanned_out_at')
    .where('id', '=', messageId)
    .executeTakeFirst();
  return !row || row.fanned_out_at !== null;
}

/**
 * An alert is sent when every one of its messages has fanned out and none of their deliveries is
 * waiting or in flight (a late worker of an earlier message must not mark a newer one done).
 * Retries waiting for their time count as waiting.
 */
const finished = sql`a.status = any(${alertFrom('sent')}::text[])
  and not exists (select 1 from alert_messages m where m.alert_id = a.id and m.fanned_out_at is null)
  and not exists (select 1 from deliveries d where d.alert_id = a.id
                  and d.status in ('created', 'queued', 'sending', 'temporary_failure'))`;

/** Mark the alert of a message sent if it has finished. */
async function markSentWhenDone(db: Db, messageId: string): Promise<void> {
  await sql`update alerts a set status = 'sent', updated_at = now()
    where a.id = (select alert_id from alert_messages where id = ${messageId}) and ${finished}`.execute(db);
}

/** Mark every sending alert that has finished sent, in one statement (the sweeper's pass). */
export async function markFinishedAlertsSent(db: Db): Promise<void> {
  await sql`update alerts a set status = 'sent', updated_at = now() where a.status = 'sending' and ${finished}`.execute(
    db,
  );
}
