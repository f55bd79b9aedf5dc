import { z } from 'zod';
import { writeAudit } from '../../audit/write-audit.js';
import { systemActor } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import { defineJob } from '../../platform/queue/job.js';
import { defineLoop } from '../../platform/queue/loop.js';
import { claimDueFeeds, ensureFeeds } from './cap-feeds.queries.js';
import { expireOverdue, purgeHandled } from './inbound-cap.queries.js';
import { pollCapFeed } from './poll-cap-feed.js';

/**
 * Days a dismissed or expired inbound CAP message is kept after it was handled. Relayed ones stay:
 * they are the confirmation source of an alert's Clery record.
 */
const inboundCapRetentionDays = 30;

/** Poll one configured CAP feed. No retries: the next poll is the retry. */
export const capFeedPollJob = defineJob({
  name: 'inbound_cap.feed_poll',
  payload: z.object({ url: z.url() }).strict(),
  retry: { limit: 0, delaySeconds: 0, backoff: false },
  expireInSeconds: 600,
  async handle(ctx, { url }) {
    // A feed taken out of the configuration since the job was queued is no longer polled.
    if (!ctx.config.capFeeds.urls.includes(url)) return;
    await pollCapFeed(ctx, url);
  },
});

/**
 * Every five seconds, in every worker: queue a poll for each configured feed that is due
 * (TOCSIN_CAP_FEED_POLL_SECONDS apart; claiming is compare-and-set, so one worker queues it).
 */
export const capFeedScheduleLoop = defineLoop({
  name: 'inbound_cap.feed_schedule',
  everyMs: () => 5_000,
  async run(ctx) {
    await queueDueFeedPolls(ctx);
  },
});

/** Queue the polls of the configured feeds that are due; returns their URLs. */
export async function queueDueFeedPolls(ctx: AppContext): Promise<string[]> {
  const { urls, pollSeconds } = ctx.config.capFeeds;
  if (urls.length === 0) return [];
  const now = ctx.clock.now();
  await ensureFeeds(ctx.db, urls, now);
  return ctx.db.transaction().execute(async (trx) => {
    const due = await claimDueFeeds(trx, urls, now, pollSeconds);
    for (const url of due) await ctx.queue.enqueue(trx, capFeedPollJob, { url });
    return due;
  });
}

/**
 * Hourly: pending messages whose every expiry has passed become expired; dismissed and expired
 * ones handled more than `inboundCapRetentionDays` ago are deleted, with a deletion receipt (counts
 * and the cut-off, never content) in the audit log.
 */
export const inboundCapPurgeJob = defineJob({
  name: 'inbound_cap.purge',
  payload: z.object({}).strict(),
  retry: { limit: 3, delaySeconds: 60, backoff: true },
  expireInSeconds: 300,
  schedule: () => '23 * * * *',
  async handle(ctx) {
    const now = ctx.clock.now();
    const cutoff = new Date(now.getTime() - inboundCapRetentionDays * 86_400_000);
    await ctx.db.transaction().execute(async (trx) => {
      const expired = await expireOverdue(trx, now);
      const deleted = await purgeHandled(trx, cutoff);
      if (expired.length > 0)
        await writeAudit(trx, {
          actor: systemActor,
          action: 'inbound_cap.expire',
          target: { type: 'inbound_cap', id: null },
          metadata: { count: expired.length, ids: expired.slice(0, 200), at: now.toISOString() },
        });
      if (deleted > 0)
        await writeAudit(trx, {
          actor: systemActor,
          action: 'retention.purge',
          target: { type: 'inbound_cap', id: null },
          metadata: { inboundCap: deleted, handledBefore: cutoff.toISOString() },
        });
      if (expired.length + deleted > 0)
        ctx.log.info({ expired: expired.length, deleted }, 'inbound CAP purge');
    });
  },
});
