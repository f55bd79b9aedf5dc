import { z } from 'zod';
import { defineJob } from '../../platform/queue/job.js';

/**
 * How long a handled inbound MessageSid is remembered: Twilio retries an unanswered webhook for
 * minutes, not days, so a week covers every replay with room to spare.
 */
export const inboundSmsRetentionDays = 7;

/**
 * Forget handled inbound SMS (sid and decision only, never the text or the number) after the
 * replay window. Nothing personal is kept, so the deletion needs no audit receipt.
 */
export const inboundSmsPurgeJob = defineJob({
  name: 'replies.inbound_sms_purge',
  payload: z.object({}).strict(),
  retry: { limit: 3, delaySeconds: 60, backoff: true },
  expireInSeconds: 300,
  schedule: () => '17 3 * * *',
  async handle(ctx) {
    const cutoff = new Date(ctx.clock.now().getTime() - inboundSmsRetentionDays * 86_400_000);
    const result = await ctx.db
      .deleteFrom('inbound_sms')
      .where('received_at', '<', cutoff)
      .executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    if (deleted > 0) ctx.log.info({ deleted, before: cutoff.toISOString() }, 'inbound SMS purge');
  },
});
